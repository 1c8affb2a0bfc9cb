// System metrics (SPEC §6.2): sampled only while someone watches `status` or `system_metrics`;
// then status_update and system_metrics with the same plausible numbers; a system_alert once
// when disk use crosses the threshold. /proc parsing is checked on known text.

#include "TestClient.h"
#include "TestHub.h"
#include "hub/Hub.h"
#include "hub/HubMetrics.h"
#include "hub/WriteQueue.h"
#include "sources/LinuxSystemProbe.h"
#include "sources/SystemMetrics.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace switchboard;
using namespace switchboard::test;

namespace {

const QByteArray ProcStat = "cpu  100 20 30 800 50 0 10 0 5 0\n"
                            "cpu0 50 10 15 400 25 0 5 0 0 0\n"
                            "intr 12345\n";
const QByteArray Meminfo = "MemTotal:       16000000 kB\n"
                           "MemFree:         2000000 kB\n"
                           "MemAvailable:    6000000 kB\n"
                           "Buffers:          100000 kB\n";
const QByteArray NetDev =
    "Inter-|   Receive                                                |  Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs "
    "drop fifo colls carrier compressed\n"
    "    lo: 9999999   100    0    0    0     0          0         0  9999999   100    0    0 "
    "   0     0       0          0\n"
    "  eth0: 1000      10    0    0    0     0          0         0     300      3    0    0 "
    "   0     0       0          0\n"
    " wlan0:500 5 0 0 0 0 0 0 200 2 0 0 0 0 0 0\n";

// Counts how often the system is read, and returns steadily growing counters: a quarter of
// the CPU time busy, 4000 bytes in and 1000 out per reading, 3 of 8 GiB of memory in use.
class FakeProbe : public SystemProbe {
public:
    explicit FakeProbe(int& reads)
        : m_reads(reads)
    {}

    SystemCounters read() override
    {
        ++m_reads;
        m_cpu.busy += 25;
        m_cpu.total += 100;
        m_network.receivedBytes += 4000;
        m_network.sentBytes += 1000;
        return {m_cpu, MemoryUsage{3ull << 30, 8ull << 30}, m_network};
    }

private:
    int& m_reads;
    CpuTimes m_cpu;
    NetworkTotals m_network;
};

// A hub with no clients, for driving SystemMetrics directly.
struct BareHub {
    HubMetrics metrics;
    WriteQueue writeQueue{[] {}}; // no clients: nothing is ever queued
    Hub hub{Hub::Limits{}, metrics, writeQueue};

    std::vector<EventPtr> events(const QString& topic) const
    {
        return hub.eventsAfter(topic, 0).events;
    }
};

SystemMetrics::Options fastOptions(const QString& diskPath = QDir::tempPath())
{
    SystemMetrics::Options options;
    options.interval = std::chrono::milliseconds(10);
    options.diskPath = diskPath;
    return options;
}

void writeFile(const QString& path, const QByteArray& contents)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(contents), contents.size());
}

// What every sample must look like, whoever computed it.
void verifyPlausible(const QJsonObject& data)
{
    const double cpu = data.value("cpu_percent"_L1).toDouble(-1);
    QVERIFY2(cpu >= 0 && cpu <= 100, qPrintable(QString::number(cpu)));
    const double memoryTotal = data.value("memory_total_bytes"_L1).toDouble();
    const double memoryUsed = data.value("memory_used_bytes"_L1).toDouble(-1);
    QVERIFY(memoryTotal > 64.0 * 1024 * 1024);
    QVERIFY(memoryUsed > 0 && memoryUsed <= memoryTotal);
    const double memoryPercent = data.value("memory_percent"_L1).toDouble(-1);
    QVERIFY(memoryPercent > 0 && memoryPercent <= 100);
    const double diskTotal = data.value("disk_total_bytes"_L1).toDouble();
    const double diskUsed = data.value("disk_used_bytes"_L1).toDouble(-1);
    QVERIFY(diskTotal > 0);
    QVERIFY(diskUsed >= 0 && diskUsed <= diskTotal);
    const double diskPercent = data.value("disk_percent"_L1).toDouble(-1);
    QVERIFY(diskPercent >= 0 && diskPercent <= 100);
    QVERIFY(data.value("network_in_bytes_per_sec"_L1).toDouble(-1) >= 0);
    QVERIFY(data.value("network_out_bytes_per_sec"_L1).toDouble(-1) >= 0);
    QVERIFY(
        QDateTime::fromString(data.value("timestamp"_L1).toString(), Qt::ISODateWithMs).isValid());
}

