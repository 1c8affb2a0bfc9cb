// Document 002's handlers and connection hooks (handlers/assist/) through the real
// MessageDispatcher, with clients held in memory: `connection` on open and after auth, the
// user's own rooms, user_activity to the admin room, the special rooms, get_active_jobs,
// broadcast_admin, and the document_updates mirror its install hook sets up. The dialect over
// real sockets is tst_dialect_assist's.

#include "HandlerFixture.h"
#include "JsonMessage.h"

#include <QJsonArray>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

QJsonObject only(const QList<QJsonObject>& messages)
{
    return messages.size() == 1 ? messages.first() : QJsonObject();
}

QJsonObject joinRoom(const QString& room)
{
    return message(QStringLiteral("join_room"), {{QStringLiteral("room"), room}});
}

} // namespace

class tst_AssistHandlers : public QObject {
    Q_OBJECT

private slots:
    void cleanup();
    void connectionOnOpen();
    void ownRoomsOnOpen();
    void anonymousGetsNoRoomItMayNotRead();
    void adminsHearUsersComeAndGo();
    void authMessageSignsIn();
    void authMessageWithABadTokenCloses();
    void specialRoomRules();
    void customRoomsAnnounceJoinsToTheOthers();
    void leaveRoomNeedsTheRoom();
    void shortcutsJoinTheDocumentsRooms();
    void activeJobsAreJobUpdates();
    void broadcastAdminReachesEveryone();
    void documentUpdatesAreMirroredForAdmins();
};

void tst_AssistHandlers::cleanup()
{
    const QStringList unlisted = Dialect::unlistedMessages();
    QVERIFY2(unlisted.isEmpty(), qPrintable(unlisted.join(u' ')));
}

void tst_AssistHandlers::connectionOnOpen()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/ws/connect"),
                                 HandlerFixture::user(QStringLiteral("alice")));
    const QJsonObject connection = only(alice->take());
    QCOMPARE(typeOf(connection), QStringLiteral("connection"));
    QVERIFY(isIsoTimestamp(connection.value(QStringLiteral("timestamp"))));
    QCOMPARE(dataOf(connection),
             QJsonObject({{QStringLiteral("status"), QStringLiteral("authenticated")},
                          {QStringLiteral("connection_id"), alice->id()},
                          {QStringLiteral("authenticated"), true},
                          {QStringLiteral("user_id"), QStringLiteral("alice")},
                          {QStringLiteral("role"), QStringLiteral("user")}}));

    // Under --auth required an anonymous connection is told nothing before it signs in.
    auto anonymous = fixture.connect(QStringLiteral("/ws/connect"));
    QVERIFY(anonymous->take().isEmpty());
}

// Every connection watches `alerts` and its user's document updates; administrators also
// the `admin` room.
void tst_AssistHandlers::ownRoomsOnOpen()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/ws/connect"),
                                 HandlerFixture::user(QStringLiteral("alice")));
    QCOMPARE(alice->topics(),
             (QStringList{QStringLiteral("alerts"), QStringLiteral("document_updates_alice")}));
    auto root = fixture.connect(QStringLiteral("/ws/connect"),
                                HandlerFixture::user(QStringLiteral("root"), Role::Admin));
    QCOMPARE(root->topics(),
             (QStringList{QStringLiteral("alerts"), QStringLiteral("document_updates_root"),
                          QStringLiteral("admin")}));
    QCOMPARE(fixture.dispatcher.autoTopics(alice->dialect(),
                                           HandlerFixture::user(QStringLiteral("bob")),
                                           QStringLiteral("/ws/connect")),
             (QStringList{QStringLiteral("alerts"), QStringLiteral("document_updates_bob")}));
}

