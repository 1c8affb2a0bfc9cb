#include "LogsPanel.h"

#include "DisplayFormat.h"
#include "HubHost.h"
#include "TableExport.h"

#include <QCheckBox>
#include <QColor>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace switchboard {

namespace {

const QString logsTopic = QStringLiteral("logs");

// Rows at or above a minimum severity whose module or message contains the search text.
class LogFilter : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setMinimumSeverity(int severity)
    {
        m_minimum = severity;
        invalidateFilter();
    }
    // A field (LogModel::UserRole, ...) that must contain `text`; empty: any.
    void setFieldFilter(int role, const QString& text)
    {
        m_fields.insert(role, text.trimmed());
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override
    {
        const QModelIndex index = sourceModel()->index(row, 0, parent);
        if (index.data(LogModel::SeverityRole).toInt() < m_minimum)
            return false;
        for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
            if (!it.value().isEmpty() &&
                !index.data(it.key()).toString().contains(it.value(), Qt::CaseInsensitive))
                return false;
        }
        const QRegularExpression pattern = filterRegularExpression();
        if (pattern.pattern().isEmpty())
            return true;
        for (int column : {LogModel::ModuleColumn, LogModel::MessageColumn}) {
            if (sourceModel()->index(row, column, parent).data().toString().contains(pattern))
                return true;
        }
        return false;
    }

private:
    int m_minimum = 0;
    QHash<int, QString> m_fields;
};

} // namespace

LogModel::LogModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

int LogModel::severityOf(const QString& level)
{
    if (level == QLatin1String("WARNING"))
        return 1;
    if (level == QLatin1String("ERROR") || level == QLatin1String("CRITICAL"))
        return 2;
    return 0;
}

void LogModel::append(const QList<Line>& lines)
{
    if (lines.isEmpty())
        return;
    const int overflow = int(m_lines.size() + lines.size()) - maxLines;
    if (overflow > 0) {
        const int drop = std::min(overflow, int(m_lines.size()));
        if (drop > 0) {
            beginRemoveRows({}, 0, drop - 1);
            m_lines.remove(0, drop);
            endRemoveRows();
        }
    }
    const QList<Line> added = lines.size() > maxLines ? lines.mid(lines.size() - maxLines) : lines;
    beginInsertRows({}, int(m_lines.size()), int(m_lines.size() + added.size() - 1));
    m_lines.append(added);
    endInsertRows();
}

void LogModel::clear()
{
    beginResetModel();
    m_lines.clear();
    endResetModel();
}

int LogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_lines.size());
}

int LogModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_lines.size())
        return {};
    const Line& line = m_lines[index.row()];
    if (role == SeverityRole)
        return line.severity;
    if (role == UserRole)
        return line.user;
    if (role == ConnectionRole)
        return line.connection;
    if (role == TopicRole)
        return line.topic;
    if (role == Qt::ForegroundRole && index.column() == LevelColumn) {
        if (line.severity == 2)
            return QColor(0xc6, 0x28, 0x28);
        if (line.severity == 1)
            return QColor(0xef, 0x6c, 0x00);
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == MessageColumn)
        return line.message;
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case TimeColumn:
        return line.time.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
    case LevelColumn:
        return line.level;
    case ModuleColumn:
        return line.module;
    case MessageColumn:
        return line.message;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case TimeColumn:
        return tr("Time");
    case LevelColumn:
        return tr("Level");
    case ModuleColumn:
        return tr("Module");
    case MessageColumn:
        return tr("Message");
    case ColumnCount:
        break;
    }
    return {};
}

