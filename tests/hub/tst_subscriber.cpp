// One subscriber as the hub sees it (hub/Subscriber.h), the WriteQueue its frames wait in and
// the Subscribers registry, with a transport in memory: what a subscriber counts, when it asks
// its transport to write early, close or recount its backlog, and the outbound cap that cuts
// off a client that stops reading (SPEC §8: 1013, others do not slow down).

#include "MemorySubscriber.h"
#include "TaggedEncoder.h"
#include "hub/Subscribers.h"
#include "wire/Codes.h"

#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

// A text frame whose whole size, header included, is `bytes` (at least 126).
QByteArray frameOf(qsizetype bytes)
{
    const qsizetype header = bytes - 4 <= 0xFFFF ? 4 : 10;
    const QByteArray frame = WebSocketFrame::text(QByteArray(bytes - header, 'x'));
    Q_ASSERT(frame.size() == bytes);
    return frame;
}

Identity authenticated(const QString& subject)
{
    Identity identity;
    identity.subject = subject;
    identity.role = Role::User;
    return identity;
}

} // namespace

class tst_Subscriber : public QObject {
    Q_OBJECT

private slots:
    void describesItsClient();
    void sendFrameCountsAndQueues();
    void sendTextFramesOneMessage();
    void queuedTransportBytesAreNotMessages();
    void receivedMessagesAreCounted();
    void changesAreReportedOnce();
    void closeGoesToTheTransport();
    void outboundCapCutsASlowConsumer();
    void othersDoNotSlowDown();
    void backlogIsRecountedOnlyNearTheCap();
    void aBurstIsWrittenEarly();
    void writeQueueWakesOncePerPass();
    void aDestroyedSubscriberLeavesTheQueue();
    void framesQueuedDuringAPassBelongToTheNext();
    void subscribersAnnounceOpenedAndClosed();
    void subscribersCountAndFind();
    void closeAllClosesEveryTransport();
};

void tst_Subscriber::describesItsClient()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    MemorySubscriber alice({QStringLiteral("id-1"), &encoder,
                            authenticated(QStringLiteral("alice")), QStringLiteral("/ws/v1"),
                            QStringLiteral("10.0.0.7:5123"), 1234},
                           memory.writeQueue, memory.metrics);
    const Subscriber& subscriber = alice.subscriber();
    QCOMPARE(subscriber.id(), QStringLiteral("id-1"));
    QCOMPARE(&subscriber.encoder(), static_cast<const EventEncoder*>(&encoder));
    QCOMPARE(subscriber.identity().subject, QStringLiteral("alice"));
    QCOMPARE(subscriber.endpoint(), QStringLiteral("/ws/v1"));
    QCOMPARE(subscriber.remoteAddress(), QStringLiteral("10.0.0.7:5123"));
    QCOMPARE(subscriber.outboundCap(), 1234);
    QVERIFY(qAbs(subscriber.since().msecsTo(QDateTime::currentDateTimeUtc())) < 60000);
    QVERIFY(subscriber.isOpen());
    QCOMPARE(subscriber.closeCode(), quint16(1006)); // no close frame yet
    QCOMPARE(&alice.subscriber().transport(), static_cast<SubscriberTransport*>(&alice));
}

void tst_Subscriber::sendFrameCountsAndQueues()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    auto alice = memory.subscriber(QStringLiteral("alice"), encoder);
    Subscriber& subscriber = alice->subscriber();
    const QByteArray frame = WebSocketFrame::text(R"({"type":"hello"})");

    QVERIFY(subscriber.sendFrame(frame));
    QVERIFY(subscriber.sendFrame(frame));
    QCOMPARE(subscriber.counters().messagesOut, 2u);
    QCOMPARE(subscriber.counters().bytesOut, quint64(2 * frame.size()));
    QCOMPARE(memory.metrics.messagesOut, 2u);
    QCOMPARE(memory.metrics.bytesOut, quint64(2 * frame.size()));
    QCOMPARE(subscriber.outbox().frames.size(), 2u);
    QCOMPARE(subscriber.outbox().bytes, qint64(2 * frame.size()));
    // The same bytes, not copies.
    QCOMPARE(subscriber.outbox().frames[0].bytes().constData(), frame.constData());
    QVERIFY(subscriber.isQueuedForWriting());
    // Below the early-flush mark and far from the cap, the transport is not called.
    QCOMPARE(alice->flushes(), 0);
    QCOMPARE(alice->backlogQueries(), 0);
    QVERIFY(alice->closes().isEmpty());
}

