#pragma once

// One connection to one Redis instance, on the hub thread's event loop: hiredis's asynchronous
// client driven by its Qt adapter, so that no call ever blocks the thread. Commands are
// pipelined: each is written behind the others and answered in order through its callback. A
// connection is either for commands or for receiving publications (Redis's subscriber mode).
//
// It keeps itself up: the host name is resolved without blocking, AUTH and SELECT follow the
// URL, a lost connection is retried with a capped exponential backoff (100 ms doubling to 5 s,
// with jitter), and one whose answers stop coming for `timeout` (a stalled or overloaded Redis)
// is dropped and retried the same way. Subscriptions are made again after every reconnect.
// While it is down, commands fail at once (on the next pass of the event loop) instead of
// waiting, so the caller can degrade rather than stall.

#include "../config/RedisUrl.h"
#include "RedisValue.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

#include <chrono>
#include <deque>
#include <functional>

struct redisAsyncContext;
class QHostAddress;
class RedisQtAdapter;

namespace switchboard {

class RedisConnection : public QObject {
    Q_OBJECT

public:
    enum class Mode { Commands, Subscriber };
    struct Handlers {
        std::function<void()> up;
        std::function<void(const QString& reason)> down;
        // Subscriber mode: a channel's subscription is confirmed, and its messages.
        std::function<void(const QByteArray& channel)> subscribed;
        std::function<void(const QByteArray& channel, const QByteArray& payload)> message;
    };
    using Reply = std::function<void(const RedisValue& reply)>;

    RedisConnection(RedisUrl url, Mode mode, Handlers handlers,
                    std::chrono::milliseconds timeout = std::chrono::seconds(3),
                    QObject* parent = nullptr);
    ~RedisConnection() override;

    // Connects; from then on it reconnects by itself until destroyed.
    void start();
    bool isUp() const { return m_up; }
    // Why it is down (empty while up).
    QString problem() const { return m_problem; }
    quint64 reconnects() const { return m_reconnects; }
    const RedisUrl& url() const { return m_url; }

    // Commands mode: sends one command; `reply` gets the answer, or an error value when the
    // connection is down or lost before the answer (RedisValue::lost()).
    void command(const QList<QByteArray>& arguments, Reply reply);

    // Subscriber mode: the channels to receive; kept across reconnects.
    void subscribe(const QByteArray& channel);
    void unsubscribe(const QByteArray& channel);
    // Subscribes again to a channel already subscribed: Redis confirms it once more.
    void resubscribe(const QByteArray& channel);

private:
    struct Pending;

    void connectNow();
    void connectTo(const QHostAddress& address);
    void sendRaw(const QList<QByteArray>& arguments, Reply reply);
    void sendSubscription(const char* verb, const QByteArray& channel);
    void becameReady();
    void connectFailed(const QString& reason);
    void lost(const QString& reason);
    void retryLater(const QString& reason);
    void checkLiveness();
    void releaseAdapter(bool cleanedUp);

    static void onConnect(const redisAsyncContext* context, int status);
    static void onDisconnect(const redisAsyncContext* context, int status);
    static void onReply(redisAsyncContext* context, void* reply, void* pending);
    static void onSubscription(redisAsyncContext* context, void* reply, void* connection);

    RedisUrl m_url;
    Mode m_mode;
    Handlers m_handlers;
    std::chrono::milliseconds m_timeout;
    redisAsyncContext* m_context = nullptr;
    RedisQtAdapter* m_adapter = nullptr;
    QSet<QByteArray> m_channels;
    std::deque<qint64> m_sentMs; // when each command still unanswered was sent, oldest first
    QTimer m_retry;
    QTimer m_liveness;
    int m_attempts = 0;
    quint64 m_reconnects = 0;
    bool m_up = false;
    bool m_everUp = false;
    bool m_closing = false;
    QString m_problem = QStringLiteral("not connected yet");
};

} // namespace switchboard
