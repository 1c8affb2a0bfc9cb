#include "SeriesStore.h"

namespace switchboard {

std::optional<SeriesRange> seriesRangeFromName(const QString& name)
{
    if (name == QLatin1String("15m"))
        return SeriesRange::Minutes15;
    if (name == QLatin1String("1h"))
        return SeriesRange::Hour1;
    if (name == QLatin1String("24h"))
        return SeriesRange::Hours24;
    return std::nullopt;
}

QString seriesRangeName(SeriesRange range)
{
    switch (range) {
    case SeriesRange::Minutes15:
        return QStringLiteral("15m");
    case SeriesRange::Hour1:
        return QStringLiteral("1h");
    case SeriesRange::Hours24:
        break;
    }
    return QStringLiteral("24h");
}

qint64 seriesRangeMs(SeriesRange range)
{
    switch (range) {
    case SeriesRange::Minutes15:
        return 15 * 60'000;
    case SeriesRange::Hour1:
        return 60 * 60'000;
    case SeriesRange::Hours24:
        break;
    }
    return 24 * 60 * 60'000;
}

void SeriesStore::add(SeriesInfo info)
{
    if (m_series.contains(info.name))
        return;
    auto series = std::make_shared<Series>();
    const QString name = info.name;
    series->info = std::move(info);
    m_series.insert(name, std::move(series));
    m_order.append(name);
}

const SeriesInfo* SeriesStore::info(const QString& name) const
{
    const auto it = m_series.constFind(name);
    return it == m_series.cend() ? nullptr : &(*it)->info;
}

QList<SeriesInfo> SeriesStore::all() const
{
    QList<SeriesInfo> infos;
    for (const QString& name : m_order)
        infos.append(m_series.value(name)->info);
    return infos;
}

void SeriesStore::record(const QString& name, qint64 ms, double value)
{
    const auto it = m_series.constFind(name);
    if (it == m_series.cend())
        return;
    (*it)->fine.record(ms, value);
    (*it)->coarse.record(ms, value);
}

QList<QPair<qint64, double>> SeriesStore::points(const QString& name, SeriesRange range,
                                                 qint64 nowMs) const
{
    const auto it = m_series.constFind(name);
    if (it == m_series.cend())
        return {};
    const qint64 from = nowMs - seriesRangeMs(range);
    return range == SeriesRange::Minutes15 ? (*it)->fine.points(from) : (*it)->coarse.points(from);
}

std::optional<double> SeriesStore::latest(const QString& name, qint64 notBeforeMs) const
{
    const auto it = m_series.constFind(name);
    qint64 ms = 0;
    double value = 0;
    if (it == m_series.cend() || !(*it)->fine.latest(notBeforeMs, &ms, &value))
        return std::nullopt;
    return value;
}

qint64 SeriesStore::memoryBytes() const
{
    qint64 bytes = 0;
    for (const auto& series : m_series)
        bytes += series->fine.bytes() + series->coarse.bytes();
    return bytes;
}

} // namespace switchboard
