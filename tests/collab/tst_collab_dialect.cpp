// Document 004's WebSocket API on /api/v1/ws, replaying the document's own examples over
// real sockets: ping/pong, rooms with room_state and presence, cursors, cells with
// versions, status and typing, and the error codes of bad input.

#include "CollabClient.h"
#include "protocol/dialects/Dialect.h"

#include <QJsonArray>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

QString type(const QJsonObject& m)
{
    return m.value(QLatin1String("type")).toString();
}

QStringList userIds(const QJsonObject& roomState)
{
    QStringList ids;
    for (const QJsonValue& user : roomState.value(QLatin1String("users")).toArray())
        ids.append(user.toObject().value(QLatin1String("user_id")).toString());
    return ids;
}

const QJsonObject joinWorkspace{{QStringLiteral("type"), QStringLiteral("join_room")},
                                {QStringLiteral("room_id"), QStringLiteral("workspace_123")}};

} // namespace

class CollabDialectTest : public QObject {
    Q_OBJECT

private slots:
    // Every message the dialects built in these tests is in their tables (/asyncapi.json).
    void cleanup()
    {
        const QStringList unlisted = switchboard::Dialect::unlistedMessages();
        QVERIFY2(unlisted.isEmpty(), qPrintable(unlisted.join(u' ')));
    }

    // The document's own integration test: {"type":"ping"} -> the first reply is pong.
    void pingIsAnsweredWithPongFirst()
    {
        TestHub hub;
        QVERIFY(!hub.startError);
        TestClient client;
        QVERIFY(client.open(
            hub.ws(QStringLiteral("/api/v1/ws"), hub.token(QStringLiteral("user_1"), Role::User))));
        client.send(message(QStringLiteral("ping")));
        QVERIFY(!client.waitForType(QStringLiteral("pong")).isEmpty());
        QCOMPARE(type(client.messages.first()), QStringLiteral("pong"));
    }

    void tokenByAuthorizationHeader()
    {
        TestHub hub;
        TestClient client;
        QVERIFY(client.open(hub.ws(QStringLiteral("/api/v1/ws")),
                            hub.token(QStringLiteral("user_1"), Role::User)));
        client.send(message(QStringLiteral("ping")));
        QVERIFY(!client.waitForType(QStringLiteral("pong")).isEmpty());

        TestClient anonymous;
        QVERIFY(!anonymous.open(hub.ws(QStringLiteral("/api/v1/ws")), {}, 2000) ||
                anonymous.waitClosed());
    }

    void userTopicIsSubscribedAutomatically()
    {
        TestHub hub;
        CollabClient alice;
        QVERIFY(alice.connectAs(hub, QStringLiteral("alice")));
        QVERIFY(alice.sync());
        const auto reply =
            hub.send("POST", QStringLiteral("/api/v1/publish"),
                     R"({"topic":"user:alice","type":"direct_message","data":{"message":"hi"}})",
                     hub.token(QStringLiteral("svc"), Role::Service));
        QCOMPARE(reply.status, 200);
        const QJsonObject direct = alice.next(QStringLiteral("direct_message"));
        QCOMPARE(direct.value(QLatin1String("message")).toString(), QStringLiteral("hi"));
    }

