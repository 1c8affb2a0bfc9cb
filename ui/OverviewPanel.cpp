#include "OverviewPanel.h"

#include "DisplayFormat.h"
#include "HubHost.h"
#include "Sparkline.h"

#include <QFormLayout>
#include <QFrame>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QTableWidget>
#include <QVBoxLayout>

namespace switchboard {

namespace {

QString authModeText(const QString& mode)
{
    if (mode == QLatin1String("required"))
        return OverviewPanel::tr("Required");
    if (mode == QLatin1String("optional"))
        return OverviewPanel::tr("Optional");
    if (mode == QLatin1String("off"))
        return OverviewPanel::tr("Off (no tokens checked)");
    return mode.isEmpty() ? DisplayFormat::placeholder() : mode;
}

} // namespace

OverviewPanel::OverviewPanel(HubHost& host, QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("overviewPanel"));
    setWindowTitle(tr("Overview"));

    auto* content = new QWidget;
    auto* sections = new QVBoxLayout(content);
    sections->setContentsMargins(12, 8, 12, 12);
    sections->setSpacing(4);

    QFormLayout* hub = addSection(sections, tr("Hub"));
    m_address = addValue(hub, tr("Listening on"), QStringLiteral("listenAddressValue"));
    m_tls = addValue(hub, tr("TLS"), QStringLiteral("tlsValue"));
    m_auth = addValue(hub, tr("Authentication"), QStringLiteral("authModeValue"));
    m_uptime = addValue(hub, tr("Uptime"), QStringLiteral("uptimeValue"));

    QFormLayout* connections = addSection(sections, tr("Connections"));
    m_activeConnections =
        addValue(connections, tr("Active"), QStringLiteral("activeConnectionsValue"));
    QFont emphasised = m_activeConnections->font();
    emphasised.setBold(true);
    m_activeConnections->setFont(emphasised);
    m_acceptedConnections = addValue(connections, tr("Accepted since start"),
                                     QStringLiteral("acceptedConnectionsValue"));
    m_rejectedConnections =
        addValue(connections, tr("Refused"), QStringLiteral("rejectedConnectionsValue"));
    m_droppedConnections = addValue(connections, tr("Dropped (slow readers)"),
                                    QStringLiteral("droppedConnectionsValue"));

    QFormLayout* traffic = addSection(sections, tr("Traffic"));
    m_messagesIn = addValue(traffic, tr("Messages in"), QStringLiteral("messagesInValue"));
    m_messagesOut = addValue(traffic, tr("Messages out"), QStringLiteral("messagesOutValue"));
    m_bytesIn = addValue(traffic, tr("Bytes in"), QStringLiteral("bytesInValue"));
    m_bytesOut = addValue(traffic, tr("Bytes out"), QStringLiteral("bytesOutValue"));
    m_published = addValue(traffic, tr("Events published"), QStringLiteral("publishedValue"));
    m_topics = addValue(traffic, tr("Topics"), QStringLiteral("topicsValue"));

    QFormLayout* rates = addSection(sections, tr("Message rate, last minute"));
    m_rateInChart = addRate(rates, tr("In"), QStringLiteral("rateIn"), &m_rateIn);
    m_rateOutChart = addRate(rates, tr("Out"), QStringLiteral("rateOut"), &m_rateOut);

    QFormLayout* cluster = addSection(sections, tr("Cluster"));
    m_clusterState = addValue(cluster, tr("Nodes"), QStringLiteral("clusterStateValue"));
    m_clusterState->setText(tr("This hub on its own (no Redis)"));
    m_redisState = addValue(cluster, tr("Redis"), QStringLiteral("redisStateValue"));
    m_redisState->setWordWrap(true);
    m_nodes = new QTableWidget(0, 6);
    m_nodes->setObjectName(QStringLiteral("clusterNodes"));
    m_nodes->setHorizontalHeaderLabels(
        {tr("Node"), tr("Connections"), tr("In/s"), tr("Out/s"), tr("Up for"), tr("Last seen")});
    m_nodes->verticalHeader()->hide();
    m_nodes->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_nodes->setSelectionMode(QAbstractItemView::NoSelection);
    m_nodes->setFocusPolicy(Qt::NoFocus);
    m_nodes->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_nodes->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_nodes->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_nodes->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_nodes->hide();
    cluster->addRow(m_nodes);

