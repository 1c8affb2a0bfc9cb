// How S2, S4, REST and wss search for a server's highest clean rate: the rates RateSearch
// chooses, checked without a network, and the read rounds of a search step, checked against the
// raw reference server over real sockets.

#include "LoadDriver.h"
#include "RateSearch.h"

#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTest>

#include <arpa/inet.h>

#include <algorithm>
#include <vector>

using namespace loadgen;

namespace {

struct Step {
    double rate;
    RateSearch::Next next;
};

// Runs a search against a server that passes every step at or below capacity and fails the
// rest; failFirstAttemptAt fails the first attempt at those rates only (a passing hiccup).
std::vector<Step> runAgainst(RateSearch& search, double capacity,
                             const std::vector<double>& failFirstAttemptAt = {})
{
    std::vector<Step> steps;
    std::vector<double> hiccupsLeft = failFirstAttemptAt;
    for (int guard = 0; guard < 64; ++guard) {
        const double rate = search.rate();
        bool passed = rate <= capacity;
        if (const auto hiccup = std::find(hiccupsLeft.begin(), hiccupsLeft.end(), rate);
            hiccup != hiccupsLeft.end()) {
            hiccupsLeft.erase(hiccup);
            passed = false;
        }
        const RateSearch::Next next = search.record(passed);
        steps.push_back({rate, next});
        if (next == RateSearch::Next::Done)
            break;
    }
    return steps;
}

std::vector<double> ratesOf(const std::vector<Step>& steps)
{
    std::vector<double> rates;
    for (const Step& step : steps)
        rates.push_back(step.rate);
    return rates;
}

} // namespace

class TestLoadgenSearch : public QObject {
    Q_OBJECT

private slots:
    void doublesThenBisectsToWithinFivePercent()
    {
        RateSearch search(500, 64000, 0);
        const auto steps = runAgainst(search, 5000);
        const std::vector<double> expected{500, 1000, 2000, 4000, 8000, 6000, 5000, 5500, 5250};
        QCOMPARE(ratesOf(steps), expected);
        QCOMPARE(steps.back().next, RateSearch::Next::Done);
        QCOMPARE(search.highestPass().value_or(0), 5000.0);
        QCOMPARE(search.lowestFail().value_or(0), 5250.0);
    }

    void stopsAtTheCeilingWhenNothingFails()
    {
        RateSearch search(500, 3000, 1);
        const auto steps = runAgainst(search, 1e9);
        const std::vector<double> expected{500, 1000, 2000, 3000};
        QCOMPARE(ratesOf(steps), expected);
        QVERIFY(!search.lowestFail());
    }

    void aFailedStepIsRunAgainBeforeItCounts()
    {
        // A hiccup at 4000, which the server can take: the second attempt passes and the
        // doubling goes on.
        RateSearch search(500, 64000, 1);
        const auto steps = runAgainst(search, 5000, {4000});
        QCOMPARE(steps[3].rate, 4000.0);
        QCOMPARE(steps[3].next, RateSearch::Next::Again);
        QCOMPARE(steps[4].rate, 4000.0);
        QCOMPARE(steps[4].next, RateSearch::Next::NewRate);
        QCOMPARE(steps[5].rate, 8000.0);
        QCOMPARE(search.highestPass().value_or(0), 5000.0);
    }

    void everyNewRateHasItsOwnRetries()
    {
        // With two retries each real failure is tried three times, and the count starts again
        // at every rate: 8000 and 6000 both get their three attempts.
        RateSearch search(500, 64000, 2);
        const auto steps = runAgainst(search, 5000);
        const std::vector<double> expected{500,  1000, 2000, 4000, 8000, 8000, 8000, 6000, 6000,
                                           6000, 5000, 5500, 5500, 5500, 5250, 5250, 5250};
        QCOMPARE(ratesOf(steps), expected);
        QCOMPARE(search.lowestFail().value_or(0), 5250.0);
    }

