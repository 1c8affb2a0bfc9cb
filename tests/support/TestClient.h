#pragma once

// A WebSocket client for tests: connects to the real hub over a real socket and collects
// every JSON message it receives, with waits driven by signals (never sleeps).

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

#include <functional>

namespace switchboard::test {

class TestClient : public QObject {
public:
    explicit TestClient(QObject* parent = nullptr)
        : QObject(parent)
    {
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString& text) {
            raw.append(text);
            messages.append(QJsonDocument::fromJson(text.toUtf8()).object());
        });
        connect(&socket, &QWebSocket::disconnected, this, [this] {
            closeCode = int(socket.closeCode());
            closed = true;
        });
    }

    // Opens the connection; returns false when the handshake did not complete.
    bool open(const QUrl& url, const QByteArray& bearer = {}, int timeoutMs = 5000)
    {
        QNetworkRequest request(url);
        if (!bearer.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + bearer);
        QSignalSpy connected(&socket, &QWebSocket::connected);
        socket.open(request);
        return connected.wait(timeoutMs) || socket.state() == QAbstractSocket::ConnectedState;
    }

    void send(const QJsonObject& message)
    {
        socket.sendTextMessage(
            QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    }

    // Waits until a message matching `predicate` arrived (searching from `from`); returns it
    // or an empty object on timeout.
    QJsonObject waitFor(const std::function<bool(const QJsonObject&)>& predicate,
                        int timeoutMs = 5000, qsizetype from = 0)
    {
        QDeadlineTimer deadline(timeoutMs);
        qsizetype checked = from;
        while (true) {
            for (; checked < messages.size(); ++checked) {
                if (predicate(messages[checked]))
                    return messages[checked];
            }
            if (deadline.hasExpired() || closed)
                return {};
            QSignalSpy received(&socket, &QWebSocket::textMessageReceived);
            received.wait(int(qMax<qint64>(1, deadline.remainingTime())));
        }
    }

    QJsonObject waitForType(const QString& type, int timeoutMs = 5000)
    {
        return waitFor(
            [&type](const QJsonObject& m) {
                return m.value(QLatin1String("type")).toString() == type;
            },
            timeoutMs);
    }

    // The reply carrying request id `id`.
    QJsonObject waitForReply(const QString& id, int timeoutMs = 5000)
    {
        return waitFor(
            [&id](const QJsonObject& m) { return m.value(QLatin1String("id")).toString() == id; },
            timeoutMs);
    }

    // Sends a request with an id and waits for its reply.
    QJsonObject request(const QString& type, const QString& id, const QJsonObject& data = {})
    {
        QJsonObject message{{QLatin1String("type"), type}, {QLatin1String("id"), id}};
        if (!data.isEmpty())
            message.insert(QLatin1String("data"), data);
        send(message);
        return waitForReply(id);
    }

    bool waitClosed(int timeoutMs = 5000)
    {
        if (closed)
            return true;
        QSignalSpy spy(&socket, &QWebSocket::disconnected);
        return spy.wait(timeoutMs) || closed;
    }

    QList<QJsonObject> messagesOfType(const QString& type) const
    {
        QList<QJsonObject> result;
        for (const QJsonObject& m : messages) {
            if (m.value(QLatin1String("type")).toString() == type)
                result.append(m);
        }
        return result;
    }

    QWebSocket socket;
    QList<QJsonObject> messages;
    QStringList raw;
    bool closed = false;
    int closeCode = -1;
};

} // namespace switchboard::test
