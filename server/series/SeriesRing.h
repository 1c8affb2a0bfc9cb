#pragma once

// One resolution of one time series: a fixed ring of `slotCount` values, one per `stepMs` of wall
// clock, allocated once and never grown (SPEC §13: 900 one-second slots for 15 minutes, 8640
// ten-second slots for 24 hours). A slot holds the mean of the samples recorded in its step,
// or NaN when none was; the slots a silent stretch skips are cleared as the ring moves on.

#include <QList>
#include <QPair>

#include <vector>

namespace switchboard {

class SeriesRing {
public:
    SeriesRing(int slotCount, qint64 stepMs);

    // Adds a sample taken at `ms` (ms since the epoch). A sample older than the newest slot's
    // step is dropped: the ring only moves forward.
    void record(qint64 ms, double value);

    // [slot start in ms, value] of every slot with a value from `fromMs` on, oldest first.
    QList<QPair<qint64, double>> points(qint64 fromMs) const;
    // The newest slot's value and start, if it is not older than `notBeforeMs`.
    bool latest(qint64 notBeforeMs, qint64* ms, double* value) const;

    int slotCount() const { return int(m_values.size()); }
    qint64 stepMs() const { return m_stepMs; }
    qint64 bytes() const { return qint64(m_values.capacity() * sizeof(double)); }

private:
    std::vector<double> m_values;
    qint64 m_stepMs;
    qint64 m_newest = -1; // absolute slot number (ms / step) of the newest slot
    double m_sum = 0;     // of the samples in the newest slot
    int m_count = 0;
};

} // namespace switchboard
