// The job REST API of SPEC §2.1 and §5.3 over real HTTP: every route, its access rules, its
// 400/401/403/404/409 answers, and external jobs that services report, broadcast exactly like
// built-in ones (with seed 003's messages on project:{id}).

#include "JobTesting.h"
#include "TestJobTypes.h"

#include <QDir>
#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

QString errorOf(const TestHub::Reply& reply)
{
    return jsonObject(reply.body).value(QLatin1String("error")).toString();
}

QString codeOf(const TestHub::Reply& reply)
{
    return jsonObject(reply.body).value(QLatin1String("code")).toString();
}

bool isEventFor(const QJsonObject& message, const QString& event, const QString& jobId)
{
    return message.value(QLatin1String("event")).toString() == event &&
           message.value(QLatin1String("data")).toObject().value(QLatin1String("job_id")) == jobId;
}

} // namespace

class tst_JobRoutes : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void submitAnswers202WithTheJob();
    void badParamsAre400NamingTheField_data();
    void badParamsAre400NamingTheField();
    void listFiltersByStatusAndType();
    void unknownJobsAre404();
    void everyJobRouteNeedsAToken_data();
    void everyJobRouteNeedsAToken();
    void externalRoutesNeedServiceOrAdmin();
    void onlyTheOwnerOrAnAdminCancels();
    void externalJobsBroadcastLikeBuiltInOnes();
    void externalReportsAreChecked_data();
    void externalReportsAreChecked();
    void externalReportsAreCoalesced();
    void externalProgressIsPersistedCoalesced();
    void externalJobRefusals();
    void openApiDescribesTheJobRoutes();

private:
    std::unique_ptr<QTemporaryDir> m_dataDir;
    std::unique_ptr<TestHub> m_hub;
};

void tst_JobRoutes::init()
{
    closeHoldGate();
    m_dataDir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dataDir->isValid());
    m_hub = std::make_unique<TestHub>(jobsConfig(m_dataDir->path()));
    QVERIFY(!m_hub->startError);
}

void tst_JobRoutes::cleanup()
{
    openHoldGate();
    m_hub.reset();
    m_dataDir.reset();
}

void tst_JobRoutes::submitAnswers202WithTheJob()
{
    JobApi api(*m_hub, m_hub->token(QStringLiteral("alice"), Role::User));
    const TestHub::Reply reply = api.submit(
        QStringLiteral("forecast"), {{QStringLiteral("months"), 24},
                                     {QStringLiteral("scenario"), QStringLiteral("optimistic")}});
    QCOMPARE(reply.status, 202);
    const QJsonObject job = jsonObject(reply.body);
    const QString id = job.value(QLatin1String("job_id")).toString();
    QVERIFY(!id.isEmpty());
    QCOMPARE(reply.header("Location"), QByteArray("/api/jobs/") + id.toUtf8());
    QCOMPARE(job.value(QLatin1String("job_type")).toString(), QStringLiteral("forecast"));
    QVERIFY(job.value(QLatin1String("status")).toString() == QLatin1String("queued") ||
            job.value(QLatin1String("status")).toString() == QLatin1String("running"));
    QCOMPARE(job.value(QLatin1String("params")).toObject(),
             QJsonObject({{QStringLiteral("months"), 24},
                          {QStringLiteral("scenario"), QStringLiteral("optimistic")}}));
    QCOMPARE(job.value(QLatin1String("owner")).toString(), QStringLiteral("alice"));
    QVERIFY(job.value(QLatin1String("created_at")).isString());

    QTRY_COMPARE(api.status(id), QStringLiteral("completed"));
    // Defaults are filled in and kept, so the job can be repeated exactly.
    const QString defaults = api.start(QStringLiteral("monte_carlo"));
    const QJsonObject params = api.job(defaults).value(QLatin1String("params")).toObject();
    QCOMPARE(params.value(QLatin1String("iterations")).toInt(), 1000);
    QCOMPARE(params.value(QLatin1String("months")).toInt(), 12);
    QCOMPARE(params.value(QLatin1String("variables")).toArray(),
             QJsonArray({QStringLiteral("revenue_growth"), QStringLiteral("expense_inflation")}));
    QVERIFY(params.value(QLatin1String("seed")).isDouble());
    QTRY_COMPARE(api.status(defaults), QStringLiteral("completed"));
}

