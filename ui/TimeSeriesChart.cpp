#include "TimeSeriesChart.h"

#include <QChart>
#include <QDateTimeAxis>
#include <QLegend>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace switchboard {

TimeSeriesChart::TimeSeriesChart(const QString& title, QWidget* parent)
    : QChartView(parent)
    , m_timeAxis(new QDateTimeAxis)
    , m_valueAxis(new QValueAxis)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setAnimationOptions(QChart::NoAnimation);
    QFont titleFont = chart->titleFont();
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    m_timeAxis->setFormat(QStringLiteral("HH:mm:ss"));
    m_timeAxis->setTickCount(5);
    m_valueAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_valueAxis->setTickCount(5);
    chart->addAxis(m_timeAxis, Qt::AlignBottom);
    chart->addAxis(m_valueAxis, Qt::AlignLeft);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(160);
    const QDateTime now = QDateTime::currentDateTime();
    m_timeAxis->setRange(now.addSecs(-m_window.count()), now);
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
    QLineSeries* line = m_series.value(index);
    if (!line || !std::isfinite(value))
        return;
    const qint64 ms = at.toMSecsSinceEpoch();
    line->append(double(ms), value);
    m_newestMs = std::max(m_newestMs, ms);
    const double oldest = double(m_newestMs - qint64(m_window.count()) * 1000);
    for (QLineSeries* series : std::as_const(m_series)) {
        int stale = 0;
        while (stale < series->count() && series->at(stale).x() < oldest)
            ++stale;
        // Keep one point left of the window so the line enters it from the edge.
        if (stale > 1)
            series->removePoints(0, stale - 1);
    }
    // Until the window is full the axis spans what there is (at least a minute).
    qint64 oldestMs = m_newestMs;
    for (const QLineSeries* series : std::as_const(m_series)) {
        if (series->count() > 0)
            oldestMs = std::min(oldestMs, qint64(series->at(0).x()));
    }
    const qint64 startMs =
        std::clamp(oldestMs, m_newestMs - qint64(m_window.count()) * 1000, m_newestMs - 60'000);
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(startMs),
                         QDateTime::fromMSecsSinceEpoch(m_newestMs));
    rescale();
}

void TimeSeriesChart::rescale()
{
    if (m_fixedRange)
        return;
    double low = std::numeric_limits<double>::max();
    double high = std::numeric_limits<double>::lowest();
    for (const QLineSeries* series : std::as_const(m_series)) {
        for (const QPointF& point : series->points()) {
            low = std::min(low, point.y());
            high = std::max(high, point.y());
        }
    }
    if (low > high)
        return;
    const double span = std::max(high - low, std::max(std::abs(high) * 0.001, 1.0));
    m_valueAxis->setRange(low - span * 0.1, high + span * 0.1);
}

void TimeSeriesChart::clear()
{
    for (QLineSeries* series : std::as_const(m_series))
        series->clear();
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
