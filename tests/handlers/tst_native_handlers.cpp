// The native protocol's handlers and connection hooks (handlers/native/) through the real
// MessageDispatcher, with clients held in memory: every reply is in the client's outbox when
// send() returns. The same protocol over real sockets is tst_native_protocol's.

#include "HandlerFixture.h"
#include "JsonMessage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <algorithm>

using namespace switchboard;
using namespace switchboard::test;

namespace {

// {"type", "id", "data"}: a native request.
QJsonObject request(const QString& type, const QString& id, const QJsonObject& data = {})
{
    QJsonObject message{{QStringLiteral("type"), type}, {QStringLiteral("id"), id}};
    if (!data.isEmpty())
        message.insert(QStringLiteral("data"), data);
    return message;
}

QJsonObject topics(const QStringList& names)
{
    return {{QStringLiteral("topics"), QJsonArray::fromStringList(names)}};
}

// The only message of `messages`, or an empty object when there is not exactly one.
QJsonObject only(const QList<QJsonObject>& messages)
{
    return messages.size() == 1 ? messages.first() : QJsonObject();
}

QList<int> seqsOfEvents(const QList<QJsonObject>& messages)
{
    QList<int> seqs;
    for (const QJsonObject& message : messages) {
        if (typeOf(message) == QLatin1String("event"))
            seqs.append(message.value(QStringLiteral("seq")).toInt());
    }
    return seqs;
}

// A user subscribed to "trading" and a service that may publish to it, both with nothing
// left to read.
std::pair<std::unique_ptr<MemoryClient>, std::unique_ptr<MemoryClient>>
readerAndPublisher(HandlerFixture& fixture)
{
    auto reader =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    reader->send(request(QStringLiteral("subscribe"), QStringLiteral("s"),
                         topics({QStringLiteral("trading")})));
    auto service = fixture.connect(QStringLiteral("/ws/v1"),
                                   HandlerFixture::user(QStringLiteral("svc"), Role::Service));
    reader->clear();
    service->clear();
    return {std::move(reader), std::move(service)};
}

} // namespace

class tst_NativeHandlers : public QObject {
    Q_OBJECT

private slots:
    void welcomeOnOpenAndNoTopics();
    void subscribeAcksEachTopicsSeq();
    void subscribeSinceReplaysMissedEvents();
    void subscribeBeyondHistorySendsResync();
    void subscribeIsAllOrNothing();
    void subscribeNamesTheBadField();
    void unsubscribeStopsDelivery();
    void publishNeedsThePublishRight();
    void publishedDataGoesOnAsWritten();
    void publishErrorsAreWordedTheSameHoweverWritten();
    void roomsAnnounceJoinsAndLeaves();
    void presenceGoesToEveryJoinedRoom();
    void aClosingMemberLeavesItsRooms();
    void jobsListFiltersByStatus();
    void jobsAreSubmittedAndCancelled();
    void authMessageChangesWhoTheConnectionIs();
    void pingIsAnsweredWithItsId();
};

void tst_NativeHandlers::welcomeOnOpenAndNoTopics()
{
    HandlerFixture fixture;
    auto alice =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    const QJsonObject welcome = only(alice->take());
    QCOMPARE(typeOf(welcome), QStringLiteral("welcome"));
    const QJsonObject data = dataOf(welcome);
    QCOMPARE(data.value(QStringLiteral("session_id")).toString(), alice->id());
    QCOMPARE(data.value(QStringLiteral("server_version")).toString(),
             QStringLiteral(SWITCHBOARD_VERSION));
    QCOMPARE(data.value(QStringLiteral("protocol")).toInt(), 1);
    QCOMPARE(data.value(QStringLiteral("heartbeat_ms")).toInteger(),
             fixture.config.pingInterval.count());
    QVERIFY(alice->topics().isEmpty());
    QCOMPARE(fixture.subscribers.find(alice->id()), &alice->subscriber());
}

