// The built-in job types of SPEC §5.1 doing real work on real entity files: forecast,
// monte_carlo, entity_validation and report_generation, and the download of their reports.

#include "JobTesting.h"
#include "sources/EntityWatcher.h"

#include <QDate>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

bool writeFile(const QString& path, const QByteArray& contents)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(contents) == contents.size();
}

// The first day of the current month (UTC), where forecasts start.
QByteArray thisMonth()
{
    const QDate today = QDateTime::currentDateTimeUtc().date();
    return QDate(today.year(), today.month(), 1).toString(Qt::ISODate).toUtf8();
}

} // namespace

class tst_JobTypes : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void forecastIsComputedFromTheEntityFiles();
    void forecastScenariosScaleRevenueAndExpenses();
    void monteCarloIsReproducibleWithASeed();
    void monteCarloCancelsWithinASecond();
    void theDemoBookGivesMeaningfulNumbers_data();
    void theDemoBookGivesMeaningfulNumbers();
    void entityValidationListsErrorsWithSuggestions();
    void reportGenerationWritesADownloadableReport_data();
    void reportGenerationWritesADownloadableReport();
    void onlyTheNewestReportsAreKept();
    void reportNamesCannotLeaveTheReportsFolder_data();
    void reportNamesCannotLeaveTheReportsFolder();

private:
    QJsonObject runToEnd(const QString& type, const QJsonObject& params);

    std::unique_ptr<QTemporaryDir> m_dataDir;
    std::unique_ptr<TestHub> m_hub;
    QByteArray m_token;
    std::unique_ptr<TestClient> m_client; // subscribed to `jobs`
};

void tst_JobTypes::init()
{
    m_dataDir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dataDir->isValid());
    const QString entities = m_dataDir->filePath(QStringLiteral("entities"));
    const QByteArray start = thisMonth();
    QVERIFY(
        writeFile(entities + QStringLiteral("/revenue/grants/seed_grant.yaml"),
                  "type: grant\nname: Seed grant\nstart_date: " + start + "\namount: 120000\n"));
    QVERIFY(writeFile(entities + QStringLiteral("/revenue/services/support.yaml"),
                      "type: service\nname: Support\nstart_date: " + start + "\nmonthly: 10000\n"));
    QVERIFY(
        writeFile(entities + QStringLiteral("/expenses/employees/engineer.yaml"),
                  "type: employee\nname: Engineer\nstart_date: " + start + "\nsalary: 240000\n"));
    HubConfig config = jobsConfig(m_dataDir->path());
    config.jobHistoryLimit = 3;
    m_hub = std::make_unique<TestHub>(config);
    QVERIFY(!m_hub->startError);
    m_token = m_hub->token(QStringLiteral("alice"), Role::User);
    m_client = std::make_unique<TestClient>();
    QVERIFY(m_client->open(m_hub->ws(QStringLiteral("/ws/v1"), m_token)));
    QVERIFY(subscribe(*m_client, {QStringLiteral("jobs")}));
}

void tst_JobTypes::cleanup()
{
    m_client.reset();
    m_hub.reset();
    m_dataDir.reset();
}

QJsonObject tst_JobTypes::runToEnd(const QString& type, const QJsonObject& params)
{
    JobApi api(*m_hub, m_token);
    const QString id = api.start(type, params);
    if (id.isEmpty())
        return {};
    // The job's last event, whichever way it ends.
    const QJsonObject end = m_client->waitFor(
        [&id](const QJsonObject& m) {
            static const QStringList ends = {QStringLiteral("job_completed"),
                                             QStringLiteral("job_failed"),
                                             QStringLiteral("job_cancelled")};
            return ends.contains(m.value(QLatin1String("event")).toString()) &&
                   m.value(QLatin1String("data")).toObject().value(QLatin1String("job_id")) == id;
        },
        60000);
    if (end.isEmpty())
        qWarning("job %s did not end", qPrintable(id));
    return api.job(id);
}

