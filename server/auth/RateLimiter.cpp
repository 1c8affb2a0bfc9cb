#include "RateLimiter.h"

#include <QDateTime>

#include <algorithm>

namespace switchboard {

RateLimiter::RateLimiter(Limits limits, QObject* parent)
    : QObject(parent)
    , m_limits(std::move(limits))
{
    for (const Window& window : m_limits.windows)
        m_longestWindowMs = std::max<qint64>(m_longestWindowMs, window.length.count());
    m_cleanup.setInterval(m_limits.cleanupInterval);
    connect(&m_cleanup, &QTimer::timeout, this,
            [this] { forgetIdle(QDateTime::currentMSecsSinceEpoch()); });
    m_cleanup.start();
}

RateLimiter::Verdict RateLimiter::admit(const QString& key, qint64 nowMs)
{
    if (m_limits.windows.empty())
        return {};
    Client& client = m_clients[key];
    client.lastSeen = nowMs;
    if (client.blockedUntil > nowMs) {
        return {Verdict::Blocked, QStringLiteral("blocked for repeated rate limit violations"),
                client.blockedUntil - nowMs};
    }
    if (client.counters.size() != m_limits.windows.size())
        client.counters.assign(m_limits.windows.size(), Counter{nowMs, 0});

    // The first window the message does not fit in, checked before any is counted: a refused
    // message does not use up the longer windows.
    const Window* exceeded = nullptr;
    qint64 retryAfter = 0;
    for (std::size_t i = 0; i < m_limits.windows.size(); ++i) {
        const Window& window = m_limits.windows[i];
        Counter& counter = client.counters[i];
        if (nowMs - counter.windowStart >= window.length.count())
            counter = Counter{nowMs, 0};
        if (!exceeded && counter.count >= window.limit) {
            exceeded = &window;
            retryAfter = counter.windowStart + window.length.count() - nowMs;
        }
    }
    if (!exceeded) {
        for (Counter& counter : client.counters)
            ++counter.count;
        return {};
    }

    return violate(
        key, client, nowMs,
        QStringLiteral("Rate limit exceeded: too many requests per %1").arg(exceeded->name),
        retryAfter);
}

RateLimiter::Verdict RateLimiter::addViolation(const QString& key, qint64 nowMs)
{
    if (m_limits.windows.empty())
        return {};
    Client& client = m_clients[key];
    client.lastSeen = nowMs;
    if (client.blockedUntil > nowMs) {
        return {Verdict::Blocked, QStringLiteral("blocked for repeated rate limit violations"),
                client.blockedUntil - nowMs};
    }
    return violate(key, client, nowMs, QStringLiteral("a connection was blocked for flooding"), 0);
}

RateLimiter::Verdict RateLimiter::violate(const QString& key, Client& client, qint64 nowMs,
                                          const QString& reason, qint64 retryAfterMs)
{
    const qint64 violationPeriod = m_limits.windows.front().length.count();
    if (nowMs - client.violationsSince >= violationPeriod) {
        client.violations = 0;
        client.violationsSince = nowMs;
    }
    ++client.violations;
    if (m_limits.violationsBeforeBlock > 0 && client.violations >= m_limits.violationsBeforeBlock) {
        client.blockedUntil = nowMs + m_limits.blockDuration.count();
        client.violations = 0;
        emit blocked(key, m_limits.blockDuration.count());
        return {Verdict::Blocked, QStringLiteral("blocked for repeated rate limit violations"),
                m_limits.blockDuration.count()};
    }
    return {Verdict::Limited, reason, retryAfterMs};
}

qint64 RateLimiter::blockedFor(const QString& key, qint64 nowMs) const
{
    const auto it = m_clients.constFind(key);
    if (it == m_clients.cend())
        return 0;
    return std::max<qint64>(0, it->blockedUntil - nowMs);
}

void RateLimiter::block(const QString& key, qint64 untilMs, qint64 nowMs)
{
    if (untilMs <= nowMs)
        return;
    Client& client = m_clients[key];
    client.lastSeen = nowMs;
    client.blockedUntil = std::max(client.blockedUntil, untilMs);
}

void RateLimiter::forgetIdle(qint64 nowMs)
{
    for (auto it = m_clients.begin(); it != m_clients.end();) {
        const bool blocked = it->blockedUntil > nowMs;
        const bool counting = nowMs - it->lastSeen < m_longestWindowMs;
        if (!blocked && !counting)
            it = m_clients.erase(it);
        else
            ++it;
    }
}

} // namespace switchboard
