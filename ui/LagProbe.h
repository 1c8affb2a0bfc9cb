#pragma once

// Measures how responsive the GUI thread is: a 16 ms timer (one frame) records how late each
// tick fires. Written as JSON ({samples, p50_ms, p99_ms, max_ms, ...}) by `switchboard
// --measure-lag FILE` when the console exits, for the benchmark's GUI lag figure.

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <vector>

namespace switchboard {

class LagProbe : public QObject {
    Q_OBJECT

public:
    static constexpr int intervalMs = 16;

    explicit LagProbe(QObject* parent = nullptr);

    void start();
    // Lateness percentiles in milliseconds over every tick so far.
    QJsonObject summary() const;
    bool writeTo(const QString& path) const;
    int samples() const { return int(m_lateness.size()); }

private:
    void tick();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_expectedNs = 0;
    std::vector<double> m_lateness; // ms per tick
};

} // namespace switchboard
