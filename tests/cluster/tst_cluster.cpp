// Several hubs behind Redis act as one (SPEC §12): real redis-server processes on free loopback
// ports, two real hubs (each with its own thread, port and data folder), clients over real
// sockets. Events reach every node exactly once and in order, `since` resumes on any node, a
// history Redis lost gives `resync`, the nodes see each other, and Redis stopped, slow or back
// leaves every node serving its own clients and healing by itself.

#include "CollabClient.h"
#include "DialectTesting.h"
#include "RedisProcess.h"

#include "config/RedisUrl.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <variant>

using namespace switchboard;
using namespace switchboard::test;

namespace {

// How long a node may take to notice Redis came back: the reconnect backoff is capped, and a
// stalled Redis is dropped after 3 s.
constexpr int healTimeoutMs = 20000;

HubConfig nodeConfig(const QStringList& urls, const QString& name)
{
    HubConfig config = testConfig();
    for (const QString& url : urls) {
        const auto parsed = RedisUrl::parse(url);
        if (const RedisUrl* redis = std::get_if<RedisUrl>(&parsed))
            config.redis.push_back(*redis);
    }
    config.nodeName = name;
    return config;
}

QJsonObject getJson(TestHub& hub, const QString& path)
{
    return QJsonDocument::fromJson(
               hub.send("GET", path, {}, hub.token(QStringLiteral("root"), Role::Admin)).body)
        .object();
}

// The names of the nodes `hub` sees in GET /api/v1/cluster.
QStringList nodeNames(TestHub& hub)
{
    QStringList names;
    const QJsonArray nodes =
        getJson(hub, QStringLiteral("/api/v1/cluster")).value(QStringLiteral("nodes")).toArray();
    for (const QJsonValue& node : nodes)
        names.append(node.toObject().value(QStringLiteral("name")).toString());
    names.sort();
    return names;
}

QString healthStatus(TestHub& hub)
{
    return getJson(hub, QStringLiteral("/health")).value(QStringLiteral("status")).toString();
}

QJsonObject publishData(const QString& topic, const QString& event, const QJsonObject& data)
{
    return {{QStringLiteral("topic"), topic},
            {QStringLiteral("event"), event},
            {QStringLiteral("data"), data}};
}

// A native client subscribed to `topic` (the ack means its node stands where the cluster has
// the topic), or null.
std::unique_ptr<TestClient> subscriber(TestHub& hub, const QString& topic,
                                       const QJsonObject& since = {})
{
    auto client = std::make_unique<TestClient>();
    if (!client->open(
            hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("reader"), Role::User))))
        return {};
    QJsonObject data{{QStringLiteral("topics"), QJsonArray{topic}}};
    if (!since.isEmpty())
        data.insert(QStringLiteral("since"), since);
    if (typeOf(client->request(QStringLiteral("subscribe"), QStringLiteral("s"), data)) !=
        QLatin1String("ack"))
        return {};
    return client;
}

QList<int> seqsOf(const QList<QJsonObject>& events)
{
    QList<int> seqs;
    for (const QJsonObject& event : events)
        seqs.append(event.value(QStringLiteral("seq")).toInt());
    return seqs;
}

QList<int> range(int from, int to)
{
    QList<int> values;
    for (int i = from; i <= to; ++i)
        values.append(i);
    return values;
}

} // namespace

class tst_Cluster : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void nodesSeeEachOther();
    void eventsReachEveryNodeOnceInOrder();
    void concurrentPublishersShareOneNumbering();
    void publishedDataCrossesNodesAsWritten();
    void aPublicationAfterASubscribeReachesTheSubscriber();
    void resumeOnAnotherNode();
    void lostHistoryGivesResync();
    void redisDownKeepsLocalDeliveryAndHeals();
    void slowRedisIsDroppedAndHeals();
    void topicsSpreadOverShards();
    void killedNodeLeavesTheCluster();

