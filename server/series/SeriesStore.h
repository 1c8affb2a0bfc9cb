#pragma once

// The time series behind every chart and alert rule (SPEC §13), in memory on the hub thread:
// each series keeps two fixed rings, 900 one-second slots (15 minutes) and 8640 ten-second
// slots (24 hours), 76,320 bytes a series whatever happens; the hub's 21 built-in series cost
// 1.5 MiB. A chart that opens late asks for the last 15 minutes, hour or day and draws what
// happened before it opened.

#include "SeriesRing.h"

#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace switchboard {

enum class SeriesRange { Minutes15, Hour1, Hours24 };

// "15m", "1h", "24h" (and back).
std::optional<SeriesRange> seriesRangeFromName(const QString& name);
QString seriesRangeName(SeriesRange range);
qint64 seriesRangeMs(SeriesRange range);

struct SeriesInfo {
    QString name;    // "connections"
    QString unit;    // "count", "per_second", "bytes_per_second", "percent", "currency"
    QString summary; // one line for the API and the rule editor
    // Empty: a hub-wide figure, for administrators. Else the topic whose readers may see it
    // (the trading book's equity is `trading`'s).
    QString readableWith;
};

class SeriesStore {
public:
    static constexpr int fineSlots = 900; // 15 minutes at 1 s
    static constexpr qint64 fineStepMs = 1000;
    static constexpr int coarseSlots = 8640; // 24 hours at 10 s
    static constexpr qint64 coarseStepMs = 10000;
    static constexpr qint64 bytesPerSeries = (fineSlots + coarseSlots) * qint64(sizeof(double));

    // Registers a series and allocates its rings; a second add of a name is ignored.
    void add(SeriesInfo info);
    bool contains(const QString& name) const { return m_series.contains(name); }
    const SeriesInfo* info(const QString& name) const;
    QList<SeriesInfo> all() const; // in the order they were added
    QStringList names() const { return m_order; }

    // A sample of `name` at `ms` (ms since the epoch); unknown names are ignored.
    void record(const QString& name, qint64 ms, double value);

    // [ms, value] from `range` before `nowMs`: one-second slots for 15 minutes, ten-second
    // slots for an hour or a day.
    QList<QPair<qint64, double>> points(const QString& name, SeriesRange range, qint64 nowMs) const;
    // The newest one-second value, if one was taken since `notBeforeMs`.
    std::optional<double> latest(const QString& name, qint64 notBeforeMs) const;

    // What the rings hold: allocated once, constant.
    qint64 memoryBytes() const;

private:
    struct Series {
        SeriesInfo info;
        SeriesRing fine{fineSlots, fineStepMs};
        SeriesRing coarse{coarseSlots, coarseStepMs};
    };
    QHash<QString, std::shared_ptr<Series>> m_series;
    QStringList m_order;
};

} // namespace switchboard
