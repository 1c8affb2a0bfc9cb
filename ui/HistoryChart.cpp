#include "HistoryChart.h"

#include "HubHost.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLocale>
#include <QPointer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace switchboard {

namespace {

qint64 rangeMs(const QString& range)
{
    if (range == QLatin1String("24h"))
        return 24 * 3600'000LL;
    if (range == QLatin1String("1h"))
        return 3600'000LL;
    return 15 * 60'000LL;
}

} // namespace

HistoryChart::HistoryChart(HubHost& host, const QString& title, QWidget* parent)
    : QWidget(parent)
    , m_host(host)
    , m_chart(new QChart)
    , m_timeAxis(new QDateTimeAxis)
    , m_valueAxis(new QValueAxis)
    , m_rangeBox(new QComboBox(this))
    , m_pause(new QToolButton(this))
    , m_hover(new QLabel(this))
{
    m_view = new QChartView(m_chart, this);
    m_chart->setTitle(title);
    m_chart->setBackgroundRoundness(0);
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    QFont titleFont = m_chart->titleFont();
    titleFont.setBold(true);
    m_chart->setTitleFont(titleFont);
    m_timeAxis->setFormat(QStringLiteral("HH:mm"));
    m_timeAxis->setTickCount(6);
    m_valueAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_valueAxis->setTickCount(5);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_valueAxis, Qt::AlignLeft);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(150);

    m_rangeBox->setObjectName(QStringLiteral("rangeBox"));
    m_rangeBox->addItem(tr("15 min"), QStringLiteral("15m"));
    m_rangeBox->addItem(tr("1 hour"), QStringLiteral("1h"));
    m_rangeBox->addItem(tr("24 hours"), QStringLiteral("24h"));
    m_rangeBox->setToolTip(tr("Time range: the hub keeps 15 minutes at 1 s and 24 hours at 10 s"));
    connect(m_rangeBox, &QComboBox::currentIndexChanged, this, &HistoryChart::reload);
    m_pause->setObjectName(QStringLiteral("pauseButton"));
    m_pause->setText(tr("Pause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Hold the chart still; it catches up when resumed"));
    connect(m_pause, &QToolButton::toggled, this, &HistoryChart::setPaused);
    auto* save = new QToolButton(this);
    save->setObjectName(QStringLiteral("saveChartButton"));
    save->setText(tr("PNG…"));
    save->setToolTip(tr("Save the chart as a PNG image"));
    connect(save, &QToolButton::clicked, this, &HistoryChart::saveWithDialog);
    m_hover->setObjectName(QStringLiteral("hoverValue"));
    m_hover->setTextFormat(Qt::PlainText);
    QFont small = m_hover->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_hover->setFont(small);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_hover, 1);
    bar->addWidget(m_rangeBox);
    bar->addWidget(m_pause);
    bar->addWidget(save);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connect(&host, &HubHost::snapshotReady, this, &HistoryChart::applySnapshot);
    connect(&host, &HubHost::started, this, &HistoryChart::reload);
    fitAxes(QDateTime::currentMSecsSinceEpoch());
}

int HistoryChart::addSeries(const QString& name, const QString& label, const QColor& color,
                            double scale)
{
    auto* series = new QLineSeries;
    series->setName(label);
    QPen pen(color);
    pen.setWidthF(1.8);
    series->setPen(pen);
    m_chart->addSeries(series);
    series->attachAxis(m_timeAxis);
    series->attachAxis(m_valueAxis);
    const int index = int(m_lines.size());
    m_lines.append({name, label, series, scale});
    connect(series, &QLineSeries::hovered, this, [this, index](const QPointF& point, bool state) {
        if (!state) {
            m_hover->clear();
            return;
        }
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(qint64(point.x()));
        m_hover->setText(QStringLiteral("%1 · %2: %3")
                             .arg(QLocale().toString(at.time(), QStringLiteral("HH:mm:ss")),
                                  m_lines[index].label, QLocale().toString(point.y(), 'f', 2)));
    });
    m_chart->legend()->setVisible(m_lines.size() > 1);
    return index;
}

void HistoryChart::setValueRange(double minimum, double maximum)
{
    m_fixedRange = true;
    m_valueAxis->setRange(minimum, maximum);
}

void HistoryChart::setValueFormat(const QString& format)
{
    m_valueAxis->setLabelFormat(format);
}

QString HistoryChart::range() const
{
    return m_rangeBox->currentData().toString();
}

void HistoryChart::setRange(const QString& range)
{
    const int index = m_rangeBox->findData(range);
    if (index >= 0)
        m_rangeBox->setCurrentIndex(index);
}