private:
    // Starts `count` hubs named node-a, node-b, … on `urls` and waits until each sees them all.
    bool startNodes(const QStringList& urls, int count = 2);

    std::unique_ptr<RedisProcess> m_redis;
    std::vector<std::unique_ptr<TestHub>> m_nodes;
};

void tst_Cluster::init()
{
    m_redis = std::make_unique<RedisProcess>();
    QVERIFY2(m_redis->start(), m_redis->log().constData());
}

void tst_Cluster::cleanup()
{
    m_nodes.clear();
    m_redis.reset();
}

bool tst_Cluster::startNodes(const QStringList& urls, int count)
{
    QStringList expected;
    for (int i = 0; i < count; ++i) {
        const QString name = QStringLiteral("node-") + QChar(u'a' + i);
        expected.append(name);
        m_nodes.push_back(std::make_unique<TestHub>(nodeConfig(urls, name)));
        if (m_nodes.back()->startError) {
            qWarning("%s did not start: %s", qPrintable(name),
                     qPrintable(*m_nodes.back()->startError));
            return false;
        }
    }
    for (const auto& node : m_nodes) {
        if (!QTest::qWaitFor([&] { return nodeNames(*node) == expected; }, 10000)) {
            qWarning("a node sees %s", qPrintable(nodeNames(*node).join(u',')));
            return false;
        }
    }
    return true;
}

// GET /api/v1/cluster on either node lists both, with their connections; the stats and /health
// add the cluster's totals; /metrics says Redis is up. Only an administrator reads the list.
void tst_Cluster::nodesSeeEachOther()
{
    QVERIFY(startNodes({m_redis->url()}));
    TestHub& a = *m_nodes[0];
    TestHub& b = *m_nodes[1];
    TestClient onB;
    QVERIFY(onB.open(b.ws(QStringLiteral("/ws/v1"), b.token(QStringLiteral("u"), Role::User))));

    const auto connectionsOf = [&a](const QString& name) {
        const QJsonArray nodes =
            getJson(a, QStringLiteral("/api/v1/cluster")).value(QStringLiteral("nodes")).toArray();
        for (const QJsonValue& node : nodes) {
            if (node.toObject().value(QStringLiteral("name")).toString() == name)
                return node.toObject().value(QStringLiteral("connections")).toInt(-1);
        }
        return -1;
    };
    // Node b's figures reach node a with its next heartbeat.
    QTRY_COMPARE_WITH_TIMEOUT(connectionsOf(QStringLiteral("node-b")), 1, 10000);
    const QJsonObject cluster = getJson(a, QStringLiteral("/api/v1/cluster"));
    QCOMPARE(cluster.value(QStringLiteral("clustered")).toBool(), true);
    QCOMPARE(cluster.value(QStringLiteral("node")).toString(), QStringLiteral("node-a"));
    QCOMPARE(cluster.value(QStringLiteral("degraded")).toBool(), false);
    const QJsonArray shards = cluster.value(QStringLiteral("redis")).toArray();
    QCOMPARE(shards.size(), 1);
    QCOMPARE(shards.first().toObject().value(QStringLiteral("up")).toBool(), true);

    QCOMPARE(getJson(a, QStringLiteral("/api/v1/ws/stats"))
                 .value(QStringLiteral("cluster"))
                 .toObject()
                 .value(QStringLiteral("nodes"))
                 .toInt(),
             2);
    QCOMPARE(healthStatus(a), QStringLiteral("healthy"));
    const QByteArray metrics = a.send("GET", QStringLiteral("/metrics")).body;
    QVERIFY2(metrics.contains("switchboard_redis_up{"), metrics.constData());
    QVERIFY(metrics.contains("switchboard_cluster_nodes 2"));

    QCOMPARE(a.send("GET", QStringLiteral("/api/v1/cluster"), {},
                    a.token(QStringLiteral("u"), Role::User))
                 .status,
             403);
}

