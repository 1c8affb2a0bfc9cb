// Document 004's handlers and connection hooks (handlers/collab/) through the real
// MessageDispatcher, with clients held in memory: no welcome, the user's own topic, rooms with
// room_state, cells with versions and VERSION_CONFLICT, cursors to the others only,
// notifications through their filters (stored ones come from the store thread), and the
// room_state that those left get when a member goes away. The dialect over real sockets is
// tests/collab's.

#include "HandlerFixture.h"
#include "JsonMessage.h"

#include <QJsonArray>
#include <QSignalSpy>
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
    return message(QStringLiteral("join_room"), {{QStringLiteral("room_id"), room}});
}

QStringList userIds(const QJsonObject& roomState)
{
    QStringList ids;
    for (const QJsonValue& user : roomState.value(QStringLiteral("users")).toArray())
        ids.append(user.toObject().value(QStringLiteral("user_id")).toString());
    return ids;
}

Identity acmeUser(const QString& subject)
{
    return HandlerFixture::user(subject, Role::User, QStringLiteral("acme"));
}

QJsonObject cellUpdate(const QString& value, std::optional<int> version = std::nullopt)
{
    QJsonObject fields{{QStringLiteral("sheet_id"), QStringLiteral("s1")},
                       {QStringLiteral("cell_id"), QStringLiteral("A1")},
                       {QStringLiteral("value"), value}};
    if (version)
        fields.insert(QStringLiteral("version"), *version);
    return message(QStringLiteral("cell_update"), fields);
}

Notification notificationFor(const QString& userId, const QString& id, const QString& category)
{
    Notification notification;
    notification.id = id;
    notification.userId = userId;
    notification.title = QStringLiteral("Invoice");
    notification.message = QStringLiteral("Invoice %1 is due").arg(id);
    notification.category = category;
    notification.moduleName = QStringLiteral("finance");
    return notification;
}

// Stores the notifications in the fixture's store; true once they are durable.
bool store(HandlerFixture& fixture, const QList<Notification>& notifications)
{
    std::optional<bool> stored;
    QObject receiver;
    fixture.backend.notifications().add(notifications, &receiver,
                                        [&stored](bool durable) { stored = durable; });
    return QTest::qWaitFor([&stored] { return stored.has_value(); }) && *stored;
}

} // namespace

class tst_CollabHandlers : public QObject {
    Q_OBJECT

private slots:
    void cleanup();
    void noWelcomeAndTheUsersOwnTopic();
    void joinSendsRoomStateToEveryone();
    void joiningAgainAsksForTheStateAfresh();
    void leaveSendsRoomStateToThoseLeft();
    void roomsBelongToATenant();
    void cellUpdatesCarryVersions();
    void aStaleVersionIsAConflict();
    void cursorMovesGoToTheOthersOnly();
    void statusAndTypingGoToTheRoom();
    void notificationsPassTheSessionsFilter();
    void unreadNotificationsComeOnConnect();
    void readingAnUnknownNotificationIsNotFound();
    void aClosingMemberLeavesItsRooms();
    void pingIsAnsweredWithPong();
};

void tst_CollabHandlers::cleanup()
{
    const QStringList unlisted = Dialect::unlistedMessages();
    QVERIFY2(unlisted.isEmpty(), qPrintable(unlisted.join(u' ')));
}

void tst_CollabHandlers::noWelcomeAndTheUsersOwnTopic()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("alice")));
    QVERIFY(alice->take().isEmpty());
    QCOMPARE(alice->topics(), QStringList{QStringLiteral("user:alice")});
    QCOMPARE(fixture.backend.collab().sessionCountOf(QStringLiteral("alice")), 1);

    fixture.hub.publish(QStringLiteral("user:alice"), QStringLiteral("direct_message"),
                        {{QStringLiteral("message"), QStringLiteral("hi")}});
    QCOMPARE(only(alice->take()),
             QJsonObject({{QStringLiteral("type"), QStringLiteral("direct_message")},
                          {QStringLiteral("message"), QStringLiteral("hi")}}));
}

