#pragma once

// A simulated cash-and-carry book for --demo (SPEC §6.4): long spot against short perpetual
// on a few markets, marked every step as the basis moves and funding accrues, with now and
// then a perp squeeze that draws the book down far enough to trip the risk engine. A pure
// model: step() returns the trading events to publish (fields as in seed 001); DemoTrading
// drives it on a timer. The same seed plays the same book.

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <deque>
#include <random>
#include <vector>

namespace switchboard {

// One event for the `trading` topic: position_update, equity_update or risk_status_update.
struct TradingUpdate {
    QString event;
    QJsonObject data;
};

class DemoTradingModel {
public:
    enum class RiskStatus { Normal, SoftPause, HardStop };

    // Fractions of equity. Entering a state takes crossing the first pair; leaving soft pause
    // takes falling below the lower "clear" pair, so the status does not flap on the line.
    struct RiskLimits {
        double softDrawdown = 0.03;
        double softDailyLoss = 0.025;
        double hardDrawdown = 0.06;
        double hardDailyLoss = 0.05;
        double clearDrawdown = 0.02;
        double clearDailyLoss = 0.015;
    };

    // One step is five minutes of market time; the driver plays a step a second.
    static constexpr int StepsPerDay = 288;
    // Drawdown is measured from the highest equity of the last two days (a rolling
    // high-water mark), so that a book that stopped trading can start again once the old
    // peak has aged out, as an operator would after a review.
    static constexpr int PeakWindowSteps = 2 * StepsPerDay;
    // How long a hard stop halts trading before the limits are looked at again.
    static constexpr int HardStopCooldownSteps = 144;
    static constexpr int MaxOpenPositions = 4;
    static constexpr double InitialEquity = 100'000.0;

    struct Position {
        QString id;
        int market = 0;
        double spotEntry = 0;
        double perpEntry = 0;
        double quantity = 0;
        double unrealizedPnl = 0;
        double fundingCollected = 0;
        qint64 closeAfterStep = 0;
    };

    explicit DemoTradingModel(quint64 seed);

    // Advances the book by one step and returns what changed, in order: position updates
    // (open positions re-marked, then those closed, then those opened), the equity, and the
    // risk status when it changed (and every few steps, for late subscribers).
    struct Step {
        std::vector<TradingUpdate> updates;
        bool hardStopEntered = false; // the driver raises a system_alert
    };
    Step step();

    qint64 stepCount() const { return m_step; }
    RiskStatus riskStatus() const { return m_status; }
    double equity() const;     // marked to market: balance + open PnL and funding
    double peakEquity() const; // rolling high-water mark, never below equity()
    double drawdown() const;   // fraction of peakEquity()
    double dailyLoss() const;  // fraction of the day's opening equity, 0 when up
    const std::vector<Position>& openPositions() const { return m_positions; }
    const RiskLimits& limits() const { return m_limits; }

    static QString statusName(RiskStatus status);

private:
    struct Market {
        QString symbol;
        double spot;
        double basis; // perp premium over spot, a fraction of spot
        double volatility;
        double lot;
        int priceDecimals;
        int quantityDecimals;
        double squeezeBeta; // how strongly a squeeze moves this market's basis
    };

    double uniform();
    double normal();
    QString nextUuid();

    void moveMarkets();
    void markPositions();
    void closeDuePositions(std::vector<TradingUpdate>& out);
    void closeAll(std::vector<TradingUpdate>& out);
    void maybeOpenPosition(std::vector<TradingUpdate>& out);
    void closePosition(const Position& position, std::vector<TradingUpdate>& out);
    void updatePeak();
    bool updateRisk(); // true when the status changed

    double perpPrice(const Market& market) const;
    TradingUpdate positionUpdate(const Position& position, bool open) const;
    TradingUpdate equityUpdate() const;
    TradingUpdate riskUpdate() const;
    QString riskMessage() const;

    std::mt19937_64 m_rng; // fully specified by the standard: same numbers everywhere
    RiskLimits m_limits;
    std::vector<Market> m_markets;
    std::vector<Position> m_positions;
    qint64 m_step = 0;
    double m_balance = InitialEquity; // realised: initial equity, closed PnL, funding, fees
    double m_dayOpenEquity = InitialEquity;
    std::deque<std::pair<qint64, double>> m_peaks; // monotonic: (step, equity), decreasing
    RiskStatus m_status = RiskStatus::Normal;
    qint64 m_hardStopUntil = 0;

    // The market-wide squeeze: a perp premium that builds over a few steps, then decays.
    double m_squeeze = 0;
    double m_squeezeTarget = 0;
    int m_squeezeRampSteps = 0;
    qint64 m_firstSqueezeStep = 0; // 0: it came
};

} // namespace switchboard
