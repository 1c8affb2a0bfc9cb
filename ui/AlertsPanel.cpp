#include "AlertsPanel.h"

#include "HubHost.h"
#include "TableExport.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace switchboard {

namespace {

constexpr int AlertIdRole = Qt::UserRole + 1;

QString timeText(const QJsonValue& iso)
{
    const QDateTime at = QDateTime::fromString(iso.toString(), Qt::ISODateWithMs);
    return at.isValid() ? QLocale().toString(at.toLocalTime(), QLocale::ShortFormat) : QString();
}

} // namespace

AlertsPanel::AlertsPanel(HubHost& host, QWidget* parent)
    : QWidget(parent)
    , m_host(host)
    , m_alerts(new QStandardItemModel(0, 6, this))
    , m_alertsView(new QTableView(this))
    , m_rules(new QTableWidget(0, RuleColumnCount, this))
    , m_summary(new QLabel(this))
    , m_ruleError(new QLabel(this))
    , m_ack(new QPushButton(tr("&Acknowledge"), this))
{
    setObjectName(QStringLiteral("alertsPanel"));
    setWindowTitle(tr("Alerts"));
    m_alerts->setHorizontalHeaderLabels(
        {tr("Fired"), tr("State"), tr("Severity"), tr("Rule"), tr("Message"), tr("Acknowledged")});
    m_alertsView->setObjectName(QStringLiteral("alertsView"));
    m_alertsView->setModel(m_alerts);
    m_alertsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_alertsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_alertsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_alertsView->setAlternatingRowColors(true);
    m_alertsView->verticalHeader()->hide();
    m_alertsView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_alertsView->horizontalHeader()->setStretchLastSection(true);
    m_summary->setObjectName(QStringLiteral("alertsSummary"));
    m_ack->setObjectName(QStringLiteral("acknowledgeButton"));
    m_ack->setEnabled(false);
    connect(m_ack, &QPushButton::clicked, this, &AlertsPanel::acknowledgeSelected);
    connect(m_alertsView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_ack->setEnabled(m_alertsView->selectionModel()->hasSelection()); });

    m_rules->setObjectName(QStringLiteral("rulesTable"));
    m_rules->setHorizontalHeaderLabels({tr("Id"), tr("Series"), tr("Op"), tr("Threshold"),
                                        tr("For (s)"), tr("Severity"), tr("Webhook"),
                                        tr("Summary")});
    m_rules->verticalHeader()->hide();
    m_rules->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_rules->horizontalHeader()->setStretchLastSection(true);
    m_rules->setToolTip(tr("Series: connections, messages_in, messages_out, slow_consumer_drops, "
                           "job_failures, cpu, memory, disk, equity, … Op: > >= < <= == !=. "
                           "Severity: info, warning, critical."));
    connect(m_rules, &QTableWidget::itemChanged, this, [this] {
        if (!m_filling)
            m_rulesEdited = true;
    });
    m_ruleError->setObjectName(QStringLiteral("ruleError"));
    m_ruleError->setWordWrap(true);
    m_ruleError->setStyleSheet(QStringLiteral("color: #c62828;"));

    auto* add = new QPushButton(tr("A&dd rule"), this);
    add->setObjectName(QStringLiteral("addRuleButton"));
    connect(add, &QPushButton::clicked, this, [this] { addRule(); });
    auto* remove = new QPushButton(tr("&Remove rule"), this);
    remove->setObjectName(QStringLiteral("removeRuleButton"));
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_rules->currentRow() >= 0) {
            m_rules->removeRow(m_rules->currentRow());
            m_rulesEdited = true;
        }
    });
    auto* save = new QPushButton(tr("&Save rules"), this);
    save->setObjectName(QStringLiteral("saveRulesButton"));
    connect(save, &QPushButton::clicked, this, &AlertsPanel::saveRules);
    auto* revert = new QPushButton(tr("Re&vert"), this);
    connect(revert, &QPushButton::clicked, this, [this] {
        m_rulesEdited = false;
        refresh();
    });

    auto* alertsBar = new QHBoxLayout;
    alertsBar->addWidget(m_summary, 1);
    alertsBar->addWidget(m_ack);
    addExportButton(alertsBar, m_alertsView, QStringLiteral("alerts.csv"));
    auto* top = new QWidget(this);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(alertsBar);
    topLayout->addWidget(m_alertsView, 1);

    auto* rulesBar = new QHBoxLayout;
    auto* rulesTitle = new QLabel(tr("Rules"), this);
    QFont bold = rulesTitle->font();
    bold.setBold(true);
    rulesTitle->setFont(bold);
    rulesBar->addWidget(rulesTitle, 1);
    rulesBar->addWidget(add);
    rulesBar->addWidget(remove);
    rulesBar->addWidget(revert);
    rulesBar->addWidget(save);
    auto* bottom = new QWidget(this);
    auto* bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addLayout(rulesBar);
    bottomLayout->addWidget(m_rules, 1);
    bottomLayout->addWidget(m_ruleError);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(bottom);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(&host, &HubHost::snapshotReady, this, &AlertsPanel::applySnapshot);
    connect(&host, &HubHost::started, this, &AlertsPanel::refresh);
}