LogsPanel::LogsPanel(HubHost& host, QWidget* parent)
    : QWidget(parent)
    , m_host(host)
    , m_model(new LogModel(this))
    , m_proxy(new LogFilter(this))
    , m_view(new QTableView(this))
    , m_level(new QComboBox(this))
    , m_search(new QLineEdit(this))
    , m_user(new QLineEdit(this))
    , m_connection(new QLineEdit(this))
    , m_topic(new QLineEdit(this))
    , m_pause(new QCheckBox(tr("&Pause"), this))
    , m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("logsPanel"));
    setWindowTitle(tr("Logs"));
    m_view->setObjectName(QStringLiteral("logsView"));
    m_level->setObjectName(QStringLiteral("logsLevel"));
    m_search->setObjectName(QStringLiteral("logsSearch"));
    m_pause->setObjectName(QStringLiteral("logsPause"));
    m_summary->setObjectName(QStringLiteral("logsSummary"));

    m_level->addItem(tr("All levels"), 0);
    m_level->addItem(tr("Warnings and errors"), 1);
    m_level->addItem(tr("Errors only"), 2);
    m_search->setPlaceholderText(tr("Search module or message"));
    m_search->setClearButtonEnabled(true);
    const QList<std::tuple<QLineEdit*, QString, QString, int>> fieldFilters{
        {m_user, QStringLiteral("logsUser"), tr("User"), LogModel::UserRole},
        {m_connection, QStringLiteral("logsConnection"), tr("Connection"),
         LogModel::ConnectionRole},
        {m_topic, QStringLiteral("logsTopic"), tr("Topic"), LogModel::TopicRole}};
    for (const auto& [edit, name, placeholder, role] : fieldFilters) {
        edit->setObjectName(name);
        edit->setPlaceholderText(placeholder);
        edit->setClearButtonEnabled(true);
        connect(edit, &QLineEdit::textChanged, this, [this, role = role](const QString& text) {
            static_cast<LogFilter*>(m_proxy)->setFieldFilter(role, text);
            updateSummary();
        });
    }

    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_view->setModel(m_proxy);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->setColumnWidth(LogModel::TimeColumn, 95);
    m_view->setColumnWidth(LogModel::LevelColumn, 75);
    m_view->setColumnWidth(LogModel::ModuleColumn, 130);

    auto* clear = new QPushButton(tr("C&lear"), this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_level);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_pause);
    bar->addWidget(clear);
    // The hub's log fields get a row of their own: the dock is often narrow.
    auto* fields = new QHBoxLayout;
    fields->addWidget(m_user, 1);
    fields->addWidget(m_connection, 1);
    fields->addWidget(m_topic, 1);
    addExportButton(fields, m_view, QStringLiteral("logs.csv"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addLayout(fields);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_summary);

    connect(m_level, &QComboBox::currentIndexChanged, this, [this] {
        static_cast<LogFilter*>(m_proxy)->setMinimumSeverity(m_level->currentData().toInt());
        updateSummary();
    });
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_proxy->setFilterRegularExpression(QRegularExpression(
            QRegularExpression::escape(text), QRegularExpression::CaseInsensitiveOption));
        updateSummary();
    });
    connect(m_pause, &QCheckBox::toggled, this, &LogsPanel::setPaused);
    connect(clear, &QPushButton::clicked, this, [this] {
        m_model->clear();
        m_held.clear();
        updateSummary();
    });
    updateSummary();
    host.watchTopics({logsTopic});
    connect(&host, &HubHost::snapshotReady, this, &LogsPanel::applySnapshot);
}

LogsPanel::~LogsPanel()
{
    m_host.unwatchTopics({logsTopic});
}

int LogsPanel::shownLines() const
{
    return m_proxy->rowCount();
}

void LogsPanel::applySnapshot(const HubSnapshot& snapshot)
{
    QList<LogModel::Line> lines;
    for (const TopicEvent& event : snapshot.events) {
        if (event.topic != logsTopic)
            continue;
        const QString level = event.data.value(QLatin1String("level")).toString();
        QDateTime time = QDateTime::fromString(
            event.data.value(QLatin1String("timestamp")).toString(), Qt::ISODateWithMs);
        if (!time.isValid())
            time = QDateTime::fromMSecsSinceEpoch(event.timestampMs);
        lines.append({time, level, LogModel::severityOf(level),
                      event.data.value(QLatin1String("module")).toString(),
                      event.data.value(QLatin1String("message")).toString(),
                      event.data.value(QLatin1String("user")).toString(),
                      event.data.value(QLatin1String("connection")).toString(),
                      event.data.value(QLatin1String("topic")).toString()});
    }
    if (lines.isEmpty())
        return;
    if (m_pause->isChecked()) {
        m_held.append(lines);
        if (m_held.size() > LogModel::maxLines)
            m_held.remove(0, m_held.size() - LogModel::maxLines);
        updateSummary();
        return;
    }
    QScrollBar* scroll = m_view->verticalScrollBar();
    const bool atBottom = scroll->value() >= scroll->maximum() - 2;
    m_model->append(lines);
    if (atBottom)
        m_view->scrollToBottom();
    updateSummary();
}

void LogsPanel::setPaused(bool paused)
{
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused);
    if (!paused && !m_held.isEmpty()) {
        m_model->append(m_held);
        m_held.clear();
        m_view->scrollToBottom();
    }
    updateSummary();
}

void LogsPanel::updateSummary()
{
    QString text = tr("%Ln line(s) shown", nullptr, shownLines());
    if (!m_held.isEmpty())
        text += QStringLiteral(" · ") +
                tr("%Ln new line(s) held while paused", nullptr, int(m_held.size()));
    m_summary->setText(text);
}

} // namespace switchboard
