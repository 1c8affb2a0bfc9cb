// The hub's own log on topic `logs` (SPEC §6.3): INFO and above from any thread reach a
// native subscriber as system_log; DEBUG never does; logging inside a broadcast does not
// recurse; a flood is bounded; tokens are redacted before a message goes anywhere; and the
// process-wide handler survives several hubs starting and stopping in one process.

#include "TestClient.h"
#include "TestHub.h"
#include "sources/LogBridge.h"
#include "sources/Redaction.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QMutex>
#include <QTest>
#include <QThread>
#include <QUuid>

#include <atomic>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace switchboard;
using namespace switchboard::test;

namespace {

Q_LOGGING_CATEGORY(lcTest, "switchboard.test.logs")

// A message handler that records what reaches it, standing in for whatever handler the
// process had before the bridge (stderr, a log file, QtTest's).
struct Captured {
    QMutex mutex;
    QStringList messages;
};
Captured& captured()
{
    static Captured instance;
    return instance;
}
void captureMessage(QtMsgType, const QMessageLogContext&, const QString& message)
{
    const QMutexLocker lock(&captured().mutex);
    captured().messages.append(message);
}
QStringList capturedMessages()
{
    const QMutexLocker lock(&captured().mutex);
    return captured().messages;
}

QtMessageHandler currentHandler()
{
    const QtMessageHandler current = qInstallMessageHandler(nullptr);
    qInstallMessageHandler(current);
    return current;
}

// Puts the capturing handler in place for one test and the original back afterwards.
class CaptureScope {
public:
    CaptureScope()
        : m_original(qInstallMessageHandler(captureMessage))
    {
        const QMutexLocker lock(&captured().mutex);
        captured().messages.clear();
    }
    ~CaptureScope() { qInstallMessageHandler(m_original); }
    CaptureScope(const CaptureScope&) = delete;
    CaptureScope& operator=(const CaptureScope&) = delete;

private:
    QtMessageHandler m_original;
};

QString unique(const QString& prefix)
{
    return prefix + u'-' + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// Runs `work` on a thread of its own and waits for it to finish.
template <typename Work> void onAnotherThread(Work work)
{
    std::unique_ptr<QThread> thread(QThread::create(std::move(work)));
    thread->start();
    thread->wait();
}

auto isLogContaining(const QString& text)
{
    return [text](const QJsonObject& m) {
        return m.value("type"_L1).toString() == "event"_L1 &&
               m.value("topic"_L1).toString() == "logs"_L1 &&
               m.value("event"_L1).toString() == "system_log"_L1 &&
               m.value("data"_L1).toObject().value("message"_L1).toString().contains(text);
    };
}

struct Subscriber {
    TestHub hub;
    TestClient client;
};

std::unique_ptr<Subscriber> subscribedToLogs()
{
    auto subscriber = std::make_unique<Subscriber>();
    if (subscriber->hub.startError)
        return nullptr;
    TestHub& hub = subscriber->hub;
    if (!subscriber->client.open(hub.ws(u"/ws/v1"_s, hub.token(u"ops"_s, Role::User))))
        return nullptr;
    const QJsonObject ack = subscriber->client.request(u"subscribe"_s, u"logs"_s,
                                                       {{u"topics"_s, QJsonArray{u"logs"_s}}});
    if (ack.value("type"_L1).toString() != "ack"_L1)
        return nullptr;
    return subscriber;
}

} // namespace

class TestLogBridge : public QObject {
    Q_OBJECT

private slots:
    // Over the real hub and a native client.
    void infoFromAnyThreadReachesTheLogsTopic();
    void levelsAndModules();
    void debugIsNeverBroadcast();
    void tokensArriveRedacted();