    sections->addStretch(1);

    auto* scroll = new QScrollArea(this);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(content);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);

    // Uptime is derived from the start time, so it can tick locally between snapshots.
    m_uptimeTimer.setInterval(std::chrono::seconds(1));
    connect(&m_uptimeTimer, &QTimer::timeout, this, &OverviewPanel::updateUptime);

    connect(&host, &HubHost::snapshotReady, this, &OverviewPanel::applySnapshot);
}

QFormLayout* OverviewPanel::addSection(QVBoxLayout* layout, const QString& title)
{
    auto* heading = new QLabel(title);
    QFont font = heading->font();
    font.setBold(true);
    heading->setFont(font);
    heading->setContentsMargins(0, layout->count() == 0 ? 0 : 10, 0, 2);
    layout->addWidget(heading);

    auto* rule = new QFrame;
    rule->setFrameShape(QFrame::HLine);
    rule->setFrameShadow(QFrame::Sunken);
    layout->addWidget(rule);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    form->setHorizontalSpacing(16);
    form->setVerticalSpacing(4);
    layout->addLayout(form);
    return form;
}

QLabel* OverviewPanel::addValue(QFormLayout* form, const QString& label, const QString& objectName)
{
    auto* value = new QLabel(DisplayFormat::placeholder());
    value->setObjectName(objectName);
    value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    value->setTextFormat(Qt::PlainText);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(label, value);
    return value;
}

Sparkline* OverviewPanel::addRate(QFormLayout* form, const QString& label,
                                  const QString& objectName, QLabel** value)
{
    *value = addValue(form, label, objectName + QStringLiteral("Value"));
    auto* chart = new Sparkline;
    chart->setObjectName(objectName + QStringLiteral("Chart"));
    chart->setToolTip(tr("Messages per second over the last minute"));
    form->addRow(chart);
    return chart;
}

void OverviewPanel::applySnapshot(const HubSnapshot& snapshot)
{
    m_address->setText(snapshot.listenAddress.isEmpty() ? DisplayFormat::placeholder()
                                                        : snapshot.listenAddress);
    m_tls->setText(snapshot.tls ? tr("On (wss://, https://)") : tr("Off (ws://, http://)"));
    m_auth->setText(authModeText(snapshot.authMode));

    if (m_startedAt != snapshot.startedAt) {
        m_startedAt = snapshot.startedAt;
        m_uptime->setToolTip(tr("Started %1").arg(DisplayFormat::timestamp(m_startedAt)));
    }
    updateUptime();
    if (m_startedAt.isValid() && !m_uptimeTimer.isActive())
        m_uptimeTimer.start();

    const HubCounters& counters = snapshot.counters;
    m_activeConnections->setText(
        DisplayFormat::count(static_cast<quint64>(std::max(snapshot.activeConnections, 0))));
    m_acceptedConnections->setText(DisplayFormat::count(counters.connectionsTotal));
    m_rejectedConnections->setText(DisplayFormat::count(counters.rejectedConnections));
    m_droppedConnections->setText(DisplayFormat::count(counters.droppedSlowConsumers));

    m_messagesIn->setText(DisplayFormat::count(counters.messagesIn));
    m_messagesOut->setText(DisplayFormat::count(counters.messagesOut));
    m_bytesIn->setText(DisplayFormat::bytes(counters.bytesIn));
    m_bytesIn->setToolTip(DisplayFormat::exactBytes(counters.bytesIn));
    m_bytesOut->setText(DisplayFormat::bytes(counters.bytesOut));
    m_bytesOut->setToolTip(DisplayFormat::exactBytes(counters.bytesOut));
    m_published->setText(DisplayFormat::count(counters.published));
    m_topics->setText(DisplayFormat::count(static_cast<quint64>(std::max(snapshot.topics, 0))));

    m_rateIn->setText(DisplayFormat::rate(snapshot.messagesInPerSecond));
    m_rateOut->setText(DisplayFormat::rate(snapshot.messagesOutPerSecond));
    const Sparkline::Clock::time_point now = Sparkline::Clock::now();
    m_rateInChart->addSample(snapshot.messagesInPerSecond, now);
    m_rateOutChart->addSample(snapshot.messagesOutPerSecond, now);
    applyCluster(snapshot.cluster);
}