void tst_Subscriber::sendTextFramesOneMessage()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    auto alice = memory.subscriber(QStringLiteral("alice"), encoder);
    alice->subscriber().sendText(R"({"type":"pong"})");
    alice->subscriber().sendText({}); // a reply a dialect has no message for: nothing
    QCOMPARE(alice->texts(), QList<QByteArray>{R"({"type":"pong"})"});
    QCOMPARE(alice->subscriber().counters().messagesOut, 1u);

    // 126 bytes and more take a 16-bit length, 64 KiB and more a 64-bit one.
    const QByteArray medium(200, 'm');
    const QByteArray large(70000, 'l');
    alice->clear();
    alice->subscriber().sendText(medium);
    alice->subscriber().sendText(large);
    QCOMPARE(alice->texts(), (QList<QByteArray>{medium, large}));
}

void tst_Subscriber::queuedTransportBytesAreNotMessages()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    auto alice = memory.subscriber(QStringLiteral("alice"), encoder);
    Subscriber& subscriber = alice->subscriber();
    const QByteArray pong = WebSocketFrame::encode(WebSocketFrame::Opcode::Pong, "p");
    subscriber.queue(pong);
    QCOMPARE(subscriber.counters().messagesOut, 0u);
    QCOMPARE(subscriber.outbox().bytes, qint64(pong.size()));
    QVERIFY(subscriber.isQueuedForWriting());

    // Closing: no more messages, but the close frame (and control frames) still go.
    subscriber.markClosing();
    QVERIFY(!subscriber.isOpen());
    QVERIFY(!subscriber.sendFrame(WebSocketFrame::text("{}")));
    subscriber.queue(WebSocketFrame::close(1000, QString()));
    const QList<ServerFrame> frames = alice->frames();
    QCOMPARE(frames.size(), 2);
    QCOMPARE(frames[0].opcode, WebSocketFrame::Opcode::Pong);
    QCOMPARE(frames[1].opcode, WebSocketFrame::Opcode::Close);
    QCOMPARE(subscriber.counters().messagesOut, 0u);
}

void tst_Subscriber::receivedMessagesAreCounted()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    auto alice = memory.subscriber(QStringLiteral("alice"), encoder);
    alice->subscriber().noteReceived(10);
    alice->subscriber().noteReceived(32);
    QCOMPARE(alice->subscriber().counters().messagesIn, 2u);
    QCOMPARE(alice->subscriber().counters().bytesIn, 42u);
    QCOMPARE(memory.metrics.messagesIn, 2u);
    QCOMPARE(memory.metrics.bytesIn, 42u);
}

// What the monitor's deltas rely on: a subscriber says once that it changed.
void tst_Subscriber::changesAreReportedOnce()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    auto alice = memory.subscriber(QStringLiteral("alice"), encoder);
    Subscriber& subscriber = alice->subscriber();
    QVERIFY(subscriber.takeChanged()); // new
    QVERIFY(!subscriber.takeChanged());
    subscriber.noteReceived(1);
    QVERIFY(subscriber.takeChanged());
    subscriber.sendText("{}");
    QVERIFY(subscriber.takeChanged());
    subscriber.setIdentity(authenticated(QStringLiteral("alice")));
    QVERIFY(subscriber.takeChanged());
    memory.hub.subscribe(subscriber, QStringLiteral("t"));
    QVERIFY(subscriber.takeChanged());
    subscriber.noteCloseSent(1000, QString());
    QVERIFY(subscriber.takeChanged());
    QVERIFY(!subscriber.takeChanged());
}

void tst_Subscriber::closeGoesToTheTransport()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    auto alice = memory.subscriber(QStringLiteral("alice"), encoder);
    alice->subscriber().close(CloseCode::Policy, QStringLiteral("disconnected by the operator"));
    QCOMPARE(alice->closes().size(), 1);
    QCOMPARE(alice->closes()[0].code, CloseCode::Policy);
    QCOMPARE(alice->closes()[0].reason, QStringLiteral("disconnected by the operator"));
    QVERIFY(!alice->closes()[0].soon);
    QCOMPARE(alice->subscriber().closeCode(), CloseCode::Policy);
    QCOMPARE(alice->subscriber().closeReason(), QStringLiteral("disconnected by the operator"));
    QVERIFY(!alice->subscriber().isOpen());
}

