// What every dialect shares (SPEC §2.2): one published event or job reaching every dialect in
// its own words, /asyncapi.json listing every dialect's messages, every reply within its
// channel, and each dialect's event encoder following its table.

#include "DialectTesting.h"
#include "protocol/dialects/AssistDialect.h"
#include "protocol/dialects/CalculationsDialect.h"
#include "protocol/dialects/Dialect.h"
#include "protocol/dialects/ProjectsDialect.h"
#include "protocol/dialects/TradingDialect.h"

#include <QJsonArray>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

// The names of the messages /asyncapi.json's `channels` lists for `channel` under `direction`
// ("publish": what clients send, "subscribe": what the hub sends).
QStringList messageNames(const QJsonObject& channels, const QString& channel, const char* direction)
{
    QStringList names;
    const QJsonArray messages = channels.value(channel)
                                    .toObject()
                                    .value(QLatin1String(direction))
                                    .toObject()
                                    .value(QStringLiteral("message"))
                                    .toObject()
                                    .value(QStringLiteral("oneOf"))
                                    .toArray();
    for (const QJsonValue& message : messages)
        names.append(message.toObject().value(QStringLiteral("name")).toString());
    return names;
}

} // namespace

class tst_EveryDialect : public QObject {
    Q_OBJECT

private slots:
    // Every message a dialect built in these tests is in its table (Dialect::checkListed).
    void cleanup();
    void onePublishReachesEveryDialect();
    void roomBroadcastReachesEveryMemberAndNoOneElse();
    void oneJobReachesEveryAudience();
    void asyncApiListsEveryDialect();
    void everyReplyIsInItsChannel();
    void eventEncodersFollowTheirTable();
};

void tst_EveryDialect::cleanup()
{
    const QStringList unlisted = Dialect::unlistedMessages();
    QVERIFY2(unlisted.isEmpty(), qPrintable(unlisted.join(u' ')));
}

// SPEC §2.2: "An event published once reaches every subscriber, whatever its dialect."
void tst_EveryDialect::onePublishReachesEveryDialect()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    const QByteArray token = hub.token(QStringLiteral("alice"), Role::User);
    TestClient native, calculations, assist;
    QVERIFY(native.open(hub.ws(QStringLiteral("/ws/v1"), token)));
    QVERIFY(calculations.open(hub.ws(QStringLiteral("/ws/status"), token)));
    QVERIFY(assist.open(hub.ws(QStringLiteral("/ws/connect"), token)));
    QCOMPARE(native
                 .request(QStringLiteral("subscribe"), QStringLiteral("1"),
                          {{QStringLiteral("topics"), QJsonArray{QStringLiteral("jobs")}}})
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("ack"));
    calculations.send(
        {{QStringLiteral("type"), QStringLiteral("subscribe")},
         {QStringLiteral("data"), QJsonObject{{QStringLiteral("topic"), QStringLiteral("jobs")}}}});
    QVERIFY(!calculations.waitForType(QStringLiteral("subscribed")).isEmpty());
    assist.send({{QStringLiteral("type"), QStringLiteral("subscribe_job_updates")}});
    QVERIFY(!assist.waitForType(QStringLiteral("room_event")).isEmpty());

    const QJsonObject job{{QStringLiteral("job_id"), QStringLiteral("job789")},
                          {QStringLiteral("status"), QStringLiteral("running")},
                          {QStringLiteral("progress"), 45.5}};
    QCOMPARE(publish(hub, QStringLiteral("jobs"), QStringLiteral("job_progress"), job), 200);

    const QJsonObject nativeEvent = native.waitForType(QStringLiteral("event"));
    QCOMPARE(nativeEvent.value(QStringLiteral("event")).toString(), QStringLiteral("job_progress"));
    QCOMPARE(dataOf(nativeEvent), job);
    QCOMPARE(dataOf(calculations.waitForType(QStringLiteral("job_progress"))), job);
    const QJsonObject update = dataOf(assist.waitForType(QStringLiteral("job_updates")));
    QCOMPARE(update.value(QStringLiteral("job_id")).toString(), QStringLiteral("job789"));
    QCOMPARE(update.value(QStringLiteral("progress")).toDouble(), 45.5);
}

