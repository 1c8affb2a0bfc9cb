// The hub without a socket (docs/architecture.md, "The seam"): sequence numbers per topic,
// bounded history and resume, fan-out encoded once per encoder and shared by every subscriber
// of it, `except`, subscriptions, and taps. Subscribers are MemorySubscribers; nothing here
// needs an event loop.

#include "MemorySubscriber.h"
#include "TaggedEncoder.h"
#include "hub/Topic.h"
#include "wire/WebSocketFrame.h"

#include <QJsonArray>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

QJsonObject number(int n)
{
    return {{QStringLiteral("n"), n}};
}

QList<quint64> seqsOf(const std::vector<EventPtr>& events)
{
    QList<quint64> seqs;
    for (const EventPtr& event : events)
        seqs.append(event->seq);
    return seqs;
}

EventPtr eventAt(Topic& topic, const QString& name, qint64 timestampMs)
{
    auto event = std::make_shared<Event>();
    event->topic = topic.name();
    event->seq = topic.nextSeq();
    event->name = name;
    event->timestampMs = timestampMs;
    return event;
}

} // namespace

class tst_Hub : public QObject {
    Q_OBJECT

private slots:
    void eventDataMakesEachFormFromTheOther();
    void sequenceIsGapFreePerTopic();
    void subscribeReturnsTheCurrentSeq();
    void historyKeepsTheLastEventsByCount();
    void historyForgetsEventsByAge();
    void eventsAfterReplaysInOrder();
    void eventsAfterAnUnknownTopic();
    void fanOutEncodesOncePerEncoderGroup();
    void oneFrameIsSharedByTheGroup();
    void anEncoderWithoutTheEventSkipsItsGroup();
    void exceptLeavesOutTheSender();
    void subscribingTwiceIsOneSubscription();
    void unsubscribeStopsDelivery();
    void unsubscribeAllDropsEveryTopic();
    void countsTopicsAndActiveRooms();
    void tapsSeeExactTopics();
    void tapsSeePrefixes();
    void aTapMayPublishElsewhere();
    void aTapCanBeRemoved();
    void deliveriesAreTimedForTheWriter();
};

// Text goes out as it came and is parsed once, when first asked for; an object is written
// compactly.
void tst_Hub::eventDataMakesEachFormFromTheOther()
{
    const QByteArray text = R"({"b":1.50,"a":[2]})";
    const EventData fromText = EventData::fromCompactJson(text);
    QCOMPARE(fromText.json(), text);
    const QJsonObject& parsed = fromText.object();
    QCOMPARE(parsed,
             QJsonObject({{QStringLiteral("a"), QJsonArray{2}}, {QStringLiteral("b"), 1.5}}));
    QCOMPARE(&fromText.object(), &parsed); // kept, not parsed again
    QCOMPARE(fromText.json(), text);

    const EventData fromObject = parsed;
    QCOMPARE(fromObject.json(), QByteArray(R"({"a":[2],"b":1.5})"));
    QCOMPARE(fromObject.object(), parsed);
    QCOMPARE(EventData().json(), QByteArray("{}"));
}

void tst_Hub::sequenceIsGapFreePerTopic()
{
    MemoryHub memory;
    Hub& hub = memory.hub;
    QCOMPARE(hub.publish(QStringLiteral("a"), QStringLiteral("e"), number(1)).seq, 1u);
    QCOMPARE(hub.publish(QStringLiteral("a"), QStringLiteral("e"), number(2)).seq, 2u);
    QCOMPARE(hub.publish(QStringLiteral("b"), QStringLiteral("e"), number(1)).seq, 1u);
    QCOMPARE(hub.publish(QStringLiteral("a"), QStringLiteral("e"), number(3)).seq, 3u);
    QCOMPARE(hub.currentSeq(QStringLiteral("a")), 3u);
    QCOMPARE(hub.currentSeq(QStringLiteral("b")), 1u);
    QCOMPARE(hub.currentSeq(QStringLiteral("never")), 0u);
    QCOMPARE(memory.metrics.published, 4u);
    // Nobody listened: nothing delivered, nothing encoded, nothing queued for writing.
    QCOMPARE(hub.publish(QStringLiteral("a"), QStringLiteral("e"), {}).delivered, 0);
    QCOMPARE(memory.metrics.eventEncodings, 0u);
    QCOMPARE(memory.wakes, 0);
}

