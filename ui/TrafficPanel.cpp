#include "TrafficPanel.h"

#include "HistoryChart.h"

#include <QScrollArea>
#include <QVBoxLayout>

namespace switchboard {

TrafficPanel::TrafficPanel(HubHost& host, QWidget* parent)
    : QWidget(parent)
    , m_connections(new HistoryChart(host, tr("Connections"), this))
    , m_messages(new HistoryChart(host, tr("Messages per second"), this))
    , m_jobs(new HistoryChart(host, tr("Jobs"), this))
{
    setObjectName(QStringLiteral("trafficPanel"));
    setWindowTitle(tr("Traffic"));
    m_connections->setObjectName(QStringLiteral("connectionsChart"));
    m_messages->setObjectName(QStringLiteral("messagesChart"));
    m_jobs->setObjectName(QStringLiteral("jobsChart"));
    m_connections->addSeries(QStringLiteral("connections"), tr("Open connections"),
                             QColor(0x19, 0x76, 0xd2));
    m_messages->addSeries(QStringLiteral("messages_out"), tr("Out"), QColor(0x00, 0x89, 0x7b));
    m_messages->addSeries(QStringLiteral("messages_in"), tr("In"), QColor(0x8e, 0x24, 0xaa));
    m_jobs->addSeries(QStringLiteral("jobs_running"), tr("Running"), QColor(0xef, 0x6c, 0x00));
    m_jobs->addSeries(QStringLiteral("jobs_queued"), tr("Queued"), QColor(0x9e, 0x9e, 0x9e));
    m_jobs->addSeries(QStringLiteral("job_failures"), tr("Failures/s"), QColor(0xc6, 0x28, 0x28));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_connections, 1);
    layout->addWidget(m_messages, 1);
    layout->addWidget(m_jobs, 1);
}

} // namespace switchboard