void tst_NativeHandlers::subscribeAcksEachTopicsSeq()
{
    HandlerFixture fixture;
    auto alice =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();
    fixture.hub.publish(QStringLiteral("jobs"), QStringLiteral("job_progress"), {});
    fixture.hub.publish(QStringLiteral("jobs"), QStringLiteral("job_progress"), {});

    const QJsonObject ack =
        only(alice->exchange(request(QStringLiteral("subscribe"), QStringLiteral("1"),
                                     topics({QStringLiteral("jobs"), QStringLiteral("trading")}))));
    QCOMPARE(typeOf(ack), QStringLiteral("ack"));
    QCOMPARE(ack.value(QStringLiteral("id")).toString(), QStringLiteral("1"));
    QCOMPARE(dataOf(ack).value(QStringLiteral("seq")).toObject(),
             QJsonObject({{QStringLiteral("jobs"), 2}, {QStringLiteral("trading"), 0}}));
    QVERIFY(alice->isSubscribed(QStringLiteral("jobs")));
    QVERIFY(alice->isSubscribed(QStringLiteral("trading")));

    const QJsonObject data{{QStringLiteral("job_id"), QStringLiteral("j")}};
    QCOMPARE(
        fixture.hub.publish(QStringLiteral("jobs"), QStringLiteral("job_progress"), data).delivered,
        1);
    const QJsonObject event = only(alice->take());
    QCOMPARE(typeOf(event), QStringLiteral("event"));
    QCOMPARE(event.value(QStringLiteral("topic")).toString(), QStringLiteral("jobs"));
    QCOMPARE(event.value(QStringLiteral("seq")).toInt(), 3);
    QCOMPARE(dataOf(event), data);
}

// SPEC §3: a client back with `since` gets every later event, in order, after the ack.
void tst_NativeHandlers::subscribeSinceReplaysMissedEvents()
{
    HandlerFixture fixture;
    for (int i = 1; i <= 5; ++i)
        fixture.hub.publish(QStringLiteral("jobs"), QStringLiteral("job_progress"),
                            {{QStringLiteral("n"), i}});
    auto alice =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();
    QJsonObject data = topics({QStringLiteral("jobs")});
    data.insert(QStringLiteral("since"), QJsonObject{{QStringLiteral("jobs"), 2}});
    const QList<QJsonObject> replies =
        alice->exchange(request(QStringLiteral("subscribe"), QStringLiteral("r"), data));
    QCOMPARE(replies.size(), 4);
    QCOMPARE(typeOf(replies[0]), QStringLiteral("ack"));
    QCOMPARE(seqsOfEvents(replies), (QList<int>{3, 4, 5}));
    QCOMPARE(dataOf(replies[3]).value(QStringLiteral("n")).toInt(), 5);
}

void tst_NativeHandlers::subscribeBeyondHistorySendsResync()
{
    HubConfig config = testConfig();
    config.historyLimit = 2;
    HandlerFixture fixture(config);
    for (int i = 1; i <= 5; ++i)
        fixture.hub.publish(QStringLiteral("jobs"), QStringLiteral("job_progress"), {});
    auto alice =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();
    QJsonObject data = topics({QStringLiteral("jobs")});
    data.insert(QStringLiteral("since"), QJsonObject{{QStringLiteral("jobs"), 1}});
    const QList<QJsonObject> replies =
        alice->exchange(request(QStringLiteral("subscribe"), QStringLiteral("r"), data));
    QCOMPARE(replies.size(), 2);
    QCOMPARE(typeOf(replies[0]), QStringLiteral("ack"));
    QCOMPARE(typeOf(replies[1]), QStringLiteral("resync"));
    QCOMPARE(dataOf(replies[1]).value(QStringLiteral("topic")).toString(), QStringLiteral("jobs"));
    // Still subscribed: what comes next arrives.
    fixture.hub.publish(QStringLiteral("jobs"), QStringLiteral("job_progress"), {});
    QCOMPARE(seqsOfEvents(alice->take()), QList<int>{6});
}

