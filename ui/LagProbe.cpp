#include "LagProbe.h"

#include <QFile>
#include <QJsonDocument>

#include <algorithm>

namespace switchboard {

LagProbe::LagProbe(QObject* parent)
    : QObject(parent)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &LagProbe::tick);
}

void LagProbe::start()
{
    m_lateness.reserve(64 * 1024);
    m_clock.start();
    m_expectedNs = qint64(intervalMs) * 1'000'000;
    m_timer.start();
}

void LagProbe::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    m_lateness.push_back(double(std::max<qint64>(0, now - m_expectedNs)) / 1e6);
    // The next tick is due one interval after this one fired: a late tick is counted once,
    // not again in every tick after it.
    m_expectedNs = now + qint64(intervalMs) * 1'000'000;
}

QJsonObject LagProbe::summary() const
{
    std::vector<double> sorted = m_lateness;
    std::sort(sorted.begin(), sorted.end());
    const auto percentile = [&sorted](double p) {
        if (sorted.empty())
            return 0.0;
        const auto index = std::size_t(p * double(sorted.size() - 1) + 0.5);
        return sorted[std::min(index, sorted.size() - 1)];
    };
    return QJsonObject{{QLatin1String("timer_interval_ms"), intervalMs},
                       {QLatin1String("samples"), double(sorted.size())},
                       {QLatin1String("p50_ms"), percentile(0.50)},
                       {QLatin1String("p99_ms"), percentile(0.99)},
                       {QLatin1String("max_ms"), sorted.empty() ? 0.0 : sorted.back()},
                       {QLatin1String("seconds"), double(m_clock.elapsed()) / 1000.0}};
}

bool LagProbe::writeTo(const QString& path) const
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(QJsonDocument(summary()).toJson()) > 0;
}

} // namespace switchboard
