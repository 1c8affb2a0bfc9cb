// The job engine as SPEC §5 promises it, through the real hub: at most --max-jobs running and
// the rest queued in order, a bounded queue, prompt cancellation, progress coalesced to ~10
// updates a second, every change broadcast, and jobs that survive a restart.

#include "JobTesting.h"
#include "TestJobTypes.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

class tst_JobEngine : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void atMostMaxJobsRunTheRestQueueInOrder();
    void theQueueIsBounded();
    void cancellingARunningJobTakesUnderASecond();
    void cancellingAQueuedJobIsImmediate();
    void progressIsCoalescedToAboutTenASecond();
    void nativeClientSeesTheJobFromStartToEnd();
    void aFailingJobEndsFailedWithItsError();
    void aThrowingJobFailsInsteadOfCrashing();
    void finishedJobsSurviveARestart();
    void onlyTheNewestFinishedJobsAreKept();
    void jobsRunningAtShutdownComeBackInterrupted();

private:
    std::unique_ptr<QTemporaryDir> m_dataDir;
};

void tst_JobEngine::init()
{
    closeHoldGate();
    m_dataDir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dataDir->isValid());
}

void tst_JobEngine::cleanup()
{
    // Whatever a failed test left holding must end before the hub does.
    openHoldGate();
    m_dataDir.reset();
}

void tst_JobEngine::atMostMaxJobsRunTheRestQueueInOrder()
{
    TestHub hub(jobsConfig(m_dataDir->path()));
    QVERIFY(!hub.startError);
    QCOMPARE(hub.host->config().maxJobs, 5);
    JobApi api(hub, hub.token(QStringLiteral("alice"), Role::User));

    QStringList submitted;
    for (int i = 0; i < 7; ++i)
        submitted.append(api.start(QStringLiteral("test_hold")));
    QVERIFY(!submitted.contains(QString()));

    QTRY_COMPARE(api.list(QStringLiteral("status=running")).size(), 5);
    QCOMPARE(api.list(QStringLiteral("status=queued")).size(), 2);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(api.status(submitted[i]), QStringLiteral("running"));
    QCOMPARE(api.status(submitted[5]), QStringLiteral("queued"));
    QCOMPARE(api.status(submitted[6]), QStringLiteral("queued"));

    // A slot frees up: the oldest queued job takes it, the newer one keeps waiting.
    QCOMPARE(api.cancel(submitted[0]).status, 202);
    QTRY_COMPARE(api.status(submitted[5]), QStringLiteral("running"));
    QCOMPARE(api.status(submitted[0]), QStringLiteral("cancelled"));
    QCOMPARE(api.status(submitted[6]), QStringLiteral("queued"));
    QCOMPARE(api.list(QStringLiteral("status=running")).size(), 5);

    openHoldGate();
    for (int i = 1; i < 7; ++i)
        QTRY_COMPARE(api.status(submitted[i]), QStringLiteral("completed"));
}