// Publications on either node, by REST and over WebSocket, reach the subscribers of both nodes
// exactly once, numbered by the cluster, in order — native and 000 alike.
void tst_Cluster::eventsReachEveryNodeOnceInOrder()
{
    QVERIFY(startNodes({m_redis->url()}));
    TestHub& a = *m_nodes[0];
    TestHub& b = *m_nodes[1];
    // 000 subscribes to its document's topics only; jobs is one.
    const QString topic = QStringLiteral("jobs");
    const auto onA = subscriber(a, topic);
    const auto onB = subscriber(b, topic);
    QVERIFY(onA && onB);
    TestClient status; // 000's /ws/status on node b
    QVERIFY(
        status.open(b.ws(QStringLiteral("/ws/status"), b.token(QStringLiteral("u"), Role::User))));
    status.send({{QStringLiteral("type"), QStringLiteral("subscribe")},
                 {QStringLiteral("data"), QJsonObject{{QStringLiteral("topic"), topic}}}});
    QVERIFY(!status.waitForType(QStringLiteral("subscribed")).isEmpty());

    constexpr int count = 30;
    for (int i = 1; i <= count; ++i) {
        TestHub& via = i % 2 ? a : b;
        const TestHub::Reply reply =
            via.send("POST", QStringLiteral("/api/v1/publish"),
                     json({{QStringLiteral("topic"), topic},
                           {QStringLiteral("type"), QStringLiteral("job_progress")},
                           {QStringLiteral("data"), QJsonObject{{QStringLiteral("i"), i}}}}),
                     via.token(QStringLiteral("svc"), Role::Service));
        QCOMPARE(reply.status, 200);
        // The answer carries the cluster's number.
        QCOMPARE(QJsonDocument::fromJson(reply.body).object().value(QStringLiteral("seq")).toInt(),
                 i);
    }
    for (TestClient* client : {onA.get(), onB.get()}) {
        QTRY_COMPARE(client->messagesOfType(QStringLiteral("event")).size(), count);
        const QList<QJsonObject> events = client->messagesOfType(QStringLiteral("event"));
        QCOMPARE(seqsOf(events), range(1, count));
        for (const QJsonObject& event : events)
            QCOMPARE(dataOf(event).value(QStringLiteral("i")).toInt(),
                     event.value(QStringLiteral("seq")).toInt());
    }
    QTRY_COMPARE(status.messagesOfType(QStringLiteral("job_progress")).size(), count);
    QList<int> order;
    for (const QJsonObject& progress : status.messagesOfType(QStringLiteral("job_progress")))
        order.append(dataOf(progress).value(QStringLiteral("i")).toInt());
    QCOMPARE(order, range(1, count));
    // Nothing more comes: each publication was delivered once.
    TestClient probe;
    QVERIFY(probe.open(a.ws(QStringLiteral("/ws/v1"), a.token(QStringLiteral("p"), Role::User))));
    QCOMPARE(typeOf(probe.request(QStringLiteral("ping"), QStringLiteral("p"))),
             QStringLiteral("pong"));
    QCOMPARE(onB->messagesOfType(QStringLiteral("event")).size(), count);
}

// A node that begins to watch a topic and publishes to it at once (a 004 join subscribes the
// member to its room and publishes room_state) delivers that publication to the new subscriber,
// though Redis may number it before the node's SUBSCRIBE took effect. Each room is new, so each
// join races its node's SUBSCRIBE.
void tst_Cluster::aPublicationAfterASubscribeReachesTheSubscriber()
{
    QVERIFY(startNodes({m_redis->url()}));
    for (int i = 0; i < 20; ++i) {
        const QString room = QStringLiteral("fresh-%1").arg(i);
        CollabClient alice;
        QVERIFY(alice.connectAs(*m_nodes[i % 2], QStringLiteral("alice")));
        const qsizetype from = alice.exchange(
            message(QStringLiteral("join_room"), {{QStringLiteral("room_id"), room}}));
        const QJsonObject state = alice.next(QStringLiteral("room_state"), from);
        QVERIFY2(!state.isEmpty(), qPrintable(room));
    }
}

