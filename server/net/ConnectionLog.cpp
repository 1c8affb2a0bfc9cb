#include "ConnectionLog.h"

#include "../auth/PeerAddress.h"
#include "../http/HttpResponse.h"
#include "../http/HttpRouter.h"
#include "../hub/Subscriber.h"
#include "../hub/Subscribers.h"
#include "../sources/Redaction.h"

#include <QHostAddress>
#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace switchboard {

// Info and above by default: the refused HTTP requests (debug) only when asked for.
Q_LOGGING_CATEGORY(lcConnections, "switchboard.connections", QtInfoMsg)

namespace {

constexpr qsizetype maxTargetLength = 300;

QString who(const Identity& identity)
{
    if (!identity.isAuthenticated())
        return QStringLiteral("anonymous");
    QString text = identity.subject.left(100) + QStringLiteral(" (") + roleName(identity.role);
    if (!identity.tenant.isEmpty())
        text += QStringLiteral(", tenant ") + identity.tenant.left(100);
    return text + u')';
}

// "CODE: reason" from an error body {"error", "code"}.
QString refusalText(const HttpResponse& response)
{
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    const QString code = body.value(QLatin1String("code")).toString();
    const QString reason = body.value(QLatin1String("error")).toString().left(200);
    return code.isEmpty() ? reason : code + QStringLiteral(": ") + reason;
}

} // namespace

ConnectionLog::ConnectionLog(Subscribers& subscribers)
    : QObject(&subscribers)
{
    connect(&subscribers, &Subscribers::opened, this,
            [](const Subscriber* subscriber) { opened(*subscriber); });
    connect(&subscribers, &Subscribers::closed, this,
            [](const Subscriber* subscriber) { closed(*subscriber); });
}

QString ConnectionLog::loggableTarget(const QUrl& target)
{
    QString text = target.toString(QUrl::RemoveScheme | QUrl::RemoveAuthority |
                                   QUrl::RemoveFragment | QUrl::FullyEncoded);
    if (text.size() > maxTargetLength)
        text = text.left(maxTargetLength) + QStringLiteral("...");
    return redactSecrets(text);
}

void ConnectionLog::opened(const Subscriber& subscriber)
{
    if (!lcConnections().isInfoEnabled())
        return;
    qCInfo(lcConnections, "WebSocket %s opened: %s, %s, from %s", qUtf8Printable(subscriber.id()),
           qUtf8Printable(subscriber.endpoint().left(maxTargetLength)),
           qUtf8Printable(who(subscriber.identity())), qUtf8Printable(subscriber.remoteAddress()));
}

void ConnectionLog::closed(const Subscriber& subscriber)
{
    if (!lcConnections().isInfoEnabled())
        return;
    const qint64 seconds = subscriber.since().secsTo(QDateTime::currentDateTimeUtc());
    QString how = QString::number(subscriber.closeCode());
    if (!subscriber.closeReason().isEmpty())
        how += QStringLiteral(" \"%1\"").arg(redactSecrets(subscriber.closeReason()));
    qCInfo(lcConnections,
           "WebSocket %s closed %s: %s, %s, from %s, after %lld s, %llu messages in, "
           "%llu out",
           qUtf8Printable(subscriber.id()), qUtf8Printable(how),
           qUtf8Printable(subscriber.endpoint().left(maxTargetLength)),
           qUtf8Printable(who(subscriber.identity())), qUtf8Printable(subscriber.remoteAddress()),
           seconds, subscriber.counters().messagesIn, subscriber.counters().messagesOut);
}

void ConnectionLog::upgradeRefused(const QUrl& target, const QHostAddress& peer,
                                   const HttpResponse& response)
{
    if (!lcConnections().isInfoEnabled())
        return;
    qCInfo(lcConnections, "WebSocket upgrade refused with %d: GET %s from %s: %s", response.status,
           qUtf8Printable(loggableTarget(target)), qUtf8Printable(displayAddress(peer)),
           qUtf8Printable(refusalText(response)));
}

void ConnectionLog::requestRefused(const QHttpServerRequest& request, const QHostAddress& client,
                                   const HttpResponse& response)
{
    requestRefused(methodName(request.method()).toUpper(), request.url(), client, response);
}

void ConnectionLog::requestRefused(const QString& method, const QUrl& target,
                                   const QHostAddress& peer, const HttpResponse& response)
{
    if (response.status < 400 || !lcConnections().isDebugEnabled())
        return;
    qCDebug(lcConnections, "HTTP %d: %s %s from %s: %s", response.status, qUtf8Printable(method),
            qUtf8Printable(loggableTarget(target)), qUtf8Printable(displayAddress(peer)),
            qUtf8Printable(refusalText(response)));
}

} // namespace switchboard
