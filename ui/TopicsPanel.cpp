#include "TopicsPanel.h"

#include "DisplayFormat.h"
#include "HubHost.h"
#include "TableExport.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPointer>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace switchboard {

namespace {

constexpr int eventsShown = 50;
constexpr int SortRole = Qt::UserRole + 1;

QStandardItem* item(const QString& text, const QVariant& sortValue, bool number)
{
    auto* cell = new QStandardItem(text);
    cell->setData(sortValue, SortRole);
    cell->setEditable(false);
    if (number)
        cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return cell;
}

} // namespace

TopicsPanel::TopicsPanel(HubHost& host, QWidget* parent)
    : QWidget(parent)
    , m_host(host)
    , m_model(new QStandardItemModel(0, ColumnCount, this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_filter(new QLineEdit(this))
    , m_title(new QLabel(this))
    , m_events(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("topicsPanel"));
    setWindowTitle(tr("Topics"));
    m_model->setHorizontalHeaderLabels({tr("Topic"), tr("Subscribers"), tr("By dialect"), tr("Seq"),
                                        tr("Events/s in"), tr("Deliveries/s out"), tr("History"),
                                        tr("History age"), tr("Last event")});
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SortRole);
    m_proxy->setFilterKeyColumn(NameColumn);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_view->setObjectName(QStringLiteral("topicsView"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(NameColumn, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_filter->setObjectName(QStringLiteral("topicsFilter"));
    m_filter->setPlaceholderText(tr("Filter topics…"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    m_title->setObjectName(QStringLiteral("topicEventsTitle"));
    m_title->setText(tr("Select a topic to see its last events."));
    m_events->setObjectName(QStringLiteral("topicEvents"));
    m_events->setReadOnly(true);
    m_events->setLineWrapMode(QPlainTextEdit::NoWrap);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_events->setFont(mono);

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    addExportButton(bar, m_view, QStringLiteral("topics.csv"));
    auto* top = new QWidget(this);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(bar);
    topLayout->addWidget(m_view, 1);
    auto* bottom = new QWidget(this);
    auto* bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(m_title);
    bottomLayout->addWidget(m_events, 1);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(bottom);
    splitter->setSizes({300, 220});
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    selectTopic(current.siblingAtColumn(NameColumn).data().toString());
            });
    host.watchTopicList();
    connect(&host, &HubHost::snapshotReady, this, &TopicsPanel::applySnapshot);
}

TopicsPanel::~TopicsPanel()
{
    m_host.unwatchTopicList();
}

int TopicsPanel::topicCount() const
{
    return m_model->rowCount();
}

QString TopicsPanel::eventsText() const
{
    return m_events->toPlainText();
}

void TopicsPanel::applySnapshot(const HubSnapshot& snapshot)
{
    if (snapshot.topicListIncluded)
        applyList(snapshot.topicList);
}

void TopicsPanel::applyList(const QJsonArray& topics)
{
    const QLocale locale;
    // Rows are updated in place (by name) so the selection and sort stay put.
    QHash<QString, int> rows;
    for (int row = 0; row < m_model->rowCount(); ++row)
        rows.insert(m_model->item(row, NameColumn)->text(), row);
    for (const QJsonValue& value : topics) {
        const QJsonObject topic = value.toObject();
        const QString name = topic.value(QLatin1String("name")).toString();
        QStringList dialects;
        const QJsonObject perDialect =
            topic.value(QLatin1String("subscribers_by_dialect")).toObject();
        for (auto it = perDialect.begin(); it != perDialect.end(); ++it)
            dialects.append(QStringLiteral("%1 %2").arg(it.key()).arg(it.value().toInt()));
        const double seq = topic.value(QLatin1String("seq")).toDouble();
        const double events = topic.value(QLatin1String("events_per_second")).toDouble();
        const double deliveries = topic.value(QLatin1String("deliveries_per_second")).toDouble();
        const int depth = topic.value(QLatin1String("history_depth")).toInt();
        const double age = topic.value(QLatin1String("history_age_seconds")).toDouble();
        const QDateTime last = QDateTime::fromString(
            topic.value(QLatin1String("last_event_at")).toString(), Qt::ISODateWithMs);
        const QList<QStandardItem*> cells{
            item(name, name, false),
            item(locale.toString(topic.value(QLatin1String("subscribers")).toInt()),
                 topic.value(QLatin1String("subscribers")).toInt(), true),
            item(dialects.join(QStringLiteral(", ")), dialects.join(u','), false),
            item(locale.toString(qulonglong(seq)), seq, true),
            item(locale.toString(events, 'f', 1), events, true),
            item(locale.toString(deliveries, 'f', 1), deliveries, true),
            item(locale.toString(depth), depth, true),
            item(DisplayFormat::duration(qint64(age)), age, true),
            item(last.isValid()
                     ? locale.toString(last.toLocalTime().time(), QStringLiteral("HH:mm:ss"))
                     : DisplayFormat::placeholder(),
                 last.isValid() ? last.toMSecsSinceEpoch() : 0, false)};
        const auto existing = rows.constFind(name);
        if (existing == rows.cend()) {
            m_model->appendRow(cells);
        } else {
            for (int column = 0; column < ColumnCount; ++column)
                m_model->setItem(*existing, column, cells[column]);
        }
        if (name == m_selected && seq != m_selectedSeq) {
            showSelectedRow();
            m_selectedSeq = seq;
            loadEvents();
        }
    }
}

void TopicsPanel::showSelectedRow()
{
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex index = m_proxy->index(row, NameColumn);
        if (index.data().toString() == m_selected) {
            if (m_view->currentIndex().row() != row)
                m_view->setCurrentIndex(index);
            return;
        }
    }
}

void TopicsPanel::selectTopic(const QString& topic)
{
    if (topic == m_selected)
        return;
    m_selected = topic;
    showSelectedRow();
    m_selectedSeq = -1;
    m_title->setText(tr("Last events of %1 (newest at the bottom)").arg(topic));
    loadEvents();
}

void TopicsPanel::loadEvents()
{
    if (m_selected.isEmpty())
        return;
    QPointer<TopicsPanel> self(this);
    const QString topic = m_selected;
    m_host.topicEvents(topic, eventsShown, [self, topic](const JsonResult& result) {
        if (!self || topic != self->m_selected)
            return;
        if (!result.ok) {
            self->m_events->setPlainText(result.error);
            return;
        }
        QStringList blocks;
        for (const QJsonValue& event : result.value.toArray()) {
            const QJsonObject e = event.toObject();
            blocks.append(
                QStringLiteral("#%1  %2  %3\n%4")
                    .arg(e.value(QLatin1String("seq")).toInteger())
                    .arg(e.value(QLatin1String("ts")).toString(),
                         e.value(QLatin1String("event")).toString(),
                         QString::fromUtf8(QJsonDocument(e.value(QLatin1String("data")).toObject())
                                               .toJson(QJsonDocument::Indented))
                             .trimmed()));
        }
        self->m_events->setPlainText(blocks.join(QStringLiteral("\n\n")));
        self->m_events->moveCursor(QTextCursor::End);
    });
}

} // namespace switchboard