void OverviewPanel::applyCluster(const std::optional<ClusterInfo>& cluster)
{
    if (!cluster) {
        m_clusterState->setText(tr("This hub on its own (no Redis)"));
        m_redisState->setText(DisplayFormat::placeholder());
        m_redisState->setStyleSheet(QString());
        m_nodes->hide();
        return;
    }
    int connections = 0;
    for (const ClusterNodeInfo& node : cluster->nodes)
        connections += node.connections;
    m_clusterState->setText(tr("%1; connections in all: %2")
                                .arg(tr("%n node(s)", nullptr, int(cluster->nodes.size())),
                                     DisplayFormat::count(quint64(std::max(connections, 0)))));
    m_clusterState->setToolTip(tr("This node: %1").arg(cluster->nodeName));

    QStringList shards;
    for (const RedisShardInfo& shard : cluster->shards) {
        shards.append(shard.up ? tr("%1: connected").arg(shard.url)
                               : tr("%1: unreachable (%2); this node serves its own clients "
                                    "alone meanwhile")
                                     .arg(shard.url, shard.problem));
    }
    m_redisState->setText(shards.join(u'\n'));
    m_redisState->setStyleSheet(cluster->degraded() ? QStringLiteral("color: #c62828;")
                                                    : QString());

    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_nodes->setRowCount(int(cluster->nodes.size()));
    for (int row = 0; row < cluster->nodes.size(); ++row) {
        const ClusterNodeInfo& node = cluster->nodes[row];
        const auto set = [this, row](int column, const QString& text, const QString& tip = {}) {
            QTableWidgetItem* item = m_nodes->item(row, column);
            if (!item) {
                item = new QTableWidgetItem;
                item->setTextAlignment(column == 0 ? Qt::AlignLeft | Qt::AlignVCenter
                                                   : Qt::AlignRight | Qt::AlignVCenter);
                m_nodes->setItem(row, column, item);
            }
            item->setText(text);
            item->setToolTip(tip);
        };
        set(0, node.self ? tr("%1 (this node)").arg(node.name) : node.name, node.address);
        set(1, DisplayFormat::count(quint64(std::max(node.connections, 0))));
        set(2, DisplayFormat::rate(node.messagesInPerSecond));
        set(3, DisplayFormat::rate(node.messagesOutPerSecond));
        set(4,
            node.startedAt.isValid() ? DisplayFormat::duration(node.startedAt.secsTo(now))
                                     : DisplayFormat::placeholder(),
            DisplayFormat::timestamp(node.startedAt));
        set(5, node.self ? tr("now") : DisplayFormat::relativeTime(node.lastSeen, now),
            DisplayFormat::timestamp(node.lastSeen));
    }
    m_nodes->show();
}

void OverviewPanel::updateUptime()
{
    if (!m_startedAt.isValid()) {
        m_uptime->setText(DisplayFormat::placeholder());
        return;
    }
    m_uptime->setText(DisplayFormat::duration(m_startedAt.secsTo(QDateTime::currentDateTimeUtc())));
}

} // namespace switchboard
