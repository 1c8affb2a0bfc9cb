#pragma once

// The Monte Carlo cash simulation of SPEC §5.1: the forecast (finance/Forecast.h) rerun many
// times with random monthly revenue growth and expense inflation.
//
// Each iteration walks the months keeping two multipliers, both starting at 1:
//   revenue multiplier  *= 1 + g,  g ~ Normal(revenueGrowthMean, revenueGrowthStdDev)
//   expense multiplier  *= 1 + i,  i ~ Normal(expenseInflationMean, expenseInflationStdDev)
// drawn afresh every month (a multiplicative random walk; a step below -100 % is taken as
// -100 %). The month's recurring revenue (monthly, salary) is scaled by the revenue
// multiplier and its recurring expenses by the expense multiplier; one-off amounts are
// contractual and taken as planned. The scenario's multipliers apply on top, as in the
// forecast. A variable that is switched off (revenueGrowth / expenseInflation false) keeps
// its multiplier at 1. The balance starts at the forecast's opening cash (the flows before
// the first month, which are past and not random).
// Results: the 5th, 50th and 95th percentiles of the ending balance (linear interpolation
// between order statistics) and the share of iterations whose balance was below zero at the
// end of any month.
//
// Reproducible: iteration n draws from its own generator (xoshiro256**, seeded from `seed`
// and n through SplitMix64; normals by Box-Muller), so a seed gives the same result whatever
// the number of threads, and the first k iterations of a longer run equal a run of k.
// Parallel where it pays: the calling thread and helper threads work through chunks of
// iterations; the calling thread alone calls `progress`. By default (threads = 0) a small run
// (iterations x months below a measured threshold) stays on the calling thread, and a larger
// one takes the cores that the other simulations of the process leave free (at least its
// calling thread): five jobs at once share the cores instead of starting five threads each.

#include "entities/Entity.h"
#include "finance/Forecast.h"

#include <QDate>
#include <QJsonObject>
#include <QList>

#include <functional>

namespace switchboard {

// Callers refuse more than this (memory: 8 bytes per iteration).
inline constexpr int MaxMonteCarloIterations = 10'000'000;

struct MonteCarloParams {
    int iterations = 1000;
    int months = 24;
    quint64 seed = 42;
    bool revenueGrowth = true;    // the variable "revenue_growth"
    bool expenseInflation = true; // the variable "expense_inflation"

    double revenueGrowthMean = 0.0;       // per month: planned revenue is the centre
    double revenueGrowthStdDev = 0.03;    // per month: ~15 % spread after two years
    double expenseInflationMean = 0.0025; // per month: ~3 % a year
    double expenseInflationStdDev = 0.005;
    Scenario scenario = Scenario::Baseline;
    int threads = 0; // 0: automatic (see above); n: the calling thread and n - 1 helpers
};

struct MonteCarloResult {
    double p5 = 0, p50 = 0, p95 = 0, probabilityOfRunningOut = 0;
    int iterations = 0; // completed; fewer than requested when cancelled
    int months = 0;
    double mean = 0;        // mean ending balance
    double openingCash = 0; // the balance before the first month, as in the forecast
    int threadsUsed = 0;    // threads that simulated at least one chunk (not in the JSON)

    // {p5, p50, p95, probability_of_running_out, iterations, months, mean, opening_cash};
    // money in cents.
    QJsonObject toJson() const;
};

// `progress(done)` is called now and then (at most ~100 times, from the calling thread) with
// the iterations done; returning false cancels: the helpers stop after their current chunk
// (well under a millisecond of work each) and the result covers the iterations completed
// (iterations < requested; the caller treats it as cancelled). An empty function never
// cancels. iterations <= 0, months <= 0 or an invalid firstMonth give an empty result.
MonteCarloResult runMonteCarlo(const QList<Entity>& entities, QDate firstMonth,
                               const MonteCarloParams& params,
                               const std::function<bool(int done)>& progress);

} // namespace switchboard
