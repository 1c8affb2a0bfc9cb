// SPEC §4's permission table, row by row, over real sockets: who may subscribe to and publish
// on each kind of topic, who may call each kind of REST route (401 without a valid token, 403
// with the wrong role or tenant), and the admin-only messages.

#include "TestClient.h"
#include "TestHub.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;
using namespace Qt::StringLiterals;

namespace {

struct Who {
    QString subject;
    Role role;
    QString tenant;
};

Who whoFromName(const QString& name)
{
    if (name == "alice"_L1)
        return {u"alice"_s, Role::User, u"acme"_s};
    if (name == "mallory"_L1)
        return {u"mallory"_s, Role::User, u"globex"_s};
    if (name == "service"_L1)
        return {u"svc"_s, Role::Service, u"acme"_s};
    if (name == "globex service"_L1)
        return {u"gsvc"_s, Role::Service, u"globex"_s};
    if (name == "tenantless service"_L1)
        return {u"bare"_s, Role::Service, QString()};
    if (name == "admin"_L1)
        return {u"root"_s, Role::Admin, QString()};
    return {QString(), Role::Anonymous, QString()};
}

QByteArray tokenFor(TestHub& hub, const QString& name)
{
    const Who who = whoFromName(name);
    return who.role == Role::Anonymous ? QByteArray()
                                       : hub.token(who.subject, who.role, who.tenant);
}

// A hub with the projects and rooms the rows refer to: project p-acme of tenant acme, and a
// 004 room r-acme opened by an acme user.
struct Fixture {
    explicit Fixture(AuthMode mode = AuthMode::Required)
        : hub([mode] {
            HubConfig config = testConfig();
            config.authMode = mode;
            return config;
        }())
    {
        const QByteArray admin = hub.token(u"root"_s, Role::Admin);
        ok = !hub.startError &&
             hub.send("PUT", u"/api/v1/projects/p-acme"_s, R"({"tenant":"acme"})", admin).status ==
                 201;
        ok = ok && opener.open(hub.ws(u"/api/v1/ws"_s, hub.token(u"bob"_s, Role::User, u"acme"_s)));
        if (ok) {
            opener.send({{u"type"_s, u"join_room"_s}, {u"room_id"_s, u"r-acme"_s}});
            ok = !opener.waitForType(u"room_state"_s).isEmpty();
        }
    }
    TestHub hub;
    TestClient opener;
    bool ok = false;
};

// Sends one native message as `who` and returns the reply: an ack when allowed, an error
// with its code otherwise (an empty object when the connection failed).
QJsonObject replyAs(TestHub& hub, const QString& who, const QString& type,
                    const QJsonObject& fields)
{
    TestClient client;
    if (!client.open(hub.ws(u"/ws/v1"_s, tokenFor(hub, who))))
        return {};
    return client.request(type, u"1"_s, fields);
}

} // namespace

class tst_Permissions : public QObject {
    Q_OBJECT

private slots:
    void subscribe_data();
    void subscribe();
    void publish_data();
    void publish();
    void restRoutes_data();
    void restRoutes();
    void optionalAuthOpensOnlyThePublicFeeds();
    void adminOnlyMessages();
};

void tst_Permissions::subscribe_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<QString>("topic");
    QTest::addColumn<bool>("allowed");
    // Hub feeds: any authenticated user.
    for (const char* topic :
         {"calculations", "entities", "status", "jobs", "system_metrics", "trading", "logs"}) {
        QTest::addRow("alice %s", topic) << u"alice"_s << QString::fromLatin1(topic) << true;
    }
    QTest::newRow("own user topic") << u"alice"_s << u"user:alice"_s << true;
    QTest::newRow("another user's topic") << u"alice"_s << u"user:bob"_s << false;
    QTest::newRow("admin reads any user topic") << u"admin"_s << u"user:bob"_s << true;
    QTest::newRow("own document updates") << u"alice"_s << u"document_updates_alice"_s << true;
    QTest::newRow("another's document updates") << u"alice"_s << u"document_updates_bob"_s << false;
    QTest::newRow("all document updates, user") << u"alice"_s << u"all_document_updates"_s << false;
    QTest::newRow("all document updates, admin") << u"admin"_s << u"all_document_updates"_s << true;
    QTest::newRow("admin room, user") << u"alice"_s << u"admin"_s << false;
    QTest::newRow("project of own tenant") << u"alice"_s << u"project:p-acme"_s << true;
    QTest::newRow("project of another tenant") << u"mallory"_s << u"project:p-acme"_s << false;
    QTest::newRow("unregistered project") << u"alice"_s << u"project:nobody"_s << false;
    QTest::newRow("admin reads any project") << u"admin"_s << u"project:p-acme"_s << true;
    QTest::newRow("room of own tenant") << u"alice"_s << u"room:r-acme"_s << true;
    QTest::newRow("room of another tenant") << u"mallory"_s << u"room:r-acme"_s << false;
    QTest::newRow("a room nobody opened") << u"mallory"_s << u"room:fresh"_s << true;
}