void HistoryChart::setPaused(bool paused)
{
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused);
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!paused)
        reload();
}

int HistoryChart::pointCount(int line) const
{
    return line >= 0 && line < m_lines.size() ? int(m_lines[line].series->count()) : 0;
}

double HistoryChart::lastValue(int line) const
{
    if (pointCount(line) == 0)
        return 0.0;
    const QLineSeries* series = m_lines[line].series;
    return series->at(series->count() - 1).y();
}

bool HistoryChart::savePng(const QString& path) const
{
    return m_view->grab().save(path, "PNG");
}

void HistoryChart::saveWithDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save chart"),
                                                      m_chart->title() + QStringLiteral(".png"),
                                                      tr("PNG images (*.png)"));
    if (!path.isEmpty())
        savePng(path);
}

void HistoryChart::reload()
{
    if (m_lines.isEmpty() || !m_host.isRunning())
        return;
    QStringList names;
    for (const Line& line : std::as_const(m_lines))
        names.append(line.name);
    const quint64 generation = ++m_generation;
    QPointer<HistoryChart> self(this);
    m_host.series(names, range(), [self, generation](const JsonResult& result) {
        if (self)
            self->applyHistory(result, generation);
    });
}

void HistoryChart::applyHistory(const JsonResult& result, quint64 generation)
{
    if (generation != m_generation || !result.ok)
        return;
    const QJsonObject all = result.value.toObject();
    qint64 newest = 0;
    for (const Line& line : std::as_const(m_lines)) {
        QList<QPointF> points;
        const QJsonArray history = all.value(line.name).toArray();
        points.reserve(history.size());
        for (const QJsonValue& point : history) {
            const QJsonArray pair = point.toArray();
            const qint64 ms = qint64(pair.at(0).toDouble());
            points.append(QPointF(double(ms), pair.at(1).toDouble() * line.scale));
            newest = std::max(newest, ms);
        }
        line.series->replace(points);
    }
    m_lastAppendMs = newest;
    m_loaded = true;
    fitAxes(QDateTime::currentMSecsSinceEpoch());
    emit reloaded();
}

void HistoryChart::applySnapshot(const HubSnapshot& snapshot)
{
    if (!m_loaded && m_generation == 0) {
        reload();
        return;
    }
    if (m_paused || snapshot.seriesSampleMs == 0 || !m_loaded)
        return;
    // Longer ranges are drawn at the hub's 10 s resolution: one live point per 10 s.
    const qint64 step = range() == QLatin1String("15m") ? 1000 : 10'000;
    if (snapshot.seriesSampleMs - m_lastAppendMs < step)
        return;
    m_lastAppendMs = snapshot.seriesSampleMs;
    const qint64 oldest = snapshot.seriesSampleMs - rangeMs(range());
    for (const Line& line : std::as_const(m_lines)) {
        const auto value = snapshot.seriesSample.constFind(line.name);
        if (value == snapshot.seriesSample.cend())
            continue;
        line.series->append(double(snapshot.seriesSampleMs), *value * line.scale);
        int drop = 0;
        while (drop < line.series->count() && line.series->at(drop).x() < double(oldest))
            ++drop;
        if (drop > 0)
            line.series->removePoints(0, drop);
    }
    fitAxes(snapshot.seriesSampleMs);
}

void HistoryChart::fitAxes(qint64 nowMs)
{
    const qint64 span = rangeMs(range());
    m_timeAxis->setFormat(span <= 3600'000 ? QStringLiteral("HH:mm") : QStringLiteral("ddd HH:mm"));
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(nowMs - span),
                         QDateTime::fromMSecsSinceEpoch(nowMs));
    if (m_fixedRange)
        return;
    double low = std::numeric_limits<double>::max();
    double high = std::numeric_limits<double>::lowest();
    for (const Line& line : std::as_const(m_lines)) {
        const QList<QPointF> points = line.series->points();
        for (const QPointF& point : points) {
            low = std::min(low, point.y());
            high = std::max(high, point.y());
        }
    }
    if (low > high) {
        m_valueAxis->setRange(0, 1);
        return;
    }
    const double margin = std::max(high - low, std::max(std::abs(high) * 0.001, 1.0)) * 0.1;
    m_valueAxis->setRange(low >= 0 && low - margin < 0 ? 0 : low - margin, high + margin);
    // Round ticks, so a count of 0 to 3 does not read "0, 1, 1, 2, 2".
    m_valueAxis->setTickCount(5);
    m_valueAxis->applyNiceNumbers();
}

} // namespace switchboard