void tst_Hub::subscribeReturnsTheCurrentSeq()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("a"));
    auto alice = memory.subscriber(QStringLiteral("alice"), encoder);
    QCOMPARE(memory.hub.subscribe(alice->subscriber(), QStringLiteral("jobs")), 0u);
    memory.hub.publish(QStringLiteral("jobs"), QStringLiteral("job_progress"), number(1));
    memory.hub.publish(QStringLiteral("jobs"), QStringLiteral("job_progress"), number(2));
    auto bob = memory.subscriber(QStringLiteral("bob"), encoder);
    QCOMPARE(memory.hub.subscribe(bob->subscriber(), QStringLiteral("jobs")), 2u);
    // Already subscribed: the same answer, no second subscription.
    QCOMPARE(memory.hub.subscribe(alice->subscriber(), QStringLiteral("jobs")), 2u);
    QCOMPARE(memory.hub.subscriberCount(QStringLiteral("jobs")), 2);
}

void tst_Hub::historyKeepsTheLastEventsByCount()
{
    MemoryHub memory(Hub::Limits{3, std::chrono::minutes(5)});
    Hub& hub = memory.hub;
    for (int i = 1; i <= 5; ++i)
        hub.publish(QStringLiteral("t"), QStringLiteral("e"), number(i));

    Hub::Replay replay = hub.eventsAfter(QStringLiteral("t"), 2);
    QVERIFY(replay.complete);
    QCOMPARE(seqsOf(replay.events), (QList<quint64>{3, 4, 5}));
    // Seq 2 is gone: a client that saw only 1 must resync; what is left is still given.
    replay = hub.eventsAfter(QStringLiteral("t"), 1);
    QVERIFY(!replay.complete);
    QCOMPARE(seqsOf(replay.events), (QList<quint64>{3, 4, 5}));
    replay = hub.eventsAfter(QStringLiteral("t"), 0);
    QVERIFY(!replay.complete);
    // Up to date: nothing to replay, nothing lost.
    replay = hub.eventsAfter(QStringLiteral("t"), 5);
    QVERIFY(replay.complete);
    QVERIFY(replay.events.empty());
    // Ahead of the topic: the reader saw another numbering (a restart, a lost Redis history),
    // so what it missed of this one is unknown and it must resync.
    replay = hub.eventsAfter(QStringLiteral("t"), 9);
    QVERIFY(!replay.complete);
    QVERIFY(replay.events.empty());
}

// Age is measured against each publish's own clock, so the topic is driven directly with
// chosen timestamps.
void tst_Hub::historyForgetsEventsByAge()
{
    Topic topic(QStringLiteral("t"));
    const std::chrono::milliseconds maxAge(1500);
    for (qint64 at : {1000, 2000, 3000})
        topic.appendHistory(eventAt(topic, QStringLiteral("e"), at), 1000, maxAge, at);
    // At 3000 the event of 1000 is older than 1.5 s; 2000's is not.
    bool complete = false;
    QCOMPARE(seqsOf(topic.eventsAfter(1, &complete)), (QList<quint64>{2, 3}));
    QVERIFY(complete);
    QCOMPARE(seqsOf(topic.eventsAfter(0, &complete)), (QList<quint64>{2, 3}));
    QVERIFY(!complete);

    // Much later, only the newest event is kept: it is never older than itself.
    topic.appendHistory(eventAt(topic, QStringLiteral("e"), 60000), 1000, maxAge, 60000);
    QCOMPARE(seqsOf(topic.eventsAfter(3, &complete)), QList<quint64>{4});
    QVERIFY(complete);
    QCOMPARE(seqsOf(topic.eventsAfter(2, &complete)), QList<quint64>{4});
    QVERIFY(!complete);
}