auto isEvent(const QString& topic, const QString& event)
{
    return [topic, event](const QJsonObject& m) {
        return m.value("type"_L1).toString() == "event"_L1 &&
               m.value("topic"_L1).toString() == topic && m.value("event"_L1).toString() == event;
    };
}

qsizetype countEvents(const TestClient& client, const QString& topic, const QString& event)
{
    return std::count_if(client.messages.begin(), client.messages.end(), isEvent(topic, event));
}

QJsonObject topics(const QStringList& names)
{
    return {{u"topics"_s, QJsonArray::fromStringList(names)}};
}

} // namespace

class TestSystemMetrics : public QObject {
    Q_OBJECT

private slots:
    // Linux /proc
    void parsesProcStat();
    void parsesMeminfo();
    void parsesNetDev();
    void refusesMalformedText();
    void readsAProcTree();
    void readsThisMachine();

    // The sampler, on a hub without clients
    void nothingIsSampledWhileNobodyWatches();
    void aWatcherStartsAndStopsSampling();
    void watchersAreCountedUntilTheLastLeaves();

    // Over the real hub and a native client
    void subscribersGetPlausibleNumbers();
    void unwatchedHubPublishedNothing();
    void theConsoleAndASubscriberShareTheSampling();
    void twoSubscribersLeavingOneAtATime();
    void diskAlertFiresOncePerCrossing();
};

void TestSystemMetrics::parsesProcStat()
{
    const std::optional<CpuTimes> cpu = LinuxSystemProbe::parseStat(ProcStat);
    QVERIFY(cpu);
    // user nice system idle iowait irq softirq steal; guest is inside user already.
    QCOMPARE(cpu->total, quint64(100 + 20 + 30 + 800 + 50 + 0 + 10 + 0));
    QCOMPARE(cpu->busy, quint64(100 + 20 + 30 + 10));
}

void TestSystemMetrics::parsesMeminfo()
{
    const std::optional<MemoryUsage> memory = LinuxSystemProbe::parseMeminfo(Meminfo);
    QVERIFY(memory);
    QCOMPARE(memory->totalBytes, quint64(16000000) * 1024);
    QCOMPARE(memory->usedBytes, quint64(10000000) * 1024);
}

void TestSystemMetrics::parsesNetDev()
{
    const std::optional<NetworkTotals> network = LinuxSystemProbe::parseNetDev(NetDev);
    QVERIFY(network);
    // Loopback is not the network.
    QCOMPARE(network->receivedBytes, quint64(1500));
    QCOMPARE(network->sentBytes, quint64(500));
}

void TestSystemMetrics::refusesMalformedText()
{
    QVERIFY(!LinuxSystemProbe::parseStat({}));
    QVERIFY(!LinuxSystemProbe::parseStat("intr 1 2 3\n"));
    QVERIFY(!LinuxSystemProbe::parseStat("cpu 1 two 3 4\n"));
    QVERIFY(!LinuxSystemProbe::parseMeminfo("MemTotal: 100 kB\n"));
    QVERIFY(!LinuxSystemProbe::parseMeminfo("MemTotal: 100 kB\nMemAvailable: 200 kB\n"));
    QVERIFY(!LinuxSystemProbe::parseNetDev({}));
}

