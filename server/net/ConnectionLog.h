#pragma once

// The hub's connection log, in the logging category "switchboard.connections": a line when a
// WebSocket connection opens and when it closes (endpoint, user, remote address, close code),
// a line for every refused upgrade with its status and reason, and, at debug level, one for
// every HTTP request answered with 4xx or 5xx. Nothing per message: the cost is a few lines
// per connection. Request targets pass through redactSecrets() before they are formatted, so a
// `?token=` never reaches a log (the process-wide message handlers redact again).
//
// The lines name users and addresses, so they stay in the process log (stderr, the journal)
// and are not put on the `logs` topic, which every user (and anonymous clients in
// `--auth optional`) may read. QT_LOGGING_RULES="switchboard.connections.info=false" turns
// the log off; "switchboard.connections.debug=true" adds the refused HTTP requests.

#include <QLoggingCategory>
#include <QObject>

class QHostAddress;
class QHttpServerRequest;
class QUrl;

namespace switchboard {

Q_DECLARE_LOGGING_CATEGORY(lcConnections)

class Subscriber;
class Subscribers;
struct HttpResponse;

class ConnectionLog : public QObject {
    Q_OBJECT

public:
    // Logs the connections `subscribers` opens and closes; a child of it.
    explicit ConnectionLog(Subscribers& subscribers);

    static void upgradeRefused(const QUrl& target, const QHostAddress& peer,
                               const HttpResponse& response);
    // `client`: the peer, or the client a trusted proxy forwarded.
    static void requestRefused(const QHttpServerRequest& request, const QHostAddress& client,
                               const HttpResponse& response);
    // The same for a request the router does not see (an upload read by the listener).
    static void requestRefused(const QString& method, const QUrl& target, const QHostAddress& peer,
                               const HttpResponse& response);
    // A request target as it may appear in a log: path and query, credentials redacted,
    // bounded in length.
    static QString loggableTarget(const QUrl& target);

private:
    static void opened(const Subscriber& subscriber);
    static void closed(const Subscriber& subscriber);
};

} // namespace switchboard