void tst_Hub::eventsAfterReplaysInOrder()
{
    MemoryHub memory;
    Hub& hub = memory.hub;
    hub.publish(QStringLiteral("t"), QStringLiteral("first"), number(1));
    hub.publish(QStringLiteral("other"), QStringLiteral("elsewhere"), number(9));
    hub.publish(QStringLiteral("t"), QStringLiteral("second"), number(2));
    hub.publish(QStringLiteral("t"), QStringLiteral("third"), number(3));

    const Hub::Replay replay = hub.eventsAfter(QStringLiteral("t"), 1);
    QVERIFY(replay.complete);
    QCOMPARE(replay.events.size(), 2u);
    QCOMPARE(replay.events[0]->name, QStringLiteral("second"));
    QCOMPARE(replay.events[0]->data.object(), number(2));
    QCOMPARE(replay.events[0]->topic, QStringLiteral("t"));
    QCOMPARE(replay.events[1]->name, QStringLiteral("third"));
    QCOMPARE(replay.events[1]->seq, 3u);
    QVERIFY(replay.events[1]->timestampMs >= replay.events[0]->timestampMs);
}

void tst_Hub::eventsAfterAnUnknownTopic()
{
    MemoryHub memory;
    // Nothing was ever published: a client that saw nothing missed nothing; one that saw
    // seq 3 of it knew a history this hub does not have (a restart), and must resync.
    QVERIFY(memory.hub.eventsAfter(QStringLiteral("new"), 0).complete);
    QVERIFY(!memory.hub.eventsAfter(QStringLiteral("new"), 3).complete);
}

void tst_Hub::fanOutEncodesOncePerEncoderGroup()
{
    MemoryHub memory;
    const TaggedEncoder native(QStringLiteral("native"));
    const TaggedEncoder assist(QStringLiteral("assist"));
    std::vector<std::unique_ptr<MemorySubscriber>> subscribers;
    for (int i = 0; i < 5; ++i) {
        subscribers.push_back(
            memory.subscriber(QStringLiteral("s%1").arg(i), i < 3 ? native : assist));
        memory.hub.subscribe(subscribers.back()->subscriber(), QStringLiteral("jobs"));
    }

    const Hub::PublishResult result =
        memory.hub.publish(QStringLiteral("jobs"), QStringLiteral("job_progress"), number(45));
    QCOMPARE(result.delivered, 5);
    QCOMPARE(native.calls(), 1);
    QCOMPARE(assist.calls(), 1);
    QCOMPARE(memory.metrics.eventEncodings, 2u);
    for (int i = 0; i < 5; ++i) {
        const QList<QJsonObject> received = subscribers[i]->messages();
        QCOMPARE(received.size(), 1);
        QCOMPARE(received[0].value(QStringLiteral("encoder")).toString(),
                 i < 3 ? QStringLiteral("native") : QStringLiteral("assist"));
        QCOMPARE(received[0].value(QStringLiteral("seq")).toInt(), 1);
        QCOMPARE(received[0].value(QStringLiteral("data")).toObject(), number(45));
        QCOMPARE(subscribers[i]->subscriber().counters().messagesOut, 1u);
    }
    QCOMPARE(memory.metrics.messagesOut, 5u);

    // The write pass holds those two frames, and every outbox points at its group's: no frame,
    // nor a reference to one, per subscriber.
    const WriteQueue::Pass pass = memory.writeQueue.take();
    QCOMPARE(pass.frames.size(), 2u);
    const auto frameOf = [&](int i) {
        return &subscribers[i]->subscriber().outbox().frames.at(0).bytes();
    };
    QVERIFY(frameOf(0) == &pass.frames[0] || frameOf(0) == &pass.frames[1]);
    QVERIFY(frameOf(3) == &pass.frames[0] || frameOf(3) == &pass.frames[1]);
    QVERIFY(frameOf(0) != frameOf(3));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(frameOf(i), frameOf(i < 3 ? 0 : 3));
}