void TestSystemMetrics::readsAProcTree()
{
    QTemporaryDir proc;
    QVERIFY(proc.isValid());
    QVERIFY(QDir(proc.path()).mkdir(u"net"_s));
    writeFile(proc.filePath(u"stat"_s), ProcStat);
    writeFile(proc.filePath(u"meminfo"_s), Meminfo);
    writeFile(proc.filePath(u"net/dev"_s), NetDev);

    const SystemCounters counters = LinuxSystemProbe(proc.path()).read();
    QVERIFY(counters.cpu && counters.memory && counters.network);
    QCOMPARE(counters.cpu->busy, quint64(160));
    QCOMPARE(counters.memory->totalBytes, quint64(16000000) * 1024);
    QCOMPARE(counters.network->sentBytes, quint64(500));

    // A tree without the files: nothing known, nothing made up.
    const SystemCounters empty = LinuxSystemProbe(proc.filePath(u"missing"_s)).read();
    QVERIFY(!empty.cpu && !empty.memory && !empty.network);
}

void TestSystemMetrics::readsThisMachine()
{
#if defined(Q_OS_LINUX)
    const SystemCounters counters = SystemProbe::forThisPlatform()->read();
    QVERIFY(counters.cpu && counters.cpu->total > 0 && counters.cpu->busy <= counters.cpu->total);
    QVERIFY(counters.memory && counters.memory->totalBytes > 0);
    QVERIFY(counters.network);
#else
    QSKIP("only Linux has a probe yet");
#endif
}

void TestSystemMetrics::nothingIsSampledWhileNobodyWatches()
{
    BareHub bare;
    int reads = 0;
    SystemMetrics metrics(bare.hub, std::make_unique<FakeProbe>(reads), fastOptions());
    QTRY_VERIFY(metrics.ticks() >= 5);
    QCOMPARE(reads, 0);
    QCOMPARE(metrics.samples(), quint64(0));
    QCOMPARE(bare.hub.currentSeq(u"status"_s), quint64(0));
    QCOMPARE(bare.hub.currentSeq(u"system_metrics"_s), quint64(0));
}

void TestSystemMetrics::aWatcherStartsAndStopsSampling()
{
    BareHub bare;
    int reads = 0;
    SystemMetrics metrics(bare.hub, std::make_unique<FakeProbe>(reads), fastOptions());
    metrics.addWatcher();
    QVERIFY(metrics.isWatched());
    QTRY_VERIFY(bare.hub.currentSeq(u"system_metrics"_s) >= 3);

    // The same numbers on both topics, under the names of their dialects.
    const std::vector<EventPtr> status = bare.events(u"status"_s);
    const std::vector<EventPtr> system = bare.events(u"system_metrics"_s);
    QVERIFY(status.size() >= 3);
    QCOMPARE(status.front()->name, u"status_update"_s);
    QCOMPARE(system.front()->name, u"system_metrics"_s);
    QCOMPARE(status.front()->data.object(), system.front()->data.object());
    for (const EventPtr& event : system) {
        const QJsonObject data = event->data.object();
        verifyPlausible(data);
        QCOMPARE(data.value("cpu_percent"_L1).toDouble(), 25.0);
        QCOMPARE(data.value("memory_used_bytes"_L1).toDouble(), double(3ull << 30));
        QCOMPARE(data.value("memory_percent"_L1).toDouble(), 37.5);
        QVERIFY(data.value("network_in_bytes_per_sec"_L1).toDouble() >
                data.value("network_out_bytes_per_sec"_L1).toDouble());
    }
    // The first reading is a baseline: one fewer sample is published than the system is read.
    QVERIFY(reads >= int(system.size()) + 1);

    metrics.removeWatcher();
    QVERIFY(!metrics.isWatched());
    const int readsThen = reads;
    const quint64 published = bare.hub.currentSeq(u"system_metrics"_s);
    const quint64 ticksThen = metrics.ticks();
    QTRY_VERIFY(metrics.ticks() >= ticksThen + 5);
    QCOMPARE(reads, readsThen);
    QCOMPARE(bare.hub.currentSeq(u"system_metrics"_s), published);
}