void tst_CollabHandlers::joinSendsRoomStateToEveryone()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("user_1")));
    auto bob = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("user_2")));

    const QJsonObject first = only(alice->exchange(joinRoom(QStringLiteral("workspace_123"))));
    QCOMPARE(typeOf(first), QStringLiteral("room_state"));
    QCOMPARE(first.value(QStringLiteral("room_id")).toString(), QStringLiteral("workspace_123"));
    QCOMPARE(first.value(QStringLiteral("total_users")).toInt(), 1);
    const QJsonObject me = first.value(QStringLiteral("users")).toArray().first().toObject();
    QCOMPARE(me.value(QStringLiteral("user_id")).toString(), QStringLiteral("user_1"));
    QCOMPARE(me.value(QStringLiteral("status")).toString(), QStringLiteral("online"));
    QVERIFY(me.value(QStringLiteral("cursor")).isNull());
    QVERIFY(alice->isSubscribed(QStringLiteral("room:workspace_123")));

    const QJsonObject both = only(bob->exchange(joinRoom(QStringLiteral("workspace_123"))));
    QCOMPARE(userIds(both), (QStringList{QStringLiteral("user_1"), QStringLiteral("user_2")}));
    QCOMPARE(only(alice->take()), both);

    QCOMPARE(codeOf(only(alice->exchange(message(QStringLiteral("join_room"))))),
             QStringLiteral("INVALID_MESSAGE"));
    QCOMPARE(codeOf(only(alice->exchange(joinRoom(QStringLiteral("has space"))))),
             QStringLiteral("INVALID_MESSAGE"));
}

void tst_CollabHandlers::joiningAgainAsksForTheStateAfresh()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("user_1")));
    auto bob = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("user_2")));
    alice->send(joinRoom(QStringLiteral("w")));
    bob->send(joinRoom(QStringLiteral("w")));
    alice->clear();
    bob->clear();
    QCOMPARE(userIds(only(bob->exchange(joinRoom(QStringLiteral("w"))))),
             (QStringList{QStringLiteral("user_1"), QStringLiteral("user_2")}));
    QVERIFY(alice->take().isEmpty());
}

void tst_CollabHandlers::leaveSendsRoomStateToThoseLeft()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("user_1")));
    auto bob = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("user_2")));
    alice->send(joinRoom(QStringLiteral("w")));
    bob->send(joinRoom(QStringLiteral("w")));
    alice->clear();
    bob->clear();

    const QJsonObject leave =
        message(QStringLiteral("leave_room"), {{QStringLiteral("room_id"), QStringLiteral("w")}});
    QVERIFY(bob->exchange(leave).isEmpty()); // no longer in the room to hear it
    QVERIFY(!bob->isSubscribed(QStringLiteral("room:w")));
    QCOMPARE(userIds(only(alice->take())), QStringList{QStringLiteral("user_1")});
    QCOMPARE(codeOf(only(bob->exchange(leave))), QStringLiteral("ROOM_NOT_FOUND"));
}

// SPEC §4: a room belongs to the tenant of whoever opened it.
void tst_CollabHandlers::roomsBelongToATenant()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("alice")));
    auto mallory = fixture.connect(
        QStringLiteral("/api/v1/ws"),
        HandlerFixture::user(QStringLiteral("mallory"), Role::User, QStringLiteral("globex")));
    alice->send(joinRoom(QStringLiteral("acme_plans")));
    alice->clear();
    const QJsonObject refused = only(mallory->exchange(joinRoom(QStringLiteral("acme_plans"))));
    QCOMPARE(codeOf(refused), QStringLiteral("PERMISSION_DENIED"));
    QVERIFY(!mallory->isSubscribed(QStringLiteral("room:acme_plans")));
    QVERIFY(alice->take().isEmpty());
}