    void joinSendsRoomStateWithPresence()
    {
        TestHub hub;
        CollabClient alice;
        CollabClient bob;
        QVERIFY(alice.connectAs(hub, QStringLiteral("user_1")));
        QVERIFY(bob.connectAs(hub, QStringLiteral("user_2")));

        qsizetype from = alice.exchange(joinWorkspace);
        QJsonObject state = alice.next(QStringLiteral("room_state"), from);
        QCOMPARE(state.value(QLatin1String("room_id")).toString(), QStringLiteral("workspace_123"));
        QCOMPARE(state.value(QLatin1String("total_users")).toInt(), 1);
        const QJsonObject me = state.value(QLatin1String("users")).toArray().first().toObject();
        QCOMPARE(me.value(QLatin1String("user_id")).toString(), QStringLiteral("user_1"));
        QCOMPARE(me.value(QLatin1String("room")).toString(), QStringLiteral("workspace_123"));
        QCOMPARE(me.value(QLatin1String("status")).toString(), QStringLiteral("online"));
        QVERIFY(me.contains(QLatin1String("cursor")));
        QVERIFY(me.value(QLatin1String("last_seen")).toString().endsWith(u'Z'));
        QVERIFY(state.value(QLatin1String("active_sheets")).isArray());

        // Bob joins: both get the new state with two users.
        from = alice.mark();
        bob.exchange(joinWorkspace);
        state = alice.next(QStringLiteral("room_state"), from);
        QCOMPARE(state.value(QLatin1String("total_users")).toInt(), 2);
        QCOMPARE(userIds(state), (QStringList{QStringLiteral("user_1"), QStringLiteral("user_2")}));
        QCOMPARE(bob.next(QStringLiteral("room_state")).value(QLatin1String("total_users")).toInt(),
                 2);

        // Bob leaves: Alice sees one user again.
        from = alice.mark();
        bob.exchange(message(QStringLiteral("leave_room"),
                             {{QStringLiteral("room_id"), QStringLiteral("workspace_123")}}));
        state = alice.next(QStringLiteral("room_state"), from);
        QCOMPARE(userIds(state), QStringList{QStringLiteral("user_1")});

        // Bob comes back and disconnects: the room hears of it as a leave.
        from = alice.mark();
        bob.exchange(joinWorkspace);
        QCOMPARE(alice.next(QStringLiteral("room_state"), from)
                     .value(QLatin1String("total_users"))
                     .toInt(),
                 2);
        from = alice.mark();
        bob.socket.close();
        state = alice.next(QStringLiteral("room_state"), from);
        QCOMPARE(userIds(state), QStringList{QStringLiteral("user_1")});
    }

    void cursorTypingAndStatusGoToTheOthers()
    {
        TestHub hub;
        CollabClient alice;
        CollabClient bob;
        QVERIFY(alice.connectAs(hub, QStringLiteral("user_1")));
        QVERIFY(bob.connectAs(hub, QStringLiteral("user_2")));
        alice.exchange(joinWorkspace);
        bob.exchange(joinWorkspace);

        qsizetype from = alice.mark();
        const qsizetype bobFrom =
            bob.exchange(message(QStringLiteral("cursor_move"),
                                 {{QStringLiteral("room"), QStringLiteral("workspace_123")},
                                  {QStringLiteral("x"), 150},
                                  {QStringLiteral("y"), 300},
                                  {QStringLiteral("cell"), QStringLiteral("B2")}}));
        const QJsonObject moved = alice.next(QStringLiteral("cursor_moved"), from);
        QCOMPARE(moved.value(QLatin1String("user_id")).toString(), QStringLiteral("user_2"));
        QCOMPARE(moved.value(QLatin1String("username")).toString(), QStringLiteral("user_2"));
        const QJsonObject cursor = moved.value(QLatin1String("cursor")).toObject();
        QCOMPARE(cursor.value(QLatin1String("x")).toDouble(), 150.0);
        QCOMPARE(cursor.value(QLatin1String("y")).toDouble(), 300.0);
        QCOMPARE(cursor.value(QLatin1String("cell")).toString(), QStringLiteral("B2"));
        QVERIFY(bob.since(bobFrom, QStringLiteral("cursor_moved")).isEmpty());

        // The cursor is part of the presence a newcomer sees.
        CollabClient carol;
        QVERIFY(carol.connectAs(hub, QStringLiteral("user_3")));
        const qsizetype carolFrom = carol.exchange(joinWorkspace);
        const QJsonObject state = carol.next(QStringLiteral("room_state"), carolFrom);
        bool sawCursor = false;
        for (const QJsonValue& user : state.value(QLatin1String("users")).toArray()) {
            if (user.toObject().value(QLatin1String("user_id")).toString() ==
                QStringLiteral("user_2"))
                sawCursor = user.toObject().value(QLatin1String("cursor")).toObject() == cursor;
        }
        QVERIFY(sawCursor);

        from = alice.mark();
        bob.exchange(message(QStringLiteral("status_update"),
                             {{QStringLiteral("status"), QStringLiteral("busy")}}));
        const QJsonObject status = alice.next(QStringLiteral("user_status_changed"), from);
        QCOMPARE(status.value(QLatin1String("user_id")).toString(), QStringLiteral("user_2"));
        QCOMPARE(status.value(QLatin1String("status")).toString(), QStringLiteral("busy"));

        for (const QString& kind : {QStringLiteral("start"), QStringLiteral("stop")}) {
            from = alice.mark();
            const qsizetype own =
                bob.exchange(message(QStringLiteral("typing_") + kind,
                                     {{QStringLiteral("cell_id"), QStringLiteral("A1")},
                                      {QStringLiteral("room"), QStringLiteral("workspace_123")}}));
            const QJsonObject typing = alice.next(QStringLiteral("user_typing_") + kind, from);
            QCOMPARE(typing.value(QLatin1String("user_id")).toString(), QStringLiteral("user_2"));
            QCOMPARE(typing.value(QLatin1String("username")).toString(), QStringLiteral("user_2"));
            QCOMPARE(typing.value(QLatin1String("cell_id")).toString(), QStringLiteral("A1"));
            QVERIFY(bob.since(own, QStringLiteral("user_typing_") + kind).isEmpty());
        }
    }