// A topic the user may not read refuses the whole request: nothing is subscribed.
void tst_NativeHandlers::subscribeIsAllOrNothing()
{
    HandlerFixture fixture;
    auto alice =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();
    const QJsonObject denied = only(
        alice->exchange(request(QStringLiteral("subscribe"), QStringLiteral("d"),
                                topics({QStringLiteral("jobs"), QStringLiteral("user:bob")}))));
    QCOMPARE(typeOf(denied), QStringLiteral("error"));
    QCOMPARE(codeOf(denied), QStringLiteral("PERMISSION_DENIED"));
    QCOMPARE(denied.value(QStringLiteral("id")).toString(), QStringLiteral("d"));
    QVERIFY(alice->topics().isEmpty());
    // Her own user topic is hers.
    QCOMPARE(typeOf(only(alice->exchange(request(QStringLiteral("subscribe"), QStringLiteral("o"),
                                                 topics({QStringLiteral("user:alice")}))))),
             QStringLiteral("ack"));
}

void tst_NativeHandlers::subscribeNamesTheBadField()
{
    HandlerFixture fixture;
    auto alice =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();
    const auto refusal = [&alice](const QJsonObject& data) -> QString {
        const QJsonObject error =
            only(alice->exchange(request(QStringLiteral("subscribe"), QStringLiteral("x"), data)));
        return codeOf(error) + u' ' + error.value(QStringLiteral("error")).toString();
    };
    QVERIFY(refusal({}).startsWith(QStringLiteral("INVALID_MESSAGE data.topics")));
    QVERIFY(refusal(topics({QStringLiteral("has space")}))
                .startsWith(QStringLiteral("INVALID_MESSAGE data.topics")));
    QJsonObject negative = topics({QStringLiteral("jobs")});
    negative.insert(QStringLiteral("since"), QJsonObject{{QStringLiteral("jobs"), -1}});
    QVERIFY(refusal(negative).startsWith(QStringLiteral("INVALID_MESSAGE data.since.jobs")));
    QVERIFY(alice->topics().isEmpty());
}

void tst_NativeHandlers::unsubscribeStopsDelivery()
{
    HandlerFixture fixture;
    auto alice =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    alice->send(request(QStringLiteral("subscribe"), QStringLiteral("1"),
                        topics({QStringLiteral("jobs"), QStringLiteral("logs")})));
    alice->clear();
    const QJsonObject ack = only(alice->exchange(request(
        QStringLiteral("unsubscribe"), QStringLiteral("2"), topics({QStringLiteral("jobs")}))));
    QCOMPARE(typeOf(ack), QStringLiteral("ack"));
    QCOMPARE(dataOf(ack).value(QStringLiteral("topics")).toArray(),
             QJsonArray{QStringLiteral("jobs")});
    QCOMPARE(alice->topics(), QStringList{QStringLiteral("logs")});
    QCOMPARE(fixture.hub.publish(QStringLiteral("jobs"), QStringLiteral("e"), {}).delivered, 0);
    QVERIFY(alice->take().isEmpty());
}