// An automatic topic the identity may not read is skipped: an anonymous client (authentication
// required) reads not even `alerts` until it signs in.
void tst_AssistHandlers::anonymousGetsNoRoomItMayNotRead()
{
    HandlerFixture fixture;
    auto anonymous = fixture.connect(QStringLiteral("/ws/connect"));
    QVERIFY(anonymous->topics().isEmpty());

    HubConfig config = testConfig();
    config.authMode = AuthMode::Off;
    HandlerFixture open(config);
    auto guest = open.connect(QStringLiteral("/ws/connect"));
    QCOMPARE(guest->topics(), QStringList{QStringLiteral("alerts")});
}

void tst_AssistHandlers::adminsHearUsersComeAndGo()
{
    HandlerFixture fixture;
    auto root = fixture.connect(QStringLiteral("/ws/connect"),
                                HandlerFixture::user(QStringLiteral("root"), Role::Admin));
    root->clear();
    auto alice = fixture.connect(QStringLiteral("/ws/connect"),
                                 HandlerFixture::user(QStringLiteral("alice")));
    const QJsonObject connected = only(root->take());
    QCOMPARE(typeOf(connected), QStringLiteral("user_activity"));
    QCOMPARE(dataOf(connected).value(QStringLiteral("user_id")).toString(),
             QStringLiteral("alice"));
    QCOMPARE(dataOf(connected).value(QStringLiteral("action")).toString(),
             QStringLiteral("connected"));
    QCOMPARE(dataOf(connected).value(QStringLiteral("connection_id")).toString(), alice->id());

    // The `closed` hook.
    alice->disconnect();
    const QJsonObject gone = only(root->take());
    QCOMPARE(typeOf(gone), QStringLiteral("user_activity"));
    QCOMPARE(dataOf(gone).value(QStringLiteral("action")).toString(),
             QStringLiteral("disconnected"));
    QCOMPARE(dataOf(gone).value(QStringLiteral("user_id")).toString(), QStringLiteral("alice"));

    // Anonymous clients come and go unannounced.
    fixture.connect(QStringLiteral("/ws/connect"))->disconnect();
    QVERIFY(root->take().isEmpty());
}

// The document's second way in: connect, then {"type": "auth", "token"} first.
void tst_AssistHandlers::authMessageSignsIn()
{
    HandlerFixture fixture;
    auto root = fixture.connect(QStringLiteral("/ws/connect"),
                                HandlerFixture::user(QStringLiteral("root"), Role::Admin));
    auto client = fixture.connect(QStringLiteral("/ws/connect"));
    client->clear();
    root->clear();

    const QString token =
        QString::fromUtf8(fixture.token(HandlerFixture::user(QStringLiteral("carol"))));
    const QJsonObject connection =
        only(client->exchange(message(QStringLiteral("auth"), {{QStringLiteral("token"), token}})));
    QCOMPARE(typeOf(connection), QStringLiteral("connection"));
    QCOMPARE(dataOf(connection).value(QStringLiteral("authenticated")).toBool(), true);
    QCOMPARE(dataOf(connection).value(QStringLiteral("user_id")).toString(),
             QStringLiteral("carol"));
    QCOMPARE(client->topics(),
             (QStringList{QStringLiteral("alerts"), QStringLiteral("document_updates_carol")}));
    QCOMPARE(dataOf(only(root->take())).value(QStringLiteral("user_id")).toString(),
             QStringLiteral("carol"));

    // The document's own client signs in twice with the same token: the second is quiet.
    QVERIFY(client->exchange(message(QStringLiteral("auth"), {{QStringLiteral("token"), token}}))
                .isEmpty());
    QVERIFY(client->closes().isEmpty());
}

