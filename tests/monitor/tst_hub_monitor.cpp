// HubMonitor (monitor/HubMonitor.h) over a hub whose subscribers are held in memory: full and
// delta snapshots (upserted, removed), the connection as observers see it, message rates,
// watched topics (exact and prefix) with their backlog and eventsSkipped, and jobs in
// snapshots. The monitor ticks on its own timer, so a test waits for its next snapshot.

#include "MemorySubscriber.h"
#include "TaggedEncoder.h"
#include "hub/Subscribers.h"
#include "jobs/JobEngine.h"
#include "monitor/HubMonitor.h"
#include "store/Database.h"
#include "store/JobStore.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

Identity userOf(const QString& subject, Role role = Role::User, const QString& tenant = {})
{
    Identity identity;
    identity.subject = subject;
    identity.role = role;
    identity.tenant = tenant;
    return identity;
}

QStringList idsOf(const QList<ConnectionInfo>& connections)
{
    QStringList ids;
    for (const ConnectionInfo& connection : connections)
        ids.append(connection.id);
    ids.sort();
    return ids;
}

QList<quint64> seqsOf(const QList<TopicEvent>& events, const QString& topic)
{
    QList<quint64> seqs;
    for (const TopicEvent& event : events) {
        if (event.topic == topic)
            seqs.append(event.seq);
    }
    return seqs;
}

// A hub with subscribers in memory, the job engine on a temporary database, and the monitor
// over them.
class MonitorFixture {
    QTemporaryDir m_dataDir; // removed last

public:
    explicit MonitorFixture(Hub::Limits limits = {},
                            std::chrono::milliseconds interval = std::chrono::milliseconds(5))
        : memory(limits)
        , store(database, 100)
    {
        if (auto error = database.open(QDir(m_dataDir.path()).filePath(QStringLiteral("hub.db"))))
            qFatal("MonitorFixture: %s", qPrintable(*error));
        JobEnvironment environment;
        environment.dataDir = m_dataDir.path();
        jobs = std::make_unique<JobEngine>(JobEngine::Limits{}, environment, JobTypes::builtIn(),
                                           store, memory.hub);
        if (auto error = jobs->start())
            qFatal("MonitorFixture: %s", qPrintable(*error));
        monitor =
            std::make_unique<HubMonitor>(subscribers, memory.hub, memory.metrics, *jobs, interval);
        QObject::connect(monitor.get(), &HubMonitor::snapshotReady,
                         [this](const HubSnapshot& snapshot) { snapshots.append(snapshot); });
    }

    // A client of `encoder` on `endpoint`, registered with the hub's subscribers.
    std::unique_ptr<MemorySubscriber> open(const QString& id, Identity identity = {},
                                           const QString& endpoint = QStringLiteral("/ws/v1"))
    {
        auto subscriber = std::make_unique<MemorySubscriber>(
            Subscriber::Setup{id, &encoder, std::move(identity), endpoint,
                              QStringLiteral("10.1.2.3:4567"), 4 * 1024 * 1024},
            memory.writeQueue, memory.metrics);
        subscribers.add(&subscriber->subscriber());
        return subscriber;
    }

    // The first snapshot, which start() emits at once.
    HubSnapshot start()
    {
        monitor->start();
        return snapshots.isEmpty() ? HubSnapshot() : snapshots.takeLast();
    }
    // The monitor's next snapshot after what the test did so far.
    HubSnapshot next()
    {
        snapshots.clear();
        QSignalSpy spy(monitor.get(), &HubMonitor::snapshotReady);
        if (!spy.wait(5000) || snapshots.isEmpty())
            qFatal("MonitorFixture: no snapshot came");
        return snapshots.takeFirst();
    }

    const TaggedEncoder encoder{QStringLiteral("native")};
    MemoryHub memory;
    Database database;
    JobStore store;
    std::unique_ptr<JobEngine> jobs; // before the database goes: it writes its last jobs there
    Subscribers subscribers;
    std::unique_ptr<HubMonitor> monitor;
    QList<HubSnapshot> snapshots;
};

} // namespace