    // The bridge itself.
    void redaction_data();
    void redaction();
    void previousHandlerGetsRedactedMessages();
    void loggingInsideABroadcastDoesNotRecurse();
    void floodIsDroppedAndCounted();
    void bridgesComeAndGoInAnyOrder();
    void aHandlerInstalledOnTopStaysInCharge();
    void manyThreadsWhileBridgesComeAndGo();
};

void TestLogBridge::infoFromAnyThreadReachesTheLogsTopic()
{
    const auto subscriber = subscribedToLogs();
    QVERIFY(subscriber);
    const QString marker = unique(u"from-worker"_s);
    onAnotherThread([marker] { qCInfo(lcTest, "%s", qPrintable(marker)); });

    const QJsonObject event = subscriber->client.waitFor(isLogContaining(marker), 10000);
    QVERIFY(!event.isEmpty());
    const QJsonObject data = event.value("data"_L1).toObject();
    QCOMPARE(data.value("level"_L1).toString(), u"INFO"_s);
    QCOMPARE(data.value("module"_L1).toString(), u"switchboard.test.logs"_s);
    QCOMPARE(data.value("message"_L1).toString(), marker);
    const QString timestamp = data.value("timestamp"_L1).toString();
    QVERIFY(timestamp.endsWith(u'Z'));
    QVERIFY(QDateTime::fromString(timestamp, Qt::ISODateWithMs).isValid());
}

void TestLogBridge::levelsAndModules()
{
    const auto subscriber = subscribedToLogs();
    QVERIFY(subscriber);
    const QString warning = unique(u"warning"_s);
    const QString critical = unique(u"critical"_s);
    qWarning("%s", qPrintable(warning));
    qCCritical(lcTest, "%s", qPrintable(critical));

    const QJsonObject first = subscriber->client.waitFor(isLogContaining(warning), 10000);
    QCOMPARE(first.value("data"_L1).toObject().value("level"_L1).toString(), u"WARNING"_s);
    // Messages without a category of their own.
    QCOMPARE(first.value("data"_L1).toObject().value("module"_L1).toString(), u"switchboard"_s);
    const QJsonObject second = subscriber->client.waitFor(isLogContaining(critical), 10000);
    QCOMPARE(second.value("data"_L1).toObject().value("level"_L1).toString(), u"CRITICAL"_s);
    QCOMPARE(second.value("data"_L1).toObject().value("module"_L1).toString(),
             u"switchboard.test.logs"_s);
}

void TestLogBridge::debugIsNeverBroadcast()
{
    const auto subscriber = subscribedToLogs();
    QVERIFY(subscriber);
    const QString debug = unique(u"debug"_s);
    const QString info = unique(u"info"_s);
    onAnotherThread([debug, info] {
        qCDebug(lcTest, "%s", qPrintable(debug));
        qDebug("%s", qPrintable(debug));
        // Queued after the debug lines: once it is in, they would have been too.
        qCInfo(lcTest, "%s", qPrintable(info));
    });
    QVERIFY(!subscriber->client.waitFor(isLogContaining(info), 10000).isEmpty());
    for (const QString& raw : subscriber->client.raw)
        QVERIFY2(!raw.contains(debug), qPrintable(raw));
}

void TestLogBridge::tokensArriveRedacted()
{
    const auto subscriber = subscribedToLogs();
    QVERIFY(subscriber);
    const QString marker = unique(u"upgrade"_s);
    qInfo("%s GET /ws/projects/7?token=abc.def.ghi&x=1", qPrintable(marker));

    const QJsonObject event = subscriber->client.waitFor(isLogContaining(marker), 10000);
    QVERIFY(!event.isEmpty());
    const QString message = event.value("data"_L1).toObject().value("message"_L1).toString();
    QCOMPARE(message, marker + u" GET /ws/projects/7?token=[REDACTED]&x=1"_s);
    for (const QString& raw : subscriber->client.raw)
        QVERIFY2(!raw.contains(u"abc.def.ghi"_s), qPrintable(raw));
}

void TestLogBridge::redaction_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    const auto row = [](const char* name, const QString& text, const QString& expected) {
        QTest::newRow(name) << text << expected;
    };
    row("nothing to hide", u"listening on 0.0.0.0:8000"_s, u"listening on 0.0.0.0:8000"_s);
    row("query token", u"GET /ws?token=abc.def.ghi"_s, u"GET /ws?token=[REDACTED]"_s);
    row("query token then more", u"/ws/projects/1?token=abc.def.ghi&x=1 done"_s,
        u"/ws/projects/1?token=[REDACTED]&x=1 done"_s);
    row("any case, any prefix", u"ACCESS_TOKEN=s3cret; next"_s, u"ACCESS_TOKEN=[REDACTED]; next"_s);
    row("two tokens", u"a?token=1&b=2 c?token=3"_s, u"a?token=[REDACTED]&b=2 c?token=[REDACTED]"_s);
    row("empty token", u"?token=&x=1"_s, u"?token=&x=1"_s);
    row("bearer", u"Authorization: Bearer abc.def.ghi"_s, u"Authorization: Bearer [REDACTED]"_s);
    row("bearer spaced", u"bearer   tok123 rest"_s, u"bearer   [REDACTED] rest"_s);
    row("bearer at the end", u"scheme Bearer"_s, u"scheme Bearer"_s);
    row("bearer token, the words", u"a bearer token is required"_s,
        u"a bearer token is required"_s);
    row("bearer tokenish credential", u"Bearer tokenABC rest"_s, u"Bearer [REDACTED] rest"_s);
    row("bare jwt", u"jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln here"_s,
        u"jwt [REDACTED] here"_s);
    row("jwt in json", u"{\"t\":\"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln\"}"_s,
        u"{\"t\":\"[REDACTED]\"}"_s);
    row("not a jwt", u"heyJude.a.b and eyJ alone"_s, u"heyJude.a.b and eyJ alone"_s);
    row("url-encoded token", u"next=%2Fws%3Ftoken%3Dopaque123%26x%3D1 done"_s,
        u"next=%2Fws%3Ftoken%3D[REDACTED]%26x%3D1 done"_s);
    row("url-encoded, lower case", u"a%3ftoken%3dopaque123"_s, u"a%3ftoken%3d[REDACTED]"_s);
    row("opaque access_token", u"GET /cb?access_token=opaque-123&state=s"_s,
        u"GET /cb?access_token=[REDACTED]&state=s"_s);
    row("json token member", u"{\"type\":\"auth\",\"token\":\"opaque-123\"}"_s,
        u"{\"type\":\"auth\",\"token\":\"[REDACTED]\"}"_s);
    row("json member spaced", u"{\"access_token\" : \"opaque 123\", \"n\": 1}"_s,
        u"{\"access_token\" : \"[REDACTED]\", \"n\": 1}"_s);
    row("escaped json member", u"body \"{\\\"token\\\":\\\"opaque-123\\\"}\""_s,
        u"body \"{\\\"token\\\":\\\"[REDACTED]\\\"}\""_s);
    row("token word alone", u"a token is required; tokens: 3"_s,
        u"a token is required; tokens: 3"_s);
    row("json non-string token", u"{\"token\": null, \"tokens\": \"x\"}"_s,
        u"{\"token\": null, \"tokens\": \"x\"}"_s);
}