void tst_AssistHandlers::authMessageWithABadTokenCloses()
{
    HandlerFixture fixture;
    auto client = fixture.connect(QStringLiteral("/ws/connect"));
    client->clear();
    const QJsonObject refused = only(client->exchange(
        message(QStringLiteral("auth"),
                {{QStringLiteral("token"), QStringLiteral("forged.token.value")}})));
    QCOMPARE(codeOf(refused), QStringLiteral("AUTHENTICATION_FAILED"));
    QCOMPARE(client->closes().size(), 1);
    QCOMPARE(client->closes()[0].code, CloseCode::Policy);
    QCOMPARE(client->closes()[0].reason, QStringLiteral("invalid token"));
    // Closing: nothing more is handled.
    QVERIFY(client->exchange(message(QStringLiteral("ping"))).isEmpty());
}

void tst_AssistHandlers::specialRoomRules()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/ws/connect"),
                                 HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();
    const auto outcome = [&alice](const QString& room) -> QString {
        const QJsonObject reply = alice->exchange(joinRoom(room)).value(0);
        return typeOf(reply) == QLatin1String("error")
                   ? codeOf(reply)
                   : dataOf(reply).value(QStringLiteral("event")).toString();
    };
    QCOMPARE(outcome(QStringLiteral("admin")), QStringLiteral("PERMISSION_DENIED"));
    QCOMPARE(outcome(QStringLiteral("all_document_updates")), QStringLiteral("PERMISSION_DENIED"));
    QCOMPARE(outcome(QStringLiteral("document_updates_bob")), QStringLiteral("PERMISSION_DENIED"));
    QCOMPARE(outcome(QStringLiteral("document_updates_alice")), QStringLiteral("joined"));
    QCOMPARE(outcome(QStringLiteral("system_monitoring")), QStringLiteral("joined"));
    QCOMPARE(outcome(QStringLiteral("background_jobs")), QStringLiteral("joined"));
    QCOMPARE(outcome(QStringLiteral("has space")), QStringLiteral("INVALID_MESSAGE"));
    QCOMPARE(codeOf(only(alice->exchange(message(QStringLiteral("join_room"))))),
             QStringLiteral("INVALID_MESSAGE"));
    // The document's rooms are the hub's topics behind them.
    QVERIFY(alice->isSubscribed(QStringLiteral("system_metrics")));
    QVERIFY(alice->isSubscribed(QStringLiteral("jobs")));
    QVERIFY(!alice->isSubscribed(QStringLiteral("admin")));

    auto root = fixture.connect(QStringLiteral("/ws/connect"),
                                HandlerFixture::user(QStringLiteral("root"), Role::Admin));
    root->clear();
    const QJsonObject joined =
        only(root->exchange(joinRoom(QStringLiteral("all_document_updates"))));
    QCOMPARE(typeOf(joined), QStringLiteral("room_event"));
    QCOMPARE(dataOf(joined),
             QJsonObject({{QStringLiteral("event"), QStringLiteral("joined")},
                          {QStringLiteral("room"), QStringLiteral("all_document_updates")},
                          {QStringLiteral("user_id"), QStringLiteral("root")}}));
}

// A room of the document's own: the others hear of a join or leave, the sender does not.
void tst_AssistHandlers::customRoomsAnnounceJoinsToTheOthers()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/ws/connect"),
                                 HandlerFixture::user(QStringLiteral("alice")));
    auto bob =
        fixture.connect(QStringLiteral("/ws/connect"), HandlerFixture::user(QStringLiteral("bob")));
    alice->send(joinRoom(QStringLiteral("chat_room_123")));
    QVERIFY(alice->isSubscribed(QStringLiteral("room:chat_room_123")));
    alice->clear();
    bob->clear();

    QCOMPARE(typeOf(only(bob->exchange(joinRoom(QStringLiteral("chat_room_123"))))),
             QStringLiteral("room_event"));
    const QJsonObject arrival = only(alice->take());
    QCOMPARE(typeOf(arrival), QStringLiteral("room_event"));
    QCOMPARE(dataOf(arrival).value(QStringLiteral("event")).toString(),
             QStringLiteral("user_joined"));
    QCOMPARE(dataOf(arrival).value(QStringLiteral("user")).toString(), QStringLiteral("bob"));

    // Joining again is answered, and announced to nobody.
    QCOMPARE(typeOf(only(bob->exchange(joinRoom(QStringLiteral("chat_room_123"))))),
             QStringLiteral("room_event"));
    QVERIFY(alice->take().isEmpty());

    const QJsonObject left =
        only(bob->exchange(message(QStringLiteral("leave_room"),
                                   {{QStringLiteral("room"), QStringLiteral("chat_room_123")}})));
    QCOMPARE(dataOf(left).value(QStringLiteral("event")).toString(), QStringLiteral("left"));
    QCOMPARE(dataOf(only(alice->take())).value(QStringLiteral("event")).toString(),
             QStringLiteral("user_left"));
}