void tst_CollabHandlers::cellUpdatesCarryVersions()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("user_1")));
    auto bob = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("user_2")));
    QCOMPARE(codeOf(only(alice->exchange(cellUpdate(QStringLiteral("42"))))),
             QStringLiteral("ROOM_NOT_FOUND"));
    alice->send(joinRoom(QStringLiteral("w")));
    bob->send(joinRoom(QStringLiteral("w")));
    alice->clear();
    bob->clear();

    // To everyone in the room, the writer included, once the cell store has it.
    alice->send(cellUpdate(QStringLiteral("42")));
    QTRY_COMPARE(alice->messages().size(), 1);
    const QJsonObject updated = only(alice->take());
    QCOMPARE(typeOf(updated), QStringLiteral("cell_updated"));
    QCOMPARE(updated.value(QStringLiteral("sheet_id")).toString(), QStringLiteral("s1"));
    QCOMPARE(updated.value(QStringLiteral("cell_id")).toString(), QStringLiteral("A1"));
    QCOMPARE(updated.value(QStringLiteral("value")).toString(), QStringLiteral("42"));
    QCOMPARE(updated.value(QStringLiteral("user_id")).toString(), QStringLiteral("user_1"));
    QCOMPARE(updated.value(QStringLiteral("version")).toInt(), 1);
    QCOMPARE(updated.value(QStringLiteral("room_id")).toString(), QStringLiteral("w"));
    QCOMPARE(only(bob->take()), updated);

    // A writer that saw version 1 writes version 2.
    bob->send(cellUpdate(QStringLiteral("43"), 1));
    QTRY_COMPARE(bob->messages().size(), 1);
    QCOMPARE(only(bob->take()).value(QStringLiteral("version")).toInt(), 2);
    alice->clear();
    QCOMPARE(
        codeOf(only(alice->exchange(message(
            QStringLiteral("cell_update"), {{QStringLiteral("sheet_id"), QStringLiteral("s1")}})))),
        QStringLiteral("INVALID_MESSAGE"));
}

// SPEC §6.5: an older version than the stored one gets VERSION_CONFLICT with the current
// value, and only its writer hears of it.
void tst_CollabHandlers::aStaleVersionIsAConflict()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("user_1")));
    auto bob = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("user_2")));
    alice->send(joinRoom(QStringLiteral("w")));
    bob->send(joinRoom(QStringLiteral("w")));
    alice->send(cellUpdate(QStringLiteral("first")));
    alice->send(cellUpdate(QStringLiteral("second"), 1));
    QTRY_COMPARE(bob->messagesOfType(QStringLiteral("cell_updated")).size(), 2);
    alice->clear();
    bob->clear();

    bob->send(cellUpdate(QStringLiteral("late"), 1));
    QTRY_COMPARE(bob->messages().size(), 1);
    const QJsonObject conflict = only(bob->take());
    QCOMPARE(typeOf(conflict), QStringLiteral("error"));
    QCOMPARE(codeOf(conflict), QStringLiteral("VERSION_CONFLICT"));
    QCOMPARE(conflict.value(QStringLiteral("sheet_id")).toString(), QStringLiteral("s1"));
    QCOMPARE(conflict.value(QStringLiteral("cell_id")).toString(), QStringLiteral("A1"));
    QCOMPARE(conflict.value(QStringLiteral("current_value")).toString(), QStringLiteral("second"));
    QCOMPARE(conflict.value(QStringLiteral("current_version")).toInt(), 2);
    QCOMPARE(conflict.value(QStringLiteral("user_id")).toString(), QStringLiteral("user_1"));
    QVERIFY(alice->take().isEmpty());
}

void tst_CollabHandlers::cursorMovesGoToTheOthersOnly()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("user_1")));
    auto bob = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("user_2")));
    const QJsonObject move =
        message(QStringLiteral("cursor_move"), {{QStringLiteral("x"), 10},
                                                {QStringLiteral("y"), 20},
                                                {QStringLiteral("cell"), QStringLiteral("B2")}});
    QCOMPARE(codeOf(only(alice->exchange(move))), QStringLiteral("ROOM_NOT_FOUND"));
    alice->send(joinRoom(QStringLiteral("w")));
    bob->send(joinRoom(QStringLiteral("w")));
    alice->clear();
    bob->clear();

    QVERIFY(alice->exchange(move).isEmpty());
    const QJsonObject moved = only(bob->take());
    QCOMPARE(typeOf(moved), QStringLiteral("cursor_moved"));
    QCOMPARE(moved.value(QStringLiteral("user_id")).toString(), QStringLiteral("user_1"));
    QCOMPARE(moved.value(QStringLiteral("username")).toString(), QStringLiteral("user_1"));
    QCOMPARE(moved.value(QStringLiteral("cursor")).toObject(),
             QJsonObject({{QStringLiteral("x"), 10},
                          {QStringLiteral("y"), 20},
                          {QStringLiteral("cell"), QStringLiteral("B2")}}));
    // The room remembers it: the next room_state carries the cursor.
    const QJsonObject state = only(bob->exchange(joinRoom(QStringLiteral("w"))));
    QCOMPARE(state.value(QStringLiteral("users"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("cursor"))
                 .toObject(),
             moved.value(QStringLiteral("cursor")).toObject());

    const QJsonObject withoutY = message(QStringLiteral("cursor_move"), {{QStringLiteral("x"), 1}});
    const QJsonObject error = only(alice->exchange(withoutY));
    QCOMPARE(codeOf(error), QStringLiteral("INVALID_MESSAGE"));
    QCOMPARE(error.value(QStringLiteral("error")).toString(), QStringLiteral("y is required"));
}