void tst_NativeHandlers::publishNeedsThePublishRight()
{
    HandlerFixture fixture;
    auto reader =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    reader->send(request(QStringLiteral("subscribe"), QStringLiteral("s"),
                         topics({QStringLiteral("trading")})));
    reader->clear();
    const QJsonObject publish{{QStringLiteral("topic"), QStringLiteral("trading")},
                              {QStringLiteral("event"), QStringLiteral("equity_update")},
                              {QStringLiteral("data"), QJsonObject{{QStringLiteral("total"), 1}}}};

    const QJsonObject denied =
        only(reader->exchange(request(QStringLiteral("publish"), QStringLiteral("p"), publish)));
    QCOMPARE(codeOf(denied), QStringLiteral("PERMISSION_DENIED"));

    auto anonymous = fixture.connect(QStringLiteral("/ws/v1"));
    anonymous->clear();
    QCOMPARE(codeOf(only(anonymous->exchange(
                 request(QStringLiteral("publish"), QStringLiteral("p"), publish)))),
             QStringLiteral("AUTHENTICATION_FAILED"));

    auto service = fixture.connect(QStringLiteral("/ws/v1"),
                                   HandlerFixture::user(QStringLiteral("svc"), Role::Service));
    service->clear();
    const QJsonObject ack =
        only(service->exchange(request(QStringLiteral("publish"), QStringLiteral("p"), publish)));
    QCOMPARE(typeOf(ack), QStringLiteral("ack"));
    QCOMPARE(dataOf(ack),
             QJsonObject({{QStringLiteral("seq"), 1}, {QStringLiteral("delivered"), 1}}));
    const QJsonObject event = only(reader->take());
    QCOMPARE(event.value(QStringLiteral("event")).toString(), QStringLiteral("equity_update"));
    QCOMPARE(dataOf(event), QJsonObject({{QStringLiteral("total"), 1}}));
}

// A publisher's compact `data` reaches native subscribers byte for byte (its key order too,
// live and from history); written with spaces, it goes out compacted; every other reader
// (REST, other dialects) still sees the same object.
void tst_NativeHandlers::publishedDataGoesOnAsWritten()
{
    HandlerFixture fixture;
    const auto [reader, service] = readerAndPublisher(fixture);

    const QByteArray asWritten = R"({"zeta":1,"alpha":"x y","nested":{"b":[1,2.50],"a":"}\""}})";
    service->sendText(R"({"type":"publish","id":"p","data":{"topic":"trading",)"
                      R"("event":"equity_update","data":)" +
                      asWritten + "}}");
    QCOMPARE(typeOf(only(service->take())), QStringLiteral("ack"));
    QCOMPARE(reader->texts().size(), 1);
    QVERIFY2(reader->texts().first().endsWith(QByteArray(R"(,"data":)" + asWritten + '}')),
             reader->texts().first().constData());
    const QJsonObject expected = QJsonDocument::fromJson(asWritten).object();
    QCOMPARE(dataOf(only(reader->take())), expected);

    service->sendText(R"({"type":"publish","id":"q","data":{"topic":"trading",)"
                      R"("event":"equity_update","data":{"zeta": 1, "alpha": [ 2 ]}}})");
    QCOMPARE(reader->texts().size(), 1);
    QVERIFY2(reader->texts().first().endsWith(R"(,"data":{"alpha":[2],"zeta":1}})"),
             reader->texts().first().constData());
    reader->clear();
    // No data, or null: an empty object, as before.
    service->sendText(R"({"type":"publish","id":"r","data":{"topic":"trading",)"
                      R"("event":"equity_update","data":null}})");
    QCOMPARE(reader->texts().size(), 1);
    QVERIFY2(reader->texts().first().endsWith(R"(,"data":{}})"),
             reader->texts().first().constData());
    reader->clear();

    auto late =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("bob")));
    late->clear();
    late->send(request(QStringLiteral("subscribe"), QStringLiteral("s"),
                       {{QStringLiteral("topics"), QJsonArray{QStringLiteral("trading")}},
                        {QStringLiteral("since"), QJsonObject{{QStringLiteral("trading"), 0}}}}));
    const QList<QByteArray> replayed = late->texts();
    QVERIFY(std::any_of(replayed.begin(), replayed.end(), [&](const QByteArray& text) {
        return text.endsWith(QByteArray(R"(,"data":)" + asWritten + '}'));
    }));
    const Hub::Replay history = fixture.hub.eventsAfter(QStringLiteral("trading"), 0);
    QCOMPARE(history.events.size(), 3);
    QCOMPARE(history.events.front()->data.object(), expected);
}