int AlertsPanel::alertCount() const
{
    return m_alerts->rowCount();
}

int AlertsPanel::ruleCount() const
{
    return m_rules->rowCount();
}

QString AlertsPanel::ruleError() const
{
    return m_ruleError->text();
}

void AlertsPanel::applySnapshot(const HubSnapshot& snapshot)
{
    if (snapshot.alertsVersion == 0 || snapshot.alertsVersion == m_seenVersion)
        return;
    m_seenVersion = snapshot.alertsVersion;
    refresh();
}

void AlertsPanel::refresh()
{
    QPointer<AlertsPanel> self(this);
    m_host.alerts([self](const JsonResult& result) {
        if (self && result.ok)
            self->showAlerts(result.value.toObject());
    });
    if (m_rulesEdited)
        return; // the operator's edits are not overwritten
    m_host.alertRules([self](const JsonResult& result) {
        if (self && result.ok && !self->m_rulesEdited)
            self->showRules(result.value.toArray());
    });
}

void AlertsPanel::showAlerts(const QJsonObject& alerts)
{
    const QJsonArray recent = alerts.value(QLatin1String("recent")).toArray();
    m_firing = int(alerts.value(QLatin1String("firing")).toArray().size());
    m_alerts->removeRows(0, m_alerts->rowCount());
    for (const QJsonValue& value : recent) {
        const QJsonObject alert = value.toObject();
        const bool firing =
            alert.value(QLatin1String("state")).toString() == QLatin1String("firing");
        const QString severity = alert.value(QLatin1String("severity")).toString();
        QList<QStandardItem*> row{
            new QStandardItem(timeText(alert.value(QLatin1String("fired_at")))),
            new QStandardItem(firing ? tr("firing") : tr("resolved")),
            new QStandardItem(severity),
            new QStandardItem(alert.value(QLatin1String("rule_id")).toString()),
            new QStandardItem(alert.value(QLatin1String("message")).toString()),
            new QStandardItem(alert.value(QLatin1String("acknowledged")).toBool()
                                  ? alert.value(QLatin1String("acknowledged_by")).toString()
                                  : QString())};
        row.first()->setData(alert.value(QLatin1String("id")).toString(), AlertIdRole);
        if (firing) {
            const QColor colour = severity == QLatin1String("critical") ? QColor(0xc6, 0x28, 0x28)
                                                                        : QColor(0xef, 0x6c, 0x00);
            row[1]->setForeground(colour);
            QFont bold = row[1]->font();
            bold.setBold(true);
            row[1]->setFont(bold);
        }
        m_alerts->appendRow(row);
    }
    m_summary->setText(tr("%n alert(s) firing", nullptr, m_firing) + QStringLiteral(" · ") +
                       tr("%n in the history", nullptr, int(recent.size())));
}