    void aServerThatFailsAtOnceIsSearchedBelowTheStart()
    {
        RateSearch search(500, 64000, 0);
        const auto steps = runAgainst(search, 100);
        QCOMPARE(steps.front().rate, 500.0);
        QCOMPARE(steps[1].rate, 250.0);
        QCOMPARE(search.highestPass().value_or(0), 100.0);
        QCOMPARE(search.lowestFail().value_or(0), 110.0);
        QCOMPARE(steps.back().next, RateSearch::Next::Done);
    }

    void readRoundsHoldReadsBetweenRounds()
    {
        // The raw reference is a real server that speaks the hub's protocol, small enough to
        // start for one test.
        QProcess server;
        server.setProcessChannelMode(QProcess::SeparateChannels);
        server.start(QStringLiteral(RAW_REFERENCE_PATH),
                     {QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                      QStringLiteral("--port"), QStringLiteral("0")});
        QVERIFY2(server.waitForStarted(), qPrintable(server.errorString()));
        const auto stopServer = qScopeGuard([&server] {
            server.terminate();
            server.waitForFinished(10000);
        });
        const QRegularExpression listening(QStringLiteral(R"(listening on http://[0-9.]+:(\d+))"));
        QByteArray printed;
        QRegularExpressionMatch match;
        while (!match.hasMatch() && server.waitForReadyRead(10000)) {
            printed += server.readAllStandardOutput();
            match = listening.match(QString::fromUtf8(printed));
        }
        QVERIFY2(match.hasMatch(), printed.constData());
        const auto port = uint16_t(match.captured(1).toUInt());

        Endpoint endpoint;
        endpoint.address.sin_family = AF_INET;
        endpoint.address.sin_port = htons(port);
        QCOMPARE(::inet_pton(AF_INET, "127.0.0.1", &endpoint.address.sin_addr), 1);
        endpoint.hostHeader = "127.0.0.1:" + std::to_string(port);
        endpoint.path = "/ws/v1";
        endpoint.sourceAddresses = 1;
        LoadDriver driver(endpoint, LoadSettings{});
        constexpr uint64_t subscribers = 20;
        constexpr int64_t connectTimeoutNs = 10'000'000'000;
        QCOMPARE(driver.connect(Role::Subscriber, subscribers, connectTimeoutNs).opened,
                 subscribers);
        QCOMPARE(driver.connect(Role::Publisher, 1, connectTimeoutNs).opened, uint64_t(1));

        // 200 publishes a second, 5 ms apart: read at once, nearly every publish's events are
        // a wake-up of their own; read every 50 ms, a round takes in about ten publishes.
        constexpr double rate = 200;
        constexpr double seconds = 1;
        constexpr int64_t roundNs = 50'000'000;
        const PhaseResult atOnce = driver.publish(rate, seconds, 5);
        driver.setReadRound(roundNs);
        const PhaseResult inRounds = driver.publish(rate, seconds, 5);
        driver.setReadRound(0);

        for (const PhaseResult* phase : {&atOnce, &inRounds}) {
            QCOMPARE(phase->published, uint64_t(rate * seconds));
            QCOMPARE(phase->received, phase->expected);
            QCOMPARE(phase->lost, uint64_t(0));
            QCOMPARE(phase->seqGaps, uint64_t(0));
        }
        // One poll per round that found something, and a round every 50 ms of the phase.
        const double roundsInPhase = (inRounds.seconds + inRounds.drainSeconds) * 1e9 / roundNs;
        QVERIFY2(
            double(inRounds.polls) <= roundsInPhase + 3,
            qPrintable(
                QStringLiteral("%1 polls in %2 rounds").arg(inRounds.polls).arg(roundsInPhase)));
        QVERIFY2(atOnce.polls > 2 * inRounds.polls,
                 qPrintable(QStringLiteral("%1 polls at once, %2 in rounds")
                                .arg(atOnce.polls)
                                .arg(inRounds.polls)));
        // An event waits for the next round: half a round on average.
        QVERIFY2(inRounds.latency.p50Ms >= 10,
                 qPrintable(QStringLiteral("p50 %1 ms").arg(inRounds.latency.p50Ms)));

        driver.closeAll();
    }
};

QTEST_GUILESS_MAIN(TestLoadgenSearch)
#include "tst_loadgen_search.moc"
