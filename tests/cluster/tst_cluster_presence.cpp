// Presence, rooms and registries are the cluster's (SPEC §12): one real redis-server and two
// real hubs (nodes a and b, each with its own thread, port and data folder), clients over real
// sockets. A 004 room_state lists the members of both nodes, and a join, leave or disconnect on
// one node reaches the other's view; cursors, typing and status cross; the native protocol's
// join_room and presence acks and 002's joined list both nodes' members; the members of a node
// killed with SIGKILL (the real program) are gone from the rooms within 30 s and the survivors'
// members are told; a project registered through one node is enforced on the other; a
// notification stored through one node is delivered, and marked read, through the other.

#include "CollabClient.h"
#include "DialectTesting.h"
#include "RedisProcess.h"
#include "ServerProgram.h"

#include "config/RedisUrl.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <variant>

using namespace switchboard;
using namespace switchboard::test;

namespace {

const QString room = QStringLiteral("plan");
const QString tenant = QStringLiteral("acme");

HubConfig nodeConfig(const RedisProcess& redis, const QString& name)
{
    HubConfig config = testConfig();
    config.redis = {std::get<RedisUrl>(RedisUrl::parse(redis.url()))};
    config.nodeName = name;
    return config;
}

// The node reaches Redis (its /health is not degraded).
bool clusterUp(TestHub& hub)
{
    const TestHub::Reply reply = hub.send("GET", QStringLiteral("/health"));
    const QJsonObject health = QJsonDocument::fromJson(reply.body).object();
    return reply.status == 200 && health.contains(QLatin1String("cluster")) &&
           health.value(QLatin1String("status")) != QLatin1String("degraded");
}

QJsonObject joinRoom(const QString& name = room)
{
    return message(QStringLiteral("join_room"), {{QStringLiteral("room_id"), name}});
}

// The users a 004 room_state lists, sorted.
QStringList usersOf(const QJsonObject& state)
{
    QStringList users;
    for (const QJsonValue& user : state.value(QLatin1String("users")).toArray())
        users.append(user.toObject().value(QLatin1String("user_id")).toString());
    users.sort();
    return users;
}

// The first room_state at or after `from` that lists exactly `users`; empty on timeout.
QJsonObject roomStateWith(CollabClient& client, QStringList users, qsizetype from = 0,
                          int timeoutMs = 10000)
{
    users.sort();
    const QJsonObject found = client.waitFor(
        [&users](const QJsonObject& m) {
            return typeOf(m) == QLatin1String("room_state") &&
                   m.value(QLatin1String("room_id")).toString() == room && usersOf(m) == users;
        },
        timeoutMs, from);
    return found;
}

// The entry of `user` in a room_state.
QJsonObject userIn(const QJsonObject& state, const QString& user)
{
    for (const QJsonValue& entry : state.value(QLatin1String("users")).toArray()) {
        if (entry.toObject().value(QLatin1String("user_id")).toString() == user)
            return entry.toObject();
    }
    return {};
}

// "user@node" for each member a native or 002 reply lists, sorted.
QStringList membersOf(const QJsonArray& members)
{
    QStringList list;
    for (const QJsonValue& member : members)
        list.append(member.toObject().value(QLatin1String("user")).toString() + u'@' +
                    member.toObject().value(QLatin1String("node")).toString());
    list.sort();
    return list;
}

// How many nodes `node` knows, itself included (GET /api/v1/cluster).
qsizetype nodesKnownTo(TestHub& node, const QByteArray& admin)
{
    return QJsonDocument::fromJson(
               node.send("GET", QStringLiteral("/api/v1/cluster"), {}, admin).body)
        .object()
        .value(QLatin1String("nodes"))
        .toArray()
        .size();
}

// A notification_read of an id the user does not have is answered NOT_FOUND: what the hub sent
// before it (a stored or live notification) has arrived.
QString readUnknownNotification(CollabClient& client, const QString& id)
{
    const qsizetype from = client.mark();
    client.send(
        message(QStringLiteral("notification_read"), {{QStringLiteral("notification_id"), id}}));
    return codeOf(client.next(QStringLiteral("error"), from));
}

std::unique_ptr<TestClient> nativeClient(TestHub& hub, const QString& user,
                                         const QString& of = tenant)
{
    auto client = std::make_unique<TestClient>();
    if (!client->open(hub.ws(QStringLiteral("/ws/v1"), hub.token(user, Role::User, of))))
        return {};
    return client;
}

// The native `presence` event of `user` with `action` in room `name`, at or after `from`.
QJsonObject presenceEvent(TestClient& client, const QString& name, const QString& user,
                          const QString& action, int timeoutMs = 10000, qsizetype from = 0)
{
    return client.waitFor(
        [&](const QJsonObject& m) {
            const QJsonObject data = dataOf(m);
            return typeOf(m) == QLatin1String("event") &&
                   m.value(QLatin1String("event")) == QLatin1String("presence") &&
                   data.value(QLatin1String("room")) == name &&
                   data.value(QLatin1String("user")) == user &&
                   data.value(QLatin1String("action")) == action;
        },
        timeoutMs, from);
}

} // namespace