// One encoded frame per group, handed to every subscriber of it without a copy.
void tst_Hub::oneFrameIsSharedByTheGroup()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    auto alice = memory.subscriber(QStringLiteral("alice"), encoder);
    auto bob = memory.subscriber(QStringLiteral("bob"), encoder);
    memory.hub.subscribe(alice->subscriber(), QStringLiteral("t"));
    memory.hub.subscribe(bob->subscriber(), QStringLiteral("t"));
    memory.hub.publish(QStringLiteral("t"), QStringLiteral("e"), number(1));

    const auto& aliceFrames = alice->subscriber().outbox().frames;
    const auto& bobFrames = bob->subscriber().outbox().frames;
    QCOMPARE(aliceFrames.size(), 1u);
    QCOMPARE(bobFrames.size(), 1u);
    QCOMPARE(aliceFrames[0].bytes().constData(), bobFrames[0].bytes().constData());
    // It is the encoder's text in one final text frame.
    const Event event{QStringLiteral("t"), 1, QStringLiteral("e"), 0, 0, number(1), {}};
    QCOMPARE(serverFrames(aliceFrames[0].bytes()).size(), 1);
    QCOMPARE(serverFrames(aliceFrames[0].bytes())[0].opcode, WebSocketFrame::Opcode::Text);
    QCOMPARE(QJsonDocument::fromJson(serverFrames(aliceFrames[0].bytes())[0].payload).object(),
             QJsonDocument::fromJson(encoder.encodeEvent(event)).object());
    QCOMPARE(alice->subscriber().outbox().bytes, qint64(aliceFrames[0].bytes().size()));
}

void tst_Hub::anEncoderWithoutTheEventSkipsItsGroup()
{
    MemoryHub memory;
    const TaggedEncoder native(QStringLiteral("native"));
    const TaggedEncoder calculations(QStringLiteral("000"), {QStringLiteral("job_queued")});
    auto a = memory.subscriber(QStringLiteral("a"), native);
    auto b = memory.subscriber(QStringLiteral("b"), calculations);
    memory.hub.subscribe(a->subscriber(), QStringLiteral("jobs"));
    memory.hub.subscribe(b->subscriber(), QStringLiteral("jobs"));

    const Hub::PublishResult result =
        memory.hub.publish(QStringLiteral("jobs"), QStringLiteral("job_queued"), number(1));
    QCOMPARE(result.delivered, 1);
    QCOMPARE(memory.metrics.eventEncodings, 2u); // asked, even though it had nothing to say
    QCOMPARE(a->messages().size(), 1);
    QVERIFY(b->messages().isEmpty());
    QVERIFY(!b->subscriber().isQueuedForWriting());
    QCOMPARE(b->subscriber().counters().messagesOut, 0u);
}

void tst_Hub::exceptLeavesOutTheSender()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("004"));
    auto sender = memory.subscriber(QStringLiteral("sender"), encoder);
    auto other = memory.subscriber(QStringLiteral("other"), encoder);
    memory.hub.subscribe(sender->subscriber(), QStringLiteral("room:r"));
    memory.hub.subscribe(other->subscriber(), QStringLiteral("room:r"));

    const Hub::PublishResult result = memory.hub.publish(
        QStringLiteral("room:r"), QStringLiteral("cursor_moved"), number(1), &sender->subscriber());
    QCOMPARE(result.delivered, 1);
    QVERIFY(sender->messages().isEmpty());
    QCOMPARE(other->messages().size(), 1);
    // Still in the topic's history, with its seq.
    QCOMPARE(result.seq, 1u);
    QCOMPARE(memory.hub.eventsAfter(QStringLiteral("room:r"), 0).events.size(), 1u);
}

void tst_Hub::subscribingTwiceIsOneSubscription()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    auto alice = memory.subscriber(QStringLiteral("alice"), encoder);
    memory.hub.subscribe(alice->subscriber(), QStringLiteral("t"));
    memory.hub.subscribe(alice->subscriber(), QStringLiteral("t"));
    QCOMPARE(alice->subscriber().topics(), QStringList{QStringLiteral("t")});
    QCOMPARE(memory.hub.publish(QStringLiteral("t"), QStringLiteral("e"), {}).delivered, 1);
    QCOMPARE(alice->messages().size(), 1);
}