void tst_JobRoutes::badParamsAre400NamingTheField_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("named"); // the error text names this

    QTest::newRow("months zero") << "forecast" << QByteArray(R"({"months":0})") << "INVALID_MESSAGE"
                                 << "months";
    QTest::newRow("months negative")
        << "forecast" << QByteArray(R"({"months":-3})") << "INVALID_MESSAGE"
        << "months";
    QTest::newRow("months too many")
        << "forecast" << QByteArray(R"({"months":121})") << "INVALID_MESSAGE"
        << "months";
    QTest::newRow("months fraction")
        << "forecast" << QByteArray(R"({"months":1.5})") << "INVALID_MESSAGE"
        << "months";
    QTest::newRow("months as text")
        << "forecast" << QByteArray(R"({"months":"12"})") << "INVALID_MESSAGE"
        << "months";
    QTest::newRow("unknown scenario")
        << "forecast" << QByteArray(R"({"scenario":"rosy"})") << "INVALID_MESSAGE"
        << "scenario";
    QTest::newRow("misspelt field")
        << "forecast" << QByteArray(R"({"month":12})") << "INVALID_MESSAGE"
        << "\"month\"";
    QTest::newRow("iterations beyond the cap")
        << "monte_carlo" << QByteArray(R"({"iterations":1000001})") << "INVALID_MESSAGE"
        << "iterations";
    QTest::newRow("iterations zero")
        << "monte_carlo" << QByteArray(R"({"iterations":0})") << "INVALID_MESSAGE"
        << "iterations";
    QTest::newRow("unknown variable")
        << "monte_carlo" << QByteArray(R"({"variables":["revenue_growth","weather"]})")
        << "INVALID_MESSAGE"
        << "variables";
    QTest::newRow("negative seed")
        << "monte_carlo" << QByteArray(R"({"seed":-1})") << "INVALID_MESSAGE"
        << "seed";
    QTest::newRow("report without format")
        << "report_generation" << QByteArray("{}") << "INVALID_MESSAGE"
        << "format";
    QTest::newRow("report as pdf")
        << "report_generation" << QByteArray(R"({"format":"pdf"})") << "INVALID_MESSAGE"
        << "format";
    QTest::newRow("validation takes nothing")
        << "entity_validation" << QByteArray(R"({"strict":true})") << "INVALID_MESSAGE"
        << "\"strict\"";
    QTest::newRow("unknown type") << "astrology" << QByteArray("{}") << "INVALID_MESSAGE"
                                  << "type";
    QTest::newRow("broken JSON") << "forecast" << QByteArray(R"({"months":)") << "INVALID_JSON"
                                 << "JSON";
    QTest::newRow("array body") << "forecast" << QByteArray("[1]") << "INVALID_MESSAGE"
                                << "object";
}

void tst_JobRoutes::badParamsAre400NamingTheField()
{
    QFETCH(QString, type);
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    QFETCH(QString, named);
    const TestHub::Reply reply = m_hub->send("POST", QStringLiteral("/api/jobs/") + type, body,
                                             m_hub->token(QStringLiteral("alice"), Role::User));
    QCOMPARE(reply.status, 400);
    QCOMPARE(codeOf(reply), code);
    QVERIFY2(errorOf(reply).contains(named), qPrintable(errorOf(reply)));
    JobApi api(*m_hub, m_hub->token(QStringLiteral("alice"), Role::User));
    QVERIFY(api.list().isEmpty()); // nothing was created
}

