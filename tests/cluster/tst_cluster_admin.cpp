// Users, connections and jobs across the nodes of a cluster (SPEC §12): a real redis-server and
// two real hubs. An administrator's action taken on one node reaches the node that holds the
// target (force-disconnect, notify a user, broadcast to a room, a rate-limit block), a job
// submitted on one node is listed, fetched and cancelled from the other, connection ids never
// collide, and a node that does not answer does not hold a request up.

#include "DialectTesting.h"
#include "LightClient.h"
#include "RedisProcess.h"

#include "config/RedisUrl.h"
#include "net/Listener.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>
#include <variant>

using namespace switchboard;
using namespace switchboard::test;

namespace {

// The rate limits of every node here: a user may send 5 messages a minute; 2 refused ones
// block them for a minute.
constexpr int messagesPerMinute = 5;

HubConfig nodeConfig(const QString& redisUrl, const QString& name)
{
    HubConfig config = testConfig();
    if (const auto parsed = RedisUrl::parse(redisUrl); std::holds_alternative<RedisUrl>(parsed))
        config.redis.push_back(std::get<RedisUrl>(parsed));
    config.nodeName = name;
    config.requestsPerMinute = messagesPerMinute;
    config.rateViolationsBeforeBlock = 2;
    config.rateBlockDuration = std::chrono::minutes(1);
    // One job at a time: a second one stays queued while the first runs.
    config.maxJobs = 1;
    return config;
}

QJsonObject jsonOf(const TestHub::Reply& reply)
{
    return QJsonDocument::fromJson(reply.body).object();
}

QStringList nodeNames(TestHub& hub)
{
    QStringList names;
    const QJsonArray nodes = jsonOf(hub.send("GET", QStringLiteral("/api/v1/cluster"), {},
                                             hub.token(QStringLiteral("root"), Role::Admin)))
                                 .value(QStringLiteral("nodes"))
                                 .toArray();
    for (const QJsonValue& node : nodes)
        names.append(node.toObject().value(QStringLiteral("name")).toString());
    names.sort();
    return names;
}

QString sessionIdOf(TestClient& client)
{
    return dataOf(client.waitForType(QStringLiteral("welcome")))
        .value(QStringLiteral("session_id"))
        .toString();
}

// The HTTP status a WebSocket upgrade to `hub` with `token` gets (101: accepted).
int upgradeStatus(TestHub& hub, const QByteArray& token)
{
    LightClient client(hub.host->port(), "/ws/v1?token=" + token);
    client.start();
    if (!QTest::qWaitFor([&client] { return client.status != 0 || client.closed; }, 5000))
        return 0;
    return client.status;
}

// The ids of the jobs in a GET /api/jobs answer, or in a jobs_list / get_active_jobs reply.
QStringList jobIds(const QJsonArray& jobs)
{
    QStringList ids;
    for (const QJsonValue& job : jobs)
        ids.append(job.toObject().value(QStringLiteral("job_id")).toString());
    return ids;
}

} // namespace

class tst_ClusterAdmin : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void connectionIdsNeverCollide();
    void disconnectReachesTheOtherNode();
    void notifyReachesTheUserOnEveryNode();
    void notifyRightAfterConnectingArrives();
    void roomBroadcastReachesMembersOnEveryNode();
    void blockOnOneNodeHoldsOnEvery();
    void jobsAreListedFetchedAndCancelledFromAnyNode();
    void jobsInEveryDialectFromAnyNode();
    void silentNodeDoesNotHoldRequestsUp();

private:
    TestHub& a() { return *m_nodes[0]; }
    TestHub& b() { return *m_nodes[1]; }
    QByteArray admin() { return a().token(QStringLiteral("root"), Role::Admin); }

    std::unique_ptr<RedisProcess> m_redis;
    std::vector<std::unique_ptr<TestHub>> m_nodes;
};

void tst_ClusterAdmin::init()
{
    m_redis = std::make_unique<RedisProcess>();
    QVERIFY2(m_redis->start(), m_redis->log().constData());
    const QStringList names{QStringLiteral("node-a"), QStringLiteral("node-b")};
    for (const QString& name : names) {
        m_nodes.push_back(std::make_unique<TestHub>(nodeConfig(m_redis->url(), name)));
        QVERIFY2(!m_nodes.back()->startError,
                 qPrintable(m_nodes.back()->startError.value_or(QString())));
    }
    for (const auto& node : m_nodes)
        QTRY_COMPARE_WITH_TIMEOUT(nodeNames(*node), names, 10000);
}

void tst_ClusterAdmin::cleanup()
{
    m_nodes.clear();
    m_redis.reset();
}