class tst_ClusterPresence : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void roomStateListsTheMembersOfEveryNode();
    void aRoomBelongsToItsTenantOnEveryNode();
    void aRoomTopicIsReadOnlyByItsTenantOnEveryNode();
    void leavingOrClosingOnOneNodeUpdatesTheOther();
    void cursorsTypingAndStatusCross();
    void aCursorStormIsWrittenInBatches();
    void nativeAndAssistRoomsListEveryNode();
    void membersOfAKilledNodeLeaveTheRooms();
    void aProjectRegisteredOnOneNodeIsEnforcedOnTheOther();
    void aNotificationStoredOnOneNodeIsListedOnTheOther();
    void aNotificationIsDeliveredLiveOnEveryNode();
    void aNotificationForEveryoneReachesEveryNode();

private:
    std::unique_ptr<RedisProcess> m_redis;
    std::unique_ptr<TestHub> m_a;
    std::unique_ptr<TestHub> m_b;
};

void tst_ClusterPresence::init()
{
    if (RedisProcess::program().isEmpty())
        QSKIP("redis-server is not installed");
    m_redis = std::make_unique<RedisProcess>();
    QVERIFY2(m_redis->start(), m_redis->log().constData());
    m_a = std::make_unique<TestHub>(nodeConfig(*m_redis, QStringLiteral("node-a")));
    m_b = std::make_unique<TestHub>(nodeConfig(*m_redis, QStringLiteral("node-b")));
    QVERIFY(!m_a->startError);
    QVERIFY(!m_b->startError);
    QTRY_VERIFY_WITH_TIMEOUT(clusterUp(*m_a) && clusterUp(*m_b), 10000);
}

void tst_ClusterPresence::cleanup()
{
    m_a.reset();
    m_b.reset();
    m_redis.reset();
}

// Alice joins on a, then Bob on b: the room_state Bob gets lists both, and so does the one
// Alice gets from b's join.
void tst_ClusterPresence::roomStateListsTheMembersOfEveryNode()
{
    CollabClient alice, bob;
    QVERIFY(alice.connectAs(*m_a, QStringLiteral("alice")));
    QVERIFY(bob.connectAs(*m_b, QStringLiteral("bob")));
    alice.send(joinRoom());
    QVERIFY(!roomStateWith(alice, {QStringLiteral("alice")}).isEmpty());

    const qsizetype aliceFrom = alice.mark();
    bob.send(joinRoom());
    const QJsonObject state = roomStateWith(bob, {QStringLiteral("alice"), QStringLiteral("bob")});
    QVERIFY(!state.isEmpty());
    QCOMPARE(state.value(QLatin1String("total_users")).toInt(), 2);
    QCOMPARE(userIn(state, QStringLiteral("alice")).value(QLatin1String("status")).toString(),
             QStringLiteral("online"));
    QVERIFY(!roomStateWith(alice, {QStringLiteral("alice"), QStringLiteral("bob")}, aliceFrom)
                 .isEmpty());

    // Joining again asks for the state afresh: both nodes' members still.
    const qsizetype from = bob.mark();
    bob.send(joinRoom());
    QVERIFY(!roomStateWith(bob, {QStringLiteral("alice"), QStringLiteral("bob")}, from).isEmpty());

    // Either node lists the room once, with both users (and a native member's on a).
    const auto ann = nativeClient(*m_a, QStringLiteral("ann"));
    QVERIFY(ann);
    QCOMPARE(typeOf(ann->request(QStringLiteral("join_room"), QStringLiteral("1"),
                                 {{QStringLiteral("room"), room}})),
             QStringLiteral("ack"));
    const QByteArray admin = m_b->token(QStringLiteral("root"), Role::Admin);
    for (TestHub* node : {m_a.get(), m_b.get()}) {
        // Each node knows the other (its heartbeat came): it asks it too.
        QTRY_COMPARE_WITH_TIMEOUT(nodesKnownTo(*node, admin), 2, 10000);
        const QJsonArray rooms =
            QJsonDocument::fromJson(
                node->send("GET", QStringLiteral("/api/v1/ws/rooms"), {}, admin).body)
                .array();
        QCOMPARE(rooms.size(), 1);
        const QJsonObject listed = rooms.first().toObject();
        QCOMPARE(listed.value(QLatin1String("room_id")).toString(), room);
        QCOMPARE(listed.value(QLatin1String("user_count")).toInt(), 3);
        QCOMPARE(listed.value(QLatin1String("tenant")).toString(), tenant);
        QVERIFY(!listed.contains(QLatin1String("users")));
    }

    // Another tenant's room of the same name on b is another room: nobody of acme's in it.
    CollabClient eve;
    QVERIFY(eve.connectAs(*m_b, QStringLiteral("eve"), QStringLiteral("globex")));
    CollabClient carol;
    QVERIFY(carol.connectAs(*m_a, QStringLiteral("carol"), QStringLiteral("globex")));
    carol.send(joinRoom(QStringLiteral("globex-room")));
    QVERIFY(!carol.next(QStringLiteral("room_state")).isEmpty());
    eve.send(joinRoom(QStringLiteral("globex-room")));
    const QJsonObject globex = eve.waitFor([](const QJsonObject& m) {
        return typeOf(m) == QLatin1String("room_state") &&
               m.value(QLatin1String("total_users")).toInt() == 2;
    });
    QCOMPARE(usersOf(globex), (QStringList{QStringLiteral("carol"), QStringLiteral("eve")}));
}

