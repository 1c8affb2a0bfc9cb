#include "DemoTradingModel.h"

#include <QUuid>

#include <algorithm>
#include <cmath>
#include <numbers>

using namespace Qt::StringLiterals;

namespace switchboard {
namespace {

// Market behaviour per step (five minutes).
constexpr double BasisMean = 0.0008;        // the usual perp premium
constexpr double BasisReversion = 0.04;     // pull back to the mean per step
constexpr double BasisNoise = 0.00015;      // its random walk per step
constexpr double SqueezeChance = 1.0 / 300; // per calm step
// A demo opens on a lively session: the first squeeze comes 1 to 3 minutes into a live demo
// (at a step a second) and is sharp enough (a premium of 1.2 % to 1.6 %) to draw the book
// down past the soft limit, so a new user sees the risk engine pause new openings within
// minutes. Over seeds 1-300 the first soft pause comes after 12 to 191 steps (with squeezes
// at random only, half the seeds took over 900 steps, some 5 000); a hard stop that early
// stays rare (one seed in ten within 600 steps).
constexpr int FirstSqueezeEarliest = 60;
constexpr int FirstSqueezeSpread = 120;
constexpr double SqueezeDecay = 0.985;       // per step once built (half-life ~46 steps)
constexpr double StepsPerFundingPeriod = 96; // funding settles every 8 hours
constexpr double TakerFee = 0.0002;          // per leg
constexpr double Slippage = 0.0001;

// Positions.
constexpr double OpenChance = 0.05; // per step while trading normally with room for more
constexpr double MinOpenBasis = 0.0003;
constexpr double MinNotionalShare = 0.55; // of equity, per position (the perp leg is margined)
constexpr double MaxNotionalShare = 0.85;
constexpr int MinHoldSteps = 600;
constexpr int MaxHoldSteps = 2500;
constexpr int PositionsAtStart = 3;
// A carry trader does not close into a squeeze: the premium comes back.
constexpr double SqueezeHoldThreshold = 0.002;

constexpr int RiskRefreshSteps = 10;

QString money(double value, int decimals = 2)
{
    // Never "-0.00".
    const double scale = std::pow(10.0, decimals);
    if (std::round(value * scale) == 0)
        value = 0;
    return QString::number(value, 'f', decimals);
}

QString fraction(double value)
{
    return money(value, 4);
}

} // namespace

DemoTradingModel::DemoTradingModel(quint64 seed)
    : m_rng(seed)
{
    // symbol, spot, basis, volatility per step, lot, price and quantity decimals, squeeze beta
    m_markets = {
        {u"BTC/USDT"_s, 45000.0, BasisMean, 0.0015, 0.001, 2, 3, 1.0},
        {u"ETH/USDT"_s, 2400.0, BasisMean, 0.0019, 0.01, 2, 2, 1.1},
        {u"SOL/USDT"_s, 98.0, BasisMean, 0.0028, 0.1, 3, 1, 1.3},
        {u"BNB/USDT"_s, 310.0, BasisMean, 0.0018, 0.01, 2, 2, 0.9},
        {u"XRP/USDT"_s, 0.62, BasisMean, 0.0025, 1.0, 4, 0, 1.2},
    };
    m_peaks.emplace_back(0, InitialEquity);
    m_firstSqueezeStep = FirstSqueezeEarliest + qint64(uniform() * FirstSqueezeSpread);
}

QString DemoTradingModel::statusName(RiskStatus status)
{
    switch (status) {
    case RiskStatus::Normal:
        return u"normal"_s;
    case RiskStatus::SoftPause:
        return u"soft_pause"_s;
    case RiskStatus::HardStop:
        return u"hard_stop"_s;
    }
    Q_UNREACHABLE();
    return {};
}

double DemoTradingModel::uniform()
{
    // 53 random bits: the same doubles on every platform, unlike the std distributions.
    return double(m_rng() >> 11) * 0x1.0p-53;
}

double DemoTradingModel::normal()
{
    // Box-Muller; 1 - u keeps the logarithm finite.
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

QString DemoTradingModel::nextUuid()
{
    QByteArray bytes(16, Qt::Uninitialized);
    for (int half = 0; half < 2; ++half) {
        const quint64 bits = m_rng();
        for (int i = 0; i < 8; ++i)
            bytes[half * 8 + i] = char((bits >> (8 * i)) & 0xff);
    }
    bytes[6] = char((bytes[6] & 0x0f) | 0x40); // version 4
    bytes[8] = char((bytes[8] & 0x3f) | 0x80); // RFC 4122 variant
    return QUuid::fromRfc4122(bytes).toString(QUuid::WithoutBraces);
}

double DemoTradingModel::perpPrice(const Market& market) const
{
    return market.spot * (1.0 + market.basis + m_squeeze * market.squeezeBeta);
}

double DemoTradingModel::equity() const
{
    double value = m_balance;
    for (const Position& position : m_positions)
        value += position.unrealizedPnl + position.fundingCollected;
    return value;
}

double DemoTradingModel::peakEquity() const
{
    return std::max(m_peaks.front().second, equity());
}

double DemoTradingModel::drawdown() const
{
    const double peak = peakEquity();
    return peak > 0 ? (peak - equity()) / peak : 0.0;
}

double DemoTradingModel::dailyLoss() const
{
    return std::max(0.0, (m_dayOpenEquity - equity()) / m_dayOpenEquity);
}

DemoTradingModel::Step DemoTradingModel::step()
{
    ++m_step;
    if (m_step % StepsPerDay == 0)
        m_dayOpenEquity = equity();

    moveMarkets();
    markPositions();
    updatePeak();
    const RiskStatus before = m_status;
    const bool changed = updateRisk();

    Step result;
    std::vector<TradingUpdate> closed;
    std::vector<TradingUpdate> opened;
    if (changed && m_status == RiskStatus::HardStop) {
        closeAll(closed);
        result.hardStopEntered = before != RiskStatus::HardStop;
    } else {
        closeDuePositions(closed);
    }
    const std::size_t held = m_positions.size();
    if (m_status == RiskStatus::Normal) {
        const int attempts = m_step == 1 ? PositionsAtStart : 1;
        for (int i = 0; i < attempts; ++i)
            maybeOpenPosition(opened);
    }
    updatePeak(); // fees paid on opening or closing move the equity too

    for (std::size_t i = 0; i < held; ++i)
        result.updates.push_back(positionUpdate(m_positions[i], true));
    std::move(closed.begin(), closed.end(), std::back_inserter(result.updates));
    std::move(opened.begin(), opened.end(), std::back_inserter(result.updates));
    result.updates.push_back(equityUpdate());
    if (changed || m_step == 1 || m_step % RiskRefreshSteps == 0)
        result.updates.push_back(riskUpdate());
    return result;
}

void DemoTradingModel::moveMarkets()
{
    // The first squeeze builds from wherever the premium is, a milder one under way or not.
    if (m_firstSqueezeStep > 0 && m_step >= m_firstSqueezeStep) {
        m_firstSqueezeStep = 0;
        m_squeezeTarget = std::max(m_squeeze, 0.012 + 0.004 * uniform());
        m_squeezeRampSteps = 6 + int(uniform() * 18);
    }
    // The squeeze: idle, building towards its target, or decaying.
    if (m_squeezeRampSteps > 0) {
        m_squeeze += (m_squeezeTarget - m_squeeze) / m_squeezeRampSteps;
        --m_squeezeRampSteps;
    } else if (m_squeeze > 0) {
        m_squeeze *= SqueezeDecay;
        if (m_squeeze < 0.0001)
            m_squeeze = 0;
    } else if (uniform() < SqueezeChance) {
        // Mostly mild, sometimes sharp, rarely violent: a perp premium of 0.3 % to 3.2 %.
        const double kind = uniform();
        if (kind < 0.60)
            m_squeezeTarget = 0.003 + 0.005 * uniform();
        else if (kind < 0.92)
            m_squeezeTarget = 0.008 + 0.008 * uniform();
        else
            m_squeezeTarget = 0.018 + 0.014 * uniform();
        m_squeezeRampSteps = 6 + int(uniform() * 18);
    }

    for (Market& market : m_markets) {
        market.spot *= std::exp(market.volatility * normal());
        market.basis += BasisReversion * (BasisMean - market.basis) + BasisNoise * normal();
    }
}

void DemoTradingModel::markPositions()
{
    for (Position& position : m_positions) {
        const Market& market = m_markets[std::size_t(position.market)];
        const double perp = perpPrice(market);
        position.unrealizedPnl = position.quantity * (market.spot - position.spotEntry) +
                                 position.quantity * (position.perpEntry - perp);
        // The short perp receives funding while the premium is positive, pays when negative.
        const double premium = perp / market.spot - 1.0;
        const double ratePerPeriod = std::clamp(0.0001 + 0.3 * (premium - 0.0005), -0.0075, 0.0075);
        position.fundingCollected +=
            position.quantity * perp * ratePerPeriod / StepsPerFundingPeriod;
    }
}

void DemoTradingModel::updatePeak()
{
    const double value = equity();
    while (!m_peaks.empty() && m_peaks.back().second <= value)
        m_peaks.pop_back();
    m_peaks.emplace_back(m_step, value);
    while (m_peaks.front().first <= m_step - PeakWindowSteps)
        m_peaks.pop_front();
}

bool DemoTradingModel::updateRisk()
{
    const double dd = drawdown();
    const double loss = dailyLoss();
    const bool hard = dd >= m_limits.hardDrawdown || loss >= m_limits.hardDailyLoss;
    const bool soft = dd >= m_limits.softDrawdown || loss >= m_limits.softDailyLoss;
    const bool clear = dd < m_limits.clearDrawdown && loss < m_limits.clearDailyLoss;

    RiskStatus next = m_status;
    switch (m_status) {
    case RiskStatus::Normal:
        if (hard)
            next = RiskStatus::HardStop;
        else if (soft)
            next = RiskStatus::SoftPause;
        break;
    case RiskStatus::SoftPause:
        if (hard)
            next = RiskStatus::HardStop;
        else if (clear)
            next = RiskStatus::Normal;
        break;
    case RiskStatus::HardStop:
        // Halted for the cool-down, then only once the hard limits no longer hold: the old
        // peak has aged out of the window or a new day has started.
        if (m_step >= m_hardStopUntil && !hard)
            next = clear ? RiskStatus::Normal : RiskStatus::SoftPause;
        break;
    }
    if (next == m_status)
        return false;
    if (next == RiskStatus::HardStop)
        m_hardStopUntil = m_step + HardStopCooldownSteps;
    m_status = next;
    return true;
}

void DemoTradingModel::closePosition(const Position& position, std::vector<TradingUpdate>& out)
{
    const Market& market = m_markets[std::size_t(position.market)];
    const double fee =
        TakerFee * position.quantity * (market.spot + perpPrice(market)) * (1.0 + Slippage);
    m_balance += position.unrealizedPnl + position.fundingCollected - fee;
    out.push_back(positionUpdate(position, false));
}

void DemoTradingModel::closeAll(std::vector<TradingUpdate>& out)
{
    for (const Position& position : m_positions)
        closePosition(position, out);
    m_positions.clear();
}

void DemoTradingModel::closeDuePositions(std::vector<TradingUpdate>& out)
{
    for (auto it = m_positions.begin(); it != m_positions.end();) {
        const Market& market = m_markets[std::size_t(it->market)];
        const bool due =
            m_step >= it->closeAfterStep && m_squeeze * market.squeezeBeta < SqueezeHoldThreshold;
        if (!due) {
            ++it;
            continue;
        }
        closePosition(*it, out);
        it = m_positions.erase(it);
    }
}

void DemoTradingModel::maybeOpenPosition(std::vector<TradingUpdate>& out)
{
    if (int(m_positions.size()) >= MaxOpenPositions)
        return;
    if (m_step > 1 && uniform() >= OpenChance)
        return;

    std::vector<int> free;
    for (int i = 0; i < int(m_markets.size()); ++i) {
        const bool held = std::any_of(m_positions.begin(), m_positions.end(),
                                      [i](const Position& p) { return p.market == i; });
        if (!held)
            free.push_back(i);
    }
    if (free.empty())
        return;
    const int index = free[std::min(free.size() - 1, std::size_t(uniform() * double(free.size())))];
    const Market& market = m_markets[std::size_t(index)];
    const double perp = perpPrice(market);
    if (perp / market.spot - 1.0 < MinOpenBasis)
        return; // not worth carrying

    const double notional =
        equity() * (MinNotionalShare + (MaxNotionalShare - MinNotionalShare) * uniform());
    const double quantity = std::floor(notional / market.spot / market.lot + 1e-9) * market.lot;
    if (quantity < market.lot)
        return;

    Position position;
    position.id = nextUuid();
    position.market = index;
    position.spotEntry = market.spot * (1.0 + Slippage * uniform());
    position.perpEntry = perp * (1.0 - Slippage * uniform());
    position.quantity = quantity;
    position.closeAfterStep =
        m_step + MinHoldSteps + qint64(uniform() * (MaxHoldSteps - MinHoldSteps));
    // Marked at the market straight away: the slippage shows as a small loss.
    position.unrealizedPnl =
        quantity * (market.spot - position.spotEntry) + quantity * (position.perpEntry - perp);
    m_balance -= TakerFee * quantity * (position.spotEntry + position.perpEntry);
    m_positions.push_back(position);
    out.push_back(positionUpdate(position, true));
}

TradingUpdate DemoTradingModel::positionUpdate(const Position& position, bool open) const
{
    const Market& market = m_markets[std::size_t(position.market)];
    const QString quantity = QString::number(position.quantity, 'f', market.quantityDecimals);
    return {u"position_update"_s,
            QJsonObject{
                {u"position_id"_s, position.id},
                {u"symbol"_s, market.symbol},
                {u"status"_s, open ? u"open"_s : u"closed"_s},
                {u"spot_entry_price"_s, money(position.spotEntry, market.priceDecimals)},
                {u"perp_entry_price"_s, money(position.perpEntry, market.priceDecimals)},
                {u"spot_quantity"_s, quantity},
                {u"perp_quantity"_s, quantity},
                {u"unrealized_pnl"_s, money(position.unrealizedPnl)},
                {u"funding_collected"_s, money(position.fundingCollected)},
            }};
}

TradingUpdate DemoTradingModel::equityUpdate() const
{
    // The seed's service sends the marked-to-market equity as both total and current.
    const QString current = money(equity());
    return {u"equity_update"_s, QJsonObject{
                                    {u"total_equity"_s, current},
                                    {u"peak_equity"_s, money(peakEquity())},
                                    {u"current_equity"_s, current},
                                }};
}

QString DemoTradingModel::riskMessage() const
{
    switch (m_status) {
    case RiskStatus::Normal:
        return u"Risk limits clear. Trading normally."_s;
    case RiskStatus::SoftPause:
        return u"New position openings stopped. Existing positions remain open."_s;
    case RiskStatus::HardStop:
        return u"Hard stop: all positions closed and trading halted."_s;
    }
    Q_UNREACHABLE();
    return {};
}

TradingUpdate DemoTradingModel::riskUpdate() const
{
    return {u"risk_status_update"_s, QJsonObject{
                                         {u"status"_s, statusName(m_status)},
                                         {u"message"_s, riskMessage()},
                                         {u"drawdown_pct"_s, fraction(drawdown())},
                                         {u"daily_loss_pct"_s, fraction(dailyLoss())},
                                     }};
}

} // namespace switchboard