void TestSystemMetrics::watchersAreCountedUntilTheLastLeaves()
{
    BareHub bare;
    int reads = 0;
    SystemMetrics metrics(bare.hub, std::make_unique<FakeProbe>(reads), fastOptions());
    metrics.addWatcher();
    metrics.addWatcher();
    QTRY_VERIFY(bare.hub.currentSeq(u"system_metrics"_s) >= 2);

    // One of two leaves: sampling goes on.
    metrics.removeWatcher();
    QVERIFY(metrics.isWatched());
    const quint64 published = bare.hub.currentSeq(u"system_metrics"_s);
    QTRY_VERIFY(bare.hub.currentSeq(u"system_metrics"_s) >= published + 3);

    // The last one leaves: it stops.
    metrics.removeWatcher();
    QVERIFY(!metrics.isWatched());
    const quint64 samplesThen = metrics.samples();
    const quint64 publishedThen = bare.hub.currentSeq(u"system_metrics"_s);
    const quint64 ticksThen = metrics.ticks();
    QTRY_VERIFY(metrics.ticks() >= ticksThen + 5);
    QCOMPARE(metrics.samples(), samplesThen);
    QCOMPARE(bare.hub.currentSeq(u"system_metrics"_s), publishedThen);

    // And starts again for a new one.
    metrics.addWatcher();
    QTRY_VERIFY(bare.hub.currentSeq(u"system_metrics"_s) > publishedThen);
    metrics.removeWatcher();
}

void TestSystemMetrics::subscribersGetPlausibleNumbers()
{
    QTemporaryDir dataDir;
    HubConfig config = testConfig();
    config.metricsInterval = std::chrono::milliseconds(50);
    config.dataDir = dataDir.path();
    TestHub hub(config);
    QVERIFY(!hub.startError);

    TestClient client;
    QVERIFY(client.open(hub.ws(u"/ws/v1"_s, hub.token(u"ops"_s, Role::User))));
    client.request(u"subscribe"_s, u"1"_s, topics({u"system_metrics"_s}));
    const QJsonObject metrics =
        client.waitFor(isEvent(u"system_metrics"_s, u"system_metrics"_s), 10000);
    QVERIFY(!metrics.isEmpty());
    verifyPlausible(metrics.value("data"_L1).toObject());

    TestClient status;
    QVERIFY(status.open(hub.ws(u"/ws/v1"_s, hub.token(u"ops"_s, Role::User))));
    status.request(u"subscribe"_s, u"1"_s, topics({u"status"_s}));
    const QJsonObject update = status.waitFor(isEvent(u"status"_s, u"status_update"_s), 10000);
    QVERIFY(!update.isEmpty());
    verifyPlausible(update.value("data"_L1).toObject());
}

void TestSystemMetrics::unwatchedHubPublishedNothing()
{
    HubConfig config = testConfig();
    config.metricsInterval = std::chrono::milliseconds(10);
    // The demo feed serves as a clock that needs no subscriber to metrics.
    config.demo = true;
    config.demoSeed = 1;
    config.demoInterval = std::chrono::milliseconds(10);
    TestHub hub(config);
    QVERIFY(!hub.startError);

    TestClient client;
    QVERIFY(client.open(hub.ws(u"/ws/v1"_s, hub.token(u"ops"_s, Role::User))));
    client.request(u"subscribe"_s, u"1"_s, topics({u"trading"_s}));
    // Ten equity updates: ten demo steps, time for several metric ticks.
    QTRY_VERIFY_WITH_TIMEOUT(
        countEvents(client, u"trading"_s, u"equity_update"_s) >= 10 || client.closed, 10000);
    const QJsonObject ack =
        client.request(u"subscribe"_s, u"2"_s, topics({u"status"_s, u"system_metrics"_s}));
    QCOMPARE(ack.value("type"_L1).toString(), u"ack"_s);
    const QJsonObject seqs = ack.value("data"_L1).toObject().value("seq"_L1).toObject();
    QCOMPARE(seqs.value("status"_L1).toInt(-1), 0);
    QCOMPARE(seqs.value("system_metrics"_L1).toInt(-1), 0);
    // And now that someone watches, samples come.
    QVERIFY(!client.waitFor(isEvent(u"system_metrics"_s, u"system_metrics"_s), 10000).isEmpty());
}