// The dialect reads a well-formed publish without building its data (ClientMessage::Publication)
// and leaves everything else to the general path: either way a publish is refused with the same
// words, and an escaped topic name is the name it spells.
void tst_NativeHandlers::publishErrorsAreWordedTheSameHoweverWritten()
{
    HandlerFixture fixture;
    const auto [reader, service] = readerAndPublisher(fixture);
    const auto refusal = [&service](const QByteArray& fields, const QByteArray& id) -> QString {
        service->sendText(R"({"type":"publish","id":)" + id + R"(,"data":{)" + fields + "}}");
        const QJsonObject reply = only(service->take());
        return codeOf(reply) + u' ' + reply.value(QStringLiteral("error")).toString();
    };
    // Each case twice: with a text id (read by the dialect, as far as it can) and with a numeric
    // one (read by the general path).
    const QByteArray longTopic = '"' + QByteArray(201, 't') + '"';
    const QByteArray longEvent = '"' + QByteArray(101, 'e') + '"';
    const QList<std::pair<QByteArray, QString>> cases{
        {R"("topic":)" + longTopic + R"(,"event":"e")",
         QStringLiteral("INVALID_MESSAGE data.topic must be at most 200 characters")},
        {R"("topic":"trading","event":)" + longEvent,
         QStringLiteral("INVALID_MESSAGE data.event must be at most 100 characters")},
        {R"("topic":"","event":"e")",
         QStringLiteral("INVALID_MESSAGE data.topic must be a non-empty string")},
        {R"("topic":"trading","event":"")",
         QStringLiteral("INVALID_MESSAGE data.event must be a non-empty string")},
        {R"("event":"e")", QStringLiteral("INVALID_MESSAGE data.topic is required")},
        {R"("topic":7,"event":"e")",
         QStringLiteral("INVALID_MESSAGE data.topic must be a non-empty string")},
        {R"("topic":"trading","event":"e","data":[1])",
         QStringLiteral("INVALID_MESSAGE data.data must be an object")},
        {R"("topic":"no spaces allowed","event":"e")",
         QStringLiteral(R"(INVALID_MESSAGE data.topic: "no spaces allowed" is not a valid )"
                        R"(topic name)")},
    };
    for (const auto& [fields, expected] : cases) {
        QCOMPARE(refusal(fields, R"("p")"), expected);
        QCOMPARE(refusal(fields, "7"), expected);
    }
    QVERIFY(reader->take().isEmpty());

    service->sendText(R"({"type":"publish","id":"p","data":{"topic":"tr\u0061ding",)"
                      R"("event":"\u00e9v","data":{"n":1}}})");
    QCOMPARE(typeOf(only(service->take())), QStringLiteral("ack"));
    const QJsonObject event = only(reader->take());
    QCOMPARE(event.value(QStringLiteral("topic")).toString(), QStringLiteral("trading"));
    QCOMPARE(event.value(QStringLiteral("event")).toString(), QStringLiteral("\u00e9v"));
    QCOMPARE(dataOf(event), QJsonObject({{QStringLiteral("n"), 1}}));
}