// SPEC §4 across nodes: the room Alice (acme) opened on a is refused to Mallory (globex) on b
// exactly as on a, and the refused join leaves nothing behind; once nobody is in the room on
// any node it is anybody's, and then acme's users are the ones refused.
void tst_ClusterPresence::aRoomBelongsToItsTenantOnEveryNode()
{
    const QString globex = QStringLiteral("globex");
    CollabClient alice, bob, mallory, malloryOnA;
    QVERIFY(alice.connectAs(*m_a, QStringLiteral("alice")));
    QVERIFY(bob.connectAs(*m_b, QStringLiteral("bob")));
    QVERIFY(mallory.connectAs(*m_b, QStringLiteral("mallory"), globex));
    QVERIFY(malloryOnA.connectAs(*m_a, QStringLiteral("mallory"), globex));
    alice.send(joinRoom());
    QVERIFY(!roomStateWith(alice, {QStringLiteral("alice")}).isEmpty());

    malloryOnA.send(joinRoom());
    const QJsonObject onA = malloryOnA.next(QStringLiteral("error"));
    QCOMPARE(codeOf(onA), QStringLiteral("PERMISSION_DENIED"));
    mallory.send(joinRoom());
    const QJsonObject onB = mallory.next(QStringLiteral("error"));
    // The same answer from the node that has never seen the room.
    QCOMPARE(codeOf(onB), codeOf(onA));
    QCOMPARE(onB.value(QLatin1String("error")), onA.value(QLatin1String("error")));
    QVERIFY(mallory.messagesOfType(QStringLiteral("room_state")).isEmpty());

    // Bob (acme) on b is let in, and nobody else is in the room.
    bob.send(joinRoom());
    QVERIFY(!roomStateWith(bob, {QStringLiteral("alice"), QStringLiteral("bob")}).isEmpty());
    qsizetype from = mallory.mark();
    mallory.send(joinRoom());
    QCOMPARE(codeOf(mallory.next(QStringLiteral("error"), from)),
             QStringLiteral("PERMISSION_DENIED"));

    // Empty on every node: Mallory opens it for globex on b (where it was acme's), and then
    // Alice is the one refused on a.
    const QJsonObject leave =
        message(QStringLiteral("leave_room"), {{QStringLiteral("room_id"), room}});
    from = bob.mark();
    alice.send(leave);
    QVERIFY(!roomStateWith(bob, {QStringLiteral("bob")}, from).isEmpty());
    bob.send(leave);
    // Left once this one finds him out of the room (b writes Redis in order).
    bob.send(leave);
    QCOMPARE(codeOf(bob.next(QStringLiteral("error"), from)), QStringLiteral("ROOM_NOT_FOUND"));
    from = mallory.mark();
    mallory.send(joinRoom());
    QVERIFY(!roomStateWith(mallory, {QStringLiteral("mallory")}, from).isEmpty());
    from = alice.mark();
    alice.send(joinRoom());
    QCOMPARE(codeOf(alice.next(QStringLiteral("error"), from)),
             QStringLiteral("PERMISSION_DENIED"));
}

// The 004 room Alice (acme) opened on a lives on the topic `room:plan`, which the native protocol
// and 002 can name too: on b, which has no member of the room, Mallory (globex) is refused it by
// every way of asking (subscribe, native and 002 join_room, the topic's events over REST), and
// Bob (acme) is let in.
void tst_ClusterPresence::aRoomTopicIsReadOnlyByItsTenantOnEveryNode()
{
    CollabClient alice;
    QVERIFY(alice.connectAs(*m_a, QStringLiteral("alice")));
    alice.send(joinRoom());
    QVERIFY(!roomStateWith(alice, {QStringLiteral("alice")}).isEmpty());

    const QString globex = QStringLiteral("globex");
    const QString topic = QStringLiteral("room:") + room;
    const auto mallory = nativeClient(*m_b, QStringLiteral("mallory"), globex);
    QVERIFY(mallory);
    const QJsonObject subscribed =
        mallory->request(QStringLiteral("subscribe"), QStringLiteral("1"),
                         {{QStringLiteral("topics"), QJsonArray{topic}}});
    QCOMPARE(codeOf(subscribed), QStringLiteral("PERMISSION_DENIED"));
    const QJsonObject joined = mallory->request(QStringLiteral("join_room"), QStringLiteral("2"),
                                                {{QStringLiteral("room"), room}});
    QCOMPARE(codeOf(joined), QStringLiteral("PERMISSION_DENIED"));

    TestClient assist;
    QVERIFY(assist.open(m_b->ws(QStringLiteral("/ws/connect"),
                                m_b->token(QStringLiteral("mallory"), Role::User, globex))));
    QVERIFY(!assist.waitForType(QStringLiteral("connection")).isEmpty());
    assist.send(message(QStringLiteral("join_room"), {{QStringLiteral("room"), room}}));
    QCOMPARE(codeOf(assist.waitForType(QStringLiteral("error"))),
             QStringLiteral("PERMISSION_DENIED"));

    const TestHub::Reply events =
        m_b->send("GET", QStringLiteral("/api/v1/topics/%1/events").arg(topic), {},
                  m_b->token(QStringLiteral("mallory"), Role::User, globex));
    QCOMPARE(events.status, 403);

    // Nothing of the room reached Mallory meanwhile, and Bob of acme is let in on b.
    const auto bob = nativeClient(*m_b, QStringLiteral("bob"));
    QVERIFY(bob);
    QCOMPARE(typeOf(bob->request(QStringLiteral("subscribe"), QStringLiteral("1"),
                                 {{QStringLiteral("topics"), QJsonArray{topic}}})),
             QStringLiteral("ack"));
    CollabClient carol;
    QVERIFY(carol.connectAs(*m_a, QStringLiteral("carol")));
    carol.send(joinRoom());
    const auto ofTheRoom = [&topic](const QJsonObject& m) {
        return m.value(QLatin1String("topic")).toString() == topic;
    };
    QVERIFY(!bob->waitFor(ofTheRoom, 10000).isEmpty());
    QVERIFY(std::none_of(mallory->messages.cbegin(), mallory->messages.cend(), ofTheRoom));
}