void tst_JobTypes::forecastIsComputedFromTheEntityFiles()
{
    const QJsonObject job = runToEnd(QStringLiteral("forecast"), {{QStringLiteral("months"), 3}});
    QCOMPARE(job.value(QLatin1String("status")).toString(), QStringLiteral("completed"));
    const QJsonObject result = job.value(QLatin1String("result")).toObject();
    const QJsonArray months = result.value(QLatin1String("months")).toArray();
    QCOMPARE(months.size(), 3);
    const QJsonObject first = months.first().toObject();
    QCOMPARE(first.value(QLatin1String("month")).toString(),
             QString::fromUtf8(thisMonth().left(7)));
    QCOMPARE(first.value(QLatin1String("revenue")).toDouble(), 130000.0); // grant + service
    QCOMPARE(first.value(QLatin1String("expenses")).toDouble(), 20000.0); // salary / 12
    // Then 10,000 in and 20,000 out a month: 110,000 - 2 x 10,000.
    QCOMPARE(months.last().toObject().value(QLatin1String("cash_balance")).toDouble(), 90000.0);
    QCOMPARE(result.value(QLatin1String("ending_cash")).toDouble(), 90000.0);
    QCOMPARE(result.value(QLatin1String("scenario")).toString(), QStringLiteral("baseline"));
    QCOMPARE(result.value(QLatin1String("entity_count")).toInt(), 3);
    QVERIFY(result.contains(QLatin1String("burn_rate")));
    QVERIFY(result.contains(QLatin1String("runway_months")));
}

void tst_JobTypes::forecastScenariosScaleRevenueAndExpenses()
{
    const auto firstMonth = [this](const char* scenario) {
        return runToEnd(QStringLiteral("forecast"),
                        {{QStringLiteral("months"), 1},
                         {QStringLiteral("scenario"), QString::fromLatin1(scenario)}})
            .value(QLatin1String("result"))
            .toObject()
            .value(QLatin1String("months"))
            .toArray()
            .first()
            .toObject();
    };
    const QJsonObject optimistic = firstMonth("optimistic");
    QCOMPARE(optimistic.value(QLatin1String("revenue")).toDouble(), 130000.0 * 1.2);
    QCOMPARE(optimistic.value(QLatin1String("expenses")).toDouble(), 20000.0 * 0.95);
    const QJsonObject pessimistic = firstMonth("pessimistic");
    QCOMPARE(pessimistic.value(QLatin1String("revenue")).toDouble(), 130000.0 * 0.8);
    QCOMPARE(pessimistic.value(QLatin1String("expenses")).toDouble(), 20000.0 * 1.1);
}

void tst_JobTypes::monteCarloIsReproducibleWithASeed()
{
    const QJsonObject params{
        {QStringLiteral("iterations"), 2000},
        {QStringLiteral("months"), 24},
        {QStringLiteral("seed"), 1234},
        {QStringLiteral("variables"), QJsonArray{QStringLiteral("revenue_growth")}}};
    const QJsonObject first = runToEnd(QStringLiteral("monte_carlo"), params);
    QCOMPARE(first.value(QLatin1String("status")).toString(), QStringLiteral("completed"));
    const QJsonObject result = first.value(QLatin1String("result")).toObject();
    for (const char* field : {"p5", "p50", "p95", "probability_of_running_out"})
        QVERIFY2(result.value(QLatin1String(field)).isDouble(), field);
    QVERIFY(result.value(QLatin1String("p5")).toDouble() <=
            result.value(QLatin1String("p95")).toDouble());
    QCOMPARE(result.value(QLatin1String("iterations")).toInt(), 2000);
    QCOMPARE(result.value(QLatin1String("seed")).toInteger(), 1234);

    const QJsonObject again = runToEnd(QStringLiteral("monte_carlo"), params);
    QCOMPARE(again.value(QLatin1String("result")).toObject(), result);
}

void tst_JobTypes::theDemoBookGivesMeaningfulNumbers_data()
{
    // How long ago a --demo hub copied the samples into its (then empty) entities dir.
    QTest::addColumn<int>("monthsAgo");
    QTest::newRow("copied by this hub") << 0;
    QTest::newRow("copied a month ago") << 1;
    QTest::newRow("copied six months ago") << 6;
}

