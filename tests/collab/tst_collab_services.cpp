// What document 004 builds on the rooms: ai_request run as an ai_analysis job, stored
// notifications with filters and re-delivery, uploads with progress, and the REST
// administration of /api/v1/ws — over real sockets against the real hub.

#include "CollabClient.h"
#include "http/Upload.h"
#include "protocol/dialects/Dialect.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <memory>
#include <vector>

using namespace switchboard;
using namespace switchboard::test;

namespace {

QJsonObject json(const QByteArray& body)
{
    return QJsonDocument::fromJson(body).object();
}

const QJsonObject joinWorkspace{{QStringLiteral("type"), QStringLiteral("join_room")},
                                {QStringLiteral("room_id"), QStringLiteral("workspace_123")}};

QByteArray notification(const QString& user, const QString& title, const QString& category,
                        const QString& priority = QStringLiteral("normal"),
                        const QString& module = QStringLiteral("tables"))
{
    return QJsonDocument(QJsonObject{{QStringLiteral("user_id"), user},
                                     {QStringLiteral("title"), title},
                                     {QStringLiteral("message"),
                                      QStringLiteral("John commented on your sheet")},
                                     {QStringLiteral("category"), category},
                                     {QStringLiteral("priority"), priority},
                                     {QStringLiteral("module_name"), module}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

class CollabServicesTest : public QObject {
    Q_OBJECT

private slots:
    // Every message the dialects built in these tests is in their tables (/asyncapi.json).
    void cleanup()
    {
        const QStringList unlisted = switchboard::Dialect::unlistedMessages();
        QVERIFY2(unlisted.isEmpty(), qPrintable(unlisted.join(u' ')));
    }

    void aiRequestRunsTheAnalyserAsAJob()
    {
        TestHub hub;
        CollabClient alice;
        QVERIFY(alice.connectAs(hub, QStringLiteral("user_1")));
        alice.exchange(joinWorkspace);
        // A1..A5 = 2, 4, 6, 8, 10 (numbers and numeric text); B1 is text, C1 is outside the range.
        const QList<QPair<QString, QJsonValue>> cells{
            {QStringLiteral("A1"), 2},   {QStringLiteral("A2"), QStringLiteral("4")},
            {QStringLiteral("A3"), 6},   {QStringLiteral("A4"), 8},
            {QStringLiteral("A5"), 10},  {QStringLiteral("B1"), QStringLiteral("label")},
            {QStringLiteral("C1"), 1000}};
        for (const auto& [cell, value] : cells)
            alice.exchange(message(QStringLiteral("cell_update"),
                                   {{QStringLiteral("sheet_id"), QStringLiteral("sheet_123")},
                                    {QStringLiteral("cell_id"), cell},
                                    {QStringLiteral("value"), value}}));

        const qsizetype from = alice.mark();
        alice.send(message(
            QStringLiteral("ai_request"),
            {{QStringLiteral("request_id"), QStringLiteral("req_123")},
             {QStringLiteral("query"), QStringLiteral("Analyze this data and provide insights")},
             {QStringLiteral("sheet_id"), QStringLiteral("sheet_123")},
             {QStringLiteral("context"),
              QJsonObject{{QStringLiteral("table_range"), QStringLiteral("A1:B5")}}}}));
        const QJsonObject complete = alice.waitFor(
            [](const QJsonObject& m) {
                return m.value(QLatin1String("type")) == QLatin1String("ai_event") &&
                       m.value(QLatin1String("event_type")) == QLatin1String("ai_complete");
            },
            10000, from);
        QVERIFY(!complete.isEmpty());
        QStringList order;
        for (const QJsonObject& event : alice.since(from, QStringLiteral("ai_event"))) {
            QCOMPARE(event.value(QLatin1String("request_id")).toString(),
                     QStringLiteral("req_123"));
            QCOMPARE(event.value(QLatin1String("user_id")).toString(), QStringLiteral("user_1"));
            order.append(event.value(QLatin1String("event_type")).toString());
        }
        QCOMPARE(order.first(), QStringLiteral("ai_start"));
        QCOMPARE(order.last(), QStringLiteral("ai_complete"));
        QVERIFY2(order.contains(QStringLiteral("ai_progress")), qPrintable(order.join(u',')));
        const QJsonObject start = alice.since(from, QStringLiteral("ai_event")).first();
        QCOMPARE(start.value(QLatin1String("data"))
                     .toObject()
                     .value(QLatin1String("sheet_id"))
                     .toString(),
                 QStringLiteral("sheet_123"));

        const QJsonObject data = complete.value(QLatin1String("data")).toObject();
        QVERIFY(data.value(QLatin1String("result"))
                    .toString()
                    .startsWith(QLatin1String("Analysis complete")));
        QVERIFY(data.value(QLatin1String("processing_time")).isDouble());
        const QJsonObject analysis = data.value(QLatin1String("analysis")).toObject();
        QCOMPARE(analysis.value(QLatin1String("count")).toInt(), 5);
        QCOMPARE(analysis.value(QLatin1String("sum")).toDouble(), 30.0);
        QCOMPARE(analysis.value(QLatin1String("mean")).toDouble(), 6.0);
        QCOMPARE(analysis.value(QLatin1String("min")).toDouble(), 2.0);
        QCOMPARE(analysis.value(QLatin1String("max")).toDouble(), 10.0);
        const QJsonObject trend = analysis.value(QLatin1String("trend")).toObject();
        QCOMPARE(trend.value(QLatin1String("slope")).toDouble(), 2.0);
        QCOMPARE(trend.value(QLatin1String("direction")).toString(), QStringLiteral("rising"));

        // The same run in the job API.
        const QString jobId = data.value(QLatin1String("job_id")).toString();
        const auto job =
            hub.send("GET", QStringLiteral("/api/jobs/") + jobId, {},
                     hub.token(QStringLiteral("user_1"), Role::User, QStringLiteral("acme")));
        QCOMPARE(job.status, 200);
        const QJsonObject record = json(job.body);
        QCOMPARE(record.value(QLatin1String("job_type")).toString(), QStringLiteral("ai_analysis"));
        QCOMPARE(record.value(QLatin1String("status")).toString(), QStringLiteral("completed"));
    }

    void aiAnalysisIsAJobTypeOfItsOwn()
    {
        TestHub hub;
        const QByteArray token = hub.token(QStringLiteral("user_1"), Role::User);
        auto reply = hub.send("POST", QStringLiteral("/api/jobs/ai_analysis"),
                              R"({"values":[3,1,2]})", token);
        QVERIFY2(reply.status == 201 || reply.status == 202, reply.body.constData());
        reply =
            hub.send("POST", QStringLiteral("/api/jobs/ai_analysis"), R"({"values":["x"]})", token);
        QCOMPARE(reply.status, 400);
        QVERIFY(reply.body.contains("values"));
    }

    void notificationsAreFilteredStoredAndRedelivered()
    {
        TestHub hub;
        const QByteArray service = hub.token(QStringLiteral("svc"), Role::Service);
        const QString path =
            QStringLiteral("/api/v1/ws/broadcast/notification?event_type=notification_created");
        QString workspaceId;
        {
            CollabClient alice;
            QVERIFY(alice.connectAs(hub, QStringLiteral("user_1")));
            alice.exchange(
                message(QStringLiteral("subscribe_notifications"),
                        {{QStringLiteral("categories"),
                          QJsonArray{QStringLiteral("system"), QStringLiteral("workspace")}},
                         {QStringLiteral("modules"),
                          QJsonArray{QStringLiteral("tables"), QStringLiteral("ai")}},
                         {QStringLiteral("priorities"),
                          QJsonArray{QStringLiteral("normal"), QStringLiteral("high"),
                                     QStringLiteral("critical")}}}));
            // Outside the filter (category): stored, not delivered.
            auto reply = hub.send("POST", path,
                                  notification(QStringLiteral("user_1"), QStringLiteral("Task"),
                                               QStringLiteral("tasks")),
                                  service);
            QCOMPARE(reply.status, 200);
            QCOMPARE(json(reply.body).value(QLatin1String("delivered")).toInt(), 0);
            // Outside the filter (priority).
            reply = hub.send("POST", path,
                             notification(QStringLiteral("user_1"), QStringLiteral("Low"),
                                          QStringLiteral("workspace"), QStringLiteral("low")),
                             service);
            QCOMPARE(json(reply.body).value(QLatin1String("delivered")).toInt(), 0);
            // Outside the filter (module) though category and priority pass.
            reply = hub.send("POST", path,
                             notification(QStringLiteral("user_1"), QStringLiteral("Invoice"),
                                          QStringLiteral("workspace"), QStringLiteral("high"),
                                          QStringLiteral("billing")),
                             service);
            QCOMPARE(reply.status, 200);
            QCOMPARE(json(reply.body).value(QLatin1String("delivered")).toInt(), 0);
            // Inside: delivered live.
            const qsizetype from = alice.mark();
            reply = hub.send("POST", path,
                             notification(QStringLiteral("user_1"), QStringLiteral("New Comment"),
                                          QStringLiteral("workspace")),
                             service);
            QCOMPARE(reply.status, 200);
            workspaceId = json(reply.body).value(QLatin1String("notification_id")).toString();
            QVERIFY(workspaceId.startsWith(QLatin1String("notif_")));
            QCOMPARE(json(reply.body).value(QLatin1String("delivered")).toInt(), 1);
            const QJsonObject event = alice.next(QStringLiteral("notification_event"), from);
            QCOMPARE(event.value(QLatin1String("event_type")).toString(),
                     QStringLiteral("notification_created"));
            QCOMPARE(event.value(QLatin1String("user_id")).toString(), QStringLiteral("user_1"));
            const QJsonObject n = event.value(QLatin1String("notification")).toObject();
            QCOMPARE(n.value(QLatin1String("id")).toString(), workspaceId);
            QCOMPARE(n.value(QLatin1String("title")).toString(), QStringLiteral("New Comment"));
            QCOMPARE(n.value(QLatin1String("message")).toString(),
                     QStringLiteral("John commented on your sheet"));
            QCOMPARE(n.value(QLatin1String("category")).toString(), QStringLiteral("workspace"));
            QCOMPARE(n.value(QLatin1String("priority")).toString(), QStringLiteral("normal"));
            QCOMPARE(n.value(QLatin1String("module_name")).toString(), QStringLiteral("tables"));
            QVERIFY(alice.sync());
            QCOMPARE(alice.since(0, QStringLiteral("notification_event")).size(), 1);
        }
        // Next connect: all four unread come again (no filter yet); read one, it stays read.
        QString firstId;
        {
            CollabClient alice;
            QVERIFY(alice.connectAs(hub, QStringLiteral("user_1")));
            QTRY_COMPARE(alice.since(0, QStringLiteral("notification_event")).size(), 4);
            firstId = alice.since(0, QStringLiteral("notification_event"))
                          .first()
                          .value(QLatin1String("notification"))
                          .toObject()
                          .value(QLatin1String("id"))
                          .toString();
            const qsizetype at =
                alice.exchange(message(QStringLiteral("notification_read"),
                                       {{QStringLiteral("notification_id"), workspaceId}}));
            QVERIFY(alice.sync());
            QVERIFY(alice.errorSince(at).isEmpty());
        }
        {
            CollabClient alice;
            QVERIFY(alice.connectAs(hub, QStringLiteral("user_1")));
            QTRY_COMPARE(alice.since(0, QStringLiteral("notification_event")).size(), 3);
            QVERIFY(alice.sync());
            for (const QJsonObject& event : alice.since(0, QStringLiteral("notification_event")))
                QVERIFY(event.value(QLatin1String("notification"))
                            .toObject()
                            .value(QLatin1String("id"))
                            .toString() != workspaceId);
        }
        // Someone else's notification cannot be marked read.
        CollabClient bob;
        QVERIFY(bob.connectAs(hub, QStringLiteral("user_2")));
        const qsizetype at = bob.exchange(message(QStringLiteral("notification_read"),
                                                  {{QStringLiteral("notification_id"), firstId}}));
        QCOMPARE(bob.next(QStringLiteral("error"), at).value(QLatin1String("code")).toString(),
                 QStringLiteral("NOT_FOUND"));
    }

    void notificationsKeptPerUserAreLimited()
    {
        HubConfig config = testConfig();
        config.notificationsPerUser = 2;
        TestHub hub(config);
        const QByteArray admin = hub.token(QStringLiteral("root"), Role::Admin);
        for (const QString& title :
             {QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three")})
            QCOMPARE(
                hub.send("POST", QStringLiteral("/api/v1/ws/broadcast/notification"),
                         notification(QStringLiteral("user_1"), title, QStringLiteral("system")),
                         admin)
                    .status,
                200);
        CollabClient alice;
        QVERIFY(alice.connectAs(hub, QStringLiteral("user_1")));
        QTRY_COMPARE(alice.since(0, QStringLiteral("notification_event")).size(), 2);
        QVERIFY(alice.sync());
        QStringList titles;
        for (const QJsonObject& event : alice.since(0, QStringLiteral("notification_event")))
            titles.append(event.value(QLatin1String("notification"))
                              .toObject()
                              .value(QLatin1String("title"))
                              .toString());
        QCOMPARE(titles, (QStringList{QStringLiteral("two"), QStringLiteral("three")}));
    }

    void aiAnalysisValuesAreLimited()
    {
        TestHub hub;
        QByteArray values = "0";
        for (int i = 1; i < 100'001; ++i)
            values += ",0";
        const auto reply = hub.send("POST", QStringLiteral("/api/jobs/ai_analysis"),
                                    "{\"values\":[" + values + "]}",
                                    hub.token(QStringLiteral("user_1"), Role::User));
        QCOMPARE(reply.status, 400);
        QVERIFY(reply.body.contains("100000"));
    }

    // Every member sees every write of one cell, in version order; prints the rate.
    void roomFanOutKeepsVersionOrder()
    {
        HubConfig config = testConfig();
        config.requestsPerMinute = 100'000;
        config.requestsPerHour = 100'000;
        TestHub hub(config);
        constexpr int members = 20;
        constexpr int writes = 500;
        std::vector<std::unique_ptr<CollabClient>> clients;
        for (int i = 0; i < members; ++i) {
            clients.push_back(std::make_unique<CollabClient>());
            QVERIFY(clients.back()->connectAs(hub, QStringLiteral("member_%1").arg(i)));
            clients.back()->exchange(joinWorkspace);
        }
        CollabClient& writer = *clients.front();
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < writes; ++i)
            writer.send(message(QStringLiteral("cell_update"),
                                {{QStringLiteral("sheet_id"), QStringLiteral("s")},
                                 {QStringLiteral("cell_id"), QStringLiteral("A1")},
                                 {QStringLiteral("value"), i}}));
        for (const auto& client : clients) {
            QVERIFY(!client
                         ->waitFor(
                             [](const QJsonObject& m) {
                                 return m.value(QLatin1String("type")) ==
                                            QLatin1String("cell_updated") &&
                                        m.value(QLatin1String("version")).toInt() == writes;
                             },
                             30000)
                         .isEmpty());
        }
        const qint64 elapsed = std::max<qint64>(1, timer.elapsed());
        for (const auto& client : clients) {
            const QList<QJsonObject> updates = client->since(0, QStringLiteral("cell_updated"));
            QCOMPARE(updates.size(), writes);
            for (int i = 0; i < writes; ++i)
                QCOMPARE(updates[i].value(QLatin1String("version")).toInt(), i + 1);
        }
        qInfo("%d cell updates to %d members: %lld ms, %.0f updates/s, %.0f deliveries/s", writes,
              members, elapsed, writes * 1000.0 / double(elapsed),
              double(writes) * members * 1000.0 / double(elapsed));
    }

    // SPEC §2.2's 004 message list, checked against the generated descriptions.
    void everyMessageAndRouteIsDescribed()
    {
        TestHub hub;
        const auto asyncApi = hub.send("GET", QStringLiteral("/asyncapi.json"));
        QCOMPARE(asyncApi.status, 200);
        const QJsonObject channel = json(asyncApi.body)
                                        .value(QLatin1String("channels"))
                                        .toObject()
                                        .value(QLatin1String("/api/v1/ws"))
                                        .toObject();
        auto names = [&channel](const char* direction) {
            QStringList found;
            const QJsonArray messages = channel.value(QLatin1String(direction))
                                            .toObject()
                                            .value(QLatin1String("message"))
                                            .toObject()
                                            .value(QLatin1String("oneOf"))
                                            .toArray();
            for (const QJsonValue& m : messages)
                found.append(m.toObject().value(QLatin1String("name")).toString());
            return found;
        };
        const QStringList client = names("publish");
        for (const char* type :
             {"join_room", "leave_room", "cursor_move", "cell_update", "status_update",
              "typing_start", "typing_stop", "ai_request", "subscribe_notifications",
              "notification_read", "file_upload_start", "file_upload_progress", "ping"})
            QVERIFY2(client.contains(QLatin1String(type)), type);
        const QStringList server = names("subscribe");
        for (const char* type :
             {"room_state", "cursor_moved", "cell_updated", "user_status_changed",
              "user_typing_start", "user_typing_stop", "ai_event", "notification_event",
              "file_upload_progress", "file_upload_complete", "pong", "error"})
            QVERIFY2(server.contains(QLatin1String(type)), type);

        const auto openApi = hub.send("GET", QStringLiteral("/openapi.json"));
        const QJsonObject paths = json(openApi.body).value(QLatin1String("paths")).toObject();
        for (const char* path :
             {"/api/v1/uploads/{file_id}", "/api/v1/ws/rooms", "/api/v1/ws/stats/detailed",
              "/api/v1/ws/rooms/{id}/broadcast", "/api/v1/ws/users/{id}/notify",
              "/api/v1/ws/broadcast/notification"})
            QVERIFY2(paths.contains(QLatin1String(path)), path);
    }

    void notificationsSurviveARestart()
    {
        QTemporaryDir dataDir;
        HubConfig config = testConfig();
        config.dataDir = dataDir.path();
        {
            TestHub hub(config);
            const auto reply =
                hub.send("POST", QStringLiteral("/api/v1/ws/broadcast/notification"),
                         notification(QStringLiteral("user_1"), QStringLiteral("Kept"),
                                      QStringLiteral("system")),
                         hub.token(QStringLiteral("root"), Role::Admin));
            QCOMPARE(reply.status, 200);
            QCOMPARE(json(reply.body).value(QLatin1String("delivered")).toInt(), 0);
        }
        TestHub hub(config);
        CollabClient alice;
        QVERIFY(alice.connectAs(hub, QStringLiteral("user_1")));
        const QJsonObject event = alice.next(QStringLiteral("notification_event"));
        QCOMPARE(event.value(QLatin1String("notification"))
                     .toObject()
                     .value(QLatin1String("title"))
                     .toString(),
                 QStringLiteral("Kept"));
    }

    void adminRoutesAnswerWithTheDocumentsFields()
    {
        TestHub hub;
        const QByteArray admin = hub.token(QStringLiteral("root"), Role::Admin);
        const QByteArray user = hub.token(QStringLiteral("user_9"), Role::User);
        CollabClient alice;
        QVERIFY(alice.connectAs(hub, QStringLiteral("user_1")));
        alice.exchange(joinWorkspace);
        alice.exchange(message(QStringLiteral("cell_update"),
                               {{QStringLiteral("sheet_id"), QStringLiteral("s1")},
                                {QStringLiteral("cell_id"), QStringLiteral("A1")},
                                {QStringLiteral("value"), 1}}));

        for (const QString& path :
             {QStringLiteral("/api/v1/ws/rooms"), QStringLiteral("/api/v1/ws/stats/detailed")}) {
            QCOMPARE(hub.send("GET", path).status, 401);
            QCOMPARE(hub.send("GET", path, {}, user).status, 403);
        }
        auto reply = hub.send("GET", QStringLiteral("/api/v1/ws/rooms"), {}, admin);
        QCOMPARE(reply.status, 200);
        const QJsonArray rooms = QJsonDocument::fromJson(reply.body).array();
        QCOMPARE(rooms.size(), 1);
        const QJsonObject room = rooms.first().toObject();
        QCOMPARE(room.value(QLatin1String("room_id")).toString(), QStringLiteral("workspace_123"));
        QCOMPARE(room.value(QLatin1String("user_count")).toInt(), 1);
        QCOMPARE(room.value(QLatin1String("active_sheets_count")).toInt(), 1);
        QVERIFY(room.value(QLatin1String("last_activity")).toString().endsWith(u'Z'));
        QVERIFY(room.value(QLatin1String("messages_sent")).toInt() >= 2);
        QVERIFY(room.value(QLatin1String("avg_users_per_hour")).isDouble());

        reply = hub.send("GET", QStringLiteral("/api/v1/ws/stats/detailed"), {}, admin);
        QCOMPARE(reply.status, 200);
        const QJsonObject stats = json(reply.body);
        QCOMPARE(stats.value(QLatin1String("per_endpoint"))
                     .toObject()
                     .value(QLatin1String("/api/v1/ws"))
                     .toInt(),
                 1);
        QCOMPARE(stats.value(QLatin1String("per_topic"))
                     .toObject()
                     .value(QLatin1String("room:workspace_123"))
                     .toObject()
                     .value(QLatin1String("subscribers"))
                     .toInt(),
                 1);
        QCOMPARE(stats.value(QLatin1String("per_connection")).toArray().size(), 1);
        QCOMPARE(stats.value(QLatin1String("total_connections")).toInt(), 1);

        // Broadcast to a room: the body arrives with its own type.
        const QByteArray announcement =
            R"({"type":"system_announcement","title":"Maintenance Notice","message":"System maintenance in 30 minutes"})";
        QCOMPARE(hub.send("POST", QStringLiteral("/api/v1/ws/rooms/workspace_123/broadcast"),
                          announcement, user)
                     .status,
                 403);
        QCOMPARE(hub.send("POST", QStringLiteral("/api/v1/ws/rooms/nowhere/broadcast"),
                          announcement, admin)
                     .status,
                 404);
        QCOMPARE(hub.send("POST", QStringLiteral("/api/v1/ws/rooms/workspace_123/broadcast"),
                          "{nope", admin)
                     .status,
                 400);
        qsizetype from = alice.mark();
        reply = hub.send("POST", QStringLiteral("/api/v1/ws/rooms/workspace_123/broadcast"),
                         announcement, admin);
        QCOMPARE(reply.status, 200);
        QCOMPARE(json(reply.body).value(QLatin1String("delivered")).toInt(), 1);
        const QJsonObject received = alice.next(QStringLiteral("system_announcement"), from);
        QCOMPARE(received.value(QLatin1String("title")).toString(),
                 QStringLiteral("Maintenance Notice"));
        QCOMPARE(received.value(QLatin1String("room_id")).toString(),
                 QStringLiteral("workspace_123"));

        // Notify a user: every session of theirs.
        const QByteArray direct =
            R"({"type":"direct_message","from":"admin","message":"Please review the updated document"})";
        QCOMPARE(
            hub.send("POST", QStringLiteral("/api/v1/ws/users/user_1/notify"), direct, user).status,
            403);
        QCOMPARE(hub.send("POST", QStringLiteral("/api/v1/ws/users/nobody/notify"), direct, admin)
                     .status,
                 404);
        QCOMPARE(hub.send("POST", QStringLiteral("/api/v1/ws/users/user_1/notify"), direct,
                          hub.token(QStringLiteral("svc"), Role::Service, QStringLiteral("globex")))
                     .status,
                 403);
        QCOMPARE(
            hub.send("POST", QStringLiteral("/api/v1/ws/users/user_1/notify"), "[1]", admin).status,
            400);
        from = alice.mark();
        reply = hub.send("POST", QStringLiteral("/api/v1/ws/users/user_1/notify"), direct,
                         hub.token(QStringLiteral("svc"), Role::Service, QStringLiteral("acme")));
        QCOMPARE(reply.status, 200);
        const QJsonObject message = alice.next(QStringLiteral("direct_message"), from);
        QCOMPARE(message.value(QLatin1String("from")).toString(), QStringLiteral("admin"));
        QCOMPARE(message.value(QLatin1String("message")).toString(),
                 QStringLiteral("Please review the updated document"));

        // Notifications need a title and a proper event_type.
        QCOMPARE(hub.send("POST", QStringLiteral("/api/v1/ws/broadcast/notification"),
                          R"({"user_id":"user_1"})", admin)
                     .status,
                 400);
        QCOMPARE(hub.send("POST",
                          QStringLiteral("/api/v1/ws/broadcast/notification?event_type=Bad%20Type"),
                          R"({"title":"t"})", admin)
                     .status,
                 400);
        QCOMPARE(hub.send("POST", QStringLiteral("/api/v1/ws/broadcast/notification"),
                          R"({"title":"t"})", user)
                     .status,
                 403);
        // Without a user_id: every connected 004 user.
        from = alice.mark();
        reply = hub.send(
            "POST",
            QStringLiteral("/api/v1/ws/broadcast/notification?event_type=notification_updated"),
            R"({"title":"To all"})", admin);
        QCOMPARE(reply.status, 200);
        QCOMPARE(alice.next(QStringLiteral("notification_event"), from)
                     .value(QLatin1String("event_type"))
                     .toString(),
                 QStringLiteral("notification_updated"));
    }

    void uploadsReportProgressAndServeTheSameBytes()
    {
        HubConfig config = testConfig();
        config.maxUploadBytes = 512 * 1024;
        TestHub hub(config);
        const QByteArray token =
            hub.token(QStringLiteral("user_1"), Role::User, QStringLiteral("acme"));
        CollabClient tab1;
        CollabClient tab2;
        QVERIFY(tab1.connectAs(hub, QStringLiteral("user_1")));
        QVERIFY(tab2.connectAs(hub, QStringLiteral("user_1")));
        QVERIFY(tab1.sync());
        QVERIFY(tab2.sync());

        // The client-sent messages go to the user's other sessions.
        const qsizetype own =
            tab1.exchange(message(QStringLiteral("file_upload_start"),
                                  {{QStringLiteral("file_id"), QStringLiteral("file_123")},
                                   {QStringLiteral("filename"), QStringLiteral("data.csv")},
                                   {QStringLiteral("file_size"), 1024000},
                                   {QStringLiteral("mime_type"), QStringLiteral("text/csv")}}));
        QCOMPARE(tab2.next(QStringLiteral("file_upload_start"))
                     .value(QLatin1String("filename"))
                     .toString(),
                 QStringLiteral("data.csv"));
        tab1.exchange(message(QStringLiteral("file_upload_progress"),
                              {{QStringLiteral("file_id"), QStringLiteral("file_123")},
                               {QStringLiteral("bytes_uploaded"), 512000},
                               {QStringLiteral("total_bytes"), 1024000},
                               {QStringLiteral("percentage"), 50.0}}));
        const QJsonObject relayed = tab2.next(QStringLiteral("file_upload_progress"));
        QCOMPARE(relayed.value(QLatin1String("percentage")).toDouble(), 50.0);
        QCOMPARE(relayed.value(QLatin1String("user_id")).toString(), QStringLiteral("user_1"));
        QVERIFY(tab1.since(own, QStringLiteral("file_upload_start")).isEmpty());
        QVERIFY(tab1.since(own, QStringLiteral("file_upload_progress")).isEmpty());

        // A real upload: progress as the bytes arrive, then the URL that serves the same bytes
        // (tst_uploads spreads a body over several writes and checks the timing).
        QByteArray bytes(400 * 1024, '\0');
        for (qsizetype i = 0; i < bytes.size(); ++i)
            bytes[i] = char((i * 7919) % 251);
        const qsizetype from = tab1.mark();
        auto reply = hub.send("PUT", QStringLiteral("/api/v1/uploads/file_456?filename=data.bin"),
                              bytes, token, {{"Content-Type", "application/octet-stream"}});
        QCOMPARE(reply.status, 201);
        const QJsonObject complete = tab1.next(QStringLiteral("file_upload_complete"), from);
        QCOMPARE(complete.value(QLatin1String("file_id")).toString(), QStringLiteral("file_456"));
        QCOMPARE(complete.value(QLatin1String("filename")).toString(), QStringLiteral("data.bin"));
        QCOMPARE(complete.value(QLatin1String("user_id")).toString(), QStringLiteral("user_1"));
        const QList<QJsonObject> progress =
            tab1.since(from, QStringLiteral("file_upload_progress"));
        // How many depends on how the bytes arrive: at most one per 1/progressSteps of the body
        // (the final 100 % among them).
        QVERIFY(!progress.isEmpty());
        QVERIFY(progress.size() <= Upload::progressSteps);
        double last = 0;
        for (const QJsonObject& step : progress) {
            QVERIFY(step.value(QLatin1String("bytes_uploaded")).toDouble() > last);
            last = step.value(QLatin1String("bytes_uploaded")).toDouble();
            QCOMPARE(step.value(QLatin1String("total_bytes")).toDouble(), double(bytes.size()));
        }
        QCOMPARE(last, double(bytes.size()));
        QCOMPARE(progress.last().value(QLatin1String("percentage")).toDouble(), 100.0);
        const QUrl url(complete.value(QLatin1String("url")).toString());
        QCOMPARE(url.path(), QStringLiteral("/api/v1/uploads/file_456"));
        reply = hub.send("GET", url.path(), {}, token);
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.body == bytes);
        QVERIFY(!tab2.next(QStringLiteral("file_upload_complete")).isEmpty());

        // Same tenant may read; another tenant may not; nobody without a token.
        QCOMPARE(hub.send("GET", url.path(), {},
                          hub.token(QStringLiteral("user_2"), Role::User, QStringLiteral("acme")))
                     .status,
                 200);
        QCOMPARE(hub.send("GET", url.path(), {},
                          hub.token(QStringLiteral("eve"), Role::User, QStringLiteral("globex")))
                     .status,
                 403);
        QCOMPARE(hub.send("GET", url.path()).status, 401);
        QCOMPARE(hub.send("GET", QStringLiteral("/api/v1/uploads/missing"), {}, token).status, 404);
        // Someone else may not overwrite it.
        QCOMPARE(hub.send("PUT", url.path(), "x",
                          hub.token(QStringLiteral("user_2"), Role::User, QStringLiteral("acme")))
                     .status,
                 403);
        QCOMPARE(hub.send("PUT", QStringLiteral("/api/v1/uploads/..hidden"), "x", token).status,
                 400);

        // Over the cap: 413, nothing stored.
        reply = hub.send("PUT", QStringLiteral("/api/v1/uploads/too_big"),
                         QByteArray(512 * 1024 + 1, 'x'), token);
        QCOMPARE(reply.status, 413);
        QCOMPARE(json(reply.body).value(QLatin1String("code")).toString(),
                 QStringLiteral("MESSAGE_TOO_LARGE"));
        QCOMPARE(hub.send("GET", QStringLiteral("/api/v1/uploads/too_big"), {}, token).status, 404);
    }
};

QTEST_MAIN(CollabServicesTest)
#include "tst_collab_services.moc"