// Two publishers on two nodes at once, neither waiting for its acks: every subscriber sees one
// gap-free numbering, each publisher's own order kept within it.
void tst_Cluster::concurrentPublishersShareOneNumbering()
{
    QVERIFY(startNodes({m_redis->url()}));
    const QString topic = QStringLiteral("orders");
    const auto onA = subscriber(*m_nodes[0], topic);
    const auto onB = subscriber(*m_nodes[1], topic);
    QVERIFY(onA && onB);
    constexpr int each = 40;
    TestClient publishers[2];
    for (int p = 0; p < 2; ++p) {
        TestHub& node = *m_nodes[size_t(p)];
        QVERIFY(publishers[p].open(
            node.ws(QStringLiteral("/ws/v1"), node.token(QStringLiteral("svc"), Role::Service))));
    }
    for (int i = 0; i < each; ++i) {
        for (int p = 0; p < 2; ++p) {
            publishers[p].send({{QStringLiteral("type"), QStringLiteral("publish")},
                                {QStringLiteral("id"), QString::number(i)},
                                {QStringLiteral("data"), publishData(topic, QStringLiteral("order"),
                                                                     {{QStringLiteral("p"), p},
                                                                      {QStringLiteral("i"), i}})}});
        }
    }
    for (TestClient* client : {onA.get(), onB.get()}) {
        QTRY_COMPARE(client->messagesOfType(QStringLiteral("event")).size(), 2 * each);
        const QList<QJsonObject> events = client->messagesOfType(QStringLiteral("event"));
        QCOMPARE(seqsOf(events), range(1, 2 * each));
        int next[2] = {0, 0};
        for (const QJsonObject& event : events) {
            const int p = dataOf(event).value(QStringLiteral("p")).toInt();
            QCOMPARE(dataOf(event).value(QStringLiteral("i")).toInt(), next[p]++);
        }
    }
    // Both nodes' views of the events are the same, event by event.
    QCOMPARE(onA->messagesOfType(QStringLiteral("event")),
             onB->messagesOfType(QStringLiteral("event")));
}

// A publisher's compact `data` reaches a native subscriber on the other node byte for byte
// (key order and number spelling as written), through the broker and back.
void tst_Cluster::publishedDataCrossesNodesAsWritten()
{
    QVERIFY(startNodes({m_redis->url()}));
    const QString topic = QStringLiteral("verbatim");
    const auto onB = subscriber(*m_nodes[1], topic);
    QVERIFY(onB);
    TestClient publisher;
    TestHub& a = *m_nodes[0];
    QVERIFY(publisher.open(
        a.ws(QStringLiteral("/ws/v1"), a.token(QStringLiteral("svc"), Role::Service))));
    const QString asWritten = QStringLiteral(R"({"zeta":1.50,"alpha":{"b":[],"a":"é"}})");
    publisher.socket.sendTextMessage(
        QStringLiteral(R"({"type":"publish","id":"v","data":{"topic":"verbatim","event":"e",)") +
        QStringLiteral(R"("data":)") + asWritten + QStringLiteral("}}"));
    QVERIFY(!publisher.waitForReply(QStringLiteral("v")).isEmpty());
    QVERIFY(!onB->waitForType(QStringLiteral("event")).isEmpty());
    const QString event = onB->raw.last();
    QVERIFY2(event.endsWith(QStringLiteral(R"(,"data":)") + asWritten + u'}'), qPrintable(event));
}