class tst_HubMonitor : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void theFirstSnapshotIsFull();
    void deltasCarryWhatChanged();
    void closedConnectionsAreRemoved();
    void aFullSnapshotOnRequest();
    void connectionInfoDescribesTheClient();
    void ratesFollowTheMessages();
    void unobservedTheMonitorOnlyCountsRates();
    void watchedTopicsCarryTheirEvents();
    void aPrefixWatchesTheTopicsClientsUse();
    void aFloodIsCutToTheNewestEvents();
    void eventsHistoryLostAreCountedSkipped();
    void jobsComeWhenAJobChanged();
};

void tst_HubMonitor::initTestCase()
{
    qRegisterMetaType<HubSnapshot>();
}

void tst_HubMonitor::theFirstSnapshotIsFull()
{
    MonitorFixture fixture;
    auto alice = fixture.open(QStringLiteral("alice-1"), userOf(QStringLiteral("alice")));
    auto anonymous = fixture.open(QStringLiteral("anon-1"));
    fixture.memory.hub.subscribe(alice->subscriber(), QStringLiteral("jobs"));
    fixture.memory.hub.publish(QStringLiteral("jobs"), QStringLiteral("job_progress"), {});
    fixture.memory.metrics.connectionsTotal = 7;
    fixture.memory.metrics.rejectedConnections = 2;
    fixture.monitor->setServerIdentity(
        {QStringLiteral("127.0.0.1:8000"), true, QStringLiteral("required")});

    const HubSnapshot snapshot = fixture.start();
    QVERIFY(snapshot.full);
    QCOMPARE(idsOf(snapshot.upserted),
             (QStringList{QStringLiteral("alice-1"), QStringLiteral("anon-1")}));
    QVERIFY(snapshot.removed.isEmpty());
    QCOMPARE(snapshot.activeConnections, 2);
    QCOMPARE(snapshot.topics, 1);
    QCOMPARE(snapshot.listenAddress, QStringLiteral("127.0.0.1:8000"));
    QVERIFY(snapshot.tls);
    QCOMPARE(snapshot.authMode, QStringLiteral("required"));
    QCOMPARE(snapshot.startedAt, fixture.monitor->startedAt());
    QCOMPARE(snapshot.counters.connectionsTotal, 7u);
    QCOMPARE(snapshot.counters.rejectedConnections, 2u);
    QCOMPARE(snapshot.counters.published, 1u);
    QCOMPARE(snapshot.counters.messagesOut, 1u);
    QVERIFY(snapshot.jobsChanged);
    QVERIFY(snapshot.jobs.isEmpty());
}

void tst_HubMonitor::deltasCarryWhatChanged()
{
    MonitorFixture fixture;
    auto alice = fixture.open(QStringLiteral("alice-1"), userOf(QStringLiteral("alice")));
    auto bob = fixture.open(QStringLiteral("bob-1"), userOf(QStringLiteral("bob")));
    fixture.start();

    HubSnapshot quiet = fixture.next();
    QVERIFY(!quiet.full);
    QVERIFY(quiet.upserted.isEmpty());
    QVERIFY(quiet.removed.isEmpty());
    QVERIFY(!quiet.jobsChanged);
    QCOMPARE(quiet.activeConnections, 2);

    bob->subscriber().noteReceived(12);
    const HubSnapshot changed = fixture.next();
    QCOMPARE(idsOf(changed.upserted), QStringList{QStringLiteral("bob-1")});
    QCOMPARE(changed.upserted.first().messagesIn, 1u);
    QCOMPARE(changed.upserted.first().bytesIn, 12u);

    // A subscription is a change too; a new connection is one.
    fixture.memory.hub.subscribe(alice->subscriber(), QStringLiteral("trading"));
    auto carol = fixture.open(QStringLiteral("carol-1"), userOf(QStringLiteral("carol")));
    const HubSnapshot more = fixture.next();
    QCOMPARE(idsOf(more.upserted),
             (QStringList{QStringLiteral("alice-1"), QStringLiteral("carol-1")}));
    QCOMPARE(more.activeConnections, 3);
}