namespace {

// A hub that samples every 200 ms, with the demo feed as a clock that needs no watcher: n
// demo steps take at least n x 10 ms (a timer never fires early).
HubConfig sharingConfig()
{
    HubConfig config = testConfig();
    config.metricsInterval = std::chrono::milliseconds(200);
    config.demo = true;
    config.demoSeed = 1;
    config.demoInterval = std::chrono::milliseconds(10);
    return config;
}

#define LET_DEMO_STEPS_PASS(clock, steps)                                                          \
    do {                                                                                           \
        const qsizetype target = demoSteps(clock) + (steps);                                       \
        QTRY_VERIFY_WITH_TIMEOUT(demoSteps(clock) >= target, 20000);                               \
    } while (false)

qsizetype demoSteps(const TestClient& clock)
{
    return countEvents(clock, u"trading"_s, u"equity_update"_s);
}

// How many samples were published so far, as a fresh subscriber's ack reports the topic's
// seq. The probe leaves at once: far sooner than the two ticks a sample takes, and with no
// baseline kept from earlier watchers, it cannot cause one.
qint64 publishedSoFar(TestHub& hub)
{
    TestClient probe;
    if (!probe.open(hub.ws(u"/ws/v1"_s, hub.token(u"probe"_s, Role::User))))
        return -1;
    const QJsonObject ack = probe.request(u"subscribe"_s, u"p"_s, topics({u"system_metrics"_s}));
    return ack.value("data"_L1)
        .toObject()
        .value("seq"_L1)
        .toObject()
        .value("system_metrics"_L1)
        .toInteger(-1);
}

qint64 lastSeq(const TestClient& client, const QString& topic, const QString& event)
{
    qint64 seq = 0;
    for (const QJsonObject& m : client.messages) {
        if (isEvent(topic, event)(m))
            seq = std::max(seq, m.value("seq"_L1).toInteger());
    }
    return seq;
}

} // namespace

void TestSystemMetrics::theConsoleAndASubscriberShareTheSampling()
{
    TestHub hub(sharingConfig());
    QVERIFY(!hub.startError);
    TestClient clock;
    QVERIFY(clock.open(hub.ws(u"/ws/v1"_s, hub.token(u"clock"_s, Role::User))));
    clock.request(u"subscribe"_s, u"1"_s, topics({u"trading"_s}));

    // The console watches, and a WebSocket client subscribes.
    hub.host->watchTopics({u"system_metrics"_s});
    TestClient subscriber;
    QVERIFY(subscriber.open(hub.ws(u"/ws/v1"_s, hub.token(u"ops"_s, Role::User))));
    subscriber.request(u"subscribe"_s, u"1"_s, topics({u"system_metrics"_s}));
    QTRY_VERIFY_WITH_TIMEOUT(countEvents(subscriber, u"system_metrics"_s, u"system_metrics"_s) >= 2,
                             10000);

    // The subscriber leaves: the console still watches, sampling goes on.
    QCOMPARE(subscriber.request(u"unsubscribe"_s, u"2"_s, topics({u"system_metrics"_s}))
                 .value("type"_L1)
                 .toString(),
             u"ack"_s);
    const qint64 before = publishedSoFar(hub);
    QVERIFY(before >= 2);
    LET_DEMO_STEPS_PASS(clock, 100); // >= 1 s: five intervals
    const qint64 after = publishedSoFar(hub);
    QVERIFY2(after >= before + 3, qPrintable(u"%1 -> %2"_s.arg(before).arg(after)));

    // The console stops watching too: sampling stops.
    hub.host->unwatchTopics({u"system_metrics"_s});
    LET_DEMO_STEPS_PASS(clock, 40); // the next tick sees nobody and drops its baseline
    const qint64 stopped = publishedSoFar(hub);
    LET_DEMO_STEPS_PASS(clock, 100);
    QCOMPARE(publishedSoFar(hub), stopped);
}