// How many times Redis ran `command` (scripts' calls included), from INFO commandstats.
qint64 redisCalls(RedisProcess& redis, const QByteArray& command)
{
    const QByteArray info = redis.command({QStringLiteral("INFO"), QStringLiteral("commandstats")});
    const QByteArray key = "cmdstat_" + command + ":calls=";
    const qsizetype at = info.indexOf(key);
    if (at < 0)
        return 0;
    const qsizetype start = at + key.size();
    return info.mid(start, info.indexOf(',', start) - start).toLongLong();
}

// Sixty cursor moves in a burst: Bob on b sees every one live, the room's presence in Redis
// ends at the last, and Redis wrote Alice's entry a few times, not sixty.
void tst_ClusterPresence::aCursorStormIsWrittenInBatches()
{
    CollabClient alice, bob;
    QVERIFY(alice.connectAs(*m_a, QStringLiteral("alice")));
    QVERIFY(bob.connectAs(*m_b, QStringLiteral("bob")));
    alice.send(joinRoom());
    QVERIFY(!roomStateWith(alice, {QStringLiteral("alice")}).isEmpty());
    bob.send(joinRoom());
    QVERIFY(!roomStateWith(bob, {QStringLiteral("alice"), QStringLiteral("bob")}).isEmpty());

    constexpr int moves = 60;
    const qint64 before = redisCalls(*m_redis, "hset");
    for (int i = 1; i <= moves; ++i)
        alice.send(message(QStringLiteral("cursor_move"),
                           {{QStringLiteral("room"), room},
                            {QStringLiteral("x"), i},
                            {QStringLiteral("y"), 1},
                            {QStringLiteral("cell"), QStringLiteral("A1")}}));
    QTRY_COMPARE_WITH_TIMEOUT(bob.messagesOfType(QStringLiteral("cursor_moved")).size(), moves,
                              10000);
    // Bob joining again reads the room's presence from Redis: Alice's last cursor, once a has
    // written it (within RedisPresenceStore::writeDelay).
    const auto cursorInRedis = [&bob] {
        const qsizetype from = bob.mark();
        bob.send(joinRoom());
        const QJsonObject state =
            roomStateWith(bob, {QStringLiteral("alice"), QStringLiteral("bob")}, from);
        return userIn(state, QStringLiteral("alice"))
            .value(QLatin1String("cursor"))
            .toObject()
            .value(QLatin1String("x"))
            .toInt();
    };
    QTRY_COMPARE_WITH_TIMEOUT(cursorInRedis(), moves, 5000);
    const qint64 written = redisCalls(*m_redis, "hset") - before;
    // A few batches, and at most a refresh of both entries or two meanwhile.
    QVERIFY2(written < 15, QByteArray::number(written).constData());
}

// A leave on a, then a disconnect on a: b's member gets a room_state without the one gone.
void tst_ClusterPresence::leavingOrClosingOnOneNodeUpdatesTheOther()
{
    CollabClient alice, bob;
    QVERIFY(alice.connectAs(*m_a, QStringLiteral("alice")));
    QVERIFY(bob.connectAs(*m_b, QStringLiteral("bob")));
    alice.send(joinRoom());
    QVERIFY(!roomStateWith(alice, {QStringLiteral("alice")}).isEmpty());
    bob.send(joinRoom());
    QVERIFY(!roomStateWith(bob, {QStringLiteral("alice"), QStringLiteral("bob")}).isEmpty());

    qsizetype from = bob.mark();
    alice.send(message(QStringLiteral("leave_room"), {{QStringLiteral("room_id"), room}}));
    QVERIFY(!roomStateWith(bob, {QStringLiteral("bob")}, from).isEmpty());

    alice.send(joinRoom());
    QVERIFY(!roomStateWith(bob, {QStringLiteral("alice"), QStringLiteral("bob")}, from).isEmpty());
    from = bob.mark();
    alice.socket.close();
    QVERIFY(!roomStateWith(bob, {QStringLiteral("bob")}, from).isEmpty());

    // And b's own view afterwards (a fresh join asks for it) has only Bob.
    from = bob.mark();
    bob.send(joinRoom());
    QVERIFY(!roomStateWith(bob, {QStringLiteral("bob")}, from).isEmpty());
}

