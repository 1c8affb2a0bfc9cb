#include "TradingPanel.h"

#include "HistoryChart.h"
#include "HubHost.h"
#include "TableExport.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace switchboard {

namespace {

const QString tradingTopic = QStringLiteral("trading");

enum PositionColumn {
    SymbolColumn,
    QuantityColumn,
    SpotColumn,
    PerpColumn,
    PnlColumn,
    FundingColumn,
    PositionColumnCount
};

QString money(double value)
{
    return QLocale().toString(value, 'f', 2);
}

QString percent(double fraction)
{
    return QLocale().toString(fraction * 100.0, 'f', 2) + QStringLiteral(" %");
}

} // namespace

double numberOf(const QJsonValue& value, double fallback)
{
    if (value.isDouble())
        return value.toDouble();
    bool ok = false;
    const double number = value.toString().toDouble(&ok);
    return ok ? number : fallback;
}

TradingPanel::TradingPanel(HubHost& host, QWidget* parent)
    : QWidget(parent)
    , m_host(host)
    , m_chart(new HistoryChart(host, tr("Equity"), this))
    , m_equity(new QLabel(this))
    , m_badge(new QLabel(this))
    , m_drawdown(new QLabel(this))
    , m_dailyLoss(new QLabel(this))
    , m_riskMessage(new QLabel(this))
    , m_positions(new QTableWidget(0, PositionColumnCount, this))
{
    setObjectName(QStringLiteral("tradingPanel"));
    setWindowTitle(tr("Trading"));
    m_chart->setObjectName(QStringLiteral("equityChart"));
    m_equitySeries =
        m_chart->addSeries(QStringLiteral("equity"), tr("Equity"), QColor(0x19, 0x76, 0xd2));
    m_peakSeries = m_chart->addSeries(QStringLiteral("peak_equity"), tr("Peak equity"),
                                      QColor(0x9e, 0x9e, 0x9e));
    m_chart->setValueFormat(QStringLiteral("%.0f"));
    m_chart->setMinimumHeight(220);

    m_badge->setObjectName(QStringLiteral("riskBadge"));
    m_badge->setAlignment(Qt::AlignCenter);
    m_badge->setMinimumWidth(120);
    m_drawdown->setObjectName(QStringLiteral("riskDrawdown"));
    m_dailyLoss->setObjectName(QStringLiteral("riskDailyLoss"));
    m_riskMessage->setObjectName(QStringLiteral("riskMessage"));
    m_riskMessage->setWordWrap(true);
    m_equity->setObjectName(QStringLiteral("equityValue"));
    QFont big = m_equity->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_equity->setFont(big);

    auto* risk = new QGridLayout;
    risk->addWidget(new QLabel(tr("Equity:"), this), 0, 0);
    risk->addWidget(m_equity, 0, 1);
    risk->addWidget(new QLabel(tr("Risk:"), this), 0, 2);
    risk->addWidget(m_badge, 0, 3);
    risk->addWidget(new QLabel(tr("Drawdown:"), this), 0, 4);
    risk->addWidget(m_drawdown, 0, 5);
    risk->addWidget(new QLabel(tr("Daily loss:"), this), 0, 6);
    risk->addWidget(m_dailyLoss, 0, 7);
    risk->setColumnStretch(8, 1);
    risk->addWidget(m_riskMessage, 1, 0, 1, 9);

    m_positions->setObjectName(QStringLiteral("positionsTable"));
    m_positions->setHorizontalHeaderLabels({tr("Symbol"), tr("Quantity"), tr("Spot entry"),
                                            tr("Perp entry"), tr("Unrealized P&L"), tr("Funding")});
    m_positions->verticalHeader()->hide();
    m_positions->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_positions->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_positions->setAlternatingRowColors(true);
    m_positions->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_positions->setSortingEnabled(false);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_chart);
    splitter->addWidget(m_positions);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({330, 150});

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(risk);
    layout->addWidget(splitter, 1);
    addExportButton(risk, m_positions, QStringLiteral("positions.csv"));

    m_equity->setText(QStringLiteral("—"));
    updateRisk({});
    host.watchTopics({tradingTopic});
    connect(&host, &HubHost::snapshotReady, this, &TradingPanel::applySnapshot);
}

TradingPanel::~TradingPanel()
{
    m_host.unwatchTopics({tradingTopic});
}

int TradingPanel::positionCount() const
{
    return m_positions->rowCount();
}