void TestSystemMetrics::twoSubscribersLeavingOneAtATime()
{
    TestHub hub(sharingConfig());
    QVERIFY(!hub.startError);
    TestClient clock;
    QVERIFY(clock.open(hub.ws(u"/ws/v1"_s, hub.token(u"clock"_s, Role::User))));
    clock.request(u"subscribe"_s, u"1"_s, topics({u"trading"_s}));

    // Two watchers, one on each topic.
    auto first = std::make_unique<TestClient>();
    QVERIFY(first->open(hub.ws(u"/ws/v1"_s, hub.token(u"ops"_s, Role::User))));
    first->request(u"subscribe"_s, u"1"_s, topics({u"status"_s}));
    TestClient second;
    QVERIFY(second.open(hub.ws(u"/ws/v1"_s, hub.token(u"ops"_s, Role::User))));
    second.request(u"subscribe"_s, u"1"_s, topics({u"system_metrics"_s}));
    QTRY_VERIFY_WITH_TIMEOUT(countEvents(*first, u"status"_s, u"status_update"_s) >= 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(countEvents(second, u"system_metrics"_s, u"system_metrics"_s) >= 1,
                             10000);

    // The first disconnects: the second still gets samples.
    first->socket.close();
    QVERIFY(first->waitClosed());
    first.reset();
    const qsizetype seen = countEvents(second, u"system_metrics"_s, u"system_metrics"_s);
    QTRY_VERIFY_WITH_TIMEOUT(
        countEvents(second, u"system_metrics"_s, u"system_metrics"_s) >= seen + 3, 10000);

    // The second unsubscribes: nothing is published after the last sample it got.
    QCOMPARE(second.request(u"unsubscribe"_s, u"2"_s, topics({u"system_metrics"_s}))
                 .value("type"_L1)
                 .toString(),
             u"ack"_s);
    const qint64 last = lastSeq(second, u"system_metrics"_s, u"system_metrics"_s);
    QVERIFY(last >= 4);
    LET_DEMO_STEPS_PASS(clock, 100);
    QCOMPARE(publishedSoFar(hub), last);
}

void TestSystemMetrics::diskAlertFiresOncePerCrossing()
{
    HubConfig config = testConfig();
    config.metricsInterval = std::chrono::milliseconds(20);
    // Measured on the nearest folder that exists: the build tree, on a disk with files on it.
    config.dataDir = QDir(QCoreApplication::applicationDirPath()).filePath(u"not/created/yet"_s);
    config.diskAlertPercent = 0; // any disk in use is above it
    TestHub hub(config);
    QVERIFY(!hub.startError);

    TestClient client;
    QVERIFY(client.open(hub.ws(u"/ws/v1"_s, hub.token(u"ops"_s, Role::User))));
    client.request(u"subscribe"_s, u"1"_s, topics({u"status"_s}));
    const QJsonObject alert = client.waitFor(isEvent(u"status"_s, u"system_alert"_s), 10000);
    QVERIFY(!alert.isEmpty());
    const QJsonObject data = alert.value("data"_L1).toObject();
    QCOMPARE(data.value("alert_type"_L1).toString(), u"disk_space"_s);
    QVERIFY(!data.value("severity"_L1).toString().isEmpty());
    QVERIFY(data.value("message"_L1).toString().contains(u"Disk use"_s));
    QVERIFY(data.value("disk_percent"_L1).toDouble() > 0);

    // Still above the threshold several samples later: no second alert.
    const qsizetype updatesAtAlert = countEvents(client, u"status"_s, u"status_update"_s);
    QTRY_VERIFY_WITH_TIMEOUT(
        countEvents(client, u"status"_s, u"status_update"_s) >= updatesAtAlert + 4 || client.closed,
        10000);
    QCOMPARE(countEvents(client, u"status"_s, u"system_alert"_s), 1);
}

QTEST_GUILESS_MAIN(TestSystemMetrics)
#include "tst_system_metrics.moc"