// cursor_move, typing and status_update on a reach b's member, and the room_state b gives
// afterwards carries Alice's cursor and status.
void tst_ClusterPresence::cursorsTypingAndStatusCross()
{
    CollabClient alice, bob;
    QVERIFY(alice.connectAs(*m_a, QStringLiteral("alice")));
    QVERIFY(bob.connectAs(*m_b, QStringLiteral("bob")));
    alice.send(joinRoom());
    QVERIFY(!roomStateWith(alice, {QStringLiteral("alice")}).isEmpty());
    bob.send(joinRoom());
    QVERIFY(!roomStateWith(bob, {QStringLiteral("alice"), QStringLiteral("bob")}).isEmpty());

    const QJsonObject cursor{{QStringLiteral("x"), 12},
                             {QStringLiteral("y"), 7},
                             {QStringLiteral("cell"), QStringLiteral("B7")}};
    QJsonObject move = cursor;
    move.insert(QStringLiteral("room"), room);
    alice.send(message(QStringLiteral("cursor_move"), move));
    const QJsonObject moved = bob.next(QStringLiteral("cursor_moved"));
    QCOMPARE(moved.value(QLatin1String("user_id")).toString(), QStringLiteral("alice"));
    QCOMPARE(moved.value(QLatin1String("cursor")).toObject(), cursor);

    alice.send(
        message(QStringLiteral("typing_start"), {{QStringLiteral("cell_id"), QStringLiteral("B7")},
                                                 {QStringLiteral("room"), room}}));
    QCOMPARE(bob.next(QStringLiteral("user_typing_start")).value(QLatin1String("cell_id")),
             QStringLiteral("B7"));
    alice.send(
        message(QStringLiteral("typing_stop"), {{QStringLiteral("cell_id"), QStringLiteral("B7")},
                                                {QStringLiteral("room"), room}}));
    QCOMPARE(bob.next(QStringLiteral("user_typing_stop")).value(QLatin1String("user_id")),
             QStringLiteral("alice"));
    alice.exchange(message(QStringLiteral("status_update"),
                           {{QStringLiteral("status"), QStringLiteral("away")}}));
    QCOMPARE(bob.next(QStringLiteral("user_status_changed")).value(QLatin1String("status")),
             QStringLiteral("away"));

    // Joining again reads the room's presence from Redis, where a writes Alice's entry within
    // RedisPresenceStore::writeDelay.
    QJsonObject state;
    const auto aliceInRedis = [&bob, &state] {
        const qsizetype from = bob.mark();
        bob.send(joinRoom());
        state = userIn(roomStateWith(bob, {QStringLiteral("alice"), QStringLiteral("bob")}, from),
                       QStringLiteral("alice"));
        return state.value(QLatin1String("status")).toString();
    };
    QTRY_COMPARE_WITH_TIMEOUT(aliceInRedis(), QStringLiteral("away"), 5000);
    QCOMPARE(state.value(QLatin1String("cursor")).toObject(), cursor);
}

// The native protocol's rooms and 002's custom rooms (both room:{id}): the acks list every
// node's members, with their node.
void tst_ClusterPresence::nativeAndAssistRoomsListEveryNode()
{
    const auto ann = nativeClient(*m_a, QStringLiteral("ann"));
    const auto ben = nativeClient(*m_b, QStringLiteral("ben"));
    QVERIFY(ann && ben);
    const QJsonObject data{{QStringLiteral("room"), QStringLiteral("ops")}};
    QCOMPARE(typeOf(ann->request(QStringLiteral("join_room"), QStringLiteral("1"), data)),
             QStringLiteral("ack"));
    const QJsonObject joined = ben->request(QStringLiteral("join_room"), QStringLiteral("1"), data);
    QCOMPARE(membersOf(dataOf(joined).value(QLatin1String("members")).toArray()),
             (QStringList{QStringLiteral("ann@node-a"), QStringLiteral("ben@node-b")}));
    // Ann on a hears of Ben's join on b.
    QVERIFY(
        !presenceEvent(*ann, QStringLiteral("ops"), QStringLiteral("ben"), QStringLiteral("join"))
             .isEmpty());

    // presence from a: the ack lists both nodes' members, with Ann's new status.
    const QJsonObject update =
        ann->request(QStringLiteral("presence"), QStringLiteral("2"),
                     {{QStringLiteral("status"), QStringLiteral("busy")},
                      {QStringLiteral("cursor"), QJsonObject{{QStringLiteral("row"), 4}}}});
    const QJsonArray members = dataOf(update)
                                   .value(QLatin1String("members"))
                                   .toObject()
                                   .value(QLatin1String("ops"))
                                   .toArray();
    QCOMPARE(membersOf(members),
             (QStringList{QStringLiteral("ann@node-a"), QStringLiteral("ben@node-b")}));
    for (const QJsonValue& member : members) {
        if (member.toObject().value(QLatin1String("user")) == QLatin1String("ann"))
            QCOMPARE(member.toObject().value(QLatin1String("status")).toString(),
                     QStringLiteral("busy"));
    }
    QVERIFY(
        !presenceEvent(*ben, QStringLiteral("ops"), QStringLiteral("ann"), QStringLiteral("update"))
             .isEmpty());

    // A 002 client on b joins the same room: its joined lists all three.
    TestClient cleo;
    QVERIFY(cleo.open(m_b->ws(QStringLiteral("/ws/connect"),
                              m_b->token(QStringLiteral("cleo"), Role::User, tenant))));
    QVERIFY(!cleo.waitForType(QStringLiteral("connection")).isEmpty());
    cleo.send(
        message(QStringLiteral("join_room"), {{QStringLiteral("room"), QStringLiteral("ops")}}));
    const QJsonObject roomEvent = cleo.waitFor([](const QJsonObject& m) {
        return typeOf(m) == QLatin1String("room_event") &&
               dataOf(m).value(QLatin1String("event")) == QLatin1String("joined");
    });
    QCOMPARE(membersOf(dataOf(roomEvent).value(QLatin1String("members")).toArray()),
             (QStringList{QStringLiteral("ann@node-a"), QStringLiteral("ben@node-b"),
                          QStringLiteral("cleo@node-b")}));

    // Ben leaves on b, Cleo disconnects: Ann's next presence ack has only herself.
    QCOMPARE(typeOf(ben->request(QStringLiteral("leave_room"), QStringLiteral("3"), data)),
             QStringLiteral("ack"));
    cleo.socket.close();
    QVERIFY(cleo.waitClosed());
    // (b's removals and a's reads go over two connections: a read may come first.)
    int asked = 0;
    const auto annSees = [&ann, &asked] {
        const QString id = QStringLiteral("p%1").arg(++asked);
        return membersOf(
            dataOf(ann->request(QStringLiteral("presence"), id,
                                {{QStringLiteral("status"), QStringLiteral("online")}}))
                .value(QLatin1String("members"))
                .toObject()
                .value(QLatin1String("ops"))
                .toArray());
    };
    QTRY_COMPARE_WITH_TIMEOUT(annSees(), QStringList{QStringLiteral("ann@node-a")}, 10000);
}