// SPEC §8: past its outbound cap a client that does not read is closed with 1013.
void tst_Subscriber::outboundCapCutsASlowConsumer()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    auto slow = memory.subscriber(QStringLiteral("slow"), encoder, {}, 1000);
    Subscriber& subscriber = slow->subscriber();
    const QByteArray frame = frameOf(300);
    for (int i = 0; i < 3; ++i)
        QVERIFY(subscriber.sendFrame(frame));
    QVERIFY(slow->closes().isEmpty());

    QVERIFY(!subscriber.sendFrame(frame)); // 1200 bytes: over the cap
    QCOMPARE(slow->closes().size(), 1);
    QCOMPARE(slow->closes()[0].code, CloseCode::TryAgainLater);
    QCOMPARE(slow->closes()[0].reason, QStringLiteral("slow consumer: outbound buffer full"));
    // Cut in the middle of a fan-out: the close comes on the next pass, not under the loop.
    QVERIFY(slow->closes()[0].soon);
    QCOMPARE(memory.metrics.droppedSlowConsumers, 1u);
    QVERIFY(!subscriber.isOpen());
    QVERIFY(subscriber.outbox().frames.empty());
    QCOMPARE(subscriber.outbox().bytes, 0);

    // Nothing more is taken, nor counted; it is cut only once.
    const quint64 sent = subscriber.counters().messagesOut;
    QVERIFY(!subscriber.sendFrame(frame));
    QCOMPARE(subscriber.counters().messagesOut, sent);
    QCOMPARE(slow->closes().size(), 1);
    QCOMPARE(memory.metrics.droppedSlowConsumers, 1u);
}

void tst_Subscriber::othersDoNotSlowDown()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    auto slow = memory.subscriber(QStringLiteral("slow"), encoder, {}, 2000);
    auto fast = memory.subscriber(QStringLiteral("fast"), encoder);
    memory.hub.subscribe(slow->subscriber(), QStringLiteral("t"));
    memory.hub.subscribe(fast->subscriber(), QStringLiteral("t"));
    const QJsonObject data{{QStringLiteral("padding"), QString(400, u'p')}};

    QList<int> delivered;
    for (int i = 0; i < 8; ++i) {
        delivered.append(
            memory.hub.publish(QStringLiteral("t"), QStringLiteral("e"), data).delivered);
        // The fast one's kernel takes everything; the slow one's nothing.
        const WriteQueue::Pass pass = memory.writeQueue.take();
        fast->drain();
        fast->subscriber().noteWritePass();
        slow->keepOutbox();
        slow->subscriber().noteWritePass();
    }
    QCOMPARE(delivered.first(), 2);
    QCOMPARE(delivered.last(), 1);
    QCOMPARE(fast->messages().size(), 8);
    QCOMPARE(slow->closes().size(), 1);
    QCOMPARE(slow->closes()[0].code, CloseCode::TryAgainLater);
    QCOMPARE(memory.metrics.droppedSlowConsumers, 1u);
}

// The transport's backlog counts toward the cap, but is asked for only when the cap seems
// exceeded: the figure the subscriber holds may be stale (the kernel took the bytes since).
void tst_Subscriber::backlogIsRecountedOnlyNearTheCap()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    auto alice = memory.subscriber(QStringLiteral("alice"), encoder, {}, 1000);
    Subscriber& subscriber = alice->subscriber();
    subscriber.setBacklogBytes(900); // last reported; the kernel has taken it all since
    alice->setBacklog(0);
    QVERIFY(subscriber.sendFrame(frameOf(200)));
    QCOMPARE(alice->backlogQueries(), 1);
    QCOMPARE(subscriber.backlogBytes(), 0);
    QVERIFY(subscriber.isOpen());

    QVERIFY(subscriber.sendFrame(frameOf(200))); // 400 queued, backlog 0: not near
    QCOMPARE(alice->backlogQueries(), 1);

    alice->setBacklog(700); // now the kernel really does not take them
    subscriber.setBacklogBytes(700);
    QVERIFY(!subscriber.sendFrame(frameOf(200)));
    QCOMPARE(alice->backlogQueries(), 2);
    QCOMPARE(alice->closes().size(), 1);
    QCOMPARE(alice->closes()[0].code, CloseCode::TryAgainLater);
}