// SPEC §5.2: one job, followed through every audience at once — native `jobs`, 000 job_* on
// /ws/status and calculation_* on /ws/calculations, 002 job_updates and get_active_jobs, 003
// progress on its project, and REST.
// Rooms are one namespace: POST /api/v1/ws/rooms/{id}/broadcast reaches the room's members
// whichever endpoint they joined it by — native /ws/v1, 002's /ws/connect, 004's /api/v1/ws —
// each in its dialect's shape, and no one who is not in the room.
void tst_EveryDialect::roomBroadcastReachesEveryMemberAndNoOneElse()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    const QByteArray admin = hub.token(QStringLiteral("root"), Role::Admin, QStringLiteral("acme"));
    const auto tokenOf = [&hub](const char* user) {
        return hub.token(QString::fromLatin1(user), Role::User, QStringLiteral("acme"));
    };
    const QString room = QStringLiteral("chat_room_123");
    const QString path = QStringLiteral("/api/v1/ws/rooms/chat_room_123/broadcast");
    TestClient native, nativeOutsider, assist, assistOutsider, collab, collabOutsider;
    QVERIFY(native.open(hub.ws(QStringLiteral("/ws/v1"), tokenOf("nina"))));
    QVERIFY(nativeOutsider.open(hub.ws(QStringLiteral("/ws/v1"), tokenOf("otto"))));
    QVERIFY(assist.open(hub.ws(QStringLiteral("/ws/connect"), tokenOf("anna"))));
    QVERIFY(assistOutsider.open(hub.ws(QStringLiteral("/ws/connect"), tokenOf("olga"))));
    QVERIFY(collab.open(hub.ws(QStringLiteral("/api/v1/ws"), tokenOf("cleo"))));
    QVERIFY(collabOutsider.open(hub.ws(QStringLiteral("/api/v1/ws"), tokenOf("oscar"))));

    // Nobody in it yet, in any dialect: not found.
    const QByteArray custom = R"({"type":"custom_event","data":{"message":"Hello room!"}})";
    QCOMPARE(hub.send("POST", path, custom, admin).status, 404);

    // 002 and native members only: the room exists for the broadcast all the same.
    assist.send(
        {{QStringLiteral("type"), QStringLiteral("join_room")}, {QStringLiteral("room"), room}});
    QVERIFY(!assist.waitForType(QStringLiteral("room_event")).isEmpty());
    QCOMPARE(typeOf(native.request(QStringLiteral("join_room"), QStringLiteral("j"),
                                   {{QStringLiteral("room"), room}})),
             QStringLiteral("ack"));
    // The rooms list has it too, with both members.
    const auto listed = [&hub, &admin, &room]() -> QJsonObject {
        const QJsonArray rooms =
            QJsonDocument::fromJson(
                hub.send("GET", QStringLiteral("/api/v1/ws/rooms"), {}, admin).body)
                .array();
        for (const QJsonValue& entry : rooms) {
            if (entry.toObject().value(QStringLiteral("room_id")).toString() == room)
                return entry.toObject();
        }
        return {};
    };
    QCOMPARE(listed().value(QStringLiteral("user_count")).toInt(), 2);
    // The document's own example (its server's send_to_room): {type, data}.
    TestHub::Reply reply = hub.send("POST", path, custom, admin);
    QCOMPARE(reply.status, 200);
    QCOMPARE(
        QJsonDocument::fromJson(reply.body).object().value(QStringLiteral("delivered")).toInt(), 2);
    const QJsonObject assistCustom = assist.waitForType(QStringLiteral("custom_event"));
    QCOMPARE(dataOf(assistCustom).value(QStringLiteral("message")).toString(),
             QStringLiteral("Hello room!"));
    QVERIFY(assistCustom.value(QStringLiteral("timestamp")).isString());
    const QJsonObject nativeCustom = native.waitFor([](const QJsonObject& m) {
        return typeOf(m) == QLatin1String("event") &&
               m.value(QStringLiteral("event")).toString() == QLatin1String("custom_event");
    });
    QCOMPARE(nativeCustom.value(QStringLiteral("topic")).toString(),
             QStringLiteral("room:") + room);
    QCOMPARE(dataOf(dataOf(nativeCustom)).value(QStringLiteral("message")).toString(),
             QStringLiteral("Hello room!"));

    // A 004 member joins: the document's announcement reaches all three, each in its shape.
    collab.send(
        {{QStringLiteral("type"), QStringLiteral("join_room")}, {QStringLiteral("room_id"), room}});
    QVERIFY(!collab.waitForType(QStringLiteral("room_state")).isEmpty());
    QCOMPARE(listed().value(QStringLiteral("user_count")).toInt(), 3);
    const QByteArray announcement =
        R"({"type":"system_announcement","title":"Maintenance Notice","message":"System maintenance in 30 minutes"})";
    reply = hub.send("POST", path, announcement, admin);
    QCOMPARE(reply.status, 200);
    QCOMPARE(
        QJsonDocument::fromJson(reply.body).object().value(QStringLiteral("delivered")).toInt(), 3);
    const QJsonObject flat = collab.waitForType(QStringLiteral("system_announcement"));
    QCOMPARE(flat.value(QStringLiteral("title")).toString(), QStringLiteral("Maintenance Notice"));
    QCOMPARE(flat.value(QStringLiteral("room_id")).toString(), room);
    const QJsonObject enveloped = assist.waitForType(QStringLiteral("system_announcement"));
    QCOMPARE(dataOf(enveloped).value(QStringLiteral("title")).toString(),
             QStringLiteral("Maintenance Notice"));
    QCOMPARE(dataOf(enveloped).value(QStringLiteral("message")).toString(),
             QStringLiteral("System maintenance in 30 minutes"));
    const QJsonObject event = native.waitFor([](const QJsonObject& m) {
        return m.value(QStringLiteral("event")).toString() == QLatin1String("system_announcement");
    });
    QCOMPARE(event.value(QStringLiteral("topic")).toString(), QStringLiteral("room:") + room);
    QCOMPARE(dataOf(event).value(QStringLiteral("title")).toString(),
             QStringLiteral("Maintenance Notice"));

    // Those not in the room heard nothing (a ping's answer comes after anything sent before).
    QCOMPARE(typeOf(nativeOutsider.request(QStringLiteral("ping"), QStringLiteral("p"))),
             QStringLiteral("pong"));
    QCOMPARE(assistPing(assistOutsider, QStringLiteral("p")), QStringLiteral("pong"));
    collabOutsider.send({{QStringLiteral("type"), QStringLiteral("ping")}});
    QVERIFY(!collabOutsider.waitForType(QStringLiteral("pong")).isEmpty());
    for (TestClient* outsider : {&nativeOutsider, &assistOutsider, &collabOutsider}) {
        for (const QJsonObject& m : std::as_const(outsider->messages)) {
            const QString name = typeOf(m) == QLatin1String("event")
                                     ? m.value(QStringLiteral("event")).toString()
                                     : typeOf(m);
            QVERIFY2(name != QLatin1String("custom_event") &&
                         name != QLatin1String("system_announcement"),
                     qPrintable(outsider->raw.join(u'\n')));
        }
    }
    // Nor did a member twice.
    QCOMPARE(collab.messagesOfType(QStringLiteral("system_announcement")).size(), 1);
    QCOMPARE(assist.messagesOfType(QStringLiteral("system_announcement")).size(), 1);
}