void tst_JobTypes::theDemoBookGivesMeaningfulNumbers()
{
    QFETCH(int, monthsAgo);
    QTemporaryDir dataDir;
    QVERIFY(dataDir.isValid());
    HubConfig config = jobsConfig(dataDir.path());
    config.demo = true;
    config.demoSeed = 1;
    if (monthsAgo > 0) {
        // Copied by an earlier run: this hub finds the folder full and leaves it alone.
        const QDate then = EntityWatcher::todayUtc().addMonths(-monthsAgo);
        QCOMPARE(EntityWatcher::copySamples(dataDir.filePath(QStringLiteral("entities")), then),
                 std::nullopt);
    }
    TestHub hub(config);
    QVERIFY(!hub.startError);
    QVERIFY(QFileInfo::exists(
        dataDir.filePath(QStringLiteral("entities/revenue/investments/seed_round.yaml"))));
    JobApi api(hub, hub.token(QStringLiteral("alice"), Role::User));

    const QString forecastId =
        api.start(QStringLiteral("forecast"), {{QStringLiteral("months"), 24}});
    QVERIFY(!forecastId.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(api.status(forecastId), QStringLiteral("completed"), 30000);
    const QJsonObject forecast = api.job(forecastId).value(QLatin1String("result")).toObject();
    const double opening = forecast.value(QLatin1String("opening_cash")).toDouble();
    const QJsonValue runway = forecast.value(QLatin1String("runway_months"));
    qInfo("forecast: opening cash %.0f, runway %.1f months, ending cash %.0f", opening,
          runway.toDouble(), forecast.value(QLatin1String("ending_cash")).toDouble());
    QCOMPARE(forecast.value(QLatin1String("entity_count")).toInt(), 17);
    QCOMPARE(forecast.value(QLatin1String("entity_errors")).toInt(), 0);
    QVERIFY2(opening > 0, qPrintable(QString::number(opening)));
    QVERIFY(runway.isDouble());
    QVERIFY(runway.toDouble() > 6);
    QVERIFY(forecast.value(QLatin1String("burn_rate")).toDouble() > 0);

    const QString simulationId =
        api.start(QStringLiteral("monte_carlo"), {{QStringLiteral("iterations"), 20000},
                                                  {QStringLiteral("months"), 24},
                                                  {QStringLiteral("seed"), 3}});
    QVERIFY(!simulationId.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(api.status(simulationId), QStringLiteral("completed"), 30000);
    const QJsonObject simulation = api.job(simulationId).value(QLatin1String("result")).toObject();
    const double p5 = simulation.value(QLatin1String("p5")).toDouble();
    const double p50 = simulation.value(QLatin1String("p50")).toDouble();
    const double p95 = simulation.value(QLatin1String("p95")).toDouble();
    const double runningOut =
        simulation.value(QLatin1String("probability_of_running_out")).toDouble();
    qInfo("monte carlo: p5 %.0f, p50 %.0f, p95 %.0f, P(run out) %.3f", p5, p50, p95, runningOut);
    QCOMPARE(simulation.value(QLatin1String("opening_cash")).toDouble(), opening);
    QVERIFY(p5 < p50);
    QVERIFY(p50 < p95);
    QVERIFY(runningOut >= 0.0 && runningOut <= 1.0);
}

void tst_JobTypes::monteCarloCancelsWithinASecond()
{
    JobApi api(*m_hub, m_token);
    TestClient client;
    QVERIFY(client.open(m_hub->ws(QStringLiteral("/ws/v1"), m_token)));
    QVERIFY(subscribe(client, {QStringLiteral("calculations")}));
    const QString id =
        api.start(QStringLiteral("monte_carlo"), {{QStringLiteral("iterations"), 1000000},
                                                  {QStringLiteral("months"), 120},
                                                  {QStringLiteral("seed"), 7}});
    // Under way: the simulation has reported progress of its own.
    QTRY_VERIFY_WITH_TIMEOUT(api.job(id).value(QLatin1String("progress")).toDouble() > 2, 20000);
    if (api.status(id) != QLatin1String("running"))
        QSKIP("this machine finished a million iterations before the test could cancel them");

    QElapsedTimer clock;
    clock.start();
    QCOMPARE(api.cancel(id).status, 202);
    const QJsonObject failed = client.waitFor(
        [&id](const QJsonObject& m) {
            return m.value(QLatin1String("event")).toString() ==
                       QLatin1String("calculation_failed") &&
                   m.value(QLatin1String("data")).toObject().value(QLatin1String("job_id")) == id;
        },
        5000);
    QVERIFY(!failed.isEmpty());
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(failed.value(QLatin1String("data")).toObject().value(QLatin1String("status")),
             QStringLiteral("cancelled"));
    QCOMPARE(api.status(id), QStringLiteral("cancelled"));
}

void tst_JobTypes::entityValidationListsErrorsWithSuggestions()
{
    const QString entities = m_dataDir->filePath(QStringLiteral("entities"));
    QVERIFY(writeFile(entities + QStringLiteral("/expenses/employees/typo.yaml"),
                      "type: employe\nname: Typo\nstart_date: 2025-01-01\nsalary: 1000\n"));
    QVERIFY(writeFile(entities + QStringLiteral("/revenue/sales/undated.yaml"),
                      "type: sale\nname: Undated\namount: 5\n"));
    TestClient client;
    QVERIFY(client.open(m_hub->ws(QStringLiteral("/ws/v1"), m_token)));
    QVERIFY(subscribe(client, {QStringLiteral("entities")}));

    const QJsonObject job = runToEnd(QStringLiteral("entity_validation"), {});
    QCOMPARE(job.value(QLatin1String("status")).toString(), QStringLiteral("completed"));
    const QString id = job.value(QLatin1String("job_id")).toString();
    const QJsonObject result = job.value(QLatin1String("result")).toObject();
    QCOMPARE(result.value(QLatin1String("valid")).toBool(), false);
    QCOMPARE(result.value(QLatin1String("valid_entities")).toInt(), 3);
    QCOMPARE(result.value(QLatin1String("files_with_errors")).toInt(), 2);
    const QJsonArray errors = result.value(QLatin1String("errors")).toArray();
    QCOMPARE(errors.size(), result.value(QLatin1String("error_count")).toInt());
    QVERIFY(errors.size() >= 2);
    QStringList files;
    for (const QJsonValue& error : errors) {
        const QJsonObject e = error.toObject();
        files.append(e.value(QLatin1String("file_path")).toString());
        QVERIFY2(!e.value(QLatin1String("suggestion")).toString().isEmpty(),
                 qPrintable(e.value(QLatin1String("message")).toString()));
    }
    QVERIFY(files.contains(QStringLiteral("expenses/employees/typo.yaml")));
    QVERIFY(files.contains(QStringLiteral("revenue/sales/undated.yaml")));

    // Each error also went to `entities`, tagged with the job.
    QTRY_COMPARE(eventsOfJob(client, id, QStringLiteral("entities")).size(), errors.size());
    for (const auto& [event, data] : eventsOfJob(client, id, QStringLiteral("entities"))) {
        QCOMPARE(event, QStringLiteral("validation_error"));
        QVERIFY(data.contains(QLatin1String("suggestion")));
        QVERIFY(data.contains(QLatin1String("entity_id")));
    }
}

void tst_JobTypes::reportGenerationWritesADownloadableReport_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("mustContain");
    QTest::newRow("html") << "html" << QByteArray("text/html; charset=utf-8")
                          << QByteArray("<table>");
    QTest::newRow("csv") << "csv" << QByteArray("text/csv; charset=utf-8")
                         << QByteArray("month,revenue,expenses,net,cash_balance\n");
    QTest::newRow("json") << "json" << QByteArray("application/json")
                          << QByteArray("\"cash_balance\"");
}

void tst_JobTypes::reportGenerationWritesADownloadableReport()
{
    QFETCH(QString, format);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, mustContain);
    const QJsonObject job = runToEnd(QStringLiteral("report_generation"),
                                     {{QStringLiteral("format"), format},
                                      {QStringLiteral("months"), 6},
                                      {QStringLiteral("scenario"), QStringLiteral("pessimistic")}});
    QCOMPARE(job.value(QLatin1String("status")).toString(), QStringLiteral("completed"));
    const QJsonObject result = job.value(QLatin1String("result")).toObject();
    const QString name = result.value(QLatin1String("name")).toString();
    QVERIFY(name.endsWith(u'.' + format));
    QVERIFY(QFile::exists(m_dataDir->filePath(QStringLiteral("reports/") + name)));
    QCOMPARE(result.value(QLatin1String("url")).toString(),
             QStringLiteral("/api/v1/reports/") + name);

    const TestHub::Reply download =
        m_hub->send("GET", result.value(QLatin1String("url")).toString(), {}, m_token);
    QCOMPARE(download.status, 200);
    QCOMPARE(download.header("Content-Type"), contentType);
    QVERIFY2(download.body.contains(mustContain), download.body.left(300).constData());
    QCOMPARE(download.body.size(), result.value(QLatin1String("bytes")).toInt());
    QCOMPARE(download.header("X-Content-Type-Options"), QByteArray("nosniff"));
    if (format == QLatin1String("html")) {
        QVERIFY(download.body.startsWith("<!doctype html>"));
        QCOMPARE(download.body.count("<tr>"), 7); // the header and six months
    } else if (format == QLatin1String("csv")) {
        QCOMPARE(download.body.count('\n'), 7);
    } else {
        QCOMPARE(jsonObject(download.body).value(QLatin1String("months")).toArray().size(), 6);
    }
    QCOMPARE(m_hub->send("GET", result.value(QLatin1String("url")).toString()).status, 401);
}