void tst_HubMonitor::closedConnectionsAreRemoved()
{
    MonitorFixture fixture;
    auto alice = fixture.open(QStringLiteral("alice-1"), userOf(QStringLiteral("alice")));
    auto bob = fixture.open(QStringLiteral("bob-1"), userOf(QStringLiteral("bob")));
    fixture.start();

    fixture.subscribers.remove(&bob->subscriber());
    const HubSnapshot gone = fixture.next();
    QCOMPARE(gone.removed, QStringList{QStringLiteral("bob-1")});
    QCOMPARE(gone.activeConnections, 1);
    QVERIFY(fixture.next().removed.isEmpty()); // said once

    // Gone and back (the same id) between two snapshots: it is there, not removed.
    fixture.subscribers.remove(&alice->subscriber());
    fixture.subscribers.add(&alice->subscriber());
    const HubSnapshot back = fixture.next();
    QVERIFY(back.removed.isEmpty());
    QCOMPARE(back.activeConnections, 1);
}

void tst_HubMonitor::aFullSnapshotOnRequest()
{
    MonitorFixture fixture;
    auto alice = fixture.open(QStringLiteral("alice-1"), userOf(QStringLiteral("alice")));
    auto bob = fixture.open(QStringLiteral("bob-1"), userOf(QStringLiteral("bob")));
    fixture.start();
    fixture.subscribers.remove(&bob->subscriber());
    fixture.monitor->requestFull();
    const HubSnapshot full = fixture.next();
    QVERIFY(full.full);
    QCOMPARE(idsOf(full.upserted), QStringList{QStringLiteral("alice-1")});
    QVERIFY(full.removed.isEmpty()); // a full snapshot lists who is there
    QVERIFY(full.jobsChanged);
    QVERIFY(!fixture.next().full);
}

void tst_HubMonitor::connectionInfoDescribesTheClient()
{
    MonitorFixture fixture;
    auto alice = fixture.open(QStringLiteral("alice-1"),
                              userOf(QStringLiteral("alice"), Role::Admin, QStringLiteral("acme")),
                              QStringLiteral("/ws/projects/p1"));
    Subscriber& subscriber = alice->subscriber();
    fixture.memory.hub.subscribe(subscriber, QStringLiteral("project:p1"));
    fixture.memory.hub.subscribe(subscriber, QStringLiteral("jobs"));
    subscriber.noteReceived(5);
    subscriber.sendText(R"({"type":"pong"})");

    const ConnectionInfo info = HubMonitor::connectionInfo(subscriber);
    QCOMPARE(info.id, QStringLiteral("alice-1"));
    QCOMPARE(info.user, QStringLiteral("alice"));
    QCOMPARE(info.role, QStringLiteral("admin"));
    QCOMPARE(info.tenant, QStringLiteral("acme"));
    QCOMPARE(info.remoteAddress, QStringLiteral("10.1.2.3:4567"));
    QCOMPARE(info.endpoint, QStringLiteral("/ws/projects/p1"));
    QCOMPARE(info.since, subscriber.since());
    QCOMPARE(info.messagesIn, 1u);
    QCOMPARE(info.bytesIn, 5u);
    QCOMPARE(info.messagesOut, 1u);
    QCOMPARE(info.bytesOut, quint64(subscriber.outbox().bytes));
    QCOMPARE(info.topics, (QStringList{QStringLiteral("project:p1"), QStringLiteral("jobs")}));

    auto stranger = fixture.open(QStringLiteral("x"));
    const ConnectionInfo anonymous = HubMonitor::connectionInfo(stranger->subscriber());
    QCOMPARE(anonymous.role, QStringLiteral("anonymous"));
    QVERIFY(anonymous.user.isEmpty());
}

void tst_HubMonitor::ratesFollowTheMessages()
{
    MonitorFixture fixture;
    fixture.start();
    fixture.memory.metrics.messagesIn += 100;
    fixture.memory.metrics.messagesOut += 400;
    const HubSnapshot busy = fixture.next();
    QVERIFY(busy.messagesInPerSecond > 0);
    QVERIFY(busy.messagesOutPerSecond > busy.messagesInPerSecond);
    QCOMPARE(busy.messagesInPerSecond, fixture.monitor->messagesInPerSecond());
    QCOMPARE(busy.messagesOutPerSecond, fixture.monitor->messagesOutPerSecond());
    QCOMPARE(busy.counters.messagesIn, 100u);

    // Quiet again: the smoothed rates fall.
    const HubSnapshot quiet = fixture.next();
    QVERIFY(quiet.messagesInPerSecond < busy.messagesInPerSecond);
    QVERIFY(quiet.messagesOutPerSecond < busy.messagesOutPerSecond);
}