void tst_EveryDialect::oneJobReachesEveryAudience()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    const QByteArray alice = hub.token(QStringLiteral("alice"), Role::User, QStringLiteral("acme"));
    TestClient project;
    QVERIFY(openProject(hub, QStringLiteral("all1"), project));
    TestClient native, status, calculations, assist;
    QVERIFY(native.open(hub.ws(QStringLiteral("/ws/v1"), alice)));
    QCOMPARE(
        typeOf(native.request(QStringLiteral("subscribe"), QStringLiteral("1"),
                              {{QStringLiteral("topics"), QJsonArray{QStringLiteral("jobs")}}})),
        QStringLiteral("ack"));
    QVERIFY(status.open(hub.ws(QStringLiteral("/ws/status"), alice)));
    status.send(
        {{QStringLiteral("type"), QStringLiteral("subscribe")},
         {QStringLiteral("data"), QJsonObject{{QStringLiteral("topic"), QStringLiteral("jobs")}}}});
    QVERIFY(!status.waitForType(QStringLiteral("subscribed")).isEmpty());
    QVERIFY(calculations.open(hub.ws(QStringLiteral("/ws/calculations"), alice)));
    QVERIFY(!calculations.waitForType(QStringLiteral("connected")).isEmpty());
    QVERIFY(assist.open(hub.ws(QStringLiteral("/ws/connect"), alice)));
    assist.send({{QStringLiteral("type"), QStringLiteral("subscribe_job_updates")}});
    QVERIFY(!assist.waitForType(QStringLiteral("room_event")).isEmpty());

    const QString id = createExternalJob(
        hub, R"({"type":"forecast","title":"Board forecast","project_id":"all1"})");
    QVERIFY(!id.isEmpty());
    QCOMPARE(reportExternalJob(hub, id, R"({"progress":45.5,"message":"Month 7 of 12"})"), 200);

    // A service's progress keeps its fraction (document 002's 45.5), in every dialect.
    const auto atProgress = [&id](const QJsonObject& data) {
        return data.value(QStringLiteral("job_id")).toString() == id &&
               data.value(QStringLiteral("progress")).toDouble() == 45.5;
    };
    QVERIFY(!native
                 .waitFor([&atProgress](const QJsonObject& m) {
                     return m.value(QStringLiteral("event")).toString() ==
                                QLatin1String("job_progress") &&
                            atProgress(dataOf(m));
                 })
                 .isEmpty());
    QVERIFY(!status
                 .waitFor([&atProgress](const QJsonObject& m) {
                     return typeOf(m) == QLatin1String("job_progress") && atProgress(dataOf(m));
                 })
                 .isEmpty());
    QVERIFY(!calculations
                 .waitFor([&atProgress](const QJsonObject& m) {
                     return typeOf(m) == QLatin1String("calculation_progress") &&
                            atProgress(dataOf(m));
                 })
                 .isEmpty());
    QVERIFY(!assist
                 .waitFor([&atProgress](const QJsonObject& m) {
                     return typeOf(m) == QLatin1String("job_updates") && atProgress(dataOf(m)) &&
                            dataOf(m).value(QStringLiteral("event")).toString() ==
                                QLatin1String("job_progress");
                 })
                 .isEmpty());
    const QJsonObject generation = project.waitFor([&atProgress](const QJsonObject& m) {
        return typeOf(m) == QLatin1String("generation_progress") && atProgress(m);
    });
    QVERIFY2(!generation.isEmpty(), qPrintable(project.raw.join(u'\n')));
    QCOMPARE(generation.value(QStringLiteral("current_section")).toString(),
             QStringLiteral("Month 7 of 12"));

    assist.send({{QStringLiteral("type"), QStringLiteral("get_active_jobs")},
                 {QStringLiteral("id"), QStringLiteral("active")}});
    const QJsonArray active =
        dataOf(assist.waitFor([](const QJsonObject& m) {
            return m.value(QStringLiteral("id")).toString() == QLatin1String("active");
        }))
            .value(QStringLiteral("jobs"))
            .toArray();
    QCOMPARE(active.size(), 1);
    QVERIFY(atProgress(active.first().toObject()));
    QCOMPARE(active.first().toObject().value(QStringLiteral("status")).toString(),
             QStringLiteral("running"));

    const TestHub::Reply rest = hub.send("GET", QStringLiteral("/api/jobs/") + id, {}, alice);
    QCOMPARE(rest.status, 200);
    QVERIFY2(rest.body.contains(R"("progress":45.5)"), rest.body.constData());
    const QJsonObject restJob = QJsonDocument::fromJson(rest.body).object();
    QVERIFY(atProgress(restJob));
    QCOMPARE(restJob.value(QStringLiteral("status")).toString(), QStringLiteral("running"));
    QCOMPARE(restJob.value(QStringLiteral("project_id")).toString(), QStringLiteral("all1"));

    // Done: each audience hears it in its own words.
    QCOMPARE(reportExternalJob(hub, id,
                               R"({"progress":100,"status":"completed","result":{"runway":14}})"),
             200);
    const auto isDone = [&id](const QJsonObject& data) {
        return data.value(QStringLiteral("job_id")).toString() == id;
    };
    QVERIFY(!native
                 .waitFor([&isDone](const QJsonObject& m) {
                     return m.value(QStringLiteral("event")).toString() ==
                                QLatin1String("job_completed") &&
                            isDone(dataOf(m));
                 })
                 .isEmpty());
    QVERIFY(!status
                 .waitFor([&isDone](const QJsonObject& m) {
                     return typeOf(m) == QLatin1String("job_completed") && isDone(dataOf(m));
                 })
                 .isEmpty());
    const QJsonObject complete = calculations.waitFor([&isDone](const QJsonObject& m) {
        return typeOf(m) == QLatin1String("calculation_complete") && isDone(dataOf(m));
    });
    QCOMPARE(dataOf(complete)
                 .value(QStringLiteral("result_summary"))
                 .toObject()
                 .value(QStringLiteral("runway"))
                 .toInt(),
             14);
    QVERIFY(!assist
                 .waitFor([&isDone](const QJsonObject& m) {
                     return typeOf(m) == QLatin1String("job_updates") && isDone(dataOf(m)) &&
                            dataOf(m).value(QStringLiteral("status")).toString() ==
                                QLatin1String("completed");
                 })
                 .isEmpty());
    QCOMPARE(project.waitForType(QStringLiteral("completion"))
                 .value(QStringLiteral("result"))
                 .toObject()
                 .value(QStringLiteral("runway"))
                 .toInt(),
             14);
    QCOMPARE(
        QJsonDocument::fromJson(hub.send("GET", QStringLiteral("/api/jobs/") + id, {}, alice).body)
            .object()
            .value(QStringLiteral("status"))
            .toString(),
        QStringLiteral("completed"));
}