    void cellUpdatesCarryVersionsAndConflicts()
    {
        TestHub hub;
        CollabClient alice;
        CollabClient bob;
        QVERIFY(alice.connectAs(hub, QStringLiteral("user_1")));
        QVERIFY(bob.connectAs(hub, QStringLiteral("user_2")));
        alice.exchange(joinWorkspace);
        bob.exchange(joinWorkspace);

        // The document's example: version 1642161000000 in, 1642161000001 out, to everyone.
        const QJsonObject update{
            {QStringLiteral("type"), QStringLiteral("cell_update")},
            {QStringLiteral("sheet_id"), QStringLiteral("sheet_123")},
            {QStringLiteral("cell_id"), QStringLiteral("A1")},
            {QStringLiteral("value"), QStringLiteral("Hello World")},
            {QStringLiteral("formula"), QStringLiteral("=CONCATENATE('Hello', ' ', 'World')")},
            {QStringLiteral("version"), 1642161000000.0}};
        const qsizetype from = alice.mark();
        const qsizetype bobFrom = bob.write(update);
        for (CollabClient* client : {&alice, &bob}) {
            const QJsonObject updated =
                client->next(QStringLiteral("cell_updated"), client == &alice ? from : bobFrom);
            QCOMPARE(updated.value(QLatin1String("sheet_id")).toString(),
                     QStringLiteral("sheet_123"));
            QCOMPARE(updated.value(QLatin1String("cell_id")).toString(), QStringLiteral("A1"));
            QCOMPARE(updated.value(QLatin1String("value")).toString(),
                     QStringLiteral("Hello World"));
            QCOMPARE(updated.value(QLatin1String("formula")).toString(),
                     QStringLiteral("=CONCATENATE('Hello', ' ', 'World')"));
            QCOMPARE(updated.value(QLatin1String("user_id")).toString(), QStringLiteral("user_2"));
            QCOMPARE(updated.value(QLatin1String("username")).toString(), QStringLiteral("user_2"));
            QCOMPARE(qint64(updated.value(QLatin1String("version")).toDouble()),
                     Q_INT64_C(1642161000001));
        }

        // Alice writes on the version she saw: accepted.
        QJsonObject next = update;
        next.insert(QStringLiteral("value"), QStringLiteral("Hi"));
        next.insert(QStringLiteral("version"), 1642161000001.0);
        qsizetype at = alice.write(next);
        QCOMPARE(qint64(alice.next(QStringLiteral("cell_updated"), at)
                            .value(QLatin1String("version"))
                            .toDouble()),
                 Q_INT64_C(1642161000002));

        // Bob writes on the old version: VERSION_CONFLICT with the current value and version.
        at = bob.write(update);
        const QJsonObject conflict = bob.errorSince(at);
        QCOMPARE(conflict.value(QLatin1String("code")).toString(),
                 QStringLiteral("VERSION_CONFLICT"));
        QCOMPARE(conflict.value(QLatin1String("current_value")).toString(), QStringLiteral("Hi"));
        QCOMPARE(qint64(conflict.value(QLatin1String("current_version")).toDouble()),
                 Q_INT64_C(1642161000002));
        QCOMPARE(conflict.value(QLatin1String("cell_id")).toString(), QStringLiteral("A1"));
        for (const QJsonObject& updated : bob.since(at, QStringLiteral("cell_updated")))
            QCOMPARE(updated.value(QLatin1String("value")).toString(), QStringLiteral("Hi"));

        // The sheet is now one of the room's active sheets.
        CollabClient carol;
        QVERIFY(carol.connectAs(hub, QStringLiteral("user_3")));
        at = carol.exchange(joinWorkspace);
        QCOMPARE(carol.next(QStringLiteral("room_state"), at)
                     .value(QLatin1String("active_sheets"))
                     .toArray(),
                 QJsonArray{QStringLiteral("sheet_123")});
    }