// Nobody watching (the headless server): ticks keep the rates for the stats routes and emit
// nothing; the next observer starts from a full snapshot.
void tst_HubMonitor::unobservedTheMonitorOnlyCountsRates()
{
    MonitorFixture fixture;
    auto alice = fixture.open(QStringLiteral("alice-1"), userOf(QStringLiteral("alice")));
    fixture.start();
    fixture.monitor->setObserved(false);
    fixture.memory.metrics.messagesIn += 50;
    QTRY_VERIFY(fixture.monitor->messagesInPerSecond() > 0);
    QVERIFY(fixture.snapshots.isEmpty());

    fixture.monitor->setObserved(true);
    const HubSnapshot full = fixture.next();
    QVERIFY(full.full);
    QCOMPARE(idsOf(full.upserted), QStringList{QStringLiteral("alice-1")});
}

// A topic watched anew brings its recent history; then each snapshot carries what was
// published since the last, in order.
void tst_HubMonitor::watchedTopicsCarryTheirEvents()
{
    MonitorFixture fixture;
    Hub& hub = fixture.memory.hub;
    for (int i = 1; i <= 3; ++i)
        hub.publish(QStringLiteral("trading"), QStringLiteral("equity_update"),
                    {{QStringLiteral("n"), i}});
    hub.publish(QStringLiteral("logs"), QStringLiteral("system_log"), {});
    fixture.start();
    QCOMPARE(fixture.monitor->watchedTopics(), QStringList());
    fixture.monitor->setWatchedTopics({QStringLiteral("trading"), QStringLiteral("trading")});
    QCOMPARE(fixture.monitor->watchedTopics(), QStringList{QStringLiteral("trading")});

    const HubSnapshot backlog = fixture.next();
    QCOMPARE(seqsOf(backlog.events, QStringLiteral("trading")), (QList<quint64>{1, 2, 3}));
    QVERIFY(seqsOf(backlog.events, QStringLiteral("logs")).isEmpty());
    const TopicEvent& third = backlog.events.last();
    QCOMPARE(third.event, QStringLiteral("equity_update"));
    QCOMPARE(third.data, QJsonObject({{QStringLiteral("n"), 3}}));
    QVERIFY(third.timestampMs > 0);
    QCOMPARE(backlog.eventsSkipped, 0u);

    hub.publish(QStringLiteral("trading"), QStringLiteral("position_update"), {});
    const HubSnapshot fresh = fixture.next();
    QCOMPARE(seqsOf(fresh.events, QStringLiteral("trading")), QList<quint64>{4});
    QVERIFY(fixture.next().events.isEmpty());

    // Unwatched, then watched again: it starts afresh, with its backlog.
    fixture.monitor->setWatchedTopics({});
    fixture.next();
    fixture.monitor->setWatchedTopics({QStringLiteral("trading")});
    QCOMPARE(seqsOf(fixture.next().events, QStringLiteral("trading")),
             (QList<quint64>{1, 2, 3, 4}));
}

// "room:*" watches the rooms clients are in (the hub does not list its topics), and a room
// once seen stays watched after its last member left.
void tst_HubMonitor::aPrefixWatchesTheTopicsClientsUse()
{
    MonitorFixture fixture;
    Hub& hub = fixture.memory.hub;
    auto alice = fixture.open(QStringLiteral("alice-1"), userOf(QStringLiteral("alice")));
    hub.subscribe(alice->subscriber(), QStringLiteral("room:a"));
    fixture.start();
    fixture.monitor->setWatchedTopics({QStringLiteral("room:*")});
    fixture.next();

    hub.publish(QStringLiteral("room:a"), QStringLiteral("presence"), {});
    hub.publish(QStringLiteral("room:b"), QStringLiteral("presence"), {}); // nobody there
    hub.publish(QStringLiteral("roommates"), QStringLiteral("presence"), {});
    const HubSnapshot first = fixture.next();
    QCOMPARE(first.events.size(), 1);
    QCOMPARE(first.events.first().topic, QStringLiteral("room:a"));

    hub.unsubscribe(alice->subscriber(), QStringLiteral("room:a"));
    hub.publish(QStringLiteral("room:a"), QStringLiteral("presence"),
                {{QStringLiteral("action"), QStringLiteral("leave")}});
    QCOMPARE(seqsOf(fixture.next().events, QStringLiteral("room:a")), QList<quint64>{2});
}