void tst_EveryDialect::asyncApiListsEveryDialect()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    const TestHub::Reply reply = hub.send("GET", QStringLiteral("/asyncapi.json"));
    QCOMPARE(reply.status, 200);
    const QByteArray text = reply.body;
    const QJsonObject channels =
        QJsonDocument::fromJson(text).object().value(QStringLiteral("channels")).toObject();
    const auto namesOf = [&channels](const QString& channel, const char* direction) {
        return messageNames(channels, channel, direction);
    };

    // Every message type SPEC §2.2 names, under each channel of its dialect: what clients
    // send under `publish`, what the hub sends under `subscribe`.
    struct Expected {
        QStringList paths;
        QStringList client;
        QStringList server;
    };
    const QList<Expected> dialects{
        {{QStringLiteral("/ws/v1")},
         {QStringLiteral("auth"), QStringLiteral("subscribe"), QStringLiteral("unsubscribe"),
          QStringLiteral("publish"), QStringLiteral("join_room"), QStringLiteral("leave_room"),
          QStringLiteral("presence"), QStringLiteral("job_submit"), QStringLiteral("job_cancel"),
          QStringLiteral("jobs_list"), QStringLiteral("ping")},
         {QStringLiteral("welcome"), QStringLiteral("event"), QStringLiteral("ack"),
          QStringLiteral("error"), QStringLiteral("pong"), QStringLiteral("resync")}},
        {{QStringLiteral("/ws/calculations"), QStringLiteral("/ws/entities"),
          QStringLiteral("/ws/status")},
         {QStringLiteral("subscribe"), QStringLiteral("unsubscribe")},
         {QStringLiteral("connected"), QStringLiteral("entity_change"),
          QStringLiteral("validation_error"), QStringLiteral("entity_list_update"),
          QStringLiteral("calculation_progress"), QStringLiteral("calculation_complete"),
          QStringLiteral("calculation_failed"), QStringLiteral("job_started"),
          QStringLiteral("job_progress"), QStringLiteral("job_completed"),
          QStringLiteral("job_failed"), QStringLiteral("status_update"),
          QStringLiteral("system_alert"), QStringLiteral("heartbeat")}},
        {{QStringLiteral("/ws")},
         {},
         {QStringLiteral("connection_established"), QStringLiteral("position_update"),
          QStringLiteral("equity_update"), QStringLiteral("risk_status_update"),
          QStringLiteral("system_log")}},
        {{QStringLiteral("/ws/connect")},
         {QStringLiteral("ping"), QStringLiteral("join_room"), QStringLiteral("leave_room"),
          QStringLiteral("subscribe_system_metrics"), QStringLiteral("unsubscribe_system_metrics"),
          QStringLiteral("subscribe_job_updates"), QStringLiteral("subscribe_document_updates"),
          QStringLiteral("get_active_jobs"), QStringLiteral("broadcast_admin"),
          QStringLiteral("auth")},
         {QStringLiteral("connection"), QStringLiteral("system_metrics"),
          QStringLiteral("job_updates"), QStringLiteral("document_processing_start"),
          QStringLiteral("document_processing_complete"), QStringLiteral("system_alert"),
          QStringLiteral("user_activity"), QStringLiteral("room_event"), QStringLiteral("error"),
          QStringLiteral("pong")}},
        {{QStringLiteral("/ws/projects/{project_id}"), QStringLiteral("/ws/notifications")},
         {QStringLiteral("ping")},
         {QStringLiteral("rc_analysis_progress"), QStringLiteral("matching_progress"),
          QStringLiteral("generation_progress"), QStringLiteral("document_generation_progress"),
          QStringLiteral("error"), QStringLiteral("completion"), QStringLiteral("pong")}},
        {{QStringLiteral("/api/v1/ws")},
         {QStringLiteral("join_room"), QStringLiteral("leave_room"), QStringLiteral("cursor_move"),
          QStringLiteral("cell_update"), QStringLiteral("status_update"),
          QStringLiteral("typing_start"), QStringLiteral("typing_stop"),
          QStringLiteral("ai_request"), QStringLiteral("subscribe_notifications"),
          QStringLiteral("notification_read"), QStringLiteral("file_upload_start"),
          QStringLiteral("file_upload_progress"), QStringLiteral("ping")},
         {QStringLiteral("room_state"), QStringLiteral("cursor_moved"),
          QStringLiteral("cell_updated"), QStringLiteral("user_status_changed"),
          QStringLiteral("user_typing_start"), QStringLiteral("user_typing_stop"),
          QStringLiteral("ai_event"), QStringLiteral("notification_event"),
          QStringLiteral("file_upload_progress"), QStringLiteral("file_upload_complete"),
          QStringLiteral("pong"), QStringLiteral("error")}},
    };
    for (const Expected& dialect : dialects) {
        for (const QString& path : dialect.paths) {
            QVERIFY2(channels.contains(path), qPrintable(path));
            const QStringList publish = namesOf(path, "publish");
            const QStringList subscribe = namesOf(path, "subscribe");
            for (const QString& type : dialect.client)
                QVERIFY2(publish.contains(type), qPrintable(path + QStringLiteral(" <- ") + type));
            for (const QString& type : dialect.server)
                QVERIFY2(subscribe.contains(type),
                         qPrintable(path + QStringLiteral(" -> ") + type));
        }
    }
    // 001 and 003 are fed by services: their clients send nothing but the keep-alive.
    QCOMPARE(namesOf(QStringLiteral("/ws"), "publish"), QStringList{QStringLiteral("ping")});

    // Each dialect's client fields where its document puts them: 002 next to `type`,
    // the native protocol and 000 in `data`.
    const auto payloadOf = [&channels](const QString& path, const QString& type) {
        const QJsonArray messages = channels.value(path)
                                        .toObject()
                                        .value(QStringLiteral("publish"))
                                        .toObject()
                                        .value(QStringLiteral("message"))
                                        .toObject()
                                        .value(QStringLiteral("oneOf"))
                                        .toArray();
        for (const QJsonValue& message : messages) {
            if (message.toObject().value(QStringLiteral("name")).toString() == type)
                return message.toObject().value(QStringLiteral("payload")).toObject();
        }
        return QJsonObject();
    };
    const QJsonObject join = payloadOf(QStringLiteral("/ws/connect"), QStringLiteral("join_room"));
    QVERIFY(join.value(QStringLiteral("properties")).toObject().contains(QStringLiteral("room")));
    QVERIFY(join.value(QStringLiteral("required")).toArray().contains(QStringLiteral("room")));
    // broadcast_admin's extra fields are `details`, as the handler reads them.
    const QJsonObject broadcast =
        payloadOf(QStringLiteral("/ws/connect"), QStringLiteral("broadcast_admin"))
            .value(QStringLiteral("properties"))
            .toObject();
    QVERIFY(broadcast.contains(QStringLiteral("details")));
    QVERIFY(!broadcast.contains(QStringLiteral("data")));
    const QJsonObject subscribe =
        payloadOf(QStringLiteral("/ws/calculations"), QStringLiteral("subscribe"));
    QVERIFY(subscribe.value(QStringLiteral("properties"))
                .toObject()
                .value(QStringLiteral("data"))
                .toObject()
                .value(QStringLiteral("properties"))
                .toObject()
                .contains(QStringLiteral("topic")));
}