void tst_NativeHandlers::roomsAnnounceJoinsAndLeaves()
{
    HandlerFixture fixture;
    auto alice =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    auto bob =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("bob")));
    const QJsonObject room{{QStringLiteral("room"), QStringLiteral("design")}};
    alice->send(request(QStringLiteral("join_room"), QStringLiteral("1"), room));
    alice->clear();
    bob->clear();

    const QList<QJsonObject> joined =
        bob->exchange(request(QStringLiteral("join_room"), QStringLiteral("2"), room));
    QCOMPARE(typeOf(joined.first()), QStringLiteral("ack"));
    QCOMPARE(dataOf(joined.first()).value(QStringLiteral("room")).toString(),
             QStringLiteral("design"));
    QCOMPARE(dataOf(joined.first()).value(QStringLiteral("seq")).toInt(), 1); // alice's join
    const QJsonObject arrival = only(alice->take());
    QCOMPARE(arrival.value(QStringLiteral("topic")).toString(), QStringLiteral("room:design"));
    QCOMPARE(arrival.value(QStringLiteral("event")).toString(), QStringLiteral("presence"));
    QCOMPARE(dataOf(arrival).value(QStringLiteral("action")).toString(), QStringLiteral("join"));
    QCOMPARE(dataOf(arrival).value(QStringLiteral("user")).toString(), QStringLiteral("bob"));
    QCOMPARE(dataOf(arrival).value(QStringLiteral("session_id")).toString(), bob->id());
    QCOMPARE(dataOf(arrival).value(QStringLiteral("status")).toString(), QStringLiteral("online"));

    bob->clear();
    QCOMPARE(typeOf(only(
                 bob->exchange(request(QStringLiteral("leave_room"), QStringLiteral("3"), room)))),
             QStringLiteral("ack"));
    const QJsonObject departure = only(alice->take());
    QCOMPARE(dataOf(departure).value(QStringLiteral("action")).toString(), QStringLiteral("leave"));
    QCOMPARE(dataOf(departure).value(QStringLiteral("status")).toString(),
             QStringLiteral("offline"));
    QCOMPARE(codeOf(only(
                 bob->exchange(request(QStringLiteral("leave_room"), QStringLiteral("4"), room)))),
             QStringLiteral("ROOM_NOT_FOUND"));
    QCOMPARE(
        codeOf(only(bob->exchange(request(QStringLiteral("join_room"), QStringLiteral("5"),
                                          {{QStringLiteral("room"), QStringLiteral("a b")}})))),
        QStringLiteral("INVALID_MESSAGE"));
}

void tst_NativeHandlers::presenceGoesToEveryJoinedRoom()
{
    HandlerFixture fixture;
    auto alice =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    auto bob =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("bob")));
    const QJsonObject status{{QStringLiteral("status"), QStringLiteral("away")},
                             {QStringLiteral("cursor"), QJsonObject{{QStringLiteral("x"), 3}}}};
    alice->clear();
    QCOMPARE(codeOf(only(alice->exchange(
                 request(QStringLiteral("presence"), QStringLiteral("0"), status)))),
             QStringLiteral("ROOM_NOT_FOUND"));

    for (const char* room : {"one", "two"}) {
        alice->send(request(QStringLiteral("join_room"), QStringLiteral("j"),
                            {{QStringLiteral("room"), QLatin1String(room)}}));
        bob->send(request(QStringLiteral("join_room"), QStringLiteral("j"),
                          {{QStringLiteral("room"), QLatin1String(room)}}));
    }
    alice->clear();
    bob->clear();
    // The ack, then her own update in each room: she is a member too.
    const QList<QJsonObject> replies =
        alice->exchange(request(QStringLiteral("presence"), QStringLiteral("1"), status));
    QCOMPARE(replies.size(), 3);
    QCOMPARE(typeOf(replies.first()), QStringLiteral("ack"));
    QCOMPARE(dataOf(replies.first()).value(QStringLiteral("rooms")).toArray(),
             (QJsonArray{QStringLiteral("one"), QStringLiteral("two")}));
    const QList<QJsonObject> updates = bob->take();
    QCOMPARE(updates.size(), 2);
    for (const QJsonObject& update : updates) {
        QCOMPARE(dataOf(update).value(QStringLiteral("action")).toString(),
                 QStringLiteral("update"));
        QCOMPARE(dataOf(update).value(QStringLiteral("status")).toString(), QStringLiteral("away"));
        QCOMPARE(dataOf(update).value(QStringLiteral("cursor")).toObject(),
                 QJsonObject({{QStringLiteral("x"), 3}}));
    }
}