void tst_Permissions::subscribe()
{
    QFETCH(QString, who);
    QFETCH(QString, topic);
    QFETCH(bool, allowed);
    Fixture fixture;
    QVERIFY(fixture.ok);
    const QJsonObject reply =
        replyAs(fixture.hub, who, u"subscribe"_s, {{u"topics"_s, QJsonArray{topic}}});
    QCOMPARE(reply.value("type"_L1).toString(), allowed ? u"ack"_s : u"error"_s);
    if (!allowed)
        QCOMPARE(reply.value("code"_L1).toString(), u"PERMISSION_DENIED"_s);
}

void tst_Permissions::publish_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<QString>("topic");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("user on a hub feed") << u"alice"_s << u"trading"_s << false;
    QTest::newRow("service on a hub feed") << u"service"_s << u"trading"_s << true;
    QTest::newRow("admin on a hub feed") << u"admin"_s << u"jobs"_s << true;
    QTest::newRow("user to another user") << u"alice"_s << u"user:bob"_s << false;
    QTest::newRow("service to a user") << u"service"_s << u"user:bob"_s << true;
    QTest::newRow("service to its tenant's project") << u"service"_s << u"project:p-acme"_s << true;
    QTest::newRow("user to a project") << u"alice"_s << u"project:p-acme"_s << false;
    QTest::newRow("service of another tenant to a project")
        << u"globex service"_s << u"project:p-acme"_s << false;
    QTest::newRow("tenantless service to a project")
        << u"tenantless service"_s << u"project:p-acme"_s << false;
    QTest::newRow("service to an unregistered project")
        << u"service"_s << u"project:nobody"_s << false;
    QTest::newRow("admin to any project") << u"admin"_s << u"project:p-acme"_s << true;
    QTest::newRow("tenantless service on a hub feed")
        << u"tenantless service"_s << u"status"_s << true;
}

void tst_Permissions::publish()
{
    QFETCH(QString, who);
    QFETCH(QString, topic);
    QFETCH(bool, allowed);
    Fixture fixture;
    QVERIFY(fixture.ok);
    const QJsonObject reply =
        replyAs(fixture.hub, who, u"publish"_s,
                {{u"topic"_s, topic}, {u"event"_s, u"note"_s}, {u"data"_s, QJsonObject{}}});
    QCOMPARE(reply.value("type"_L1).toString(), allowed ? u"ack"_s : u"error"_s);
    if (!allowed)
        QCOMPARE(reply.value("code"_L1).toString(), u"PERMISSION_DENIED"_s);

    // The REST publish route: services and administrators only (403 for a user), and the
    // same topic rules as the native message.
    const QByteArray token = tokenFor(fixture.hub, who);
    const TestHub::Reply single =
        fixture.hub.send("POST", u"/api/v1/publish"_s,
                         QJsonDocument(QJsonObject{{u"topic"_s, topic}, {u"type"_s, u"note"_s}})
                             .toJson(QJsonDocument::Compact),
                         token);
    QCOMPARE(single.status, allowed ? 200 : 403);
    if (!allowed)
        QCOMPARE(QJsonDocument::fromJson(single.body).object().value("code"_L1).toString(),
                 u"PERMISSION_DENIED"_s);

    // In a batch, one refused topic refuses the whole batch: nothing of it is published.
    TestClient watcher;
    QVERIFY(watcher.open(fixture.hub.ws(u"/ws/v1"_s, tokenFor(fixture.hub, u"admin"_s))));
    QCOMPARE(watcher.request(u"subscribe"_s, u"1"_s, {{u"topics"_s, QJsonArray{u"status"_s}}})
                 .value("type"_L1)
                 .toString(),
             u"ack"_s);
    const QJsonArray batch{QJsonObject{{u"topic"_s, u"status"_s}, {u"type"_s, u"first"_s}},
                           QJsonObject{{u"topic"_s, topic}, {u"type"_s, u"second"_s}}};
    const int batchStatus = fixture.hub
                                .send("POST", u"/api/v1/publish"_s,
                                      QJsonDocument(batch).toJson(QJsonDocument::Compact), token)
                                .status;
    const bool serviceOrAdmin =
        whoFromName(who).role == Role::Service || whoFromName(who).role == Role::Admin;
    QCOMPARE(batchStatus, allowed ? 200 : 403);
    const auto eventNamed = [](const char* name) {
        return [name](const QJsonObject& message) {
            return message.value("event"_L1).toString() == QLatin1String(name);
        };
    };
    if (allowed)
        QVERIFY(!watcher.waitFor(eventNamed("first")).isEmpty());
    if (!allowed && serviceOrAdmin) {
        // A marker published after the refused batch arrives, and nothing before it.
        QCOMPARE(
            fixture.hub
                .send("POST", u"/api/v1/publish"_s, R"({"topic":"status","type":"marker"})", token)
                .status,
            200);
        const QJsonObject next = watcher.waitFor([](const QJsonObject& message) {
            return message.value("type"_L1).toString() == "event"_L1;
        });
        QCOMPARE(next.value("event"_L1).toString(), u"marker"_s);
    }
}