// Walks every dialect's replies over real sockets: each client message type its channel
// lists, sent bare (so mostly refused), a bad frame, an unknown type and a ping. Every type
// that comes back must be one the channel's `subscribe` lists.
void tst_EveryDialect::everyReplyIsInItsChannel()
{
    HubConfig config = testConfig();
    config.heartbeatInterval = std::chrono::milliseconds(100);
    TestHub hub(config);
    QVERIFY(!hub.startError);
    const QByteArray admin = hub.token(QStringLiteral("root"), Role::Admin, QStringLiteral("acme"));
    QCOMPARE(hub.send("PUT", QStringLiteral("/api/v1/projects/w1"), R"({"tenant":"acme"})", admin)
                 .status,
             201);
    const QJsonObject channels =
        QJsonDocument::fromJson(hub.send("GET", QStringLiteral("/asyncapi.json")).body)
            .object()
            .value(QStringLiteral("channels"))
            .toObject();
    const auto namesOf = [&channels](const QString& channel, const char* direction) {
        return messageNames(channels, channel, direction);
    };
    const QList<std::pair<QString, QString>> paths{
        {QStringLiteral("/ws/v1"), QStringLiteral("/ws/v1")},
        {QStringLiteral("/ws/calculations"), QStringLiteral("/ws/calculations")},
        {QStringLiteral("/ws/status"), QStringLiteral("/ws/status")},
        {QStringLiteral("/ws"), QStringLiteral("/ws")},
        {QStringLiteral("/ws/connect"), QStringLiteral("/ws/connect")},
        {QStringLiteral("/ws/projects/w1"), QStringLiteral("/ws/projects/{project_id}")},
        {QStringLiteral("/ws/notifications"), QStringLiteral("/ws/notifications")},
        {QStringLiteral("/api/v1/ws"), QStringLiteral("/api/v1/ws")},
    };
    for (const auto& [path, channel] : paths) {
        const QStringList sent = namesOf(channel, "publish");
        const QStringList received = namesOf(channel, "subscribe");
        QVERIFY2(!sent.isEmpty() && !received.isEmpty(), qPrintable(channel));
        TestClient client;
        QVERIFY(client.open(hub.ws(path, admin)));
        int id = 0;
        for (const QString& type : sent) {
            if (type == QLatin1String("auth"))
                continue; // a bad auth message closes the connection, as documented
            client.send(
                {{QStringLiteral("type"), type}, {QStringLiteral("id"), QString::number(++id)}});
        }
        client.socket.sendTextMessage(QStringLiteral("{not json"));
        client.send({{QStringLiteral("type"), QStringLiteral("no_such_message")}});
        const bool textPing = channel.startsWith(QLatin1String("/ws/projects")) ||
                              channel == QLatin1String("/ws/notifications");
        if (textPing) {
            client.socket.sendTextMessage(QStringLiteral("ping"));
            QVERIFY2(waitForRaw(client, QStringLiteral("pong")), qPrintable(channel));
        } else {
            // Replies come in order: the last ping's pong comes last.
            const qsizetype pongs = sent.count(QStringLiteral("ping")) + 1;
            client.send({{QStringLiteral("type"), QStringLiteral("ping")},
                         {QStringLiteral("id"), QStringLiteral("last")}});
            QTRY_VERIFY2_WITH_TIMEOUT(client.messagesOfType(QStringLiteral("pong")).size() == pongs,
                                      qPrintable(channel + u' ' + client.raw.join(u'\n')), 5000);
        }
        QVERIFY2(!client.closed, qPrintable(channel));
        QVERIFY(client.messagesOfType(QStringLiteral("error")).size() >= 2);
        for (int i = 0; i < client.raw.size(); ++i) {
            const QString type =
                client.raw[i] == QLatin1String("pong") ? client.raw[i] : typeOf(client.messages[i]);
            QVERIFY2(received.contains(type),
                     qPrintable(channel + QStringLiteral(" sent ") + client.raw[i]));
        }
    }
}