void tst_JobRoutes::listFiltersByStatusAndType()
{
    JobApi api(*m_hub, m_hub->token(QStringLiteral("alice"), Role::User));
    const QString failed = api.start(QStringLiteral("test_fail"));
    QTRY_COMPARE(api.status(failed), QStringLiteral("failed"));
    const QString holding = api.start(QStringLiteral("test_hold"));
    QTRY_COMPARE(api.status(holding), QStringLiteral("running"));

    QCOMPARE(api.ids(), (QStringList{holding, failed}));
    QCOMPARE(api.ids(QStringLiteral("status=failed")), QStringList{failed});
    QCOMPARE(api.ids(QStringLiteral("status=running")), QStringList{holding});
    QCOMPARE(api.ids(QStringLiteral("type=test_hold")), QStringList{holding});
    QCOMPARE(api.ids(QStringLiteral("type=test_hold&status=failed")), QStringList{});

    const TestHub::Reply all = m_hub->send("GET", QStringLiteral("/api/jobs"), {},
                                           m_hub->token(QStringLiteral("alice"), Role::User));
    const QJsonObject counts = jsonObject(all.body);
    QCOMPARE(counts.value(QLatin1String("running")).toInt(), 1);
    QCOMPARE(counts.value(QLatin1String("queued")).toInt(), 0);
    QCOMPARE(counts.value(QLatin1String("max_concurrent")).toInt(), 5);

    const TestHub::Reply bad = m_hub->send("GET", QStringLiteral("/api/jobs?status=sleeping"), {},
                                           m_hub->token(QStringLiteral("alice"), Role::User));
    QCOMPARE(bad.status, 400);
    QVERIFY(errorOf(bad).startsWith(QLatin1String("status")));
    openHoldGate();
}

void tst_JobRoutes::unknownJobsAre404()
{
    const QByteArray user = m_hub->token(QStringLiteral("alice"), Role::User);
    const QByteArray service = m_hub->token(QStringLiteral("svc"), Role::Service);
    const QString missing = QStringLiteral("00000000-0000-0000-0000-000000000000");
    for (const auto& [method, path, token] :
         {std::tuple<QByteArray, QString, QByteArray>{"GET", QStringLiteral("/api/jobs/") + missing,
                                                      user},
          std::tuple<QByteArray, QString, QByteArray>{
              "POST", QStringLiteral("/api/jobs/%1/cancel").arg(missing), user},
          std::tuple<QByteArray, QString, QByteArray>{
              "POST", QStringLiteral("/api/v1/jobs/%1/progress").arg(missing), service}}) {
        const TestHub::Reply reply =
            m_hub->send(method, path, QByteArray(R"({"progress":5})"), token);
        QCOMPARE(reply.status, 404);
        QCOMPARE(codeOf(reply), QStringLiteral("NOT_FOUND"));
    }
}

void tst_JobRoutes::everyJobRouteNeedsAToken_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::newRow("list") << QByteArray("GET") << QStringLiteral("/api/jobs");
    QTest::newRow("submit") << QByteArray("POST") << QStringLiteral("/api/jobs/forecast");
    QTest::newRow("get") << QByteArray("GET") << QStringLiteral("/api/jobs/x");
    QTest::newRow("cancel") << QByteArray("POST") << QStringLiteral("/api/jobs/x/cancel");
    QTest::newRow("external") << QByteArray("POST") << QStringLiteral("/api/v1/jobs/external");
    QTest::newRow("progress") << QByteArray("POST") << QStringLiteral("/api/v1/jobs/x/progress");
    QTest::newRow("report") << QByteArray("GET") << QStringLiteral("/api/v1/reports/a.html");
}

void tst_JobRoutes::everyJobRouteNeedsAToken()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    const TestHub::Reply anonymous = m_hub->send(method, path, QByteArray("{}"));
    QCOMPARE(anonymous.status, 401);
    QCOMPARE(codeOf(anonymous), QStringLiteral("AUTHENTICATION_FAILED"));
    const TestHub::Reply forged = m_hub->send(method, path, QByteArray("{}"), "not.a.token");
    QCOMPARE(forged.status, 401);
    const QByteArray expired =
        m_hub->token(QStringLiteral("alice"), Role::Admin, {}, std::chrono::seconds(-60));
    QCOMPARE(m_hub->send(method, path, QByteArray("{}"), expired).status, 401);
}