void AlertsPanel::showRules(const QJsonArray& rules)
{
    m_filling = true;
    m_rules->setRowCount(0);
    for (const QJsonValue& rule : rules)
        addRule(rule.toObject());
    m_filling = false;
    m_rulesEdited = false;
}

void AlertsPanel::addRule(const QJsonObject& rule)
{
    const bool filling = m_filling;
    m_filling = true;
    const int row = m_rules->rowCount();
    m_rules->insertRow(row);
    const auto text = [&rule](const char* key, const QString& fallback) {
        const QJsonValue value = rule.value(QLatin1String(key));
        return value.isUndefined() ? fallback : value.toVariant().toString();
    };
    const QStringList cells{text("id", QStringLiteral("rule-%1").arg(row + 1)),
                            text("metric", QStringLiteral("connections")),
                            text("op", QStringLiteral(">")),
                            text("threshold", QStringLiteral("0")),
                            text("for_seconds", QStringLiteral("0")),
                            text("severity", QStringLiteral("warning")),
                            text("webhook", {}),
                            text("summary", {})};
    for (int column = 0; column < RuleColumnCount; ++column)
        m_rules->setItem(row, column, new QTableWidgetItem(cells[column]));
    if (rule.value(QLatin1String("firing")).toBool())
        m_rules->item(row, IdColumn)->setForeground(QColor(0xc6, 0x28, 0x28));
    m_filling = filling;
    if (!filling)
        m_rulesEdited = true;
}

QJsonArray AlertsPanel::rulesFromTable() const
{
    QJsonArray rules;
    for (int row = 0; row < m_rules->rowCount(); ++row) {
        const auto cell = [this, row](int column) {
            const QTableWidgetItem* item = m_rules->item(row, column);
            return item ? item->text().trimmed() : QString();
        };
        QJsonObject rule{{QStringLiteral("id"), cell(IdColumn)},
                         {QStringLiteral("metric"), cell(MetricColumn)},
                         {QStringLiteral("op"), cell(OpColumn)},
                         {QStringLiteral("severity"), cell(SeverityColumn)}};
        bool ok = false;
        const double threshold = QLocale::c().toDouble(cell(ThresholdColumn), &ok);
        rule.insert(QStringLiteral("threshold"),
                    ok ? QJsonValue(threshold) : QJsonValue(cell(ThresholdColumn)));
        const double seconds = QLocale::c().toDouble(cell(ForColumn), &ok);
        rule.insert(QStringLiteral("for_seconds"),
                    ok ? QJsonValue(seconds) : QJsonValue(cell(ForColumn)));
        if (!cell(WebhookColumn).isEmpty())
            rule.insert(QStringLiteral("webhook"), cell(WebhookColumn));
        if (!cell(SummaryColumn).isEmpty())
            rule.insert(QStringLiteral("summary"), cell(SummaryColumn));
        rules.append(rule);
    }
    return rules;
}

void AlertsPanel::saveRules()
{
    QPointer<AlertsPanel> self(this);
    m_host.setAlertRules(rulesFromTable(), [self](const JsonResult& result) {
        if (!self)
            return;
        if (!result.ok) {
            self->m_ruleError->setText(tr("Not saved: %1").arg(result.error));
            emit self->rulesSaved(false);
            return;
        }
        self->m_ruleError->clear();
        self->showRules(result.value.toArray());
        emit self->rulesSaved(true);
    });
}

void AlertsPanel::acknowledgeSelected()
{
    const QModelIndexList rows = m_alertsView->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    const QString id = rows.first().data(AlertIdRole).toString();
    QPointer<AlertsPanel> self(this);
    m_host.acknowledgeAlert(id, [self](const JsonResult&) {
        if (self)
            self->refresh();
    });
}

} // namespace switchboard
