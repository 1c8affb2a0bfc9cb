#include "SharedBlocks.h"

#include "../auth/RateLimiter.h"
#include "Cluster.h"

#include <QDateTime>

namespace switchboard {

namespace {

const QString blockMessage = QStringLiteral("rate.block");

} // namespace

SharedBlocks::SharedBlocks(Cluster& cluster, QList<std::pair<QString, RateLimiter*>> limiters,
                           QObject* parent)
    : QObject(parent)
    , m_cluster(cluster)
    , m_limiters(std::move(limiters))
{
    for (const auto& [name, limiter] : std::as_const(m_limiters)) {
        connect(limiter, &RateLimiter::blocked, this,
                [this, name = name](const QString& key, qint64 durationMs) {
                    if (RateLimiter::isConnectionKey(key))
                        return;
                    // A duration rather than an end: the nodes' clocks need not agree.
                    m_cluster.tell(blockMessage,
                                   {{QLatin1String("limiter"), name},
                                    {QLatin1String("key"), key},
                                    {QLatin1String("duration_ms"), double(durationMs)}});
                });
    }
    m_cluster.handle(blockMessage, [this](const QJsonObject& message) {
        if (message.value(QLatin1String("from")).toString() == m_cluster.nodeName())
            return QJsonObject(); // made here, in force here already
        const QString name = message.value(QLatin1String("limiter")).toString();
        const QString key = message.value(QLatin1String("key")).toString();
        const qint64 duration = qint64(message.value(QLatin1String("duration_ms")).toDouble());
        for (const auto& [limiterName, limiter] : std::as_const(m_limiters)) {
            if (limiterName == name && !key.isEmpty()) {
                const qint64 now = QDateTime::currentMSecsSinceEpoch();
                limiter->block(key, now + duration, now);
            }
        }
        return QJsonObject();
    });
}

SharedBlocks::~SharedBlocks()
{
    m_cluster.handle(blockMessage, {});
}

} // namespace switchboard