// A client that saw seq 5 on node a and comes back on node b gets 6.. from the shared history,
// whether node b watched the topic already or not.
void tst_Cluster::resumeOnAnotherNode()
{
    QVERIFY(startNodes({m_redis->url()}));
    TestHub& a = *m_nodes[0];
    TestHub& b = *m_nodes[1];
    const QString topic = QStringLiteral("fills");
    {
        const auto first = subscriber(a, topic);
        QVERIFY(first);
        for (int i = 1; i <= 5; ++i)
            QCOMPARE(publish(a, topic, QStringLiteral("fill"), {{QStringLiteral("i"), i}}), 200);
        QTRY_COMPARE(first->messagesOfType(QStringLiteral("event")).size(), 5);
    }
    for (int i = 6; i <= 8; ++i)
        QCOMPARE(publish(b, topic, QStringLiteral("fill"), {{QStringLiteral("i"), i}}), 200);

    // Node b has no subscriber of the topic: it takes the cluster's history when asked.
    const auto resumed = subscriber(b, topic, {{topic, 5}});
    QVERIFY(resumed);
    QTRY_COMPARE(resumed->messagesOfType(QStringLiteral("event")).size(), 3);
    QCOMPARE(seqsOf(resumed->messagesOfType(QStringLiteral("event"))), range(6, 8));
    // Node a watches it no more either; and a node that does watch it resumes the same way.
    const auto again = subscriber(b, topic, {{topic, 6}});
    QVERIFY(again);
    QTRY_COMPARE(again->messagesOfType(QStringLiteral("event")).size(), 2);
    QCOMPARE(seqsOf(again->messagesOfType(QStringLiteral("event"))), range(7, 8));
    for (TestClient* client : {resumed.get(), again.get()})
        QVERIFY(client->messagesOfType(QStringLiteral("resync")).isEmpty());
}

// Redis flushed: the topic's next publication starts a new epoch. Subscribers that saw the old
// numbering get `resync` (never a silent gap), and so does a client resuming from it.
void tst_Cluster::lostHistoryGivesResync()
{
    QVERIFY(startNodes({m_redis->url()}));
    TestHub& a = *m_nodes[0];
    TestHub& b = *m_nodes[1];
    const QString topic = QStringLiteral("prices");
    const auto onB = subscriber(b, topic);
    QVERIFY(onB);
    for (int i = 1; i <= 3; ++i)
        QCOMPARE(publish(a, topic, QStringLiteral("price"), {{QStringLiteral("i"), i}}), 200);
    QTRY_COMPARE(onB->messagesOfType(QStringLiteral("event")).size(), 3);

    QCOMPARE(m_redis->command({QStringLiteral("FLUSHALL")}), QByteArray("OK"));
    QCOMPARE(publish(a, topic, QStringLiteral("price"), {{QStringLiteral("i"), 4}}), 200);
    const QJsonObject resync = onB->waitForType(QStringLiteral("resync"));
    QCOMPARE(dataOf(resync).value(QStringLiteral("topic")).toString(), topic);
    // After the resync, the new numbering: seq 1 is the publication after the flush.
    QTRY_COMPARE(onB->messagesOfType(QStringLiteral("event")).size(), 4);
    QCOMPARE(dataOf(onB->messagesOfType(QStringLiteral("event")).last())
                 .value(QStringLiteral("i"))
                 .toInt(),
             4);

    // A client that saw seq 3 of the old numbering, resuming on node a, must start afresh.
    const auto resuming = subscriber(a, topic, {{topic, 3}});
    QVERIFY(resuming);
    QCOMPARE(dataOf(resuming->waitForType(QStringLiteral("resync")))
                 .value(QStringLiteral("topic"))
                 .toString(),
             topic);
}

