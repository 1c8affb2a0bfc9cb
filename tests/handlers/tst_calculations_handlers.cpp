// Document 000's handlers and connection hooks (handlers/calculations/) through the real
// MessageDispatcher, with clients held in memory: `connected` on open, the topic each path
// names, and subscribe/unsubscribe of the document's topics. The dialect over real sockets is
// tst_dialect_calculations'.

#include "HandlerFixture.h"
#include "JsonMessage.h"

#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

QJsonObject only(const QList<QJsonObject>& messages)
{
    return messages.size() == 1 ? messages.first() : QJsonObject();
}

// {"type", "data": {"topic"}}, as the document's clients write it.
QJsonObject topicRequest(const QString& type, const QString& topic)
{
    return {{QStringLiteral("type"), type},
            {QStringLiteral("data"), QJsonObject{{QStringLiteral("topic"), topic}}}};
}

} // namespace

class tst_CalculationsHandlers : public QObject {
    Q_OBJECT

private slots:
    void cleanup();
    void connectedOnOpen_data();
    void connectedOnOpen();
    void aTopicTheClientMayNotReadIsSkipped();
    void subscribeAddsADocumentTopic();
    void unsubscribeDropsIt();
    void onlyTheDocumentsTopics();
    void subscribingNeedsAnIdentity();
    void pingIsAnsweredWithPong();
};

void tst_CalculationsHandlers::cleanup()
{
    const QStringList unlisted = Dialect::unlistedMessages();
    QVERIFY2(unlisted.isEmpty(), qPrintable(unlisted.join(u' ')));
}

void tst_CalculationsHandlers::connectedOnOpen_data()
{
    QTest::addColumn<QString>("topic");
    QTest::newRow("calculations") << QStringLiteral("calculations");
    QTest::newRow("entities") << QStringLiteral("entities");
    QTest::newRow("status") << QStringLiteral("status");
}

// The welcome names the path's topic, and the client is subscribed to it.
void tst_CalculationsHandlers::connectedOnOpen()
{
    QFETCH(QString, topic);
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/ws/") + topic,
                                 HandlerFixture::user(QStringLiteral("alice")));
    const QJsonObject connected = only(alice->take());
    QCOMPARE(typeOf(connected), QStringLiteral("connected"));
    QVERIFY(isIsoTimestamp(connected.value(QStringLiteral("timestamp"))));
    QCOMPARE(dataOf(connected),
             QJsonObject({{QStringLiteral("connection_id"), alice->id()},
                          {QStringLiteral("topic"), topic},
                          {QStringLiteral("heartbeat_interval"), 30.0},
                          {QStringLiteral("message"),
                           QStringLiteral("Connected to %1 updates").arg(topic)}}));
    QCOMPARE(alice->topics(), QStringList{topic});

    fixture.hub.publish(topic, QStringLiteral("system_alert"),
                        {{QStringLiteral("alert_type"), QStringLiteral("x")}});
    QCOMPARE(typeOf(only(alice->take())), QStringLiteral("system_alert"));
}

// The upgrade refuses such a client before the hook runs; the hook itself still only
// subscribes what the identity may read.
void tst_CalculationsHandlers::aTopicTheClientMayNotReadIsSkipped()
{
    HandlerFixture fixture;
    auto anonymous = fixture.connect(QStringLiteral("/ws/status"));
    QCOMPARE(typeOf(only(anonymous->take())), QStringLiteral("connected"));
    QVERIFY(anonymous->topics().isEmpty());
    QCOMPARE(fixture.dispatcher.autoTopics(anonymous->dialect(), {}, QStringLiteral("/ws/status")),
             QStringList{QStringLiteral("status")});
}

