#include "SystemPanel.h"

#include "DisplayFormat.h"
#include "HistoryChart.h"
#include "HubHost.h"
#include "TradingPanel.h"

#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace switchboard {

namespace {

const QString metricsTopic = QStringLiteral("system_metrics");

} // namespace

SystemPanel::SystemPanel(HubHost& host, QWidget* parent)
    : QWidget(parent)
    , m_host(host)
    , m_usage(new HistoryChart(host, tr("CPU and memory (%)"), this))
    , m_network(new HistoryChart(host, tr("Network (KiB/s)"), this))
    , m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("systemPanel"));
    setWindowTitle(tr("System"));
    m_usage->setObjectName(QStringLiteral("usageChart"));
    m_network->setObjectName(QStringLiteral("networkChart"));
    m_summary->setObjectName(QStringLiteral("systemSummary"));
    m_summary->setWordWrap(true);
    m_cpu = m_usage->addSeries(QStringLiteral("cpu"), tr("CPU"), QColor(0xd8, 0x43, 0x15));
    m_memory = m_usage->addSeries(QStringLiteral("memory"), tr("Memory"), QColor(0x6a, 0x1b, 0x9a));
    m_usage->addSeries(QStringLiteral("disk"), tr("Disk"), QColor(0xf9, 0xa8, 0x25));
    m_usage->setValueRange(0, 100);
    m_in = m_network->addSeries(QStringLiteral("network_in"), tr("Received"),
                                QColor(0x00, 0x89, 0x7b), 1.0 / 1024.0);
    m_out = m_network->addSeries(QStringLiteral("network_out"), tr("Sent"),
                                 QColor(0x19, 0x76, 0xd2), 1.0 / 1024.0);
    m_network->setValueFormat(QStringLiteral("%.1f"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_usage, 1);
    layout->addWidget(m_network, 1);
    m_summary->setText(tr("Waiting for the first sample…"));

    host.watchTopics({metricsTopic});
    connect(&host, &HubHost::snapshotReady, this, &SystemPanel::applySnapshot);
}

SystemPanel::~SystemPanel()
{
    m_host.unwatchTopics({metricsTopic});
}

void SystemPanel::applySnapshot(const HubSnapshot& snapshot)
{
    for (const TopicEvent& event : snapshot.events) {
        if (event.topic != metricsTopic || event.event != QLatin1String("system_metrics"))
            continue;
        const QJsonObject& sample = event.data;
        const QLocale locale;
        QStringList parts;
        if (sample.contains(QLatin1String("cpu_percent")))
            parts << tr("CPU %1 %")
                         .arg(locale.toString(numberOf(sample.value(QLatin1String("cpu_percent"))),
                                              'f', 1));
        if (sample.contains(QLatin1String("memory_used_bytes")))
            parts << tr("memory %1 of %2")
                         .arg(DisplayFormat::bytes(quint64(
                                  numberOf(sample.value(QLatin1String("memory_used_bytes"))))),
                              DisplayFormat::bytes(quint64(
                                  numberOf(sample.value(QLatin1String("memory_total_bytes"))))));
        if (sample.contains(QLatin1String("disk_percent")))
            parts << tr("data disk %1 % used")
                         .arg(locale.toString(numberOf(sample.value(QLatin1String("disk_percent"))),
                                              'f', 1));
        m_summary->setText(parts.join(QStringLiteral(" · ")));
    }
}

} // namespace switchboard