void tst_Hub::unsubscribeStopsDelivery()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    auto alice = memory.subscriber(QStringLiteral("alice"), encoder);
    auto bob = memory.subscriber(QStringLiteral("bob"), encoder);
    Subscriber& subscriber = alice->subscriber();
    for (const char* topic : {"a", "b", "c"})
        memory.hub.subscribe(subscriber, QLatin1String(topic));
    memory.hub.subscribe(bob->subscriber(), QStringLiteral("b"));
    QVERIFY(subscriber.takeChanged());

    memory.hub.unsubscribe(subscriber, QStringLiteral("b"));
    QCOMPARE(subscriber.topics(), (QStringList{QStringLiteral("a"), QStringLiteral("c")}));
    QVERIFY(!subscriber.isSubscribed(QStringLiteral("b")));
    QVERIFY(subscriber.takeChanged());
    QCOMPARE(memory.hub.subscriberCount(QStringLiteral("b")), 1);
    QCOMPARE(memory.hub.publish(QStringLiteral("b"), QStringLiteral("e"), {}).delivered, 1);
    QVERIFY(alice->messages().isEmpty());
    QCOMPARE(bob->messages().size(), 1);

    // Not subscribed (or no such topic): nothing changes.
    memory.hub.unsubscribe(subscriber, QStringLiteral("b"));
    memory.hub.unsubscribe(subscriber, QStringLiteral("nowhere"));
    QVERIFY(!subscriber.takeChanged());
    QCOMPARE(subscriber.topics().size(), 2);
}

void tst_Hub::unsubscribeAllDropsEveryTopic()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    auto alice = memory.subscriber(QStringLiteral("alice"), encoder);
    for (const char* topic : {"a", "b", "c"})
        memory.hub.subscribe(alice->subscriber(), QLatin1String(topic));
    memory.hub.unsubscribeAll(alice->subscriber());
    QVERIFY(alice->subscriber().topics().isEmpty());
    for (const char* topic : {"a", "b", "c"}) {
        QCOMPARE(memory.hub.subscriberCount(QLatin1String(topic)), 0);
        QCOMPARE(memory.hub.publish(QLatin1String(topic), QStringLiteral("e"), {}).delivered, 0);
    }
    QVERIFY(alice->messages().isEmpty());
}

void tst_Hub::countsTopicsAndActiveRooms()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    auto alice = memory.subscriber(QStringLiteral("alice"), encoder);
    memory.hub.subscribe(alice->subscriber(), QStringLiteral("room:one"));
    memory.hub.subscribe(alice->subscriber(), QStringLiteral("room:two"));
    memory.hub.subscribe(alice->subscriber(), QStringLiteral("jobs"));
    memory.hub.publish(QStringLiteral("room:three"), QStringLiteral("e"), {}); // nobody there
    QCOMPARE(memory.hub.topicCount(), 4);
    QCOMPARE(memory.hub.activeTopicsWithPrefix(QLatin1String("room:")), 2);
    memory.hub.unsubscribe(alice->subscriber(), QStringLiteral("room:one"));
    QCOMPARE(memory.hub.activeTopicsWithPrefix(QLatin1String("room:")), 1);
    QCOMPARE(memory.hub.topicCount(), 4); // topics keep their seq and history
}

void tst_Hub::tapsSeeExactTopics()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    auto watcher = memory.subscriber(QStringLiteral("watcher"), encoder);
    memory.hub.subscribe(watcher->subscriber(), QStringLiteral("trading"));
    QList<Event> seen;
    qsizetype deliveredBeforeTap = -1;
    memory.hub.setTap(QStringLiteral("trading"), [&](const Event& event) {
        seen.append(event);
        deliveredBeforeTap = watcher->messages().size();
    });
    memory.hub.publish(QStringLiteral("trading"), QStringLiteral("risk_status_update"), number(1));
    memory.hub.publish(QStringLiteral("trading_desk"), QStringLiteral("other"), number(2));
    memory.hub.publish(QStringLiteral("logs"), QStringLiteral("system_log"), number(3));
    QCOMPARE(seen.size(), 1);
    QCOMPARE(seen[0].name, QStringLiteral("risk_status_update"));
    QCOMPARE(seen[0].seq, 1u);
    QCOMPARE(seen[0].data.object(), number(1));
    QCOMPARE(deliveredBeforeTap, 1); // after the fan-out

    // One tap per pattern: a second replaces the first.
    int replaced = 0;
    memory.hub.setTap(QStringLiteral("trading"), [&replaced](const Event&) { ++replaced; });
    memory.hub.publish(QStringLiteral("trading"), QStringLiteral("equity_update"), {});
    QCOMPARE(seen.size(), 1);
    QCOMPARE(replaced, 1);
}