// A node killed with SIGKILL says nothing: its members leave the rooms within 30 s all the
// same, and the members left (on the surviving nodes) are told: a room_state without them
// (004) and a presence leave (native).
void tst_ClusterPresence::membersOfAKilledNodeLeaveTheRooms()
{
    QTemporaryDir dataDir;
    ServerProgram doomed(dataDir.path(), testSecret,
                         {QStringLiteral("--redis"), m_redis->url(), QStringLiteral("--node-name"),
                          QStringLiteral("node-k")});
    const quint16 port = doomed.start();
    QVERIFY(port != 0);
    const auto url = [port](const QString& path, const QString& user) {
        Identity identity;
        identity.subject = user;
        identity.role = Role::User;
        identity.tenant = tenant;
        const QByteArray token = TokenVerifier(testSecret).issue(identity, std::chrono::hours(1));
        return QUrl(QStringLiteral("ws://127.0.0.1:%1%2?token=%3")
                        .arg(port)
                        .arg(path, QString::fromLatin1(token)));
    };

    CollabClient alice, kim;
    QVERIFY(alice.connectAs(*m_a, QStringLiteral("alice")));
    QVERIFY(kim.open(url(QStringLiteral("/api/v1/ws"), QStringLiteral("kim"))));
    alice.send(joinRoom());
    QVERIFY(!roomStateWith(alice, {QStringLiteral("alice")}).isEmpty());
    kim.send(joinRoom());
    QVERIFY(!roomStateWith(alice, {QStringLiteral("alice"), QStringLiteral("kim")}).isEmpty());

    const auto ann = nativeClient(*m_b, QStringLiteral("ann"));
    QVERIFY(ann);
    TestClient ken;
    QVERIFY(ken.open(url(QStringLiteral("/ws/v1"), QStringLiteral("ken"))));
    const QJsonObject data{{QStringLiteral("room"), QStringLiteral("ops")}};
    QCOMPARE(typeOf(ann->request(QStringLiteral("join_room"), QStringLiteral("1"), data)),
             QStringLiteral("ack"));
    QCOMPARE(typeOf(ken.request(QStringLiteral("join_room"), QStringLiteral("1"), data)),
             QStringLiteral("ack"));
    QVERIFY(
        !presenceEvent(*ann, QStringLiteral("ops"), QStringLiteral("ken"), QStringLiteral("join"))
             .isEmpty());

    const qsizetype from = alice.mark();
    const qsizetype annFrom = ann->messages.size();
    QElapsedTimer gone;
    gone.start();
    QVERIFY(doomed.killHard());
    QVERIFY(!roomStateWith(alice, {QStringLiteral("alice")}, from, 30000).isEmpty());
    QVERIFY2(gone.elapsed() < 30000, QByteArray::number(gone.elapsed()).constData());
    const QJsonObject left =
        presenceEvent(*ann, QStringLiteral("ops"), QStringLiteral("ken"), QStringLiteral("leave"),
                      qMax<int>(1, int(30000 - gone.elapsed())), annFrom);
    QVERIFY(!left.isEmpty());
    QCOMPARE(dataOf(left).value(QLatin1String("node")).toString(), QStringLiteral("node-k"));
    QVERIFY2(gone.elapsed() < 30000, QByteArray::number(gone.elapsed()).constData());
    // And the members list has only the survivors.
    QCOMPARE(membersOf(dataOf(ann->request(QStringLiteral("presence"), QStringLiteral("2"),
                                           {{QStringLiteral("status"), QStringLiteral("online")}}))
                           .value(QLatin1String("members"))
                           .toObject()
                           .value(QLatin1String("ops"))
                           .toArray()),
             QStringList{QStringLiteral("ann@node-b")});
}