void tst_JobRoutes::externalRoutesNeedServiceOrAdmin()
{
    const QByteArray user = m_hub->token(QStringLiteral("alice"), Role::User);
    const QByteArray body = R"({"type":"rc_analysis","title":"Tender 7"})";
    const TestHub::Reply asUser =
        m_hub->send("POST", QStringLiteral("/api/v1/jobs/external"), body, user);
    QCOMPARE(asUser.status, 403);
    QCOMPARE(codeOf(asUser), QStringLiteral("PERMISSION_DENIED"));

    const TestHub::Reply asService =
        m_hub->send("POST", QStringLiteral("/api/v1/jobs/external"), body,
                    m_hub->token(QStringLiteral("svc"), Role::Service));
    QCOMPARE(asService.status, 201);
    const QString id = jsonObject(asService.body).value(QLatin1String("job_id")).toString();
    const TestHub::Reply progressAsUser = m_hub->send(
        "POST", QStringLiteral("/api/v1/jobs/%1/progress").arg(id), R"({"progress":5})", user);
    QCOMPARE(progressAsUser.status, 403);
    const TestHub::Reply asAdmin =
        m_hub->send("POST", QStringLiteral("/api/v1/jobs/external"), body,
                    m_hub->token(QStringLiteral("root"), Role::Admin));
    QCOMPARE(asAdmin.status, 201);
}

void tst_JobRoutes::onlyTheOwnerOrAnAdminCancels()
{
    JobApi alice(*m_hub, m_hub->token(QStringLiteral("alice"), Role::User));
    JobApi bob(*m_hub, m_hub->token(QStringLiteral("bob"), Role::User));
    JobApi admin(*m_hub, m_hub->token(QStringLiteral("root"), Role::Admin));
    const QString first = alice.start(QStringLiteral("test_hold"));
    const QString second = alice.start(QStringLiteral("test_hold"));
    QTRY_COMPARE(alice.status(second), QStringLiteral("running"));

    const TestHub::Reply refused = bob.cancel(first);
    QCOMPARE(refused.status, 403);
    QCOMPARE(codeOf(refused), QStringLiteral("PERMISSION_DENIED"));
    QCOMPARE(bob.status(first), QStringLiteral("running")); // anyone may look
    QCOMPARE(alice.cancel(first).status, 202);
    QCOMPARE(admin.cancel(second).status, 202);
    QTRY_COMPARE(alice.status(first), QStringLiteral("cancelled"));
    QTRY_COMPARE(alice.status(second), QStringLiteral("cancelled"));
}