void TestLogBridge::redaction()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(redactSecrets(text), expected);
}

void TestLogBridge::previousHandlerGetsRedactedMessages()
{
    const CaptureScope capture;
    QList<QJsonObject> entries;
    {
        LogBridge bridge([&entries](const QJsonObject& entry) { entries.append(entry); });
        qInfo("connect ?token=abc.def.ghi");
        qDebug("debug Bearer abc.def");
        QTRY_COMPARE(entries.size(), 1);
        QCOMPARE(entries.first().value("message"_L1).toString(), u"connect ?token=[REDACTED]"_s);
    }
    // Debug is not broadcast, but it is still logged, redacted like the rest.
    QCOMPARE(capturedMessages(),
             (QStringList{u"connect ?token=[REDACTED]"_s, u"debug Bearer [REDACTED]"_s}));
    QVERIFY(currentHandler() == &captureMessage);
}

void TestLogBridge::loggingInsideABroadcastDoesNotRecurse()
{
    const CaptureScope capture;
    QStringList broadcast;
    LogBridge bridge([&broadcast](const QJsonObject& entry) {
        broadcast.append(entry.value("message"_L1).toString());
        qInfo("logged while broadcasting");
        qWarning("warned while broadcasting");
    });
    qInfo("first");
    QTRY_COMPARE(broadcast.size(), 1);
    // Had the nested lines been queued, they would be broadcast before this one.
    qInfo("second");
    QTRY_COMPARE(broadcast.size(), 2);
    QCOMPARE(broadcast, (QStringList{u"first"_s, u"second"_s}));
    // Nothing is lost from the process log, though.
    QCOMPARE(capturedMessages().count(u"logged while broadcasting"_s), 2);
    QCOMPARE(capturedMessages().count(u"warned while broadcasting"_s), 2);
}

void TestLogBridge::floodIsDroppedAndCounted()
{
    const CaptureScope capture;
    QList<QJsonObject> entries;
    LogBridge bridge([&entries](const QJsonObject& entry) { entries.append(entry); }, 10);
    // The bridge's thread (this one) does not get to drain until the loop runs again.
    for (int i = 0; i < 50; ++i)
        qInfo("flood %d", i);
    QCOMPARE(bridge.dropped(), quint64(40));
    QTRY_COMPARE(entries.size(), 11);
    for (int i = 0; i < 10; ++i)
        QCOMPARE(entries.at(i).value("message"_L1).toString(), u"flood %1"_s.arg(i));
    const QJsonObject notice = entries.last();
    QCOMPARE(notice.value("level"_L1).toString(), u"WARNING"_s);
    QVERIFY(notice.value("message"_L1).toString().startsWith(u"40 log messages were dropped"_s));
    // Everything still reached the process log.
    QCOMPARE(capturedMessages().size(), 50);
}