void tst_AssistHandlers::leaveRoomNeedsTheRoom()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/ws/connect"),
                                 HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();
    QCOMPARE(
        codeOf(only(alice->exchange(message(
            QStringLiteral("leave_room"), {{QStringLiteral("room"), QStringLiteral("nowhere")}})))),
        QStringLiteral("ROOM_NOT_FOUND"));
    QCOMPARE(codeOf(only(alice->exchange(message(QStringLiteral("unsubscribe_system_metrics"))))),
             QStringLiteral("ROOM_NOT_FOUND"));
}

void tst_AssistHandlers::shortcutsJoinTheDocumentsRooms()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/ws/connect"),
                                 HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();
    const auto roomOf = [&alice](const QString& type, const QJsonObject& fields = {}) -> QString {
        const QJsonObject reply = only(alice->exchange(message(type, fields)));
        return typeOf(reply) == QLatin1String("error")
                   ? codeOf(reply)
                   : dataOf(reply).value(QStringLiteral("event")).toString() + u' ' +
                         dataOf(reply).value(QStringLiteral("room")).toString();
    };
    QCOMPARE(roomOf(QStringLiteral("subscribe_system_metrics")),
             QStringLiteral("joined system_monitoring"));
    QCOMPARE(roomOf(QStringLiteral("unsubscribe_system_metrics")),
             QStringLiteral("left system_monitoring"));
    QCOMPARE(roomOf(QStringLiteral("subscribe_job_updates")),
             QStringLiteral("joined background_jobs"));
    QCOMPARE(roomOf(QStringLiteral("subscribe_document_updates")),
             QStringLiteral("joined document_updates_alice"));
    QCOMPARE(roomOf(QStringLiteral("subscribe_document_updates"),
                    {{QStringLiteral("user_id"), QStringLiteral("bob")}}),
             QStringLiteral("PERMISSION_DENIED"));

    auto root = fixture.connect(QStringLiteral("/ws/connect"),
                                HandlerFixture::user(QStringLiteral("root"), Role::Admin));
    root->clear();
    QCOMPARE(dataOf(only(root->exchange(message(QStringLiteral("subscribe_document_updates")))))
                 .value(QStringLiteral("room"))
                 .toString(),
             QStringLiteral("all_document_updates"));
}

void tst_AssistHandlers::activeJobsAreJobUpdates()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/ws/connect"),
                                 HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();
    const QJsonObject none = only(alice->exchange(message(
        QStringLiteral("get_active_jobs"), {{QStringLiteral("id"), QStringLiteral("before")}})));
    QCOMPARE(typeOf(none), QStringLiteral("job_updates"));
    QCOMPARE(none.value(QStringLiteral("id")).toString(), QStringLiteral("before"));
    QCOMPARE(dataOf(none),
             QJsonObject({{QStringLiteral("jobs"), QJsonArray()}, {QStringLiteral("count"), 0}}));

    const JobAnswer held = fixture.backend.jobs().createExternal(
        QStringLiteral("rc_analysis"), QStringLiteral("Held"), {},
        HandlerFixture::user(QStringLiteral("svc"), Role::Service));
    QVERIFY(held.ok());
    const QJsonObject one =
        dataOf(only(alice->exchange(message(QStringLiteral("get_active_jobs")))));
    QCOMPARE(one.value(QStringLiteral("count")).toInt(), 1);
    const QJsonObject job = one.value(QStringLiteral("jobs")).toArray().first().toObject();
    QCOMPARE(job.value(QStringLiteral("job_id")).toString(), held.job->id);
    QCOMPARE(job.value(QStringLiteral("status")).toString(), QStringLiteral("running"));
}