    void onlyTheRoomsTenantMayJoin()
    {
        TestHub hub;
        CollabClient alice;
        CollabClient mallory;
        QVERIFY(alice.connectAs(hub, QStringLiteral("alice"), QStringLiteral("acme")));
        QVERIFY(mallory.connectAs(hub, QStringLiteral("mallory"), QStringLiteral("globex")));
        alice.exchange(joinWorkspace);
        const qsizetype at = mallory.exchange(joinWorkspace);
        QCOMPARE(mallory.errorSince(at).value(QLatin1String("code")).toString(),
                 QStringLiteral("PERMISSION_DENIED"));
        QVERIFY(mallory.since(at, QStringLiteral("room_state")).isEmpty());
        // Not in the room, so the room's messages are refused too.
        const qsizetype cursorAt =
            mallory.exchange(message(QStringLiteral("cursor_move"),
                                     {{QStringLiteral("room"), QStringLiteral("workspace_123")},
                                      {QStringLiteral("x"), 1},
                                      {QStringLiteral("y"), 2}}));
        QCOMPARE(mallory.errorSince(cursorAt).value(QLatin1String("code")).toString(),
                 QStringLiteral("ROOM_NOT_FOUND"));
    }

    void badInputGetsTheSpecsErrorCode_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not json") << QByteArray("{nope") << "INVALID_JSON"
                                  << "JSON";
        QTest::newRow("not an object") << QByteArray("[1]") << "INVALID_MESSAGE"
                                       << "object";
        QTest::newRow("no type") << QByteArray(R"({"room_id":"x"})") << "INVALID_MESSAGE"
                                 << "type";
        QTest::newRow("unknown type") << QByteArray(R"({"type":"fly"})") << "UNKNOWN_MESSAGE_TYPE"
                                      << "fly";
        QTest::newRow("join without room")
            << QByteArray(R"({"type":"join_room"})") << "INVALID_MESSAGE"
            << "room_id";
        QTest::newRow("join bad room")
            << QByteArray(R"({"type":"join_room","room_id":"a b"})") << "INVALID_MESSAGE"
            << "room_id";
        QTest::newRow("leave unjoined")
            << QByteArray(R"({"type":"leave_room","room_id":"r"})") << "ROOM_NOT_FOUND"
            << "r";
        QTest::newRow("cursor unjoined")
            << QByteArray(R"({"type":"cursor_move","x":1,"y":1})") << "ROOM_NOT_FOUND"
            << "room";
        QTest::newRow("cursor without x")
            << QByteArray(R"({"type":"cursor_move","y":1})") << "INVALID_MESSAGE"
            << "x";
        QTest::newRow("cursor bad y")
            << QByteArray(R"({"type":"cursor_move","x":1,"y":"up"})") << "INVALID_MESSAGE"
            << "y";
        QTest::newRow("cell without sheet")
            << QByteArray(R"({"type":"cell_update","cell_id":"A1"})") << "INVALID_MESSAGE"
            << "sheet_id";
        QTest::newRow("cell bad version")
            << QByteArray(R"({"type":"cell_update","sheet_id":"s","cell_id":"A1","version":-1})")
            << "INVALID_MESSAGE"
            << "version";
        QTest::newRow("cell object value")
            << QByteArray(R"({"type":"cell_update","sheet_id":"s","cell_id":"A1","value":{}})")
            << "INVALID_MESSAGE"
            << "value";
        QTest::newRow("cell value too long")
            << (QByteArray(R"({"type":"cell_update","sheet_id":"s","cell_id":"A1","value":")") +
                QByteArray(10'001, 'x') + "\"}")
            << "INVALID_MESSAGE"
            << "value";
        QTest::newRow("cell formula too long")
            << (QByteArray(R"({"type":"cell_update","sheet_id":"s","cell_id":"A1","formula":"=)") +
                QByteArray(4096, '1') + "\"}")
            << "INVALID_MESSAGE"
            << "formula";
        QTest::newRow("cell unjoined")
            << QByteArray(R"({"type":"cell_update","sheet_id":"s","cell_id":"A1","value":1})")
            << "ROOM_NOT_FOUND"
            << "room";
        QTest::newRow("status unknown")
            << QByteArray(R"({"type":"status_update","status":"asleep"})") << "INVALID_MESSAGE"
            << "status";
        QTest::newRow("typing without cell")
            << QByteArray(R"({"type":"typing_start"})") << "INVALID_MESSAGE"
            << "cell_id";
        QTest::newRow("ai without request id")
            << QByteArray(R"({"type":"ai_request","sheet_id":"s"})") << "INVALID_MESSAGE"
            << "request_id";
        QTest::newRow("ai bad range")
            << QByteArray(
                   R"({"type":"ai_request","request_id":"r","sheet_id":"s","context":{"table_range":"1A:B"}})")
            << "INVALID_MESSAGE"
            << "table_range";
        QTest::newRow("ai unknown sheet")
            << QByteArray(R"({"type":"ai_request","request_id":"r","sheet_id":"s"})") << "NOT_FOUND"
            << "s";
        QTest::newRow("filters not lists")
            << QByteArray(R"({"type":"subscribe_notifications","categories":"system"})")
            << "INVALID_MESSAGE"
            << "categories";
        QTest::newRow("read without id")
            << QByteArray(R"({"type":"notification_read"})") << "INVALID_MESSAGE"
            << "notification_id";
        QTest::newRow("read unknown")
            << QByteArray(R"({"type":"notification_read","notification_id":"n1"})") << "NOT_FOUND"
            << "n1";
        QTest::newRow("upload without id")
            << QByteArray(R"({"type":"file_upload_start","filename":"a.csv"})") << "INVALID_MESSAGE"
            << "file_id";
        QTest::newRow("progress bad percentage")
            << QByteArray(
                   R"({"type":"file_upload_progress","file_id":"f","bytes_uploaded":1,"percentage":140})")
            << "INVALID_MESSAGE"
            << "percentage";
    }

    void badInputGetsTheSpecsErrorCode()
    {
        QFETCH(QByteArray, frame);
        QFETCH(QString, code);
        QFETCH(QString, mentions);
        TestHub hub;
        CollabClient client;
        QVERIFY(client.connectAs(hub, QStringLiteral("user_1")));
        const qsizetype from = client.mark();
        client.socket.sendTextMessage(QString::fromUtf8(frame));
        const QJsonObject error = client.next(QStringLiteral("error"), from);
        QCOMPARE(error.value(QLatin1String("code")).toString(), code);
        QVERIFY2(error.value(QLatin1String("error")).toString().contains(mentions),
                 qPrintable(error.value(QLatin1String("error")).toString()));
        QVERIFY(error.value(QLatin1String("timestamp")).toString().endsWith(u'Z'));
        // The connection stays open.
        QVERIFY(client.sync());
        QVERIFY(!client.closed);
    }

    // Rooms are topics shared by every dialect: a native member's disconnect is a presence
    // leave for the native members and the 004 members alike.
    void nativeRoomMembersHearADisconnect()
    {
        TestHub hub;
        TestClient stays;
        TestClient goes;
        CollabClient collab;
        QVERIFY(
            stays.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("n1"), Role::User,
                                                                  QStringLiteral("acme")))));
        QVERIFY(
            goes.open(hub.ws(QStringLiteral("/ws/v1"),
                             hub.token(QStringLiteral("n2"), Role::User, QStringLiteral("acme")))));
        QVERIFY(collab.connectAs(hub, QStringLiteral("c1")));
        const QJsonObject join{{QStringLiteral("room"), QStringLiteral("workspace_123")}};
        QVERIFY(!stays.request(QStringLiteral("join_room"), QStringLiteral("1"), join).isEmpty());
        QVERIFY(!goes.request(QStringLiteral("join_room"), QStringLiteral("1"), join).isEmpty());
        collab.exchange(joinWorkspace);
        const qsizetype from = stays.messages.size();
        const qsizetype collabFrom = collab.mark();
        goes.socket.close();
        const QJsonObject leave = stays.waitFor(
            [](const QJsonObject& m) {
                const QJsonObject data = m.value(QLatin1String("data")).toObject();
                return m.value(QLatin1String("event")) == QLatin1String("presence") &&
                       data.value(QLatin1String("action")) == QLatin1String("leave");
            },
            5000, from);
        QCOMPARE(
            leave.value(QLatin1String("data")).toObject().value(QLatin1String("user")).toString(),
            QStringLiteral("n2"));
        const QJsonObject seen = collab.waitFor(
            [](const QJsonObject& m) {
                return m.value(QLatin1String("type")) == QLatin1String("presence") &&
                       m.value(QLatin1String("action")) == QLatin1String("leave");
            },
            5000, collabFrom);
        QCOMPARE(seen.value(QLatin1String("user")).toString(), QStringLiteral("n2"));
    }

    void roomsPerConnectionAreLimited()
    {
        HubConfig config = testConfig();
        config.collabMaxRoomsPerSession = 3;
        TestHub hub(config);
        CollabClient client;
        QVERIFY(client.connectAs(hub, QStringLiteral("user_1")));
        for (int i = 0; i < 3; ++i) {
            const qsizetype at = client.exchange(
                message(QStringLiteral("join_room"),
                        {{QStringLiteral("room_id"), QStringLiteral("r%1").arg(i)}}));
            QVERIFY(client.errorSince(at).isEmpty());
        }
        const qsizetype at = client.exchange(message(
            QStringLiteral("join_room"), {{QStringLiteral("room_id"), QStringLiteral("r3")}}));
        QCOMPARE(client.errorSince(at).value(QLatin1String("code")).toString(),
                 QStringLiteral("RATE_LIMIT_EXCEEDED"));
        // Leaving one makes room for another.
        client.exchange(message(QStringLiteral("leave_room"),
                                {{QStringLiteral("room_id"), QStringLiteral("r0")}}));
        const qsizetype again = client.exchange(message(
            QStringLiteral("join_room"), {{QStringLiteral("room_id"), QStringLiteral("r3")}}));
        QVERIFY(client.errorSince(again).isEmpty());
    }

    void cellsPerSheetAreLimited()
    {
        HubConfig config = testConfig();
        config.collabMaxCellsPerSheet = 3;
        TestHub hub(config);
        CollabClient client;
        QVERIFY(client.connectAs(hub, QStringLiteral("user_1")));
        client.exchange(joinWorkspace);
        auto write = [&client](const QString& cell) {
            return client.write(message(QStringLiteral("cell_update"),
                                        {{QStringLiteral("sheet_id"), QStringLiteral("s")},
                                         {QStringLiteral("cell_id"), cell},
                                         {QStringLiteral("value"), 1}}));
        };
        for (const QString& cell :
             {QStringLiteral("A1"), QStringLiteral("A2"), QStringLiteral("A3")})
            QVERIFY(client.errorSince(write(cell)).isEmpty());
        const QJsonObject error = client.errorSince(write(QStringLiteral("A4")));
        QCOMPARE(error.value(QLatin1String("code")).toString(), QStringLiteral("INVALID_MESSAGE"));
        QVERIFY(error.value(QLatin1String("error")).toString().contains(QLatin1String("3 cells")));
        // Existing cells can still change.
        QVERIFY(client.errorSince(write(QStringLiteral("A1"))).isEmpty());
    }
};

QTEST_MAIN(CollabDialectTest)
#include "tst_collab_dialect.moc"