void tst_CollabHandlers::statusAndTypingGoToTheRoom()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("user_1")));
    auto bob = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("user_2")));
    alice->send(joinRoom(QStringLiteral("w")));
    bob->send(joinRoom(QStringLiteral("w")));
    alice->clear();
    bob->clear();

    alice->send(message(QStringLiteral("status_update"),
                        {{QStringLiteral("status"), QStringLiteral("away")}}));
    const QJsonObject status = bob->take().value(0);
    QCOMPARE(typeOf(status), QStringLiteral("user_status_changed"));
    QCOMPARE(status.value(QStringLiteral("user_id")).toString(), QStringLiteral("user_1"));
    QCOMPARE(status.value(QStringLiteral("status")).toString(), QStringLiteral("away"));
    alice->clear();
    QCOMPARE(codeOf(only(
                 alice->exchange(message(QStringLiteral("status_update"),
                                         {{QStringLiteral("status"), QStringLiteral("asleep")}})))),
             QStringLiteral("INVALID_MESSAGE"));

    alice->send(message(QStringLiteral("typing_start"),
                        {{QStringLiteral("cell_id"), QStringLiteral("A1")}}));
    alice->send(message(QStringLiteral("typing_stop"),
                        {{QStringLiteral("cell_id"), QStringLiteral("A1")}}));
    QStringList types;
    for (const QJsonObject& seen : bob->take())
        types.append(typeOf(seen));
    QCOMPARE(types, (QStringList{QStringLiteral("user_typing_start"),
                                 QStringLiteral("user_typing_stop")}));
}

// subscribe_notifications sets the filter the session's notifications pass through; a list
// left out lets everything through.
void tst_CollabHandlers::notificationsPassTheSessionsFilter()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("alice")));
    auto everything =
        fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("alice")));
    QVERIFY(alice
                ->exchange(message(
                    QStringLiteral("subscribe_notifications"),
                    {{QStringLiteral("categories"), QJsonArray{QStringLiteral("billing")}}}))
                .isEmpty());
    Collab& collab = fixture.backend.collab();

    QCOMPARE(collab.deliver(notificationFor(QStringLiteral("alice"), QStringLiteral("n1"),
                                            QStringLiteral("billing"))),
             2);
    const QJsonObject event = only(alice->take());
    QCOMPARE(typeOf(event), QStringLiteral("notification_event"));
    QCOMPARE(event.value(QStringLiteral("event_type")).toString(),
             QStringLiteral("notification_created"));
    QCOMPARE(event.value(QStringLiteral("user_id")).toString(), QStringLiteral("alice"));
    const QJsonObject notification = event.value(QStringLiteral("notification")).toObject();
    QCOMPARE(notification.value(QStringLiteral("id")).toString(), QStringLiteral("n1"));
    QCOMPARE(notification.value(QStringLiteral("category")).toString(), QStringLiteral("billing"));
    QCOMPARE(everything->take().size(), 1);

    QCOMPARE(collab.deliver(notificationFor(QStringLiteral("alice"), QStringLiteral("n2"),
                                            QStringLiteral("security"))),
             1);
    QVERIFY(alice->take().isEmpty());
    QCOMPARE(everything->take().size(), 1);
    // Someone else's notifications are not hers.
    QCOMPARE(collab.deliver(notificationFor(QStringLiteral("bob"), QStringLiteral("n3"), {})), 0);

    QCOMPARE(codeOf(only(alice->exchange(
                 message(QStringLiteral("subscribe_notifications"),
                         {{QStringLiteral("modules"), QStringLiteral("finance")}})))),
             QStringLiteral("INVALID_MESSAGE"));
}