void tst_JobRoutes::externalJobsBroadcastLikeBuiltInOnes()
{
    const QByteArray service =
        m_hub->token(QStringLiteral("tenderbot"), Role::Service, QStringLiteral("acme"));
    // A job reports to a project of its service's tenant; an admin may watch any project.
    const QByteArray admin = m_hub->token(QStringLiteral("root"), Role::Admin);
    QVERIFY(
        m_hub->send("PUT", QStringLiteral("/api/v1/projects/p-42"), R"({"tenant":"acme"})", admin)
            .status < 300);
    TestClient watcher;
    QVERIFY(watcher.open(
        m_hub->ws(QStringLiteral("/ws/v1"), m_hub->token(QStringLiteral("root"), Role::Admin))));
    QVERIFY(subscribe(watcher, {QStringLiteral("jobs"), QStringLiteral("project:p-42")}));

    const TestHub::Reply created = m_hub->send(
        "POST", QStringLiteral("/api/v1/jobs/external"),
        R"({"type":"rc_analysis","title":"Analyse the RC","project_id":"p-42"})", service);
    QCOMPARE(created.status, 201);
    const QJsonObject job = jsonObject(created.body);
    const QString id = job.value(QLatin1String("job_id")).toString();
    QCOMPARE(job.value(QLatin1String("status")).toString(), QStringLiteral("running"));
    QCOMPARE(job.value(QLatin1String("external")).toBool(), true);
    QCOMPARE(job.value(QLatin1String("title")).toString(), QStringLiteral("Analyse the RC"));
    QCOMPARE(job.value(QLatin1String("project_id")).toString(), QStringLiteral("p-42"));
    QVERIFY(!watcher
                 .waitFor([&id](const QJsonObject& m) {
                     return isEventFor(m, QStringLiteral("job_started"), id);
                 })
                 .isEmpty());

    const TestHub::Reply progress =
        m_hub->send("POST", QStringLiteral("/api/v1/jobs/%1/progress").arg(id),
                    R"({"progress":40,"status":"running","message":"Analysing"})", service);
    QCOMPARE(progress.status, 200);
    QCOMPARE(jsonObject(progress.body).value(QLatin1String("progress")).toInt(), 40);
    const QJsonObject jobProgress = watcher.waitFor(
        [&id](const QJsonObject& m) { return isEventFor(m, QStringLiteral("job_progress"), id); });
    QCOMPARE(jobProgress.value(QLatin1String("data")).toObject().value(QLatin1String("progress")),
             40);
    // An rc_analysis job reports as seed 003's rc_analysis_progress {status, progress, message}.
    const QJsonObject analysis = watcher.waitFor([](const QJsonObject& m) {
        return m.value(QLatin1String("event")).toString() ==
                   QLatin1String("rc_analysis_progress") &&
               m.value(QLatin1String("data")).toObject().value(QLatin1String("progress")) == 40;
    });
    QCOMPARE(analysis.value(QLatin1String("topic")).toString(), QStringLiteral("project:p-42"));
    const QJsonObject seed003 = analysis.value(QLatin1String("data")).toObject();
    QCOMPARE(seed003.value(QLatin1String("status")).toString(), QStringLiteral("running"));
    QCOMPARE(seed003.value(QLatin1String("message")).toString(), QStringLiteral("Analysing"));
    QVERIFY(seed003.value(QLatin1String("timestamp")).isString());
    QVERIFY(!seed003.contains(QLatin1String("sections_total")));

    const TestHub::Reply done = m_hub->send(
        "POST", QStringLiteral("/api/v1/jobs/%1/progress").arg(id),
        R"({"progress":100,"status":"completed","message":"Done","result":{"requirements":12}})",
        service);
    QCOMPARE(done.status, 200);
    const QJsonObject completed = watcher.waitFor(
        [&id](const QJsonObject& m) { return isEventFor(m, QStringLiteral("job_completed"), id); });
    QCOMPARE(completed.value(QLatin1String("data")).toObject().value(QLatin1String("result")),
             QJsonObject({{QStringLiteral("requirements"), 12}}));
    const QJsonObject completion = watcher.waitFor([](const QJsonObject& m) {
        return m.value(QLatin1String("event")).toString() == QLatin1String("completion");
    });
    QCOMPARE(completion.value(QLatin1String("topic")).toString(), QStringLiteral("project:p-42"));
    const QJsonObject completionData = completion.value(QLatin1String("data")).toObject();
    QCOMPARE(completionData.value(QLatin1String("operation")).toString(),
             QStringLiteral("Analyse the RC"));
    QCOMPARE(completionData.value(QLatin1String("result")).toObject(),
             QJsonObject({{QStringLiteral("requirements"), 12}}));
    QVERIFY(completionData.value(QLatin1String("timestamp")).isString());

    // Listed and kept like any job.
    JobApi api(*m_hub, m_hub->token(QStringLiteral("alice"), Role::User));
    QCOMPARE(api.status(id), QStringLiteral("completed"));
    QCOMPARE(api.ids(QStringLiteral("type=rc_analysis")), QStringList{id});

    // A failure reaches the project as seed 003's `error`.
    const QString second = jsonObject(m_hub
                                          ->send("POST", QStringLiteral("/api/v1/jobs/external"),
                                                 R"({"type":"matching","title":"Match",
                                                     "project_id":"p-42"})",
                                                 service)
                                          .body)
                               .value(QLatin1String("job_id"))
                               .toString();
    QCOMPARE(m_hub
                 ->send("POST", QStringLiteral("/api/v1/jobs/%1/progress").arg(second),
                        R"({"status":"failed","error":"the model timed out"})", service)
                 .status,
             200);
    const QJsonObject error = watcher.waitFor([](const QJsonObject& m) {
        return m.value(QLatin1String("event")).toString() == QLatin1String("error") &&
               m.value(QLatin1String("topic")).toString() == QLatin1String("project:p-42");
    });
    QCOMPARE(error.value(QLatin1String("data")).toObject().value(QLatin1String("error")),
             QStringLiteral("the model timed out"));
    QCOMPARE(error.value(QLatin1String("data")).toObject().value(QLatin1String("operation")),
             QStringLiteral("Match"));
    QCOMPARE(api.job(second).value(QLatin1String("error")).toString(),
             QStringLiteral("the model timed out"));
}