// An id names one connection to every node: the nodes' prefixes differ, and prefixes carry
// enough randomness that a hundred thousand listeners would not share one (24 bits, as before,
// would have about 300 collisions among them).
void tst_ClusterAdmin::connectionIdsNeverCollide()
{
    TestClient onA, onB;
    QVERIFY(onA.open(a().ws(QStringLiteral("/ws/v1"), a().token(QStringLiteral("u"), Role::User))));
    QVERIFY(onB.open(b().ws(QStringLiteral("/ws/v1"), b().token(QStringLiteral("u"), Role::User))));
    const QString idA = sessionIdOf(onA);
    const QString idB = sessionIdOf(onB);
    QVERIFY(!idA.isEmpty() && !idB.isEmpty());
    QVERIFY(idA.size() <= 16 && idB.size() <= 16); // short and readable
    QVERIFY2(idA.section(u'-', 0, 0) != idB.section(u'-', 0, 0), qPrintable(idA + u' ' + idB));

    QSet<QString> prefixes;
    constexpr int listeners = 100'000;
    for (int i = 0; i < listeners; ++i)
        prefixes.insert(Listener::newIdPrefix());
    QCOMPARE(prefixes.size(), listeners);
}

// DELETE /api/v1/ws/connections/{id} on node a closes (1008) a connection held by node b; an
// id no node has is 404; a bystander on b stays connected.
void tst_ClusterAdmin::disconnectReachesTheOtherNode()
{
    TestClient victim, bystander;
    const QByteArray user = b().token(QStringLiteral("u"), Role::User);
    QVERIFY(victim.open(b().ws(QStringLiteral("/ws/v1"), user)));
    QVERIFY(bystander.open(b().ws(QStringLiteral("/ws/v1"), user)));
    const QString id = sessionIdOf(victim);

    const TestHub::Reply reply =
        a().send("DELETE", QStringLiteral("/api/v1/ws/connections/") + id, {}, admin());
    QCOMPARE(reply.status, 200);
    QCOMPARE(jsonOf(reply).value(QStringLiteral("disconnected")).toString(), id);
    QVERIFY(victim.waitClosed());
    QCOMPARE(victim.closeCode, 1008);
    QCOMPARE(typeOf(bystander.request(QStringLiteral("ping"), QStringLiteral("p"))),
             QStringLiteral("pong"));

    // Gone everywhere now; an id no node ever had is not found either.
    QCOMPARE(a().send("DELETE", QStringLiteral("/api/v1/ws/connections/") + id, {}, admin()).status,
             404);
    const TestHub::Reply unknown =
        a().send("DELETE", QStringLiteral("/api/v1/ws/connections/nobody-1"), {}, admin());
    QCOMPARE(unknown.status, 404);
    QCOMPARE(jsonOf(unknown).value(QStringLiteral("code")).toString(), QStringLiteral("NOT_FOUND"));
    QVERIFY(!bystander.closed);
}

// POST /api/v1/ws/users/{id}/notify on node a reaches the user's sessions on both nodes, and
// says so in `delivered`; a user connected to node b alone is found; a service of another
// tenant than the user's sessions on b is refused; a user connected nowhere is 404.
void tst_ClusterAdmin::notifyReachesTheUserOnEveryNode()
{
    const QByteArray alice = a().token(QStringLiteral("alice"), Role::User, QStringLiteral("acme"));
    const QByteArray direct = R"({"type":"direct_message","message":"Please review"})";
    const QString path = QStringLiteral("/api/v1/ws/users/alice/notify");

    TestClient onB;
    QVERIFY(onB.open(b().ws(QStringLiteral("/api/v1/ws"), alice)));
    TestHub::Reply reply = a().send("POST", path, direct, admin());
    QCOMPARE(reply.status, 200);
    QCOMPARE(jsonOf(reply).value(QStringLiteral("delivered")).toInt(), 1);
    QCOMPARE(onB.waitForType(QStringLiteral("direct_message"))
                 .value(QStringLiteral("message"))
                 .toString(),
             QStringLiteral("Please review"));

    TestClient onA;
    QVERIFY(onA.open(a().ws(QStringLiteral("/api/v1/ws"), alice)));
    QTRY_COMPARE(
        jsonOf(a().send("POST", path, direct, admin())).value(QStringLiteral("delivered")).toInt(),
        2);
    QVERIFY(!onA.waitForType(QStringLiteral("direct_message")).isEmpty());

    onA.socket.close();
    QVERIFY(onA.waitClosed());
    QCOMPARE(a().send("POST", path, direct,
                      a().token(QStringLiteral("svc"), Role::Service, QStringLiteral("globex")))
                 .status,
             403);
    QCOMPARE(a().send("POST", path, direct,
                      a().token(QStringLiteral("svc"), Role::Service, QStringLiteral("acme")))
                 .status,
             200);
    QCOMPARE(
        a().send("POST", QStringLiteral("/api/v1/ws/users/nobody/notify"), direct, admin()).status,
        404);
}