// A burst published in one pass is written out early once 256 KiB are queued, so that the cap
// measures what the client has not read, not the size of the burst.
void tst_Subscriber::aBurstIsWrittenEarly()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    const QByteArray frame = frameOf(60000);

    auto stuck = memory.subscriber(QStringLiteral("stuck"), encoder);
    stuck->setDrainOnFlush(false);
    Subscriber& subscriber = stuck->subscriber();
    while (subscriber.outbox().bytes + frame.size() < earlyFlushBytes) {
        QVERIFY(subscriber.sendFrame(frame));
        QCOMPARE(stuck->flushes(), 0);
    }
    QVERIFY(subscriber.sendFrame(frame));
    QVERIFY(subscriber.outbox().bytes >= earlyFlushBytes);
    QCOMPARE(stuck->flushes(), 1);
    // The transport wrote nothing: every frame past the mark asks again.
    QVERIFY(subscriber.sendFrame(frame));
    QCOMPARE(stuck->flushes(), 2);

    auto flowing = memory.subscriber(QStringLiteral("flowing"), encoder);
    int sent = 0;
    while (flowing->flushes() == 0) {
        QVERIFY(flowing->subscriber().sendFrame(frame));
        ++sent;
    }
    QCOMPARE(flowing->subscriber().outbox().bytes, 0); // written
    QVERIFY(flowing->subscriber().sendFrame(frame));
    QCOMPARE(flowing->flushes(), 1);
    QCOMPARE(flowing->frames().size(), sent + 1);
}

void tst_Subscriber::writeQueueWakesOncePerPass()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    auto alice = memory.subscriber(QStringLiteral("alice"), encoder);
    auto bob = memory.subscriber(QStringLiteral("bob"), encoder);
    memory.hub.subscribe(alice->subscriber(), QStringLiteral("t"));
    memory.hub.subscribe(bob->subscriber(), QStringLiteral("t"));
    QVERIFY(memory.writeQueue.isEmpty());

    for (int i = 0; i < 3; ++i)
        memory.hub.publish(QStringLiteral("t"), QStringLiteral("e"), {});
    bob->subscriber().sendText("{}");
    QCOMPARE(memory.wakes, 1);
    const std::vector<Subscriber*> pass = memory.writePass();
    QCOMPARE(pass.size(), 2u); // each once, however many frames it got
    QVERIFY(std::find(pass.begin(), pass.end(), &alice->subscriber()) != pass.end());
    QVERIFY(std::find(pass.begin(), pass.end(), &bob->subscriber()) != pass.end());
    QVERIFY(!alice->subscriber().isQueuedForWriting());
    QVERIFY(memory.writeQueue.isEmpty());
    QCOMPARE(alice->messages().size(), 3);
    QCOMPARE(alice->subscriber().outbox().bytes, 0);

    // The next pass wakes the writer again, and queues in the order of first frames.
    bob->subscriber().sendText("{}");
    alice->subscriber().sendText("{}");
    QCOMPARE(memory.wakes, 2);
    QCOMPARE(memory.writePass(),
             (std::vector<Subscriber*>{&bob->subscriber(), &alice->subscriber()}));
}

void tst_Subscriber::aDestroyedSubscriberLeavesTheQueue()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    auto alice = memory.subscriber(QStringLiteral("alice"), encoder);
    auto bob = memory.subscriber(QStringLiteral("bob"), encoder);
    alice->subscriber().sendText("{}");
    bob->subscriber().sendText("{}");
    alice.reset();
    QCOMPARE(memory.writeQueue.take().subscribers, std::vector<Subscriber*>{&bob->subscriber()});
}