void tst_JobRoutes::externalReportsAreChecked_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("named");
    QTest::newRow("progress too big") << QByteArray(R"({"progress":101})") << "progress";
    QTest::newRow("progress as text") << QByteArray(R"({"progress":"half"})") << "progress";
    QTest::newRow("unknown status") << QByteArray(R"({"status":"paused"})") << "status";
    QTest::newRow("queued is not a report") << QByteArray(R"({"status":"queued"})") << "status";
    QTest::newRow("result not an object")
        << QByteArray(R"({"status":"completed","result":[1]})") << "result";
    QTest::newRow("message not text") << QByteArray(R"({"message":7})") << "message";
    QTest::newRow("unknown field") << QByteArray(R"({"percent":5})") << "\"percent\"";
    QTest::newRow("nothing reported") << QByteArray("{}") << "progress";
}

void tst_JobRoutes::externalReportsAreChecked()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, named);
    const QByteArray service = m_hub->token(QStringLiteral("svc"), Role::Service);
    const QString id = jsonObject(m_hub
                                      ->send("POST", QStringLiteral("/api/v1/jobs/external"),
                                             R"({"type":"ingest","title":"Ingest"})", service)
                                      .body)
                           .value(QLatin1String("job_id"))
                           .toString();
    const TestHub::Reply reply =
        m_hub->send("POST", QStringLiteral("/api/v1/jobs/%1/progress").arg(id), body, service);
    QCOMPARE(reply.status, 400);
    QCOMPARE(codeOf(reply), QStringLiteral("INVALID_MESSAGE"));
    QVERIFY2(errorOf(reply).contains(named), qPrintable(errorOf(reply)));
}

void tst_JobRoutes::externalReportsAreCoalesced()
{
    const QByteArray service = m_hub->token(QStringLiteral("svc"), Role::Service);
    TestClient watcher;
    QVERIFY(watcher.open(m_hub->ws(QStringLiteral("/ws/v1"), service)));
    QVERIFY(subscribe(watcher, {QStringLiteral("jobs")}));
    const QString id = jsonObject(m_hub
                                      ->send("POST", QStringLiteral("/api/v1/jobs/external"),
                                             R"({"type":"ingest","title":"Ingest"})", service)
                                      .body)
                           .value(QLatin1String("job_id"))
                           .toString();
    // 50 reports as fast as HTTP goes: far fewer job_progress events, the last one current.
    for (int i = 1; i <= 50; ++i) {
        QCOMPARE(m_hub
                     ->send("POST", QStringLiteral("/api/v1/jobs/%1/progress").arg(id),
                            jsonBody({{QStringLiteral("progress"), i}}), service)
                     .status,
                 200);
    }
    QVERIFY(!watcher
                 .waitFor([&id](const QJsonObject& m) {
                     return isEventFor(m, QStringLiteral("job_progress"), id) &&
                            m.value(QLatin1String("data"))
                                    .toObject()
                                    .value(QLatin1String("progress")) == 50;
                 })
                 .isEmpty());
    const auto events = eventsOfJob(watcher, id);
    qsizetype updates = 0;
    for (const auto& [event, data] : events)
        updates += event == QLatin1String("job_progress") ? 1 : 0;
    QVERIFY2(updates < 50, qPrintable(QString::number(updates)));
}

