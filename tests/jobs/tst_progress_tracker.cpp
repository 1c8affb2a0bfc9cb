// ProgressTracker (SPEC §5): however often and from however many threads a job reports, its
// receiver gets at most one update per interval, always the latest, never going back, and
// nothing after close().

#include "jobs/ProgressTracker.h"

#include <QElapsedTimer>
#include <QTest>

#include <atomic>
#include <cmath>
#include <limits>
#include <thread>
#include <vector>

using namespace switchboard;

namespace {

struct Received {
    QList<ProgressTracker::Update> updates;
    QList<qint64> at; // ms since the test's clock started
};

} // namespace

class tst_ProgressTracker : public QObject {
    Q_OBJECT

private slots:
    void manyThreadsReportingAreCoalescedToOnePerInterval();
    void aQuietTrackerDeliversAtOnce();
    void progressIsClampedAndNeverGoesBack();
    void nothingIsDeliveredAfterClose();
    void nothingIsDeliveredAfterTheReceiverIsGone();
};

void tst_ProgressTracker::manyThreadsReportingAreCoalescedToOnePerInterval()
{
    QObject receiver;
    Received received;
    QElapsedTimer clock;
    clock.start();
    auto tracker = ProgressTracker::create(&receiver, [&](const ProgressTracker::Update& update) {
        received.updates.append(update);
        received.at.append(clock.elapsed());
    });

    // Four threads, 1.2 s, as fast as they can: hundreds of thousands of reports.
    constexpr qint64 runMs = 1200;
    std::atomic<qint64> reports{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            QElapsedTimer own;
            own.start();
            while (own.elapsed() < runMs) {
                tracker->report(99.0 * double(own.elapsed()) / runMs,
                                QStringLiteral("thread %1").arg(t));
                ++reports;
            }
        });
    }
    // The receiver's thread keeps running its event loop meanwhile.
    QTRY_VERIFY_WITH_TIMEOUT(clock.elapsed() >= runMs, 5000);
    for (std::thread& thread : threads)
        thread.join();
    tracker->report(100, QStringLiteral("done"));
    QTRY_VERIFY(!received.updates.isEmpty() && received.updates.last().progress == 100.0);

    QVERIFY2(reports.load() > 10000, qPrintable(QString::number(reports.load())));
    const qint64 span = received.at.last() - received.at.first();
    QVERIFY2(
        received.updates.size() <= span / 100 + 2,
        qPrintable(QStringLiteral("%1 updates in %2 ms").arg(received.updates.size()).arg(span)));
    QVERIFY(received.updates.size() >= 8);
    for (qsizetype i = 1; i < received.updates.size(); ++i) {
        QVERIFY2(received.at[i] - received.at[i - 1] >= 90,
                 qPrintable(QString::number(received.at[i] - received.at[i - 1])));
        QVERIFY(received.updates[i].progress >= received.updates[i - 1].progress);
    }
    QCOMPARE(received.updates.last().message, QStringLiteral("done"));
}

void tst_ProgressTracker::aQuietTrackerDeliversAtOnce()
{
    QObject receiver;
    QList<ProgressTracker::Update> received;
    // A long interval: the first report must not wait for it.
    auto tracker = ProgressTracker::create(
        &receiver, [&](const ProgressTracker::Update& update) { received.append(update); },
        std::chrono::seconds(5));
    QElapsedTimer clock;
    clock.start();
    tracker->report(5, QStringLiteral("first"));
    QTRY_COMPARE(received.size(), 1);
    QVERIFY2(clock.elapsed() < 2500, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(received.first().progress, 5.0);
    QCOMPARE(received.first().message, QStringLiteral("first"));
}

void tst_ProgressTracker::progressIsClampedAndNeverGoesBack()
{
    QObject receiver;
    QList<ProgressTracker::Update> received;
    auto tracker = ProgressTracker::create(
        &receiver, [&](const ProgressTracker::Update& update) { received.append(update); },
        std::chrono::milliseconds(10));
    tracker->report(50, QStringLiteral("half"));
    QTRY_COMPARE(received.size(), 1);
    tracker->report(30); // behind: ignored, and an empty message keeps the last one
    tracker->report(std::numeric_limits<double>::quiet_NaN());
    QTRY_COMPARE(received.size(), 2);
    QCOMPARE(received.last().progress, 50.0);
    QCOMPARE(received.last().message, QStringLiteral("half"));
    tracker->report(250, QStringLiteral("over"));
    QTRY_COMPARE(received.size(), 3);
    QCOMPARE(received.last().progress, 100.0);
    QCOMPARE(tracker->latestProgress(), 100.0);

    // Fractions are kept as reported (a service's 45.5), not rounded to whole percents.
    auto fine = ProgressTracker::create(
        &receiver, [&](const ProgressTracker::Update& update) { received.append(update); },
        std::chrono::milliseconds(10));
    fine->report(45.5);
    QTRY_COMPARE(received.last().progress, 45.5);
    fine->report(45.25); // behind, by a fraction
    fine->report(45.75);
    QTRY_COMPARE(received.last().progress, 45.75);
}

void tst_ProgressTracker::nothingIsDeliveredAfterClose()
{
    QObject receiver;
    int delivered = 0;
    auto tracker =
        ProgressTracker::create(&receiver, [&](const ProgressTracker::Update&) { ++delivered; });
    tracker->report(10);
    QTRY_COMPARE(delivered, 1);
    tracker->report(20); // within the interval: waits for its turn...
    const ProgressTracker::Update last = tracker->close(); // ...which never comes
    QCOMPARE(last.progress, 20.0);
    tracker->report(30);
    // Proving an absence takes waiting out the interval (twice over).
    QTest::qWait(250);
    QCOMPARE(delivered, 1);
}

void tst_ProgressTracker::nothingIsDeliveredAfterTheReceiverIsGone()
{
    int delivered = 0;
    std::shared_ptr<ProgressTracker> tracker;
    {
        QObject receiver;
        tracker = ProgressTracker::create(&receiver,
                                          [&](const ProgressTracker::Update&) { ++delivered; });
        tracker->report(10); // queued to the receiver, which goes away before it runs
    }
    QTest::qWait(150);
    QCOMPARE(delivered, 0);
}

QTEST_MAIN(tst_ProgressTracker)
#include "tst_progress_tracker.moc"
