#pragma once

#include <optional>

namespace loadgen {

// Which publish rate S2, S4, REST and wss try next. The rate doubles from the start until a
// step fails, then the search bisects between the highest pass and the lowest failure until the
// two are within 5 % (or 10/s). A failed step is run again, up to `retries` times, before it
// counts (--s2-retries): on two cores shared with the generator one scheduling hiccup in a step is
// enough to push its p99 past the limit, on any server, and a search that took that for the
// server's limit would bisect below it for the rest of the run.
//
// Only the decisions live here, so that they can be checked without a server; runSearch in
// Scenarios.cpp publishes each step and says whether it passed.
class RateSearch {
public:
    enum class Next {
        Again,   // the step failed and is run once more at the same rate
        NewRate, // rate() moved
        Done,    // the search is over
    };

    RateSearch(double startRate, double maxRate, int retries);

    // The rate of the next step.
    double rate() const { return m_rate; }

    // Records the outcome of the step at rate() and decides the next.
    Next record(bool passed);

    std::optional<double> highestPass() const { return m_highestPass; }
    std::optional<double> lowestFail() const { return m_lowestFail; }

private:
    double m_rate;
    double m_maxRate;
    int m_retries;
    int m_retriesLeft;
    std::optional<double> m_highestPass;
    std::optional<double> m_lowestFail;
};

} // namespace loadgen
