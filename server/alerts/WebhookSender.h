#pragma once

// Sends alert notifications to the rules' webhooks (SPEC §13): a real HTTP POST of a JSON
// body from the hub thread (QNetworkAccessManager, never blocking it), retried with
// exponential backoff when the receiver fails or cannot be reached, a bounded number of times;
// at most `maxPending` notifications wait at once, more are dropped and logged. Logs name
// the receiver by scheme and host only: a webhook's path often holds its secret.

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>

#include <chrono>

namespace switchboard {

class WebhookSender : public QObject {
    Q_OBJECT

public:
    struct Options {
        int maxAttempts = 4;                        // the first try and three retries
        std::chrono::milliseconds firstRetry{1000}; // then 2 s, 4 s, ...
        std::chrono::milliseconds timeout{10000};   // per attempt
        int maxPending = 100;
    };

    explicit WebhookSender(Options options, QObject* parent = nullptr);

    // Queues one POST of `body` to `url`; false when too many are pending (dropped).
    bool post(const QUrl& url, const QJsonObject& body);
    int pending() const { return m_pending; }
    const Options& options() const { return m_options; }

    // "https://hooks.example.com": what a log line may say of a webhook.
    static QString loggable(const QUrl& url);

signals:
    void delivered(const QUrl& url, int attempts, int status);
    void failed(const QUrl& url, int attempts, const QString& error);

private:
    void attempt(const QUrl& url, const QByteArray& body, int number);

    Options m_options;
    QNetworkAccessManager m_network;
    int m_pending = 0;
};

} // namespace switchboard
