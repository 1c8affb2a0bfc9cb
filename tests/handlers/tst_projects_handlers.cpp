// Document 003's connection hooks (handlers/projects/) and its ping through the real
// MessageDispatcher, with clients held in memory: no welcome, `project:{id}` for users of the
// project's tenant, `user:{sub}` on /ws/notifications, and the bare text "pong". The dialect
// over real sockets is tst_dialect_projects'.

#include "HandlerFixture.h"
#include "JsonMessage.h"

#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

Identity ofTenant(const QString& subject, const QString& tenant)
{
    return HandlerFixture::user(subject, Role::User, tenant);
}

bool registerProject(HandlerFixture& fixture, const QString& id, const QString& tenant)
{
    Project project;
    project.id = id;
    project.tenant = tenant;
    std::optional<bool> stored;
    fixture.backend.projects().put(project, [&stored](bool done) { stored = done; });
    return QTest::qWaitFor([&stored] { return stored.has_value(); }) && *stored;
}

} // namespace

class tst_ProjectsHandlers : public QObject {
    Q_OBJECT

private slots:
    void cleanup();
    void aProjectsTenantGetsItsTopic();
    void anotherTenantGetsNothing();
    void anUnregisteredProjectIsNoOnesTopic();
    void notificationsAreTheUsersOwn();
    void textPingIsAnsweredWithTextPong();
    void progressArrivesFlat();
};

void tst_ProjectsHandlers::cleanup()
{
    const QStringList unlisted = Dialect::unlistedMessages();
    QVERIFY2(unlisted.isEmpty(), qPrintable(unlisted.join(u' ')));
}

void tst_ProjectsHandlers::aProjectsTenantGetsItsTopic()
{
    HandlerFixture fixture;
    QVERIFY(registerProject(fixture, QStringLiteral("7f0c"), QStringLiteral("acme")));
    auto alice = fixture.connect(QStringLiteral("/ws/projects/7f0c"),
                                 ofTenant(QStringLiteral("alice"), QStringLiteral("acme")));
    QVERIFY(alice->texts().isEmpty()); // no welcome
    QCOMPARE(alice->topics(), QStringList{QStringLiteral("project:7f0c")});
}

// The upgrade closes such a client with 1008 before any data (tst_dialect_projects); the hook
// itself never subscribes another tenant's project.
void tst_ProjectsHandlers::anotherTenantGetsNothing()
{
    HandlerFixture fixture;
    QVERIFY(registerProject(fixture, QStringLiteral("p1"), QStringLiteral("acme")));
    auto mallory = fixture.connect(QStringLiteral("/ws/projects/p1"),
                                   ofTenant(QStringLiteral("mallory"), QStringLiteral("globex")));
    QVERIFY(mallory->topics().isEmpty());
    QCOMPARE(fixture.dispatcher.autoTopics(mallory->dialect(), mallory->subscriber().identity(),
                                           QStringLiteral("/ws/projects/p1")),
             QStringList{QStringLiteral("project:p1")});
    auto root = fixture.connect(QStringLiteral("/ws/projects/p1"),
                                HandlerFixture::user(QStringLiteral("root"), Role::Admin));
    QCOMPARE(root->topics(), QStringList{QStringLiteral("project:p1")});
}

void tst_ProjectsHandlers::anUnregisteredProjectIsNoOnesTopic()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/ws/projects/unregistered"),
                                 ofTenant(QStringLiteral("alice"), QStringLiteral("acme")));
    QVERIFY(alice->topics().isEmpty());
}

void tst_ProjectsHandlers::notificationsAreTheUsersOwn()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/ws/notifications"),
                                 HandlerFixture::user(QStringLiteral("alice")));
    QCOMPARE(alice->topics(), QStringList{QStringLiteral("user:alice")});
    auto anonymous = fixture.connect(QStringLiteral("/ws/notifications"));
    QVERIFY(anonymous->topics().isEmpty());
    QVERIFY(
        fixture.dispatcher.autoTopics(anonymous->dialect(), {}, QStringLiteral("/ws/notifications"))
            .isEmpty());
}

// The document's keep-alive: the text frame "ping", answered with the text frame "pong".
void tst_ProjectsHandlers::textPingIsAnsweredWithTextPong()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/ws/notifications"),
                                 HandlerFixture::user(QStringLiteral("alice")));
    alice->sendText("ping");
    QCOMPARE(alice->texts(), QList<QByteArray>{"pong"});
    alice->clear();
    alice->send(message(QStringLiteral("ping"), {{QStringLiteral("id"), QStringLiteral("k")}}));
    const QJsonObject pong = parsed(alice->texts().value(0));
    QCOMPARE(typeOf(pong), QStringLiteral("pong"));
    QCOMPARE(pong.value(QStringLiteral("id")).toString(), QStringLiteral("k"));
}

void tst_ProjectsHandlers::progressArrivesFlat()
{
    HandlerFixture fixture;
    QVERIFY(registerProject(fixture, QStringLiteral("p1"), QStringLiteral("acme")));
    auto alice = fixture.connect(QStringLiteral("/ws/projects/p1"),
                                 ofTenant(QStringLiteral("alice"), QStringLiteral("acme")));
    fixture.hub.publish(QStringLiteral("project:p1"), QStringLiteral("matching_progress"),
                        {{QStringLiteral("requirements_total"), 30}});
    const QList<QJsonObject> received = alice->take();
    QCOMPARE(received.size(), 1);
    QCOMPARE(typeOf(received[0]), QStringLiteral("matching_progress"));
    QCOMPARE(received[0].value(QStringLiteral("requirements_total")).toInt(), 30);
    QVERIFY(isIsoTimestamp(received[0].value(QStringLiteral("timestamp"))));
}

QTEST_GUILESS_MAIN(tst_ProjectsHandlers)
#include "tst_projects_handlers.moc"