// At most maxEventsPerTopic per topic and snapshot: the newest, the rest counted skipped.
void tst_HubMonitor::aFloodIsCutToTheNewestEvents()
{
    MonitorFixture fixture;
    Hub& hub = fixture.memory.hub;
    fixture.start();
    fixture.monitor->setWatchedTopics({QStringLiteral("trading")});
    fixture.next();
    const int flood = HubMonitor::maxEventsPerTopic + 50;
    for (int i = 0; i < flood; ++i)
        hub.publish(QStringLiteral("trading"), QStringLiteral("equity_update"), {});
    const HubSnapshot snapshot = fixture.next();
    QCOMPARE(snapshot.events.size(), HubMonitor::maxEventsPerTopic);
    QCOMPARE(snapshot.events.first().seq, 51u);
    QCOMPARE(snapshot.events.last().seq, quint64(flood));
    QCOMPARE(snapshot.eventsSkipped, 50u);

    // A topic watched anew brings at most initialBacklog events, and that is no loss.
    fixture.monitor->setWatchedTopics({QStringLiteral("trading"), QStringLiteral("logs")});
    for (int i = 0; i < HubMonitor::initialBacklog + 10; ++i)
        hub.publish(QStringLiteral("logs"), QStringLiteral("system_log"), {});
    const HubSnapshot backlog = fixture.next();
    QCOMPARE(seqsOf(backlog.events, QStringLiteral("logs")).size(), HubMonitor::initialBacklog);
    QCOMPARE(backlog.eventsSkipped, 0u);
}

// Events the history no longer holds when the monitor comes for them are counted skipped; the
// monitor goes on from the newest.
void tst_HubMonitor::eventsHistoryLostAreCountedSkipped()
{
    MonitorFixture fixture(Hub::Limits{10, std::chrono::minutes(5)});
    Hub& hub = fixture.memory.hub;
    fixture.start();
    fixture.monitor->setWatchedTopics({QStringLiteral("trading")});
    fixture.next();
    for (int i = 0; i < 50; ++i)
        hub.publish(QStringLiteral("trading"), QStringLiteral("equity_update"), {});
    const HubSnapshot lost = fixture.next();
    QCOMPARE(lost.eventsSkipped + quint64(lost.events.size()), 50u);
    // HubSnapshot: such a topic "delivers its newest events; eventsSkipped counts the rest".
    QCOMPARE(seqsOf(lost.events, QStringLiteral("trading")).size(), 10);
    hub.publish(QStringLiteral("trading"), QStringLiteral("equity_update"), {});
    const HubSnapshot after = fixture.next();
    QCOMPARE(after.eventsSkipped, 0u);
    QCOMPARE(seqsOf(after.events, QStringLiteral("trading")), QList<quint64>{51});
}

void tst_HubMonitor::jobsComeWhenAJobChanged()
{
    MonitorFixture fixture;
    fixture.start();
    QVERIFY(!fixture.next().jobsChanged);

    const JobAnswer created =
        fixture.jobs->createExternal(QStringLiteral("rc_analysis"), QStringLiteral("Held"), {},
                                     userOf(QStringLiteral("svc"), Role::Service));
    QVERIFY(created.ok());
    const HubSnapshot changed = fixture.next();
    QVERIFY(changed.jobsChanged);
    QCOMPARE(changed.jobs.size(), 1);
    QCOMPARE(changed.jobs.first().id, created.job->id);
    QCOMPARE(changed.jobs.first().status, JobStatus::Running);

    const HubSnapshot quiet = fixture.next();
    QVERIFY(!quiet.jobsChanged);
    QVERIFY(quiet.jobs.isEmpty());

    QVERIFY(
        fixture.jobs->cancel(created.job->id, userOf(QStringLiteral("svc"), Role::Service)).ok());
    const HubSnapshot cancelled = fixture.next();
    QVERIFY(cancelled.jobsChanged);
    QCOMPARE(cancelled.jobs.first().status, JobStatus::Cancelled);
}

QTEST_GUILESS_MAIN(tst_HubMonitor)
#include "tst_hub_monitor.moc"