void tst_JobEngine::theQueueIsBounded()
{
    HubConfig config = jobsConfig(m_dataDir->path());
    config.maxJobs = 1;
    config.maxQueuedJobs = 2;
    TestHub hub(config);
    QVERIFY(!hub.startError);
    JobApi api(hub, hub.token(QStringLiteral("alice"), Role::User));

    const QString running = api.start(QStringLiteral("test_hold"));
    QTRY_COMPARE(api.status(running), QStringLiteral("running"));
    QVERIFY(!api.start(QStringLiteral("test_hold")).isEmpty());
    QVERIFY(!api.start(QStringLiteral("test_hold")).isEmpty());

    const TestHub::Reply refused = api.submit(QStringLiteral("test_hold"));
    QCOMPARE(refused.status, 429);
    QCOMPARE(jsonObject(refused.body).value(QLatin1String("code")).toString(),
             QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QVERIFY(jsonObject(refused.body)
                .value(QLatin1String("error"))
                .toString()
                .contains(QLatin1String("queue is full")));
    QCOMPARE(api.list().size(), 3); // the refused job left no trace
    openHoldGate();
}

void tst_JobEngine::cancellingARunningJobTakesUnderASecond()
{
    TestHub hub(jobsConfig(m_dataDir->path()));
    QVERIFY(!hub.startError);
    const QByteArray token = hub.token(QStringLiteral("alice"), Role::User);
    JobApi api(hub, token);
    TestClient client;
    QVERIFY(client.open(hub.ws(QStringLiteral("/ws/v1"), token)));
    QVERIFY(subscribe(client, {QStringLiteral("jobs")}));

    const QString id = api.start(QStringLiteral("test_hold"));
    QTRY_COMPARE(api.status(id), QStringLiteral("running"));

    QElapsedTimer clock;
    clock.start();
    const TestHub::Reply reply = api.cancel(id);
    QCOMPARE(reply.status, 202); // accepted; the job stops at its next check
    QCOMPARE(jsonObject(reply.body).value(QLatin1String("message")).toString(),
             QStringLiteral("cancelling"));
    const QJsonObject cancelled = client.waitFor(
        [&id](const QJsonObject& m) {
            return m.value(QLatin1String("event")).toString() == QLatin1String("job_cancelled") &&
                   m.value(QLatin1String("data")).toObject().value(QLatin1String("job_id")) == id;
        },
        5000);
    QVERIFY(!cancelled.isEmpty());
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(api.status(id), QStringLiteral("cancelled"));
    QCOMPARE(cancelled.value(QLatin1String("data")).toObject().value(QLatin1String("status")),
             QStringLiteral("cancelled"));

    // Finished: cancelling again is a conflict, not a second cancellation.
    QCOMPARE(api.cancel(id).status, 409);
}

void tst_JobEngine::cancellingAQueuedJobIsImmediate()
{
    HubConfig config = jobsConfig(m_dataDir->path());
    config.maxJobs = 1;
    TestHub hub(config);
    QVERIFY(!hub.startError);
    JobApi api(hub, hub.token(QStringLiteral("alice"), Role::User));

    const QString running = api.start(QStringLiteral("test_hold"));
    const QString queued = api.start(QStringLiteral("test_hold"));
    QCOMPARE(api.status(queued), QStringLiteral("queued"));
    const TestHub::Reply reply = api.cancel(queued);
    QCOMPARE(reply.status, 200);
    QCOMPARE(jsonObject(reply.body).value(QLatin1String("status")).toString(),
             QStringLiteral("cancelled"));
    QCOMPARE(api.status(queued), QStringLiteral("cancelled"));
    // It never starts, even when the slot frees up.
    openHoldGate();
    QTRY_COMPARE(api.status(running), QStringLiteral("completed"));
    QCOMPARE(api.job(queued).value(QLatin1String("started_at")), QJsonValue(QJsonValue::Null));
}

void tst_JobEngine::progressIsCoalescedToAboutTenASecond()
{
    TestHub hub(jobsConfig(m_dataDir->path()));
    QVERIFY(!hub.startError);
    const QByteArray token = hub.token(QStringLiteral("alice"), Role::User);
    JobApi api(hub, token);
    TestClient client;
    QVERIFY(client.open(hub.ws(QStringLiteral("/ws/v1"), token)));
    QVERIFY(subscribe(client, {QStringLiteral("jobs")}));

    // 10,000 reports in 1.5 s: 6,700 a second, coalesced to at most ~10 a second.
    const QString id =
        api.start(QStringLiteral("test_chatty"),
                  {{QStringLiteral("reports"), 10000}, {QStringLiteral("milliseconds"), 1500}});
    QVERIFY(!client
                 .waitFor(
                     [&id](const QJsonObject& m) {
                         return m.value(QLatin1String("event")).toString() ==
                                    QLatin1String("job_completed") &&
                                m.value(QLatin1String("data"))
                                        .toObject()
                                        .value(QLatin1String("job_id")) == id;
                     },
                     15000)
                 .isEmpty());

    QList<qint64> times;
    for (const QJsonObject& message : client.messages) {
        if (message.value(QLatin1String("event")).toString() == QLatin1String("job_progress"))
            times.append(QDateTime::fromString(message.value(QLatin1String("ts")).toString(),
                                               Qt::ISODateWithMs)
                             .toMSecsSinceEpoch());
    }
    // The run lasts 1.5 s (longer under a sanitizer): ~15 updates, never two within ~100 ms.
    const QJsonObject job = api.job(id);
    const qint64 ran =
        QDateTime::fromString(job.value(QLatin1String("completed_at")).toString(),
                              Qt::ISODateWithMs)
            .toMSecsSinceEpoch() -
        QDateTime::fromString(job.value(QLatin1String("started_at")).toString(), Qt::ISODateWithMs)
            .toMSecsSinceEpoch();
    QVERIFY2(times.size() >= 5, qPrintable(QString::number(times.size())));
    QVERIFY2(times.size() <= ran / 100 + 2,
             qPrintable(QStringLiteral("%1 updates in %2 ms").arg(times.size()).arg(ran)));
    for (qsizetype i = 1; i < times.size(); ++i)
        QVERIFY2(times[i] - times[i - 1] >= 90,
                 qPrintable(QStringLiteral("updates %1 ms apart").arg(times[i] - times[i - 1])));
}

void tst_JobEngine::nativeClientSeesTheJobFromStartToEnd()
{
    TestHub hub(jobsConfig(m_dataDir->path()));
    QVERIFY(!hub.startError);
    const QByteArray token = hub.token(QStringLiteral("alice"), Role::User);
    JobApi api(hub, token);
    TestClient client;
    QVERIFY(client.open(hub.ws(QStringLiteral("/ws/v1"), token)));
    QVERIFY(subscribe(client, {QStringLiteral("jobs"), QStringLiteral("calculations")}));

    const QString id =
        api.start(QStringLiteral("test_chatty"),
                  {{QStringLiteral("reports"), 500}, {QStringLiteral("milliseconds"), 700}});
    QVERIFY(!client
                 .waitFor(
                     [](const QJsonObject& m) {
                         return m.value(QLatin1String("event")).toString() ==
                                QLatin1String("calculation_complete");
                     },
                     10000)
                 .isEmpty());

    const auto jobs = eventsOfJob(client, id);
    QVERIFY(jobs.size() >= 3);
    QCOMPARE(jobs.first().first, QStringLiteral("job_started"));
    QCOMPARE(jobs.last().first, QStringLiteral("job_completed"));
    double previous = -1;
    for (qsizetype i = 1; i + 1 < jobs.size(); ++i) {
        QCOMPARE(jobs[i].first, QStringLiteral("job_progress"));
        const double progress = jobs[i].second.value(QLatin1String("progress")).toDouble();
        QVERIFY2(progress > previous, "progress only goes up");
        previous = progress;
    }
    QVERIFY(previous > 0);
    const QJsonObject completed = jobs.last().second;
    QCOMPARE(completed.value(QLatin1String("progress")).toInt(), 100);
    QCOMPARE(completed.value(QLatin1String("status")).toString(), QStringLiteral("completed"));
    QCOMPARE(completed.value(QLatin1String("job_type")).toString(), QStringLiteral("test_chatty"));
    QCOMPARE(completed.value(QLatin1String("result")).toObject().value(QLatin1String("reports")),
             500);
    for (const char* field : {"created_at", "started_at", "completed_at", "message"})
        QVERIFY2(completed.value(QLatin1String(field)).isString(), field);

    const auto calculations = eventsOfJob(client, id, QStringLiteral("calculations"));
    QVERIFY(calculations.size() >= 2);
    QCOMPARE(calculations.first().first, QStringLiteral("calculation_progress"));
    QCOMPARE(calculations.last().first, QStringLiteral("calculation_complete"));
    // The summary is the result without its tables.
    const QJsonObject summary =
        calculations.last().second.value(QLatin1String("result_summary")).toObject();
    QCOMPARE(summary, QJsonObject({{QStringLiteral("reports"), 500}}));
}

void tst_JobEngine::aFailingJobEndsFailedWithItsError()
{
    TestHub hub(jobsConfig(m_dataDir->path()));
    QVERIFY(!hub.startError);
    const QByteArray token = hub.token(QStringLiteral("alice"), Role::User);
    JobApi api(hub, token);
    TestClient client;
    QVERIFY(client.open(hub.ws(QStringLiteral("/ws/v1"), token)));
    QVERIFY(subscribe(client, {QStringLiteral("jobs")}));

    const QString id = api.start(QStringLiteral("test_fail"));
    QTRY_COMPARE(api.status(id), QStringLiteral("failed"));
    QCOMPARE(api.job(id).value(QLatin1String("error")).toString(),
             QStringLiteral("deliberate failure"));
    QVERIFY(!client
                 .waitFor([](const QJsonObject& m) {
                     return m.value(QLatin1String("event")).toString() ==
                            QLatin1String("job_failed");
                 })
                 .isEmpty());
    const auto events = eventsOfJob(client, id);
    QCOMPARE(events.last().second.value(QLatin1String("error")).toString(),
             QStringLiteral("deliberate failure"));
}

void tst_JobEngine::aThrowingJobFailsInsteadOfCrashing()
{
    TestHub hub(jobsConfig(m_dataDir->path()));
    QVERIFY(!hub.startError);
    JobApi api(hub, hub.token(QStringLiteral("alice"), Role::User));
    const QString id = api.start(QStringLiteral("test_throw"));
    QTRY_COMPARE(api.status(id), QStringLiteral("failed"));
    QVERIFY(api.job(id)
                .value(QLatin1String("error"))
                .toString()
                .contains(QLatin1String("thrown on purpose")));
    // The pool thread survived: the next job runs.
    const QString next = api.start(QStringLiteral("test_fail"));
    QTRY_COMPARE(api.status(next), QStringLiteral("failed"));
}

void tst_JobEngine::finishedJobsSurviveARestart()
{
    QString completed;
    QString failed;
    {
        TestHub hub(jobsConfig(m_dataDir->path()));
        QVERIFY(!hub.startError);
        JobApi api(hub, hub.token(QStringLiteral("alice"), Role::User));
        completed = api.start(QStringLiteral("test_chatty"), {{QStringLiteral("reports"), 10},
                                                              {QStringLiteral("milliseconds"), 0}});
        failed = api.start(QStringLiteral("test_fail"));
        QTRY_COMPARE(api.status(completed), QStringLiteral("completed"));
        QTRY_COMPARE(api.status(failed), QStringLiteral("failed"));
        hub.host->stop();
    }
    TestHub hub(jobsConfig(m_dataDir->path()));
    QVERIFY(!hub.startError);
    JobApi api(hub, hub.token(QStringLiteral("bob"), Role::User));
    QCOMPARE(api.ids(), (QStringList{failed, completed})); // newest first
    const QJsonObject job = api.job(completed);
    QCOMPARE(job.value(QLatin1String("status")).toString(), QStringLiteral("completed"));
    QCOMPARE(job.value(QLatin1String("progress")).toInt(), 100);
    QCOMPARE(job.value(QLatin1String("owner")).toString(), QStringLiteral("alice"));
    QCOMPARE(job.value(QLatin1String("params")).toObject().value(QLatin1String("reports")), 10);
    QCOMPARE(job.value(QLatin1String("result")).toObject().value(QLatin1String("reports")), 10);
    QCOMPARE(api.job(failed).value(QLatin1String("error")).toString(),
             QStringLiteral("deliberate failure"));
}

void tst_JobEngine::onlyTheNewestFinishedJobsAreKept()
{
    HubConfig config = jobsConfig(m_dataDir->path());
    config.jobHistoryLimit = 3;
    QStringList ids;
    {
        TestHub hub(config);
        QVERIFY(!hub.startError);
        JobApi api(hub, hub.token(QStringLiteral("alice"), Role::User));
        for (int i = 0; i < 5; ++i) {
            ids.prepend(api.start(QStringLiteral("test_fail")));
            QTRY_COMPARE(api.status(ids.first()), QStringLiteral("failed"));
        }
        QCOMPARE(api.ids(), ids.mid(0, 3));
        QCOMPARE(api.job(ids.last()).value(QLatin1String("code")).toString(),
                 QStringLiteral("NOT_FOUND"));
    }
    TestHub hub(config);
    QVERIFY(!hub.startError);
    JobApi api(hub, hub.token(QStringLiteral("alice"), Role::User));
    QCOMPARE(api.ids(), ids.mid(0, 3));
}

void tst_JobEngine::jobsRunningAtShutdownComeBackInterrupted()
{
    HubConfig config = jobsConfig(m_dataDir->path());
    config.maxJobs = 1;
    QString running;
    QString queued;
    {
        TestHub hub(config);
        QVERIFY(!hub.startError);
        JobApi api(hub, hub.token(QStringLiteral("alice"), Role::User));
        running = api.start(QStringLiteral("test_hold"));
        queued = api.start(QStringLiteral("test_hold"));
        QTRY_COMPARE(api.status(running), QStringLiteral("running"));
        QElapsedTimer clock;
        clock.start();
        hub.host->stop(); // the hold job is cancelled by the shutdown, not released
        QVERIFY2(clock.elapsed() < 2000, "a graceful stop does not wait for jobs to finish");
    }
    TestHub hub(config);
    QVERIFY(!hub.startError);
    JobApi api(hub, hub.token(QStringLiteral("alice"), Role::User));
    for (const QString& id : {running, queued}) {
        const QJsonObject job = api.job(id);
        QCOMPARE(job.value(QLatin1String("status")).toString(), QStringLiteral("interrupted"));
        QVERIFY(job.value(QLatin1String("completed_at")).isString());
    }
    QCOMPARE(api.list(QStringLiteral("status=interrupted")).size(), 2);
}

QTEST_MAIN(tst_JobEngine)
#include "tst_job_engine.moc"