// PUT /api/v1/projects/{id} on a: b lists the project and lets its tenant in, and no one else.
void tst_ClusterPresence::aProjectRegisteredOnOneNodeIsEnforcedOnTheOther()
{
    const QByteArray admin = m_a->token(QStringLiteral("root"), Role::Admin);
    const QUrl acmeOnB = m_b->ws(QStringLiteral("/ws/projects/p1"),
                                 m_b->token(QStringLiteral("alice"), Role::User, tenant));
    // Unknown to the cluster yet: refused on b.
    TestClient early;
    QVERIFY(early.open(acmeOnB));
    QVERIFY(early.waitClosed());
    QCOMPARE(early.closeCode, 1008);

    QCOMPARE(m_a->send("PUT", QStringLiteral("/api/v1/projects/p1"), R"({"tenant":"acme"})", admin)
                 .status,
             201);
    const auto listedOnB = [this, &admin] {
        const QJsonArray projects =
            QJsonDocument::fromJson(
                m_b->send("GET", QStringLiteral("/api/v1/projects"), {}, admin).body)
                .array();
        return projects.size() == 1 &&
               projects.first().toObject().value(QLatin1String("tenant")) == tenant;
    };
    QTRY_VERIFY_WITH_TIMEOUT(listedOnB(), 10000);
    // Registering it again on b is an update of the same project.
    QCOMPARE(m_b->send("PUT", QStringLiteral("/api/v1/projects/p1"),
                       R"({"tenant":"acme","name":"Tender"})", admin)
                 .status,
             200);

    TestClient alice;
    QVERIFY(alice.open(acmeOnB));
    alice.socket.sendTextMessage(QStringLiteral("ping"));
    QVERIFY(waitForRaw(alice, QStringLiteral("pong")));
    // Events published on a reach her on b (once b's subscription to the topic flows).
    QTRY_VERIFY_WITH_TIMEOUT(
        publish(*m_a, QStringLiteral("project:p1"), QStringLiteral("matching_progress"),
                {{QStringLiteral("progress"), 40}}) == 200 &&
            !alice.waitForType(QStringLiteral("matching_progress"), 200).isEmpty(),
        10000);
    QVERIFY(!alice.closed);

    // Another tenant is refused on b, and on a.
    for (TestHub* hub : {m_b.get(), m_a.get()}) {
        TestClient mallory;
        QVERIFY(mallory.open(
            hub->ws(QStringLiteral("/ws/projects/p1"),
                    hub->token(QStringLiteral("mallory"), Role::User, QStringLiteral("globex")))));
        QVERIFY(mallory.waitClosed());
        QCOMPARE(mallory.closeCode, 1008);
    }
}

// A notification stored through a is delivered on connect through b, and once read there it
// is not delivered again through a.
void tst_ClusterPresence::aNotificationStoredOnOneNodeIsListedOnTheOther()
{
    const QByteArray admin = m_a->token(QStringLiteral("root"), Role::Admin);
    const TestHub::Reply created = m_a->send(
        "POST", QStringLiteral("/api/v1/ws/broadcast/notification"),
        R"({"user_id":"dave","title":"Quarter closed","id":"n-1","category":"finance"})", admin);
    QCOMPARE(created.status, 200);

    CollabClient onB;
    QVERIFY(onB.connectAs(*m_b, QStringLiteral("dave")));
    const QJsonObject delivered = onB.next(QStringLiteral("notification_event"));
    QCOMPARE(delivered.value(QLatin1String("notification"))
                 .toObject()
                 .value(QLatin1String("title"))
                 .toString(),
             QStringLiteral("Quarter closed"));
    QCOMPARE(delivered.value(QLatin1String("notification"))
                 .toObject()
                 .value(QLatin1String("id"))
                 .toString(),
             QStringLiteral("n-1"));
    // Read on b (an unknown id is NOT_FOUND, a known one is not).
    qsizetype from = onB.mark();
    onB.send(message(QStringLiteral("notification_read"),
                     {{QStringLiteral("notification_id"), QStringLiteral("n-404")}}));
    QCOMPARE(codeOf(onB.next(QStringLiteral("error"), from)), QStringLiteral("NOT_FOUND"));
    from = onB.mark();
    onB.send(message(QStringLiteral("notification_read"),
                     {{QStringLiteral("notification_id"), QStringLiteral("n-1")}}));
    onB.send(message(QStringLiteral("notification_read"),
                     {{QStringLiteral("notification_id"), QStringLiteral("n-405")}}));
    const QJsonObject error = onB.next(QStringLiteral("error"), from);
    QCOMPARE(error.value(QLatin1String("notification_id")).toString(), QStringLiteral("n-405"));

    // On a, Dave's unread ones come on connect: none. The answer to a read made after the
    // connect comes after them (one user's store calls answer in order).
    CollabClient onA;
    QVERIFY(onA.connectAs(*m_a, QStringLiteral("dave")));
    onA.send(message(QStringLiteral("notification_read"),
                     {{QStringLiteral("notification_id"), QStringLiteral("n-406")}}));
    QCOMPARE(codeOf(onA.next(QStringLiteral("error"))), QStringLiteral("NOT_FOUND"));
    QVERIFY(onA.messagesOfType(QStringLiteral("notification_event")).isEmpty());

    // A second one, stored through b, comes to Dave's connection on a when he connects again.
    QCOMPARE(m_b->send("POST", QStringLiteral("/api/v1/ws/broadcast/notification"),
                       R"({"user_id":"dave","title":"Audit","id":"n-2"})", admin)
                 .status,
             200);
    CollabClient again;
    QVERIFY(again.connectAs(*m_a, QStringLiteral("dave")));
    QCOMPARE(again.next(QStringLiteral("notification_event"))
                 .value(QLatin1String("notification"))
                 .toObject()
                 .value(QLatin1String("id"))
                 .toString(),
             QStringLiteral("n-2"));
}