void tst_CalculationsHandlers::subscribeAddsADocumentTopic()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/ws/status"),
                                 HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();
    const QJsonObject subscribed =
        only(alice->exchange(topicRequest(QStringLiteral("subscribe"), QStringLiteral("jobs"))));
    QCOMPARE(typeOf(subscribed), QStringLiteral("subscribed"));
    QCOMPARE(dataOf(subscribed), QJsonObject({{QStringLiteral("topic"), QStringLiteral("jobs")}}));
    QCOMPARE(alice->topics(), (QStringList{QStringLiteral("status"), QStringLiteral("jobs")}));

    // Again: the same answer, still one subscription.
    QCOMPARE(typeOf(only(alice->exchange(
                 topicRequest(QStringLiteral("subscribe"), QStringLiteral("jobs"))))),
             QStringLiteral("subscribed"));
    QCOMPARE(fixture.hub.subscriberCount(QStringLiteral("jobs")), 1);

    // Job events in the document's names.
    fixture.hub.publish(QStringLiteral("jobs"), QStringLiteral("job_started"),
                        {{QStringLiteral("job_id"), QStringLiteral("j1")}});
    fixture.hub.publish(QStringLiteral("jobs"), QStringLiteral("job_queued"), {});
    const QJsonObject started = only(alice->take());
    QCOMPARE(typeOf(started), QStringLiteral("job_started"));
    QCOMPARE(dataOf(started).value(QStringLiteral("job_id")).toString(), QStringLiteral("j1"));

    // The topic may also sit next to `type`, with an id the reply carries.
    const QJsonObject flat = only(alice->exchange(
        message(QStringLiteral("subscribe"), {{QStringLiteral("topic"), QStringLiteral("entities")},
                                              {QStringLiteral("id"), QStringLiteral("e")}})));
    QCOMPARE(typeOf(flat), QStringLiteral("subscribed"));
    QCOMPARE(flat.value(QStringLiteral("id")).toString(), QStringLiteral("e"));
}

void tst_CalculationsHandlers::unsubscribeDropsIt()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/ws/calculations"),
                                 HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();
    const QJsonObject unsubscribed = only(alice->exchange(
        topicRequest(QStringLiteral("unsubscribe"), QStringLiteral("calculations"))));
    QCOMPARE(typeOf(unsubscribed), QStringLiteral("unsubscribed"));
    QCOMPARE(dataOf(unsubscribed),
             QJsonObject({{QStringLiteral("topic"), QStringLiteral("calculations")}}));
    QVERIFY(alice->topics().isEmpty());
    QCOMPARE(
        fixture.hub
            .publish(QStringLiteral("calculations"), QStringLiteral("calculation_progress"), {})
            .delivered,
        0);
    // Not subscribed: answered the same.
    QCOMPARE(typeOf(only(alice->exchange(
                 topicRequest(QStringLiteral("unsubscribe"), QStringLiteral("jobs"))))),
             QStringLiteral("unsubscribed"));
}

void tst_CalculationsHandlers::onlyTheDocumentsTopics()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/ws/status"),
                                 HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();
    for (const QString& type : {QStringLiteral("subscribe"), QStringLiteral("unsubscribe")}) {
        const QJsonObject error =
            only(alice->exchange(topicRequest(type, QStringLiteral("trading"))));
        QCOMPARE(codeOf(error), QStringLiteral("INVALID_MESSAGE"));
        QVERIFY(error.value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("data.topic")));
        QCOMPARE(codeOf(only(alice->exchange(message(type)))), QStringLiteral("INVALID_MESSAGE"));
    }
    QCOMPARE(alice->topics(), QStringList{QStringLiteral("status")});
}

void tst_CalculationsHandlers::subscribingNeedsAnIdentity()
{
    HandlerFixture fixture;
    auto anonymous = fixture.connect(QStringLiteral("/ws/status"));
    anonymous->clear();
    QCOMPARE(codeOf(only(anonymous->exchange(
                 topicRequest(QStringLiteral("subscribe"), QStringLiteral("jobs"))))),
             QStringLiteral("AUTHENTICATION_FAILED"));
    QVERIFY(anonymous->topics().isEmpty());
}

void tst_CalculationsHandlers::pingIsAnsweredWithPong()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/ws/entities"),
                                 HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();
    const QJsonObject pong =
        only(alice->exchange(message(QStringLiteral("ping"), {{QStringLiteral("id"), 7}})));
    QCOMPARE(typeOf(pong), QStringLiteral("pong"));
    QCOMPARE(pong.value(QStringLiteral("id")).toString(), QStringLiteral("7"));
}

QTEST_GUILESS_MAIN(tst_CalculationsHandlers)
#include "tst_calculations_handlers.moc"