// A user who has just connected to node b is told at once from node a: b counts the user only
// once its user:{id} topic takes the cluster's publications, so what a then publishes is not
// taken for history that came before the connection. Fresh users, one after another, each
// notified as soon as its connection is open.
void tst_ClusterAdmin::notifyRightAfterConnectingArrives()
{
    const QByteArray direct = R"({"type":"direct_message","message":"Welcome"})";
    for (int i = 0; i < 40; ++i) {
        const QString user = QStringLiteral("fresh-%1").arg(i);
        TestClient onB;
        QVERIFY(onB.open(b().ws(QStringLiteral("/api/v1/ws"),
                                b().token(user, Role::User, QStringLiteral("acme")))));
        const TestHub::Reply reply = a().send(
            "POST", QStringLiteral("/api/v1/ws/users/%1/notify").arg(user), direct, admin());
        QCOMPARE(reply.status, 200);
        QCOMPARE(jsonOf(reply).value(QStringLiteral("delivered")).toInt(), 1);
        QVERIFY2(!onB.waitForType(QStringLiteral("direct_message")).isEmpty(), qPrintable(user));
    }
}

// A room whose members are all on node b is found from node a, the broadcast reaches them, and
// `delivered` counts them.
void tst_ClusterAdmin::roomBroadcastReachesMembersOnEveryNode()
{
    const QString path = QStringLiteral("/api/v1/ws/rooms/war_room/broadcast");
    const QByteArray announcement = R"({"type":"announcement","message":"Stand-up in 5"})";
    QCOMPARE(a().send("POST", path, announcement, admin()).status, 404);

    TestClient member;
    QVERIFY(
        member.open(b().ws(QStringLiteral("/ws/v1"), b().token(QStringLiteral("m"), Role::User))));
    QCOMPARE(typeOf(member.request(QStringLiteral("join_room"), QStringLiteral("j"),
                                   {{QStringLiteral("room"), QStringLiteral("war_room")}})),
             QStringLiteral("ack"));

    const TestHub::Reply reply = a().send("POST", path, announcement, admin());
    QCOMPARE(reply.status, 200);
    QCOMPARE(jsonOf(reply).value(QStringLiteral("delivered")).toInt(), 1);
    const QJsonObject event = member.waitFor([](const QJsonObject& m) {
        return typeOf(m) == QLatin1String("event") &&
               m.value(QStringLiteral("event")).toString() == QLatin1String("announcement");
    });
    QCOMPARE(dataOf(event).value(QStringLiteral("message")).toString(),
             QStringLiteral("Stand-up in 5"));
}

// A user who floods node a until blocked is refused by node b too: a new connection gets 429
// and a connection already open there is closed with 1008 at its next message.
void tst_ClusterAdmin::blockOnOneNodeHoldsOnEvery()
{
    const QByteArray mallory = a().token(QStringLiteral("mallory"), Role::User);
    TestClient onB;
    QVERIFY(onB.open(b().ws(QStringLiteral("/ws/v1"), mallory)));
    QCOMPARE(upgradeStatus(b(), mallory), 101);

    TestClient flooder;
    QVERIFY(flooder.open(a().ws(QStringLiteral("/ws/v1"), mallory)));
    for (int i = 0; i < messagesPerMinute + 5; ++i)
        flooder.send({{QStringLiteral("type"), QStringLiteral("ping")},
                      {QStringLiteral("id"), QString::number(i)}});
    QVERIFY(flooder.waitClosed());
    QCOMPARE(flooder.closeCode, 1008);

    QTRY_COMPARE_WITH_TIMEOUT(upgradeStatus(b(), mallory), 429, 10000);
    onB.send({{QStringLiteral("type"), QStringLiteral("ping")},
              {QStringLiteral("id"), QStringLiteral("p")}});
    QVERIFY(onB.waitClosed());
    QCOMPARE(onB.closeCode, 1008);
    QCOMPARE(codeOf(onB.waitForType(QStringLiteral("error"))),
             QStringLiteral("RATE_LIMIT_EXCEEDED"));
    // Someone else is not blocked.
    QCOMPARE(upgradeStatus(b(), b().token(QStringLiteral("bob"), Role::User)), 101);
}