// The `closed` hook: a member that goes away leaves its rooms as leave_room does.
void tst_NativeHandlers::aClosingMemberLeavesItsRooms()
{
    HandlerFixture fixture;
    auto alice =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    auto bob =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("bob")));
    const QJsonObject room{{QStringLiteral("room"), QStringLiteral("design")}};
    alice->send(request(QStringLiteral("join_room"), QStringLiteral("1"), room));
    bob->send(request(QStringLiteral("join_room"), QStringLiteral("2"), room));
    bob->send(request(QStringLiteral("subscribe"), QStringLiteral("3"),
                      topics({QStringLiteral("jobs")})));
    alice->clear();

    bob->disconnect();
    const QJsonObject left = only(alice->take());
    QCOMPARE(dataOf(left).value(QStringLiteral("action")).toString(), QStringLiteral("leave"));
    QCOMPARE(dataOf(left).value(QStringLiteral("user")).toString(), QStringLiteral("bob"));
    QCOMPARE(dataOf(left).value(QStringLiteral("status")).toString(), QStringLiteral("offline"));
    QVERIFY(bob->topics().isEmpty());
    QCOMPARE(fixture.hub.subscriberCount(QStringLiteral("room:design")), 1);
    QCOMPARE(fixture.hub.subscriberCount(QStringLiteral("jobs")), 0);
    QCOMPARE(fixture.subscribers.find(bob->id()), nullptr);
}

void tst_NativeHandlers::jobsListFiltersByStatus()
{
    HandlerFixture fixture;
    const Identity service = HandlerFixture::user(QStringLiteral("svc"), Role::Service);
    const JobAnswer running = fixture.backend.jobs().createExternal(
        QStringLiteral("rc_analysis"), QStringLiteral("Held"), {}, service);
    QVERIFY(running.ok());
    auto alice =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();

    const QJsonArray all =
        dataOf(only(alice->exchange(request(QStringLiteral("jobs_list"), QStringLiteral("1")))))
            .value(QStringLiteral("jobs"))
            .toArray();
    QCOMPARE(all.size(), 1);
    QCOMPARE(all[0].toObject().value(QStringLiteral("job_id")).toString(), running.job->id);
    QCOMPARE(all[0].toObject().value(QStringLiteral("status")).toString(),
             QStringLiteral("running"));
    QCOMPARE(dataOf(only(alice->exchange(
                        request(QStringLiteral("jobs_list"), QStringLiteral("2"),
                                {{QStringLiteral("status"), QStringLiteral("queued")}}))))
                 .value(QStringLiteral("jobs"))
                 .toArray()
                 .size(),
             0);
    QCOMPARE(codeOf(only(
                 alice->exchange(request(QStringLiteral("jobs_list"), QStringLiteral("3"),
                                         {{QStringLiteral("status"), QStringLiteral("asleep")}})))),
             QStringLiteral("INVALID_MESSAGE"));
}

void tst_NativeHandlers::jobsAreSubmittedAndCancelled()
{
    HandlerFixture fixture;
    auto alice =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();
    QCOMPARE(codeOf(only(
                 alice->exchange(request(QStringLiteral("job_submit"), QStringLiteral("1"),
                                         {{QStringLiteral("job_type"), QStringLiteral("nap")}})))),
             QStringLiteral("INVALID_MESSAGE"));
    QCOMPARE(codeOf(only(
                 alice->exchange(request(QStringLiteral("job_cancel"), QStringLiteral("2"),
                                         {{QStringLiteral("job_id"), QStringLiteral("nope")}})))),
             QStringLiteral("NOT_FOUND"));

    // Someone else's job is not hers to cancel; her own, held by its service, ends at once.
    const JobAnswer bobs =
        fixture.backend.jobs().createExternal(QStringLiteral("matching"), QStringLiteral("Bob's"),
                                              {}, HandlerFixture::user(QStringLiteral("bob")));
    const JobAnswer hers =
        fixture.backend.jobs().createExternal(QStringLiteral("matching"), QStringLiteral("Hers"),
                                              {}, HandlerFixture::user(QStringLiteral("alice")));
    QVERIFY(bobs.ok() && hers.ok());
    QCOMPARE(codeOf(only(alice->exchange(request(QStringLiteral("job_cancel"), QStringLiteral("3"),
                                                 {{QStringLiteral("job_id"), bobs.job->id}})))),
             QStringLiteral("PERMISSION_DENIED"));
    const QJsonObject cancelled =
        only(alice->exchange(request(QStringLiteral("job_cancel"), QStringLiteral("4"),
                                     {{QStringLiteral("job_id"), hers.job->id}})));
    QCOMPARE(typeOf(cancelled), QStringLiteral("ack"));
    QCOMPARE(dataOf(cancelled)
                 .value(QStringLiteral("job"))
                 .toObject()
                 .value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("cancelled"));
}