void TestLogBridge::bridgesComeAndGoInAnyOrder()
{
    const CaptureScope capture;
    QStringList first;
    QStringList second;
    auto a = std::make_unique<LogBridge>(
        [&first](const QJsonObject& e) { first.append(e.value("message"_L1).toString()); });
    auto b = std::make_unique<LogBridge>(
        [&second](const QJsonObject& e) { second.append(e.value("message"_L1).toString()); });
    qInfo("to both");
    QTRY_COMPARE(first.size(), 1);
    QTRY_COMPARE(second.size(), 1);

    a.reset(); // not the last one installed
    qInfo("to the second");
    QTRY_COMPARE(second.size(), 2);
    QCOMPARE(first.size(), 1);

    b.reset();
    QVERIFY(currentHandler() == &captureMessage);
    // A new hub in the same process installs again.
    auto c = std::make_unique<LogBridge>(
        [&first](const QJsonObject& e) { first.append(e.value("message"_L1).toString()); });
    qInfo("to the third");
    QTRY_COMPARE(first.size(), 2);
    c.reset();
    QVERIFY(currentHandler() == &captureMessage);
    // The capturing handler saw each message exactly once.
    QCOMPARE(capturedMessages(),
             (QStringList{u"to both"_s, u"to the second"_s, u"to the third"_s}));
}

namespace {
QtMessageHandler g_beneathOuter = nullptr;
std::atomic<int> g_outerCalls{0};
void outerHandler(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    ++g_outerCalls;
    g_beneathOuter(type, context, message);
}
} // namespace

void TestLogBridge::aHandlerInstalledOnTopStaysInCharge()
{
    const CaptureScope capture;
    QStringList broadcast;
    auto bridge = std::make_unique<LogBridge>(
        [&broadcast](const QJsonObject& e) { broadcast.append(e.value("message"_L1).toString()); });
    // Someone else installs a handler over the bridge's and chains to it.
    g_outerCalls = 0;
    g_beneathOuter = qInstallMessageHandler(outerHandler);
    bridge.reset();
    // Taking the bridge's handler out would have cut the chain: it stays, passing messages on.
    QVERIFY(currentHandler() == &outerHandler);
    qInfo("after the bridge");
    QCOMPARE(g_outerCalls.load(), 1);
    QCOMPARE(capturedMessages(), QStringList{u"after the bridge"_s});

    // A bridge made now is handed messages again, through the same chain.
    auto again = std::make_unique<LogBridge>(
        [&broadcast](const QJsonObject& e) { broadcast.append(e.value("message"_L1).toString()); });
    qInfo("to the new bridge");
    QTRY_COMPARE(broadcast, QStringList{u"to the new bridge"_s});
    QCOMPARE(capturedMessages().size(), 2);
    again.reset();

    // Take the outer handler away again, as its owner would, and let the last bridge go: the
    // process is back to where it started.
    qInstallMessageHandler(g_beneathOuter);
    std::make_unique<LogBridge>([](const QJsonObject&) {}).reset();
    QVERIFY(currentHandler() == &captureMessage);
}

void TestLogBridge::manyThreadsWhileBridgesComeAndGo()
{
    const CaptureScope capture;
    constexpr int threads = 4;
    constexpr int messagesPerThread = 300;
    std::atomic<bool> go{false};
    std::vector<std::unique_ptr<QThread>> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back(QThread::create([&go, t] {
            while (!go)
                QThread::yieldCurrentThread();
            for (int i = 0; i < messagesPerThread; ++i)
                qCInfo(lcTest, "thread %d message %d token=secret%d", t, i, i);
        }));
        workers.back()->start();
    }
    const auto check = [](const QJsonObject& entry) {
        if (entry.value("message"_L1).toString().contains(u"secret"_s))
            qFatal("a token was broadcast");
    };
    // One bridge stays throughout, so every message goes through the redaction...
    int fromWorkers = 0;
    auto staying = std::make_unique<LogBridge>([&fromWorkers, check](const QJsonObject& entry) {
        check(entry);
        if (entry.value("message"_L1).toString().startsWith(u"thread "_s))
            ++fromWorkers;
    });
    go = true;
    // ... while others are made and destroyed as the workers log into them.
    const auto working = [&workers] {
        return std::any_of(workers.begin(), workers.end(),
                           [](const std::unique_ptr<QThread>& w) { return w->isRunning(); });
    };
    for (int round = 0; round < 40 || working(); ++round) {
        LogBridge bridge(check);
        QCoreApplication::processEvents();
    }
    for (auto& worker : workers)
        QVERIFY(worker->wait(60000));
    constexpr int total = threads * messagesPerThread;
    QTRY_COMPARE(quint64(fromWorkers) + staying->dropped(), quint64(total));
    staying.reset();
    QCOMPARE(capturedMessages().size(), total);
    for (const QString& message : capturedMessages())
        QVERIFY2(!message.contains(u"secret"_s), qPrintable(message));
    QVERIFY(currentHandler() == &captureMessage);
}

QTEST_GUILESS_MAIN(TestLogBridge)
#include "tst_log_bridge.moc"