// Two jobs submitted on node a (one running, one queued behind it, at most one at a time) are
// listed and fetched on node b, which runs neither; node b cancels both, as their owner; someone
// else may not; an id no node has is 404.
void tst_ClusterAdmin::jobsAreListedFetchedAndCancelledFromAnyNode()
{
    const QByteArray owner = a().token(QStringLiteral("olga"), Role::User);
    const QByteArray params = R"({"iterations":1000000,"months":120,"seed":3})";
    const TestHub::Reply first =
        a().send("POST", QStringLiteral("/api/jobs/monte_carlo"), params, owner);
    const TestHub::Reply second =
        a().send("POST", QStringLiteral("/api/jobs/monte_carlo"), params, owner);
    QCOMPARE(first.status, 202);
    QCOMPARE(second.status, 202);
    const QString running = jsonOf(first).value(QStringLiteral("job_id")).toString();
    const QString queued = jsonOf(second).value(QStringLiteral("job_id")).toString();
    QCOMPARE(jsonOf(b().send("GET", QStringLiteral("/api/jobs/") + queued, {}, owner))
                 .value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("queued"));

    // Listed on b, once each, newest first; b's own figures plus a's.
    const QJsonObject listed = jsonOf(b().send("GET", QStringLiteral("/api/jobs"), {}, owner));
    QCOMPARE(jobIds(listed.value(QStringLiteral("jobs")).toArray()),
             (QStringList{queued, running}));
    QCOMPARE(listed.value(QStringLiteral("queued")).toInt(), 1);
    QCOMPARE(listed.value(QStringLiteral("max_concurrent")).toInt(), 2);
    const QJsonObject queuedOnly =
        jsonOf(b().send("GET", QStringLiteral("/api/jobs?status=queued"), {}, owner));
    QCOMPARE(jobIds(queuedOnly.value(QStringLiteral("jobs")).toArray()), QStringList{queued});

    // A job submitted on b is listed on a with a's; the ids are the cluster's, not a node's.
    const TestHub::Reply third =
        b().send("POST", QStringLiteral("/api/jobs/forecast"), R"({"months":12})", owner);
    QCOMPARE(third.status, 202);
    const QString onB = jsonOf(third).value(QStringLiteral("job_id")).toString();
    const QStringList all = jobIds(jsonOf(a().send("GET", QStringLiteral("/api/jobs"), {}, owner))
                                       .value(QStringLiteral("jobs"))
                                       .toArray());
    QCOMPARE(all.size(), 3);
    QCOMPARE(QSet<QString>(all.cbegin(), all.cend()), (QSet<QString>{running, queued, onB}));

    // Cancelled from b: someone else's is refused by the node that has it; the owner's queued
    // job ends at once, the running one at its next check.
    const QByteArray stranger = b().token(QStringLiteral("sam"), Role::User);
    QCOMPARE(
        b().send("POST", QStringLiteral("/api/jobs/%1/cancel").arg(queued), {}, stranger).status,
        403);
    const TestHub::Reply cancelled =
        b().send("POST", QStringLiteral("/api/jobs/%1/cancel").arg(queued), {}, owner);
    QCOMPARE(cancelled.status, 200);
    QCOMPARE(jsonOf(cancelled).value(QStringLiteral("status")).toString(),
             QStringLiteral("cancelled"));
    QCOMPARE(jsonOf(a().send("GET", QStringLiteral("/api/jobs/") + queued, {}, owner))
                 .value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("cancelled"));
    const TestHub::Reply stopping =
        b().send("POST", QStringLiteral("/api/jobs/%1/cancel").arg(running), {}, owner);
    if (stopping.status == 409)
        QSKIP("this machine finished a million iterations before the test could cancel them");
    QCOMPARE(stopping.status, 202);
    QTRY_COMPARE_WITH_TIMEOUT(
        jsonOf(b().send("GET", QStringLiteral("/api/jobs/") + running, {}, owner))
            .value(QStringLiteral("status"))
            .toString(),
        QStringLiteral("cancelled"), 5000);

    QCOMPARE(b().send("GET", QStringLiteral("/api/jobs/no-such-job"), {}, owner).status, 404);
    QCOMPARE(b().send("POST", QStringLiteral("/api/jobs/no-such-job/cancel"), {}, owner).status,
             404);
}