// A frame queued after the writer took its pass (while it writes) is held for the next pass,
// not released with the one being written.
void tst_Subscriber::framesQueuedDuringAPassBelongToTheNext()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    auto alice = memory.subscriber(QStringLiteral("alice"), encoder);
    alice->subscriber().sendText(R"({"n":1})");
    {
        const WriteQueue::Pass pass = memory.writeQueue.take();
        QCOMPARE(pass.frames.size(), 1u);
        alice->drain();
        alice->subscriber().noteWritePass();
        alice->subscriber().sendText(R"({"n":2})");
        QCOMPARE(pass.frames.size(), 1u);
    } // the first pass ends here
    QCOMPARE(alice->texts(), (QList<QByteArray>{R"({"n":1})", R"({"n":2})"}));
    const WriteQueue::Pass next = memory.writeQueue.take();
    QCOMPARE(next.subscribers, std::vector<Subscriber*>{&alice->subscriber()});
    QCOMPARE(next.frames.size(), 1u);
    QCOMPARE(&alice->subscriber().outbox().frames.front().bytes(), &next.frames.front());
}

void tst_Subscriber::subscribersAnnounceOpenedAndClosed()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    Subscribers subscribers;
    QList<QString> opened;
    QList<QString> closed;
    QObject::connect(&subscribers, &Subscribers::opened,
                     [&opened](Subscriber* subscriber) { opened.append(subscriber->id()); });
    QObject::connect(&subscribers, &Subscribers::closed,
                     [&closed](Subscriber* subscriber) { closed.append(subscriber->id()); });
    auto alice = memory.subscriber(QStringLiteral("alice"), encoder);
    auto bob = memory.subscriber(QStringLiteral("bob"), encoder);
    subscribers.add(&alice->subscriber());
    subscribers.add(&bob->subscriber());
    QCOMPARE(opened, (QList<QString>{QStringLiteral("alice"), QStringLiteral("bob")}));
    subscribers.remove(&alice->subscriber());
    subscribers.remove(&alice->subscriber()); // once only
    QCOMPARE(closed, QList<QString>{QStringLiteral("alice")});
}

void tst_Subscriber::subscribersCountAndFind()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    Subscribers subscribers;
    auto anonymous = memory.subscriber(QStringLiteral("anonymous"), encoder);
    auto alice =
        memory.subscriber(QStringLiteral("alice"), encoder, authenticated(QStringLiteral("alice")));
    subscribers.add(&anonymous->subscriber());
    subscribers.add(&alice->subscriber());
    QCOMPARE(subscribers.count(), 2);
    QCOMPARE(subscribers.authenticatedCount(), 1);
    QCOMPARE(subscribers.find(QStringLiteral("alice")), &alice->subscriber());
    QCOMPARE(subscribers.find(QStringLiteral("nobody")), nullptr);
    QCOMPARE(subscribers.all().size(), 2);
    // Signing in later counts.
    anonymous->subscriber().setIdentity(authenticated(QStringLiteral("carol")));
    QCOMPARE(subscribers.authenticatedCount(), 2);
    subscribers.remove(&alice->subscriber());
    QCOMPARE(subscribers.count(), 1);
    QCOMPARE(subscribers.find(QStringLiteral("alice")), nullptr);
}

void tst_Subscriber::closeAllClosesEveryTransport()
{
    MemoryHub memory;
    const TaggedEncoder encoder(QStringLiteral("e"));
    Subscribers subscribers;
    auto alice = memory.subscriber(QStringLiteral("alice"), encoder);
    auto bob = memory.subscriber(QStringLiteral("bob"), encoder);
    subscribers.add(&alice->subscriber());
    subscribers.add(&bob->subscriber());
    // A transport that ends its connection at once leaves the registry while closeAll runs.
    alice->setOnClose([&subscribers, &alice](quint16, const QString&) {
        subscribers.remove(&alice->subscriber());
    });
    subscribers.closeAll(CloseCode::GoingAway, QStringLiteral("server shutting down"));
    for (MemorySubscriber* subscriber : {alice.get(), bob.get()}) {
        QCOMPARE(subscriber->closes().size(), 1);
        QCOMPARE(subscriber->closes()[0].code, CloseCode::GoingAway);
        QCOMPARE(subscriber->closes()[0].reason, QStringLiteral("server shutting down"));
    }
    QCOMPARE(subscribers.count(), 1);
}

QTEST_GUILESS_MAIN(tst_Subscriber)
#include "tst_subscriber.moc"
