#pragma once

// A chart of some of the hub's time series (SPEC §13) that opens with their history: it asks
// the hub for the last 15 minutes, hour or day (the range selector) and then appends the
// samples each snapshot brings. The time axis reads in clock time, hovering a line shows its
// value at that moment, Pause holds the picture still (the history is fetched afresh on
// resume), and the chart saves itself as a PNG. The console keeps no history of its own.

#include "monitor/HubSnapshot.h"

#include <QColor>
#include <QList>
#include <QString>
#include <QWidget>

class QChart;
class QChartView;
class QComboBox;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QToolButton;
class QValueAxis;

namespace switchboard {

class HubHost;
struct JsonResult;

class HistoryChart : public QWidget {
    Q_OBJECT

public:
    HistoryChart(HubHost& host, const QString& title, QWidget* parent = nullptr);

    // A line for series `name` (as GET /api/v1/series names it), values multiplied by `scale`.
    int addSeries(const QString& name, const QString& label, const QColor& color,
                  double scale = 1.0);
    void setValueRange(double minimum, double maximum);
    void setValueFormat(const QString& format);

    QString range() const; // "15m", "1h", "24h"
    void setRange(const QString& range);
    bool isPaused() const { return m_paused; }
    void setPaused(bool paused);

    int pointCount(int line) const;
    double lastValue(int line) const;
    QChartView* view() const { return m_view; }
    bool savePng(const QString& path) const;

public slots:
    // Asks the hub for the history of the current range.
    void reload();
    void applySnapshot(const switchboard::HubSnapshot& snapshot);

signals:
    void reloaded();

private:
    void applyHistory(const JsonResult& result, quint64 generation);
    void fitAxes(qint64 nowMs);
    void saveWithDialog();

    struct Line {
        QString name;
        QString label;
        QLineSeries* series = nullptr;
        double scale = 1.0;
    };

    HubHost& m_host;
    QChart* m_chart = nullptr;
    QChartView* m_view = nullptr;
    QDateTimeAxis* m_timeAxis = nullptr;
    QValueAxis* m_valueAxis = nullptr;
    QComboBox* m_rangeBox = nullptr;
    QToolButton* m_pause = nullptr;
    QLabel* m_hover = nullptr;
    QList<Line> m_lines;
    bool m_fixedRange = false;
    bool m_paused = false;
    bool m_loaded = false;
    quint64 m_generation = 0;
    qint64 m_lastAppendMs = 0;
};

} // namespace switchboard