void tst_AssistHandlers::broadcastAdminReachesEveryone()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/ws/connect"),
                                 HandlerFixture::user(QStringLiteral("alice")));
    auto root = fixture.connect(QStringLiteral("/ws/connect"),
                                HandlerFixture::user(QStringLiteral("root"), Role::Admin));
    alice->clear();
    root->clear();
    const QJsonObject details{{QStringLiteral("window_minutes"), 30}};
    const QList<QJsonObject> replies =
        root->exchange(message(QStringLiteral("broadcast_admin"),
                               {{QStringLiteral("message"), QStringLiteral("Maintenance")},
                                {QStringLiteral("severity"), QStringLiteral("warning")},
                                {QStringLiteral("details"), details}}));
    // Root watches `alerts` too: the alert, then the reply.
    QCOMPARE(replies.size(), 2);
    QCOMPARE(typeOf(replies[1]), QStringLiteral("broadcast_sent"));
    QCOMPARE(dataOf(replies[1]).value(QStringLiteral("delivered")).toInt(), 2);
    const QJsonObject alert = dataOf(only(alice->take()));
    QCOMPARE(alert.value(QStringLiteral("alert_type")).toString(),
             QStringLiteral("admin_broadcast"));
    QCOMPARE(alert.value(QStringLiteral("severity")).toString(), QStringLiteral("warning"));
    QCOMPARE(alert.value(QStringLiteral("message")).toString(), QStringLiteral("Maintenance"));
    QCOMPARE(alert.value(QStringLiteral("details")).toObject(), details);
    QCOMPARE(alert.value(QStringLiteral("from")).toString(), QStringLiteral("root"));

    QCOMPARE(codeOf(only(root->exchange(message(QStringLiteral("broadcast_admin"))))),
             QStringLiteral("INVALID_MESSAGE"));
    QCOMPARE(codeOf(only(
                 root->exchange(message(QStringLiteral("broadcast_admin"),
                                        {{QStringLiteral("message"), QStringLiteral("x")},
                                         {QStringLiteral("severity"), QStringLiteral("dire")}})))),
             QStringLiteral("INVALID_MESSAGE"));
}

// The install hook: every user's document updates reach the administrators' room as well.
void tst_AssistHandlers::documentUpdatesAreMirroredForAdmins()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/ws/connect"),
                                 HandlerFixture::user(QStringLiteral("alice")));
    auto bob =
        fixture.connect(QStringLiteral("/ws/connect"), HandlerFixture::user(QStringLiteral("bob")));
    auto root = fixture.connect(QStringLiteral("/ws/connect"),
                                HandlerFixture::user(QStringLiteral("root"), Role::Admin));
    root->send(message(QStringLiteral("subscribe_document_updates")));
    alice->clear();
    bob->clear();
    root->clear();

    const QJsonObject done{{QStringLiteral("document_id"), QStringLiteral("doc456")},
                           {QStringLiteral("success"), true}};
    fixture.hub.publish(QStringLiteral("document_updates_alice"),
                        QStringLiteral("document_processing_complete"), done);
    const QJsonObject own = only(alice->take());
    QCOMPARE(typeOf(own), QStringLiteral("document_processing_complete"));
    QCOMPARE(dataOf(own), done);
    QCOMPARE(dataOf(only(root->take())), done);
    QVERIFY(bob->take().isEmpty());
}

QTEST_GUILESS_MAIN(tst_AssistHandlers)
#include "tst_assist_handlers.moc"