// Redis stops: each node goes on delivering its own publications to its own clients and says
// degraded with the reason; when Redis is back (empty: no persistence), cross-node delivery
// resumes by itself, the topics that lost their numbering send resync, /health is healthy.
void tst_Cluster::redisDownKeepsLocalDeliveryAndHeals()
{
    QVERIFY(startNodes({m_redis->url()}));
    TestHub& a = *m_nodes[0];
    TestHub& b = *m_nodes[1];
    const QString topic = QStringLiteral("alerts");
    const auto onA = subscriber(a, topic);
    const auto onB = subscriber(b, topic);
    QVERIFY(onA && onB);
    QCOMPARE(publish(a, topic, QStringLiteral("alert"), {{QStringLiteral("i"), 1}}), 200);
    QTRY_COMPARE(onB->messagesOfType(QStringLiteral("event")).size(), 1);

    m_redis->stop();
    QTRY_COMPARE_WITH_TIMEOUT(healthStatus(a), QStringLiteral("degraded"), healTimeoutMs);
    const QJsonObject health = getJson(a, QStringLiteral("/health"));
    QVERIFY2(!health.value(QStringLiteral("reason")).toString().isEmpty(),
             QJsonDocument(health).toJson().constData());
    QCOMPARE(getJson(a, QStringLiteral("/api/v1/cluster")).value(QStringLiteral("degraded")),
             QJsonValue(true));

    // Local delivery goes on.
    QCOMPARE(publish(a, topic, QStringLiteral("alert"), {{QStringLiteral("i"), 2}}), 200);
    QTRY_COMPARE(onA->messagesOfType(QStringLiteral("event")).size(), 2);
    QCOMPARE(dataOf(onA->messagesOfType(QStringLiteral("event")).last())
                 .value(QStringLiteral("i"))
                 .toInt(),
             2);

    QVERIFY2(m_redis->start(), m_redis->log().constData());
    QTRY_COMPARE_WITH_TIMEOUT(healthStatus(a), QStringLiteral("healthy"), healTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(healthStatus(b), QStringLiteral("healthy"), healTimeoutMs);
    // Node b missed publication 2 and Redis forgot the topic: it is told to start afresh.
    QTRY_VERIFY_WITH_TIMEOUT(!onB->messagesOfType(QStringLiteral("resync")).isEmpty(),
                             healTimeoutMs);
    // Cross-node delivery is back: a publication on b reaches a.
    const int before = int(onA->messagesOfType(QStringLiteral("event")).size());
    QCOMPARE(publish(b, topic, QStringLiteral("alert"), {{QStringLiteral("i"), 3}}), 200);
    QTRY_COMPARE(onA->messagesOfType(QStringLiteral("event")).size(), before + 1);
    QCOMPARE(dataOf(onA->messagesOfType(QStringLiteral("event")).last())
                 .value(QStringLiteral("i"))
                 .toInt(),
             3);
    QTRY_COMPARE_WITH_TIMEOUT(nodeNames(a),
                              (QStringList{QStringLiteral("node-a"), QStringLiteral("node-b")}),
                              healTimeoutMs);
}

// A Redis that stops answering (DEBUG SLEEP) is dropped as down after a few seconds rather than
// holding the node's publications; once it answers again the node heals.
void tst_Cluster::slowRedisIsDroppedAndHeals()
{
    QVERIFY(startNodes({m_redis->url()}, 1));
    TestHub& a = *m_nodes[0];
    const auto onA = subscriber(a, QStringLiteral("slow"));
    QVERIFY(onA);
    // redis-cli waits for the sleep to end; run it beside the test.
    QProcess sleeper;
    sleeper.start(QStringLiteral("redis-cli"),
                  {QStringLiteral("-p"), QString::number(m_redis->port()), QStringLiteral("DEBUG"),
                   QStringLiteral("SLEEP"), QStringLiteral("6")});
    QVERIFY(sleeper.waitForStarted());
    QTRY_COMPARE_WITH_TIMEOUT(healthStatus(a), QStringLiteral("degraded"), 10000);
    // Meanwhile its own clients are served.
    QCOMPARE(publish(a, QStringLiteral("slow"), QStringLiteral("e"), {}), 200);
    QTRY_COMPARE(onA->messagesOfType(QStringLiteral("event")).size(), 1);
    QVERIFY(sleeper.waitForFinished(15000));
    QTRY_COMPARE_WITH_TIMEOUT(healthStatus(a), QStringLiteral("healthy"), healTimeoutMs);
}

// Two Redis instances: topics are spread over both by their name's hash, and every topic still
// reaches both nodes.
void tst_Cluster::topicsSpreadOverShards()
{
    RedisProcess second;
    QVERIFY2(second.start(), second.log().constData());
    QVERIFY(startNodes({m_redis->url(), second.url()}));
    TestHub& a = *m_nodes[0];
    TestHub& b = *m_nodes[1];
    constexpr int topics = 12;
    std::vector<std::unique_ptr<TestClient>> readers;
    for (int t = 0; t < topics; ++t) {
        readers.push_back(subscriber(b, QStringLiteral("shard-topic-%1").arg(t)));
        QVERIFY(readers.back());
    }
    for (int t = 0; t < topics; ++t)
        QCOMPARE(publish(a, QStringLiteral("shard-topic-%1").arg(t), QStringLiteral("e"),
                         {{QStringLiteral("t"), t}}),
                 200);
    for (int t = 0; t < topics; ++t) {
        QTRY_COMPARE(readers[size_t(t)]->messagesOfType(QStringLiteral("event")).size(), 1);
        QCOMPARE(dataOf(readers[size_t(t)]->messagesOfType(QStringLiteral("event")).first())
                     .value(QStringLiteral("t"))
                     .toInt(),
                 t);
    }
    // Each instance holds the history of some of the topics, and none holds them all.
    const auto streams = [](const RedisProcess& redis) {
        return redis
            .command({QStringLiteral("--scan"), QStringLiteral("--pattern"), QStringLiteral("*")})
            .split('\n');
    };
    const QList<QByteArray> first = streams(*m_redis);
    const QList<QByteArray> other = streams(second);
    const auto topicKeys = [](const QList<QByteArray>& keys) {
        int count = 0;
        for (int t = 0; t < topics; ++t) {
            const QByteArray name = "shard-topic-" + QByteArray::number(t);
            // The topic's meta key ("sb:m:" + name) and history ("sb:h:" + name).
            if (std::any_of(keys.begin(), keys.end(), [&name](const QByteArray& key) {
                    return key.endsWith(QByteArray(':' + name));
                }))
                ++count;
        }
        return count;
    };
    QVERIFY2(topicKeys(first) > 0 && topicKeys(other) > 0,
             QByteArray(first.join(' ') + " | " + other.join(' ')).constData());
    QCOMPARE(topicKeys(first) + topicKeys(other), topics);
    m_nodes.clear(); // before the second Redis goes
}

// A node killed with SIGKILL (the real program) says nothing as it goes: the others stop
// listing it within 30 s, and go on delivering to each other what they publish.
void tst_Cluster::killedNodeLeavesTheCluster()
{
    QVERIFY(startNodes({m_redis->url()}));
    QProcess doomed;
    doomed.setProgram(QStringLiteral(SWITCHBOARD_SERVER_PATH));
    QTemporaryDir dataDir;
    doomed.setArguments({QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                         QStringLiteral("--port"), QStringLiteral("0"),
                         QStringLiteral("--data-dir"), dataDir.path(), QStringLiteral("--auth"),
                         QStringLiteral("off"), QStringLiteral("--redis"), m_redis->url(),
                         QStringLiteral("--node-name"), QStringLiteral("node-k")});
    doomed.start();
    QVERIFY(doomed.waitForStarted());
    const QStringList all{QStringLiteral("node-a"), QStringLiteral("node-b"),
                          QStringLiteral("node-k")};
    QTRY_COMPARE_WITH_TIMEOUT(nodeNames(*m_nodes[0]), all, 20000);

    const auto onB = subscriber(*m_nodes[1], QStringLiteral("after"));
    QVERIFY(onB);
    doomed.kill();
    QVERIFY(doomed.waitForFinished(5000));
    QCOMPARE(doomed.exitStatus(), QProcess::CrashExit);
    QElapsedTimer gone;
    gone.start();
    QTRY_COMPARE_WITH_TIMEOUT(nodeNames(*m_nodes[0]),
                              (QStringList{QStringLiteral("node-a"), QStringLiteral("node-b")}),
                              30000);
    QVERIFY2(gone.elapsed() < 30000, QByteArray::number(gone.elapsed()).constData());
    QCOMPARE(publish(*m_nodes[0], QStringLiteral("after"), QStringLiteral("e"), {}), 200);
    QTRY_COMPARE(onB->messagesOfType(QStringLiteral("event")).size(), 1);
}

QTEST_MAIN(tst_Cluster)
#include "tst_cluster.moc"
