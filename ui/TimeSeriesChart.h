#pragma once

// A Qt Charts line chart of a few values over a rolling time window (the last ten minutes of
// equity, the last five of CPU): points older than the window fall out, the time axis reads
// in seconds before the newest point ("-120 s" … "0 s") and the value axis fits what is shown.

#include <QChartView>
#include <QDateTime>
#include <QList>

#include <chrono>
#include <deque>

class QLineSeries;
class QValueAxis;

namespace switchboard {

class TimeSeriesChart : public QChartView {
    Q_OBJECT

public:
    explicit TimeSeriesChart(const QString& title, QWidget* parent = nullptr);

    int addSeries(const QString& name, const QColor& color);
    void addPoint(int series, const QDateTime& at, double value);
    void setWindow(std::chrono::seconds window) { m_window = window; }
    // Fixed value range (percentages); without it the axis fits the data.
    void setValueRange(double minimum, double maximum);
    void setValueFormat(const QString& format);
    void clear();

    int pointCount(int series) const;
    double lastValue(int series) const;
    QLineSeries* series(int index) const { return m_series.value(index); }
    QValueAxis* valueAxis() const { return m_valueAxis; }

private:
    void redraw();

    struct Point {
        qint64 ms;
        double value;
    };
    QList<QLineSeries*> m_series;
    QList<std::deque<Point>> m_points;
    QValueAxis* m_timeAxis = nullptr;
    QValueAxis* m_valueAxis = nullptr;
    std::chrono::seconds m_window{600};
    bool m_fixedRange = false;
    qint64 m_newestMs = 0;
};

} // namespace switchboard
