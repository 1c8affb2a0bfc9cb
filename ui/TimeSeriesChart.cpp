#include "TimeSeriesChart.h"

#include <QChart>
#include <QLegend>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace switchboard {

TimeSeriesChart::TimeSeriesChart(const QString& title, QWidget* parent)
    // The chart is handed over at construction: setChart() would only release the view's
    // default chart, not delete it.
    : QChartView(new QChart, parent)
    , m_timeAxis(new QValueAxis)
    , m_valueAxis(new QValueAxis)
{
    QChart* chart = this->chart();
    chart->setTitle(title);
    chart->setBackgroundRoundness(0);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setAnimationOptions(QChart::NoAnimation);
    QFont titleFont = chart->titleFont();
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    m_timeAxis->setLabelFormat(tr("%.0f s"));
    m_timeAxis->setTickCount(7);
    m_timeAxis->setRange(-60, 0);
    m_valueAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_valueAxis->setTickCount(5);
    chart->addAxis(m_timeAxis, Qt::AlignBottom);
    chart->addAxis(m_valueAxis, Qt::AlignLeft);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(160);
}

int TimeSeriesChart::addSeries(const QString& name, const QColor& color)
{
    auto* line = new QLineSeries;
    line->setName(name);
    QPen pen(color);
    pen.setWidthF(2.0);
    line->setPen(pen);
    chart()->addSeries(line);
    line->attachAxis(m_timeAxis);
    line->attachAxis(m_valueAxis);
    m_series.append(line);
    m_points.append(std::deque<Point>());
    chart()->legend()->setVisible(m_series.size() > 1);
    return int(m_series.size() - 1);
}

void TimeSeriesChart::setValueRange(double minimum, double maximum)
{
    m_fixedRange = true;
    m_valueAxis->setRange(minimum, maximum);
}

void TimeSeriesChart::setValueFormat(const QString& format)
{
    m_valueAxis->setLabelFormat(format);
}

void TimeSeriesChart::addPoint(int index, const QDateTime& at, double value)
{
    if (index < 0 || index >= m_series.size() || !std::isfinite(value))
        return;
    const qint64 ms = at.toMSecsSinceEpoch();
    m_points[index].push_back({ms, value});
    m_newestMs = std::max(m_newestMs, ms);
    const qint64 oldest = m_newestMs - qint64(m_window.count()) * 1000;
    for (std::deque<Point>& points : m_points) {
        // Keep one point left of the window so the line enters it from the edge.
        while (points.size() > 1 && points[1].ms < oldest)
            points.pop_front();
    }
    redraw();
}

void TimeSeriesChart::redraw()
{
    // x is seconds before the newest point, so the axis reads "-90 s … 0 s".
    qint64 oldestMs = m_newestMs;
    double low = std::numeric_limits<double>::max();
    double high = std::numeric_limits<double>::lowest();
    for (qsizetype i = 0; i < m_series.size(); ++i) {
        QList<QPointF> shown;
        shown.reserve(qsizetype(m_points[i].size()));
        for (const Point& point : m_points[i]) {
            shown.append(QPointF(double(point.ms - m_newestMs) / 1000.0, point.value));
            oldestMs = std::min(oldestMs, point.ms);
            low = std::min(low, point.value);
            high = std::max(high, point.value);
        }
        m_series[i]->replace(shown);
    }
    // Until the window is full the axis spans what there is (at least a minute).
    const double span =
        std::clamp(double(m_newestMs - oldestMs) / 1000.0, 60.0, double(m_window.count()));
    m_timeAxis->setRange(-span, 0);
    if (m_fixedRange || low > high)
        return;
    const double margin = std::max(high - low, std::max(std::abs(high) * 0.001, 1.0)) * 0.1;
    m_valueAxis->setRange(low - margin, high + margin);
}

void TimeSeriesChart::clear()
{
    for (QLineSeries* series : std::as_const(m_series))
        series->clear();
    for (std::deque<Point>& points : m_points)
        points.clear();
    m_newestMs = 0;
}

int TimeSeriesChart::pointCount(int index) const
{
    const QLineSeries* line = m_series.value(index);
    return line ? line->count() : 0;
}

double TimeSeriesChart::lastValue(int index) const
{
    const QLineSeries* line = m_series.value(index);
    return line && line->count() > 0 ? line->at(line->count() - 1).y() : 0.0;
}

} // namespace switchboard