void tst_Hub::tapsSeePrefixes()
{
    MemoryHub memory;
    QStringList topics;
    memory.hub.setTap(QStringLiteral("document_updates_*"),
                      [&topics](const Event& event) { topics.append(event.topic); });
    memory.hub.publish(QStringLiteral("document_updates_alice"), QStringLiteral("e"), {});
    memory.hub.publish(QStringLiteral("document_updates_bob"), QStringLiteral("e"), {});
    memory.hub.publish(QStringLiteral("all_document_updates"), QStringLiteral("e"), {});
    memory.hub.publish(QStringLiteral("document_update"), QStringLiteral("e"), {});
    QCOMPARE(topics, (QStringList{QStringLiteral("document_updates_alice"),
                                  QStringLiteral("document_updates_bob")}));
}

// What 002 does: every user's document updates mirrored into the administrators' room.
void tst_Hub::aTapMayPublishElsewhere()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("002"));
    auto root = memory.subscriber(QStringLiteral("root"), encoder);
    memory.hub.subscribe(root->subscriber(), QStringLiteral("all_document_updates"));
    Hub& hub = memory.hub;
    hub.setTap(QStringLiteral("document_updates_*"), [&hub](const Event& event) {
        hub.publish(QStringLiteral("all_document_updates"), event.name, event.data);
    });
    hub.publish(QStringLiteral("document_updates_alice"),
                QStringLiteral("document_processing_complete"), number(7));
    const QList<QJsonObject> received = root->messages();
    QCOMPARE(received.size(), 1);
    QCOMPARE(received[0].value(QStringLiteral("topic")).toString(),
             QStringLiteral("all_document_updates"));
    QCOMPARE(received[0].value(QStringLiteral("event")).toString(),
             QStringLiteral("document_processing_complete"));
    QCOMPARE(received[0].value(QStringLiteral("data")).toObject(), number(7));
}

void tst_Hub::aTapCanBeRemoved()
{
    MemoryHub memory;
    int exact = 0;
    int prefix = 0;
    memory.hub.setTap(QStringLiteral("alerts"), [&exact](const Event&) { ++exact; });
    memory.hub.setTap(QStringLiteral("room:*"), [&prefix](const Event&) { ++prefix; });
    memory.hub.publish(QStringLiteral("alerts"), QStringLiteral("e"), {});
    memory.hub.publish(QStringLiteral("room:a"), QStringLiteral("e"), {});
    memory.hub.setTap(QStringLiteral("alerts"), {});
    memory.hub.setTap(QStringLiteral("room:*"), {});
    memory.hub.publish(QStringLiteral("alerts"), QStringLiteral("e"), {});
    memory.hub.publish(QStringLiteral("room:a"), QStringLiteral("e"), {});
    QCOMPARE(exact, 1);
    QCOMPARE(prefix, 1);
}

// The writer records the publish-to-send latency of every event that reached someone.
void tst_Hub::deliveriesAreTimedForTheWriter()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    auto alice = memory.subscriber(QStringLiteral("alice"), encoder);
    memory.hub.subscribe(alice->subscriber(), QStringLiteral("t"));
    const qint64 before = Hub::steadyNowNs();
    memory.hub.publish(QStringLiteral("t"), QStringLiteral("e"), {});
    memory.hub.publish(QStringLiteral("nobody"), QStringLiteral("e"), {});
    memory.hub.publish(QStringLiteral("t"), QStringLiteral("e"), {});
    const std::vector<qint64> times = memory.writeQueue.takePublishTimes();
    QCOMPARE(times.size(), 2u);
    QVERIFY(times[0] >= before && times[1] >= times[0]);
    QVERIFY(memory.writeQueue.takePublishTimes().empty());
}

QTEST_GUILESS_MAIN(tst_Hub)
#include "tst_hub.moc"