// The documents' dialects send an event exactly when their table carries its type: each row
// marked fromEvents comes out under its own type, anything else not at all (but through a
// `*` row, for the topics whose messages services name themselves).
void tst_EveryDialect::eventEncodersFollowTheirTable()
{
    const CalculationsDialect calculations{
        Dialect::KeepAlive{testConfig().heartbeatInterval, testConfig().heartbeatTimeout}};
    const TradingDialect trading;
    const AssistDialect assist;
    const ProjectsDialect projects;
    const QJsonObject data{{QStringLiteral("job_id"), QStringLiteral("j1")}};
    const auto typeSent = [&data](const Dialect& dialect, const QString& topic,
                                  const QString& name) {
        const Event event{topic, 1, name, 1700000000000, 0, data, {}};
        const QByteArray encoded = dialect.encodeEvent(event);
        return encoded.isEmpty() ? QString() : typeOf(QJsonDocument::fromJson(encoded).object());
    };
    for (const Dialect* dialect :
         std::initializer_list<const Dialect*>{&calculations, &trading, &assist, &projects}) {
        for (const ServerMessage& row : dialect->serverMessages()) {
            if (!row.fromEvents || row.type == Dialect::anyType)
                continue;
            QCOMPARE(typeSent(*dialect, QStringLiteral("topic"), QString(row.type)),
                     QString(row.type));
        }
        // Never a message the dialect only builds itself; a type the table lacks only through
        // a `*` row (001 and 003 pass services' own types on; 000 does not, 002 only in rooms).
        QCOMPARE(typeSent(*dialect, QStringLiteral("topic"), QStringLiteral("pong")), QString());
        const bool passesOthers = dialect == &trading || dialect == &projects;
        QCOMPARE(typeSent(*dialect, QStringLiteral("topic"), QStringLiteral("custom_event")),
                 passesOthers ? QStringLiteral("custom_event") : QString());
    }
    // 000: a cancelled job is a failed one; job_queued is not 000's.
    QCOMPARE(typeSent(calculations, QStringLiteral("jobs"), QStringLiteral("job_cancelled")),
             QStringLiteral("job_failed"));
    QCOMPARE(typeSent(calculations, QStringLiteral("jobs"), QStringLiteral("job_queued")),
             QString());
    // 002: every job event is a job_updates, a native presence event a room_event, a room's own
    // message goes through under its type, the same type elsewhere does not.
    QCOMPARE(typeSent(assist, QStringLiteral("jobs"), QStringLiteral("job_queued")),
             QStringLiteral("job_updates"));
    QCOMPARE(typeSent(assist, QStringLiteral("room:r"), QStringLiteral("presence")),
             QStringLiteral("room_event"));
    QCOMPARE(typeSent(assist, QStringLiteral("room:chat_room_123"), QStringLiteral("custom_event")),
             QStringLiteral("custom_event"));
    QCOMPARE(typeSent(assist, QStringLiteral("admin"), QStringLiteral("custom_event")), QString());
    QCOMPARE(typeSent(assist, QStringLiteral("status"), QStringLiteral("status_update")),
             QString());
}

QTEST_GUILESS_MAIN(tst_EveryDialect)
#include "tst_every_dialect.moc"