// A notification stored through a reaches the user's open sessions on both nodes at once, each
// exactly once, and the answer counts them all.
void tst_ClusterPresence::aNotificationIsDeliveredLiveOnEveryNode()
{
    CollabClient onA, onB;
    QVERIFY(onA.connectAs(*m_a, QStringLiteral("erin")));
    QVERIFY(onB.connectAs(*m_b, QStringLiteral("erin")));
    // Connected (and the unread ones, none, read) on both before it is stored.
    for (CollabClient* client : {&onA, &onB}) {
        QCOMPARE(readUnknownNotification(*client, QStringLiteral("n-0")),
                 QStringLiteral("NOT_FOUND"));
    }
    const QByteArray admin = m_a->token(QStringLiteral("root"), Role::Admin);
    // a knows b (its heartbeat came): a asks it too.
    QTRY_COMPARE_WITH_TIMEOUT(nodesKnownTo(*m_a, admin), 2, 10000);
    const TestHub::Reply created =
        m_a->send("POST", QStringLiteral("/api/v1/ws/broadcast/notification"),
                  R"({"user_id":"erin","title":"Live","id":"n-live"})", admin);
    QCOMPARE(created.status, 200);
    QCOMPARE(
        QJsonDocument::fromJson(created.body).object().value(QLatin1String("delivered")).toInt(),
        2);
    for (CollabClient* client : {&onA, &onB}) {
        const QJsonObject event = client->next(QStringLiteral("notification_event"));
        QCOMPARE(event.value(QLatin1String("notification")).toObject().value(QLatin1String("id")),
                 QJsonValue(QStringLiteral("n-live")));
    }
    // Exactly once: a ping's pong comes after any second copy would have.
    for (CollabClient* client : {&onA, &onB}) {
        QCOMPARE(readUnknownNotification(*client, QStringLiteral("n-1")),
                 QStringLiteral("NOT_FOUND"));
        QCOMPARE(client->messagesOfType(QStringLiteral("notification_event")).size(), 1);
    }
}

// Without a user_id a notification is for every user with an open 004 session, on any node:
// Fay on a and Gus on b (twice) each get it live once and find it stored; `recipients` counts
// the users and `delivered` the sessions.
void tst_ClusterPresence::aNotificationForEveryoneReachesEveryNode()
{
    CollabClient fay, gus, gusAgain;
    QVERIFY(fay.connectAs(*m_a, QStringLiteral("fay")));
    QVERIFY(gus.connectAs(*m_b, QStringLiteral("gus")));
    QVERIFY(gusAgain.connectAs(*m_b, QStringLiteral("gus")));
    const QList<CollabClient*> clients{&fay, &gus, &gusAgain};
    for (CollabClient* client : clients) {
        QCOMPARE(readUnknownNotification(*client, QStringLiteral("n-0")),
                 QStringLiteral("NOT_FOUND"));
    }
    const QByteArray admin = m_a->token(QStringLiteral("root"), Role::Admin);
    QTRY_COMPARE_WITH_TIMEOUT(nodesKnownTo(*m_a, admin), 2, 10000);
    const TestHub::Reply created =
        m_a->send("POST", QStringLiteral("/api/v1/ws/broadcast/notification"),
                  R"({"title":"Maintenance at noon","id":"n-all"})", admin);
    QCOMPARE(created.status, 200);
    const QJsonObject reply = QJsonDocument::fromJson(created.body).object();
    QCOMPARE(reply.value(QLatin1String("recipients")).toInt(), 2);
    QCOMPARE(reply.value(QLatin1String("delivered")).toInt(), 3);
    for (CollabClient* client : clients) {
        const QJsonObject event = client->next(QStringLiteral("notification_event"));
        QCOMPARE(event.value(QLatin1String("notification")).toObject().value(QLatin1String("id")),
                 QJsonValue(QStringLiteral("n-all")));
    }
    // Stored for Gus too: a new session of his on a gets it as unread, and reads it.
    CollabClient gusOnA;
    QVERIFY(gusOnA.connectAs(*m_a, QStringLiteral("gus")));
    const QJsonObject unread = gusOnA.next(QStringLiteral("notification_event"));
    QCOMPARE(unread.value(QLatin1String("notification")).toObject().value(QLatin1String("id")),
             QJsonValue(QStringLiteral("n-all")));
    for (CollabClient* client : clients) {
        QCOMPARE(readUnknownNotification(*client, QStringLiteral("n-1")),
                 QStringLiteral("NOT_FOUND"));
        QCOMPARE(client->messagesOfType(QStringLiteral("notification_event")).size(), 1);
    }
}

QTEST_MAIN(tst_ClusterPresence)
#include "tst_cluster_presence.moc"