void tst_NativeHandlers::authMessageChangesWhoTheConnectionIs()
{
    HandlerFixture fixture;
    auto client = fixture.connect(QStringLiteral("/ws/v1"));
    client->clear();
    QCOMPARE(codeOf(only(client->exchange(request(QStringLiteral("subscribe"), QStringLiteral("1"),
                                                  topics({QStringLiteral("user:alice")}))))),
             QStringLiteral("PERMISSION_DENIED"));

    const QJsonObject refused =
        only(client->exchange(request(QStringLiteral("auth"), QStringLiteral("2"),
                                      {{QStringLiteral("token"), QStringLiteral("not.a.token")}})));
    QCOMPARE(codeOf(refused), QStringLiteral("AUTHENTICATION_FAILED"));
    QVERIFY(client->closes().isEmpty()); // the native protocol keeps the connection open
    QVERIFY(!client->subscriber().identity().isAuthenticated());

    const Identity alice =
        HandlerFixture::user(QStringLiteral("alice"), Role::User, QStringLiteral("acme"));
    const QJsonObject ack = only(client->exchange(
        request(QStringLiteral("auth"), QStringLiteral("3"),
                {{QStringLiteral("token"), QString::fromUtf8(fixture.token(alice))}})));
    QCOMPARE(dataOf(ack), QJsonObject({{QStringLiteral("user"), QStringLiteral("alice")},
                                       {QStringLiteral("role"), QStringLiteral("user")},
                                       {QStringLiteral("tenant"), QStringLiteral("acme")}}));
    QCOMPARE(client->subscriber().identity().subject, QStringLiteral("alice"));
    QCOMPARE(typeOf(only(client->exchange(request(QStringLiteral("subscribe"), QStringLiteral("4"),
                                                  topics({QStringLiteral("user:alice")}))))),
             QStringLiteral("ack"));

    // Signing in as someone else keeps only what the new identity may read.
    const QJsonObject asBob = only(client->exchange(request(
        QStringLiteral("auth"), QStringLiteral("5"),
        {{QStringLiteral("token"),
          QString::fromUtf8(fixture.token(HandlerFixture::user(QStringLiteral("bob"))))}})));
    QCOMPARE(typeOf(asBob), QStringLiteral("ack"));
    QVERIFY(!client->isSubscribed(QStringLiteral("user:alice")));
}

void tst_NativeHandlers::pingIsAnsweredWithItsId()
{
    HandlerFixture fixture;
    auto client = fixture.connect(QStringLiteral("/ws/v1"));
    client->clear();
    QCOMPARE(only(client->exchange(request(QStringLiteral("ping"), QStringLiteral("42")))),
             QJsonObject({{QStringLiteral("type"), QStringLiteral("pong")},
                          {QStringLiteral("id"), QStringLiteral("42")}}));
    QCOMPARE(only(client->exchange({{QStringLiteral("type"), QStringLiteral("ping")}})),
             QJsonObject({{QStringLiteral("type"), QStringLiteral("pong")}}));
}

QTEST_GUILESS_MAIN(tst_NativeHandlers)
#include "tst_native_handlers.moc"