// Native jobs_list and job_cancel, and 002's get_active_jobs, on node b see node a's job.
void tst_ClusterAdmin::jobsInEveryDialectFromAnyNode()
{
    const QString id = createExternalJob(a(), R"({"type":"ingest","title":"Nightly ingest"})");
    QVERIFY(!id.isEmpty());

    const QByteArray user = b().token(QStringLiteral("u"), Role::User);
    TestClient native;
    QVERIFY(native.open(b().ws(QStringLiteral("/ws/v1"), user)));
    const QJsonObject listed = native.request(QStringLiteral("jobs_list"), QStringLiteral("l"));
    QCOMPARE(typeOf(listed), QStringLiteral("ack"));
    QCOMPARE(jobIds(dataOf(listed).value(QStringLiteral("jobs")).toArray()), QStringList{id});

    TestClient assist;
    QVERIFY(assist.open(b().ws(QStringLiteral("/ws/connect"), user)));
    assist.send({{QStringLiteral("type"), QStringLiteral("get_active_jobs")}});
    const QJsonObject active = assist.waitForType(QStringLiteral("job_updates"));
    QCOMPARE(jobIds(dataOf(active).value(QStringLiteral("jobs")).toArray()), QStringList{id});

    // The job belongs to the service that created it: an administrator on b cancels it.
    TestClient root;
    QVERIFY(root.open(
        b().ws(QStringLiteral("/ws/v1"), b().token(QStringLiteral("root"), Role::Admin))));
    const QJsonObject cancelled = root.request(QStringLiteral("job_cancel"), QStringLiteral("c"),
                                               {{QStringLiteral("job_id"), id}});
    QCOMPARE(typeOf(cancelled), QStringLiteral("ack"));
    QCOMPARE(
        dataOf(cancelled).value(QStringLiteral("job")).toObject().value(QStringLiteral("status")),
        QStringLiteral("cancelled"));
    const QJsonObject missing = root.request(QStringLiteral("job_cancel"), QStringLiteral("m"),
                                             {{QStringLiteral("job_id"), QStringLiteral("nope")}});
    QCOMPARE(codeOf(missing), QStringLiteral("NOT_FOUND"));
}

// A node that is in the cluster but does not answer (stopped with SIGSTOP) costs a request
// the answer timeout, not more: the others' jobs are listed, a disconnect finds its target.
void tst_ClusterAdmin::silentNodeDoesNotHoldRequestsUp()
{
#ifndef Q_OS_UNIX
    QSKIP("needs SIGSTOP");
#else
    QProcess silent;
    silent.setProgram(QStringLiteral(SWITCHBOARD_SERVER_PATH));
    QTemporaryDir dataDir;
    silent.setArguments({QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                         QStringLiteral("--port"), QStringLiteral("0"),
                         QStringLiteral("--data-dir"), dataDir.path(), QStringLiteral("--auth"),
                         QStringLiteral("off"), QStringLiteral("--redis"), m_redis->url(),
                         QStringLiteral("--node-name"), QStringLiteral("node-s")});
    silent.start();
    QVERIFY(silent.waitForStarted());
    QTRY_COMPARE_WITH_TIMEOUT(nodeNames(a()).size(), 3, 20000);
    const QByteArray owner = a().token(QStringLiteral("olga"), Role::User);
    const QString onA = createExternalJob(a(), R"({"type":"ingest","title":"A"})");
    const QString onB = createExternalJob(b(), R"({"type":"ingest","title":"B"})");
    TestClient victim;
    QVERIFY(
        victim.open(b().ws(QStringLiteral("/ws/v1"), b().token(QStringLiteral("u"), Role::User))));
    const QString victimId = sessionIdOf(victim);

    QCOMPARE(::kill(pid_t(silent.processId()), SIGSTOP), 0);
    QElapsedTimer clock;
    clock.start();
    const TestHub::Reply listed = a().send("GET", QStringLiteral("/api/jobs"), {}, owner);
    const qint64 took = clock.elapsed();
    QCOMPARE(listed.status, 200);
    const QStringList ids = jobIds(jsonOf(listed).value(QStringLiteral("jobs")).toArray());
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()), (QSet<QString>{onA, onB}));
    QVERIFY2(took >= 900 && took < 3000, QByteArray::number(took).constData());

    clock.restart();
    QCOMPARE(a().send("DELETE", QStringLiteral("/api/v1/ws/connections/") + victimId, {}, admin())
                 .status,
             200);
    QVERIFY(victim.waitClosed());
    QCOMPARE(a().send("GET", QStringLiteral("/api/jobs/missing"), {}, owner).status, 404);
    QVERIFY2(clock.elapsed() < 6000, QByteArray::number(clock.elapsed()).constData());

    ::kill(pid_t(silent.processId()), SIGCONT);
    silent.kill();
    QVERIFY(silent.waitForFinished(5000));
#endif
}

QTEST_MAIN(tst_ClusterAdmin)
#include "tst_cluster_admin.moc"