void tst_Permissions::restRoutes_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("who");
    QTest::addColumn<int>("status");
    // Public.
    QTest::newRow("health, anonymous") << u"GET"_s << u"/health"_s << u"anonymous"_s << 200;
    QTest::newRow("ws health, anonymous")
        << u"GET"_s << u"/api/v1/ws/health"_s << u"anonymous"_s << 200;
    // User routes.
    QTest::newRow("jobs, anonymous") << u"GET"_s << u"/api/jobs"_s << u"anonymous"_s << 401;
    QTest::newRow("jobs, user") << u"GET"_s << u"/api/jobs"_s << u"alice"_s << 200;
    // Service or admin routes.
    QTest::newRow("projects, anonymous")
        << u"GET"_s << u"/api/v1/projects"_s << u"anonymous"_s << 401;
    QTest::newRow("projects, user") << u"GET"_s << u"/api/v1/projects"_s << u"alice"_s << 403;
    QTest::newRow("projects, service") << u"GET"_s << u"/api/v1/projects"_s << u"service"_s << 200;
    QTest::newRow("notify, user") << u"POST"_s << u"/api/v1/ws/users/bob/notify"_s << u"alice"_s
                                  << 403;
    // Admin routes.
    QTest::newRow("stats, anonymous") << u"GET"_s << u"/api/v1/ws/stats"_s << u"anonymous"_s << 401;
    QTest::newRow("stats, user") << u"GET"_s << u"/api/v1/ws/stats"_s << u"alice"_s << 403;
    QTest::newRow("stats, service") << u"GET"_s << u"/api/v1/ws/stats"_s << u"service"_s << 403;
    QTest::newRow("stats, admin") << u"GET"_s << u"/api/v1/ws/stats"_s << u"admin"_s << 200;
    QTest::newRow("rooms, user") << u"GET"_s << u"/api/v1/ws/rooms"_s << u"alice"_s << 403;
    QTest::newRow("rooms, admin") << u"GET"_s << u"/api/v1/ws/rooms"_s << u"admin"_s << 200;
    QTest::newRow("disconnect, user")
        << u"DELETE"_s << u"/api/v1/ws/connections/x"_s << u"alice"_s << 403;
    QTest::newRow("disconnect, admin, unknown id")
        << u"DELETE"_s << u"/api/v1/ws/connections/x"_s << u"admin"_s << 404;
    QTest::newRow("shutdown, service")
        << u"POST"_s << u"/api/v1/ws/shutdown"_s << u"service"_s << 403;
}

void tst_Permissions::restRoutes()
{
    QFETCH(QString, method);
    QFETCH(QString, path);
    QFETCH(QString, who);
    QFETCH(int, status);
    Fixture fixture;
    QVERIFY(fixture.ok);
    const TestHub::Reply reply =
        fixture.hub.send(method.toLatin1(), path, {}, tokenFor(fixture.hub, who));
    QCOMPARE(reply.status, status);
    if (status == 401)
        QVERIFY(!reply.header("WWW-Authenticate").isEmpty());
    if (status >= 400)
        QVERIFY(
            !QJsonDocument::fromJson(reply.body).object().value("code"_L1).toString().isEmpty());
}

// `--auth optional`: anonymous callers get the public feeds (trading, logs), nothing else.
void tst_Permissions::optionalAuthOpensOnlyThePublicFeeds()
{
    Fixture fixture(AuthMode::Optional);
    QVERIFY(fixture.ok);
    TestClient anonymous;
    QVERIFY(anonymous.open(fixture.hub.ws(u"/ws/v1"_s)));
    QCOMPARE(
        anonymous
            .request(u"subscribe"_s, u"1"_s, {{u"topics"_s, QJsonArray{u"trading"_s, u"logs"_s}}})
            .value("type"_L1)
            .toString(),
        u"ack"_s);
    QCOMPARE(anonymous.request(u"subscribe"_s, u"2"_s, {{u"topics"_s, QJsonArray{u"jobs"_s}}})
                 .value("code"_L1)
                 .toString(),
             u"PERMISSION_DENIED"_s);
}

void tst_Permissions::adminOnlyMessages()
{
    Fixture fixture;
    QVERIFY(fixture.ok);
    TestClient alice, root;
    QVERIFY(alice.open(fixture.hub.ws(u"/ws/connect"_s, tokenFor(fixture.hub, u"alice"_s))));
    QVERIFY(root.open(fixture.hub.ws(u"/ws/connect"_s, tokenFor(fixture.hub, u"admin"_s))));
    alice.send({{u"type"_s, u"broadcast_admin"_s}, {u"message"_s, u"hi"_s}});
    QCOMPARE(alice.waitForType(u"error"_s).value("code"_L1).toString(), u"PERMISSION_DENIED"_s);
    root.send({{u"type"_s, u"broadcast_admin"_s}, {u"message"_s, u"hi"_s}});
    QVERIFY(!root.waitForType(u"broadcast_sent"_s).isEmpty());
}

QTEST_GUILESS_MAIN(tst_Permissions)
#include "tst_permissions.moc"