QString TradingPanel::riskStatusText(const QString& status)
{
    if (status == QLatin1String("normal"))
        return tr("Normal");
    if (status == QLatin1String("soft_pause"))
        return tr("Soft pause");
    if (status == QLatin1String("hard_stop"))
        return tr("Hard stop");
    if (status.isEmpty())
        return tr("No data");
    return status;
}

void TradingPanel::applySnapshot(const HubSnapshot& snapshot)
{
    for (const TopicEvent& event : snapshot.events) {
        if (event.topic == tradingTopic)
            applyEvent(event);
    }
}

void TradingPanel::applyEvent(const TopicEvent& event)
{
    if (event.event == QLatin1String("equity_update")) {
        const QJsonValue current = event.data.contains(QLatin1String("current_equity"))
                                       ? event.data.value(QLatin1String("current_equity"))
                                       : event.data.value(QLatin1String("total_equity"));
        const double equity = numberOf(current, qQNaN());
        // The chart draws the hub's equity series; the figure here is the latest event's.
        if (!qIsNaN(equity))
            m_equity->setText(money(equity));
    } else if (event.event == QLatin1String("position_update")) {
        updatePosition(event.data);
    } else if (event.event == QLatin1String("risk_status_update")) {
        updateRisk(event.data);
    }
}

void TradingPanel::updatePosition(const QJsonObject& position)
{
    const QString id = position.value(QLatin1String("position_id")).toVariant().toString();
    int row = -1;
    for (int i = 0; i < m_positions->rowCount(); ++i) {
        if (m_positions->item(i, SymbolColumn)->data(Qt::UserRole).toString() == id) {
            row = i;
            break;
        }
    }
    if (position.value(QLatin1String("status")).toString() == QLatin1String("closed")) {
        if (row >= 0)
            m_positions->removeRow(row);
        return;
    }
    if (row < 0) {
        row = m_positions->rowCount();
        m_positions->insertRow(row);
        for (int column = 0; column < PositionColumnCount; ++column) {
            auto* item = new QTableWidgetItem;
            if (column != SymbolColumn)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_positions->setItem(row, column, item);
        }
        m_positions->item(row, SymbolColumn)->setData(Qt::UserRole, id);
    }
    const QLocale locale;
    const auto text = [&position](const char* key) {
        return position.value(QLatin1String(key)).toVariant().toString();
    };
    m_positions->item(row, SymbolColumn)->setText(text("symbol"));
    m_positions->item(row, QuantityColumn)->setText(text("spot_quantity"));
    m_positions->item(row, SpotColumn)->setText(text("spot_entry_price"));
    m_positions->item(row, PerpColumn)->setText(text("perp_entry_price"));
    const double pnl = numberOf(position.value(QLatin1String("unrealized_pnl")));
    m_positions->item(row, PnlColumn)->setText(money(pnl));
    m_positions->item(row, PnlColumn)
        ->setForeground(pnl < 0 ? QColor(0xc6, 0x28, 0x28) : QColor(0x2e, 0x7d, 0x32));
    m_positions->item(row, FundingColumn)
        ->setText(money(numberOf(position.value(QLatin1String("funding_collected")))));
}

void TradingPanel::updateRisk(const QJsonObject& risk)
{
    const QString status = risk.value(QLatin1String("status")).toString();
    QString background = QStringLiteral("#9e9e9e");
    if (status == QLatin1String("normal"))
        background = QStringLiteral("#2e7d32");
    else if (status == QLatin1String("soft_pause"))
        background = QStringLiteral("#ef6c00");
    else if (status == QLatin1String("hard_stop"))
        background = QStringLiteral("#c62828");
    m_badge->setText(riskStatusText(status));
    m_badge->setStyleSheet(QStringLiteral("QLabel { background: %1; color: white; "
                                          "font-weight: bold; border-radius: 4px; "
                                          "padding: 3px 10px; }")
                               .arg(background));
    m_badge->setProperty("status", status);
    const bool known = !risk.isEmpty();
    m_drawdown->setText(known ? percent(numberOf(risk.value(QLatin1String("drawdown_pct"))))
                              : QStringLiteral("—"));
    m_dailyLoss->setText(known ? percent(numberOf(risk.value(QLatin1String("daily_loss_pct"))))
                               : QStringLiteral("—"));
    m_riskMessage->setText(risk.value(QLatin1String("message")).toString());
    if (status != m_status) {
        m_status = status;
        if (known)
            emit riskStatusChanged(status, risk.value(QLatin1String("message")).toString());
    }
}

} // namespace switchboard
