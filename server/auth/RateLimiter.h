#pragma once

// Counts what each client sends against fixed windows (SPEC §7: per minute and per hour, per
// user; per connection and, with a ceiling of its own, per address when anonymous) and blocks
// a client that keeps exceeding them:
// `violationsBeforeBlock` refused messages within one period of the shortest window turn
// into a block of `blockDuration`, during which everything from that client is refused.
// Entries of clients that have gone quiet are forgotten every `cleanupInterval`.
//
// The same class serves any per-key limit: the 002 dialect's WS_MAX_MESSAGES per
// WS_RATE_WINDOW is one window with no block.

#include <QHash>
#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <vector>

namespace switchboard {

class RateLimiter : public QObject {
    Q_OBJECT

public:
    struct Window {
        std::chrono::milliseconds length;
        int limit = 0;
        QString name; // "minute", "hour": the error says which one was exceeded
    };
    struct Limits {
        std::vector<Window> windows;
        int violationsBeforeBlock = 0; // 0: never block
        std::chrono::milliseconds blockDuration{0};
        std::chrono::milliseconds cleanupInterval{300'000};
    };
    struct Verdict {
        enum Kind { Allowed, Limited, Blocked };
        Kind kind = Allowed;
        QString reason; // for Limited and Blocked
        qint64 retryAfterMs = 0;
    };

    explicit RateLimiter(Limits limits, QObject* parent = nullptr);

    // Counts one message from `key` at `nowMs` and says whether it may go through. The
    // message that crosses the violation threshold gets Blocked.
    Verdict admit(const QString& key, qint64 nowMs);
    // Milliseconds left of `key`'s block; 0 when it is not blocked.
    qint64 blockedFor(const QString& key, qint64 nowMs) const;
    // Counts a violation of `key` made elsewhere (one of an address's connections was blocked
    // for flooding): Blocked when it crosses the threshold, Limited otherwise.
    Verdict addViolation(const QString& key, qint64 nowMs);
    // Blocks `key` until `untilMs` (a block another node of the cluster made; SPEC §12), unless
    // it is blocked longer already. Emits no blocked().
    void block(const QString& key, qint64 untilMs, qint64 nowMs);
    // Forgets clients whose windows and block have all run out.
    void forgetIdle(qint64 nowMs);
    // Forgets `key` at once (a connection that closed).
    void forget(const QString& key) { m_clients.remove(key); }
    int trackedClients() const { return int(m_clients.size()); }

    // The key a client is counted under.
    static QString userKey(const QString& subject) { return QStringLiteral("user:") + subject; }
    static QString addressKey(const QString& address) { return QStringLiteral("ip:") + address; }
    static QString connectionKey(const QString& id) { return QStringLiteral("conn:") + id; }
    // Whether `key` counts one connection (which lives on one node only).
    static bool isConnectionKey(const QString& key)
    {
        return key.startsWith(QLatin1String("conn:"));
    }

signals:
    // `key` has just been blocked for `durationMs` by its own violations.
    void blocked(const QString& key, qint64 durationMs);

private:
    struct Counter {
        qint64 windowStart = 0;
        int count = 0;
    };
    struct Client {
        std::vector<Counter> counters; // one per window
        int violations = 0;
        qint64 violationsSince = 0;
        qint64 blockedUntil = 0;
        qint64 lastSeen = 0;
    };

    // Counts one refused message (or a violation from elsewhere) of `client`.
    Verdict violate(const QString& key, Client& client, qint64 nowMs, const QString& reason,
                    qint64 retryAfterMs);

    Limits m_limits;
    qint64 m_longestWindowMs = 0;
    QHash<QString, Client> m_clients;
    QTimer m_cleanup;
};

} // namespace switchboard