void tst_JobTypes::onlyTheNewestReportsAreKept()
{
    QStringList names;
    for (int i = 0; i < 5; ++i) {
        names.append(runToEnd(QStringLiteral("report_generation"),
                              {{QStringLiteral("format"), QStringLiteral("csv")}})
                         .value(QLatin1String("result"))
                         .toObject()
                         .value(QLatin1String("name"))
                         .toString());
        // The report a job names is always there, however close together the jobs ran.
        QVERIFY(QFile::exists(m_dataDir->filePath(QStringLiteral("reports/") + names.last())));
    }
    const QStringList kept =
        QDir(m_dataDir->filePath(QStringLiteral("reports"))).entryList(QDir::Files);
    QCOMPARE(kept.size(), 3); // as many as the finished jobs kept
}

void tst_JobTypes::reportNamesCannotLeaveTheReportsFolder_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("encoded traversal") << QStringLiteral("/api/v1/reports/..%2Fsecret.html");
    QTest::newRow("double-encoded") << QStringLiteral("/api/v1/reports/%252e%252e%252fsecret.html");
    QTest::newRow("hidden file") << QStringLiteral("/api/v1/reports/.secret.html");
    QTest::newRow("other extension") << QStringLiteral("/api/v1/reports/switchboard.db");
    QTest::newRow("symlink out") << QStringLiteral("/api/v1/reports/linked.html");
    QTest::newRow("missing") << QStringLiteral("/api/v1/reports/forecast-none.csv");
}

void tst_JobTypes::reportNamesCannotLeaveTheReportsFolder()
{
    QFETCH(QString, path);
    QVERIFY(writeFile(m_dataDir->filePath(QStringLiteral("secret.html")), "TOP-SECRET"));
    QVERIFY(writeFile(m_dataDir->filePath(QStringLiteral("reports/.secret.html")), "TOP-SECRET"));
    QVERIFY(QFile::link(m_dataDir->filePath(QStringLiteral("secret.html")),
                        m_dataDir->filePath(QStringLiteral("reports/linked.html"))));
    const TestHub::Reply reply = m_hub->send("GET", path, {}, m_token);
    QCOMPARE(reply.status, 404);
    QVERIFY(!reply.body.contains("TOP-SECRET"));
}

QTEST_MAIN(tst_JobTypes)
#include "tst_job_types.moc"
