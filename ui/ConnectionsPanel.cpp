#include "ConnectionsPanel.h"

#include "ConnectionDetail.h"
#include "ConnectionsFilterModel.h"
#include "ConnectionsModel.h"
#include "DisplayFormat.h"
#include "HubHost.h"
#include "TableExport.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace switchboard {

ConnectionsPanel::ConnectionsPanel(HubHost& host, QWidget* parent)
    : QWidget(parent)
    , m_host(host)
    , m_model(new ConnectionsModel(this))
    , m_proxy(new ConnectionsFilterModel(m_model, this))
    , m_view(new QTableView(this))
    , m_filter(new QLineEdit(this))
    , m_summary(new QLabel(this))
    , m_disconnectAction(
          new QAction(QIcon(QStringLiteral(":/icons/disconnect.svg")), tr("&Disconnect"), this))
{
    setObjectName(QStringLiteral("connectionsPanel"));
    setWindowTitle(tr("Connections"));

    m_filter->setObjectName(QStringLiteral("connectionsFilter"));
    m_filter->setPlaceholderText(tr("Filter by user, tenant, address, topic…"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_proxy->setFilterText(text);
        updateSummary();
    });

    m_summary->setObjectName(QStringLiteral("connectionsSummary"));
    m_summary->setTextFormat(Qt::PlainText);

    m_disconnectAction->setObjectName(QStringLiteral("disconnectAction"));
    m_disconnectAction->setToolTip(tr("Close the selected connections (close code 1008)"));
    m_disconnectAction->setShortcut(QKeySequence::Delete);
    // Only while the table has focus: Delete in the filter box edits the filter.
    m_disconnectAction->setShortcutContext(Qt::WidgetShortcut);
    connect(m_disconnectAction, &QAction::triggered, this, &ConnectionsPanel::disconnectSelected);

    auto* disconnectButton = new QToolButton(this);
    disconnectButton->setObjectName(QStringLiteral("disconnectButton"));
    disconnectButton->setDefaultAction(m_disconnectAction);
    disconnectButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    m_view->setObjectName(QStringLiteral("connectionsView"));
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addAction(m_disconnectAction);
    m_view->verticalHeader()->hide();
    // Fixed row heights: with 20,000 rows, sizing to contents would measure every row on
    // each update.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    QHeaderView* header = m_view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    header->setHighlightSections(false);
    sizeColumns();
    // No initial sort: rows stay in the order clients connected until the user picks one.
    header->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->setSortingEnabled(true);

    auto* slowest = new QToolButton(this);
    slowest->setObjectName(QStringLiteral("slowestFirstButton"));
    slowest->setText(tr("Slowest first"));
    slowest->setToolTip(tr("Sort by outbound queue: the consumers furthest behind at the top"));
    connect(slowest, &QToolButton::clicked, this, &ConnectionsPanel::sortBySlowest);

    auto* toolbar = new QHBoxLayout;
    toolbar->addWidget(m_filter, 1);
    toolbar->addWidget(m_summary);
    toolbar->addSpacing(8);
    toolbar->addWidget(slowest);
    toolbar->addWidget(disconnectButton);
    addExportButton(toolbar, m_view, QStringLiteral("connections.csv"));

    m_detail = new ConnectionDetail(m_host, this);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(toolbar);
    layout->addWidget(splitter, 1);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ConnectionsPanel::updateActions);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                const int row =
                    current.isValid()
                        ? m_model->rowOf(current.data(ConnectionsModel::IdRole).toString())
                        : -1;
                if (row >= 0)
                    m_detail->showConnection(m_model->connection(row));
            });

    // "Since" is relative ("3 min ago"): repaint the visible rows every second; the model
    // itself does not change.
    m_relativeTimeRefresh.setInterval(std::chrono::seconds(1));
    connect(&m_relativeTimeRefresh, &QTimer::timeout, m_view->viewport(),
            qOverload<>(&QWidget::update));

    connect(&m_host, &HubHost::snapshotReady, this, &ConnectionsPanel::applySnapshot);

    updateActions();
    updateSummary();
}

// Wide enough for a typical value and the header, in whatever font and language; measured
// once from samples because sizing to contents would measure every row.
void ConnectionsPanel::sizeColumns()
{
    const QFontMetrics metrics = m_view->fontMetrics();
    const QString wideCount = DisplayFormat::count(999'999);
    const QString wideBytes = DisplayFormat::bytes(999 * 1024 * 1024 + 900 * 1024);
    const QList<std::pair<int, QString>> samples = {
        {ConnectionsModel::IdColumn, QStringLiteral("8a6z3q-1k2f")},
        {ConnectionsModel::UserColumn, m_model->anonymousName()},
        {ConnectionsModel::RoleColumn, QStringLiteral("anonymous")},
        {ConnectionsModel::TenantColumn, QStringLiteral("globex")},
        {ConnectionsModel::RemoteAddressColumn, QStringLiteral("10.20.30.40:54321")},
        {ConnectionsModel::EndpointColumn, QStringLiteral("/ws/projects/42")},
        {ConnectionsModel::SinceColumn,
         DisplayFormat::relativeTime(QDateTime::currentDateTimeUtc().addSecs(-3000),
                                     QDateTime::currentDateTimeUtc())},
        {ConnectionsModel::MessagesInColumn, wideCount},
        {ConnectionsModel::MessagesOutColumn, wideCount},
        {ConnectionsModel::BytesInColumn, wideBytes},
        {ConnectionsModel::BytesOutColumn, wideBytes},
        {ConnectionsModel::QueueColumn, wideBytes + QStringLiteral(" (100 %)")},
    };
    const int padding = 2 * m_view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin) + 8;
    for (const auto& [column, sample] : samples) {
        const QString title = m_model->headerData(column, Qt::Horizontal).toString();
        // The header also needs a little room for the sort arrow.
        m_view->horizontalHeader()->resizeSection(
            column,
            std::max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(title) + 8) +
                padding);
    }
}

void ConnectionsPanel::sortBySlowest()
{
    m_view->sortByColumn(ConnectionsModel::QueueColumn, Qt::DescendingOrder);
}

void ConnectionsPanel::applySnapshot(const HubSnapshot& snapshot)
{
    m_model->applySnapshot(snapshot);
    m_detail->applySnapshot(snapshot);
    // Once per snapshot, when model and proxy agree again (the proxy signals removals
    // before the model has made them).
    updateSummary();
}

QStringList ConnectionsPanel::selectedConnectionIds() const
{
    QStringList ids;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    ids.reserve(rows.size());
    for (const QModelIndex& row : rows)
        ids.append(row.data(ConnectionsModel::IdRole).toString());
    return ids;
}

void ConnectionsPanel::disconnectSelected()
{
    const QStringList ids = selectedConnectionIds();
    for (const QString& id : ids)
        m_host.disconnectClient(id);
}

void ConnectionsPanel::updateActions()
{
    m_disconnectAction->setEnabled(m_view->selectionModel()->hasSelection());
}

void ConnectionsPanel::updateSummary()
{
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    if (shown == total)
        m_summary->setText(tr("%Ln connection(s)", nullptr, total));
    else
        m_summary->setText(tr("%1 of %2 shown")
                               .arg(DisplayFormat::count(static_cast<quint64>(shown)),
                                    DisplayFormat::count(static_cast<quint64>(total))));
    updateActions();
}

void ConnectionsPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    m_relativeTimeRefresh.start();
}

void ConnectionsPanel::hideEvent(QHideEvent* event)
{
    m_relativeTimeRefresh.stop();
    QWidget::hideEvent(event);
}

} // namespace switchboard