void tst_JobRoutes::externalProgressIsPersistedCoalesced()
{
    const QByteArray service = m_hub->token(QStringLiteral("svc"), Role::Service);
    const QString id = jsonObject(m_hub
                                      ->send("POST", QStringLiteral("/api/v1/jobs/external"),
                                             R"({"type":"ingest","title":"Ingest"})", service)
                                      .body)
                           .value(QLatin1String("job_id"))
                           .toString();
    QVERIFY(!id.isEmpty());

    // The hub's own database file, seen through a connection of the test's: a trigger counts
    // every row the hub writes into the jobs table from now on.
    const QString path = QDir(m_dataDir->path()).filePath(QStringLiteral("switchboard.db"));
    const QString name = QStringLiteral("writes-probe");
    {
        QSqlDatabase probe = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        probe.setDatabaseName(path);
        QVERIFY(probe.open());
        QSqlQuery query(probe);
        QVERIFY(query.exec(QStringLiteral("CREATE TABLE job_writes (n INTEGER NOT NULL)")));
        QVERIFY(query.exec(QStringLiteral("INSERT INTO job_writes VALUES (0)")));
        QVERIFY(query.exec(QStringLiteral("CREATE TRIGGER count_job_writes AFTER INSERT ON jobs "
                                          "BEGIN UPDATE job_writes SET n = n + 1; END")));
    }
    const auto scalar = [&name](const QString& sql) {
        QSqlQuery query(QSqlDatabase::database(name));
        return query.exec(sql) && query.next() ? query.value(0) : QVariant();
    };
    const auto row = [&](const char* column) {
        return scalar(
            QStringLiteral("SELECT %1 FROM jobs WHERE id = '%2'").arg(QLatin1String(column), id));
    };

    // 1000 reports as fast as HTTP goes: each acknowledged, far fewer writes.
    constexpr int reports = 1000;
    QElapsedTimer sending;
    sending.start();
    for (int i = 1; i <= reports; ++i) {
        const TestHub::Reply reply =
            m_hub->send("POST", QStringLiteral("/api/v1/jobs/%1/progress").arg(id),
                        jsonBody({{QStringLiteral("progress"), i * 99 / reports},
                                  {QStringLiteral("message"), QStringLiteral("step %1").arg(i)}}),
                        service);
        QCOMPARE(reply.status, 200);
    }
    // The latest values reach the file, without another report to push them.
    QTRY_COMPARE_WITH_TIMEOUT(row("progress").toInt(), 99, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(row("message").toString(), QStringLiteral("step 1000"), 5000);
    const qint64 elapsedMs = sending.elapsed();
    const int progressWrites = scalar(QStringLiteral("SELECT n FROM job_writes")).toInt();
    qInfo("%d progress reports in %lld ms: %d writes", reports, elapsedMs, progressWrites);
    QVERIFY(progressWrites >= 1);
    // A write each time the tracker broadcasts (the first report at once, then at most one
    // per 100 ms), however fast the reports come; far fewer than one per report.
    QVERIFY2(progressWrites <= elapsedMs / 100 + 2, qPrintable(QString::number(progressWrites)));
    QVERIFY2(progressWrites < reports / 4, qPrintable(QString::number(progressWrites)));

    // A change of status is durable before it is acknowledged: in the file at once.
    QCOMPARE(m_hub
                 ->send("POST", QStringLiteral("/api/v1/jobs/%1/progress").arg(id),
                        R"({"status":"completed","result":{"rows":7}})", service)
                 .status,
             200);
    QCOMPARE(row("status").toString(), QStringLiteral("completed"));
    QCOMPARE(row("progress").toInt(), 100);
    QSqlDatabase::removeDatabase(name);
}

void tst_JobRoutes::externalJobRefusals()
{
    const QByteArray service = m_hub->token(QStringLiteral("svc"), Role::Service);
    const QByteArray otherService = m_hub->token(QStringLiteral("other"), Role::Service);
    const auto create = [this, &service](const QByteArray& body) {
        return m_hub->send("POST", QStringLiteral("/api/v1/jobs/external"), body, service);
    };
    QCOMPARE(create(R"({"title":"x"})").status, 400);
    QVERIFY(errorOf(create(R"({"title":"x"})")).startsWith(QLatin1String("type")));
    QVERIFY(errorOf(create(R"({"type":"a b","title":"x"})")).startsWith(QLatin1String("type")));
    QVERIFY(errorOf(create(R"({"type":"ingest"})")).startsWith(QLatin1String("title")));
    QVERIFY(errorOf(create(R"({"type":"ingest","title":"x","project_id":"a b"})"))
                .startsWith(QLatin1String("project_id")));
    QVERIFY(errorOf(create(R"({"type":"ingest","title":"x","owner":"me"})"))
                .contains(QLatin1String("\"owner\"")));
    // Progress goes to the project's topic: only to a project of the service's own tenant
    // (a service without a tenant has none), or from an administrator.
    QCOMPARE(m_hub
                 ->send("PUT", QStringLiteral("/api/v1/projects/p-acme"), R"({"tenant":"acme"})",
                        m_hub->token(QStringLiteral("root"), Role::Admin))
                 .status,
             201);
    const QByteArray onProject = R"({"type":"ingest","title":"x","project_id":"p-acme"})";
    const auto createAs = [this, &onProject](const QByteArray& token) {
        return m_hub->send("POST", QStringLiteral("/api/v1/jobs/external"), onProject, token);
    };
    QCOMPARE(
        createAs(m_hub->token(QStringLiteral("svc"), Role::Service, QStringLiteral("acme"))).status,
        201);
    QCOMPARE(createAs(m_hub->token(QStringLiteral("svc"), Role::Service, QStringLiteral("globex")))
                 .status,
             403);
    QCOMPARE(createAs(service).status, 403);
    QCOMPARE(createAs(m_hub->token(QStringLiteral("root"), Role::Admin)).status, 201);
    QCOMPARE(m_hub
                 ->send("POST", QStringLiteral("/api/v1/jobs/external"),
                        R"({"type":"ingest","title":"x","project_id":"unregistered"})",
                        m_hub->token(QStringLiteral("svc"), Role::Service, QStringLiteral("acme")))
                 .status,
             403);

    const QString id = jsonObject(create(R"({"type":"ingest","title":"Ingest"})").body)
                           .value(QLatin1String("job_id"))
                           .toString();
    const QString path = QStringLiteral("/api/v1/jobs/%1/progress").arg(id);
    // Another service does not report someone else's job; an admin may.
    QCOMPARE(m_hub->send("POST", path, R"({"progress":1})", otherService).status, 403);
    QCOMPARE(m_hub
                 ->send("POST", path, R"({"progress":2})",
                        m_hub->token(QStringLiteral("root"), Role::Admin))
                 .status,
             200);
    // A user cancels it like any job; a report after that is a conflict.
    JobApi api(*m_hub, m_hub->token(QStringLiteral("root"), Role::Admin));
    QCOMPARE(api.cancel(id).status, 200);
    const TestHub::Reply late = m_hub->send("POST", path, R"({"progress":3})", service);
    QCOMPARE(late.status, 409);
    QVERIFY(errorOf(late).contains(QLatin1String("cancelled")));

    // Built-in jobs report their own progress.
    const QString builtIn = api.start(QStringLiteral("test_hold"));
    QCOMPARE(m_hub
                 ->send("POST", QStringLiteral("/api/v1/jobs/%1/progress").arg(builtIn),
                        R"({"progress":50})", service)
                 .status,
             409);
    openHoldGate();
}

void tst_JobRoutes::openApiDescribesTheJobRoutes()
{
    const QJsonObject paths = jsonObject(m_hub->send("GET", QStringLiteral("/openapi.json")).body)
                                  .value(QLatin1String("paths"))
                                  .toObject();
    for (const auto& [path, method] :
         {std::pair{"/api/jobs", "get"}, std::pair{"/api/jobs/{type}", "post"},
          std::pair{"/api/jobs/{id}", "get"}, std::pair{"/api/jobs/{id}/cancel", "post"},
          std::pair{"/api/v1/jobs/external", "post"},
          std::pair{"/api/v1/jobs/{id}/progress", "post"},
          std::pair{"/api/v1/reports/{name}", "get"}}) {
        const QJsonObject operation =
            paths.value(QLatin1String(path)).toObject().value(QLatin1String(method)).toObject();
        QVERIFY2(!operation.isEmpty(), path);
        QVERIFY2(operation.contains(QLatin1String("security")), path);
    }
    // Each job type's params are described.
    const QJsonArray types = paths.value(QLatin1String("/api/jobs/{type}"))
                                 .toObject()
                                 .value(QLatin1String("post"))
                                 .toObject()
                                 .value(QLatin1String("requestBody"))
                                 .toObject()
                                 .value(QLatin1String("content"))
                                 .toObject()
                                 .value(QLatin1String("application/json"))
                                 .toObject()
                                 .value(QLatin1String("schema"))
                                 .toObject()
                                 .value(QLatin1String("oneOf"))
                                 .toArray();
    QStringList titles;
    for (const QJsonValue& type : types)
        titles.append(type.toObject().value(QLatin1String("title")).toString());
    for (const char* name : {"forecast", "monte_carlo", "entity_validation", "report_generation"})
        QVERIFY2(titles.contains(QLatin1String(name)), name);
}

QTEST_MAIN(tst_JobRoutes)
#include "tst_job_routes.moc"