// Stored, unread notifications come again on every new connection, through the filter the
// connection has by the time the store thread has read them.
void tst_CollabHandlers::unreadNotificationsComeOnConnect()
{
    HandlerFixture fixture;
    QVERIFY(store(
        fixture,
        {notificationFor(QStringLiteral("alice"), QStringLiteral("n1"), QStringLiteral("billing")),
         notificationFor(QStringLiteral("alice"), QStringLiteral("n2"), QStringLiteral("security")),
         notificationFor(QStringLiteral("bob"), QStringLiteral("n3"), QStringLiteral("billing"))}));

    auto alice = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("alice")));
    alice->send(message(QStringLiteral("subscribe_notifications"),
                        {{QStringLiteral("categories"), QJsonArray{QStringLiteral("billing")}}}));
    QTRY_COMPARE(alice->messagesOfType(QStringLiteral("notification_event")).size(), 1);
    QCOMPARE(alice->messagesOfType(QStringLiteral("notification_event"))
                 .first()
                 .value(QStringLiteral("notification"))
                 .toObject()
                 .value(QStringLiteral("id"))
                 .toString(),
             QStringLiteral("n1"));
}

// notification_read answers from the store thread; an id the user does not have is NOT_FOUND.
void tst_CollabHandlers::readingAnUnknownNotificationIsNotFound()
{
    HandlerFixture fixture;
    QVERIFY(store(fixture, {notificationFor(QStringLiteral("alice"), QStringLiteral("n1"), {})}));
    auto alice = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("alice")));
    QTRY_COMPARE(alice->messagesOfType(QStringLiteral("notification_event")).size(), 1);
    alice->clear();

    alice->send(message(QStringLiteral("notification_read"),
                        {{QStringLiteral("notification_id"), QStringLiteral("n1")}}));
    alice->send(message(QStringLiteral("notification_read"),
                        {{QStringLiteral("notification_id"), QStringLiteral("nope")}}));
    QTRY_COMPARE(alice->messages().size(), 1);
    const QJsonObject error = alice->messages().first();
    QCOMPARE(codeOf(error), QStringLiteral("NOT_FOUND"));
    QCOMPARE(error.value(QStringLiteral("notification_id")).toString(), QStringLiteral("nope"));

    // Read: a new connection is not given it again.
    auto later = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("alice")));
    later->send(message(QStringLiteral("notification_read"),
                        {{QStringLiteral("notification_id"), QStringLiteral("nope")}}));
    // The store answers in order: once the NOT_FOUND is back, the unread list was read before.
    QTRY_COMPARE(later->messagesOfType(QStringLiteral("error")).size(), 1);
    QVERIFY(later->messagesOfType(QStringLiteral("notification_event")).isEmpty());
}

// The `closed` hook: a member that goes away leaves its rooms; those left get the room_state.
void tst_CollabHandlers::aClosingMemberLeavesItsRooms()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("user_1")));
    auto bob = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("user_2")));
    for (const char* room : {"one", "two"}) {
        alice->send(joinRoom(QLatin1String(room)));
        bob->send(joinRoom(QLatin1String(room)));
    }
    alice->clear();

    bob->disconnect();
    const QList<QJsonObject> states = alice->take();
    QCOMPARE(states.size(), 2);
    for (const QJsonObject& state : states) {
        QCOMPARE(typeOf(state), QStringLiteral("room_state"));
        QCOMPARE(userIds(state), QStringList{QStringLiteral("user_1")});
    }
    QVERIFY(bob->topics().isEmpty());
    QVERIFY(fixture.backend.collab().rooms().roomsOf(bob->id()).isEmpty());
    QCOMPARE(fixture.backend.collab().sessionCountOf(QStringLiteral("user_2")), 0);
}

// The document's own test: the first reply to ping is pong.
void tst_CollabHandlers::pingIsAnsweredWithPong()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/api/v1/ws"), acmeUser(QStringLiteral("alice")));
    const QJsonObject pong = only(alice->exchange(message(QStringLiteral("ping"))));
    QCOMPARE(typeOf(pong), QStringLiteral("pong"));
    QVERIFY(isIsoTimestamp(pong.value(QStringLiteral("timestamp"))));
}

QTEST_GUILESS_MAIN(tst_CollabHandlers)
#include "tst_collab_handlers.moc"
