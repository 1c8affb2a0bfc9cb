#include "LogBridge.h"

#include "Redaction.h"

#include "../wire/LogFields.h"

#include <QDateTime>
#include <QMetaObject>
#include <QMutexLocker>

#include <algorithm>
#include <atomic>
#include <vector>

using namespace Qt::StringLiterals;

namespace switchboard {
namespace {

// Non-zero while this thread is inside the handler's hand-off or a broadcast of log entries:
// what it logs then is passed on to the previous handler but not queued again.
thread_local int t_busy = 0;

struct BusyGuard {
    BusyGuard() { ++t_busy; }
    ~BusyGuard() { --t_busy; }
    BusyGuard(const BusyGuard&) = delete;
    BusyGuard& operator=(const BusyGuard&) = delete;
};

struct Registry {
    QMutex mutex; // guards bridges and installed; held while installing or uninstalling
    std::vector<LogBridge*> bridges;
    bool installed = false;
};

Registry& registry()
{
    // Never destroyed: a thread may still log while static objects are being torn down.
    static Registry* const instance = new Registry;
    return *instance;
}

// The handler ours replaced. Atomic so that the handler can read it without the registry
// lock, which a message logged while the lock is held (by this thread) could not take.
std::atomic<QtMessageHandler> g_previous{nullptr};

QString moduleName(const QMessageLogContext& context)
{
    // Messages without a category of their own come from the application's "default" one.
    if (!context.category || qstrcmp(context.category, "default") == 0)
        return u"switchboard"_s;
    return QString::fromUtf8(context.category);
}

QJsonObject makeEntry(const QString& level, const QString& module, const QString& message)
{
    QString text = message;
    if (text.size() > LogBridge::MaxMessageLength) {
        text.truncate(LogBridge::MaxMessageLength);
        text += u"\u2026";
    }
    QJsonObject entry{
        {u"level"_s, level},
        {u"module"_s, module},
        {u"message"_s, text},
        {u"timestamp"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}};
    // What the line is about (user, connection, topic, job), for filtering; never secrets.
    if (const QList<LogFields::Field>* fields = LogFields::current()) {
        for (const LogFields::Field& field : *fields)
            entry.insert(field.first, redactSecrets(field.second.left(200)));
    }
    return entry;
}

} // namespace

LogBridge::LogBridge(Broadcast broadcast, int capacity, QObject* parent)
    : QObject(parent)
    , m_broadcast(std::move(broadcast))
    , m_capacity(std::max(1, capacity))
{
    Registry& shared = registry();
    const QMutexLocker lock(&shared.mutex);
    shared.bridges.push_back(this);
    if (!shared.installed) {
        g_previous.store(qInstallMessageHandler(&LogBridge::handleMessage));
        shared.installed = true;
    }
}

LogBridge::~LogBridge()
{
    Registry& shared = registry();
    const QMutexLocker lock(&shared.mutex);
    shared.bridges.erase(std::remove(shared.bridges.begin(), shared.bridges.end(), this),
                         shared.bridges.end());
    if (!shared.bridges.empty() || !shared.installed)
        return;
    const QtMessageHandler current = qInstallMessageHandler(g_previous.load());
    if (current == &LogBridge::handleMessage) {
        shared.installed = false;
        return;
    }
    // Another handler went in on top of ours and chains to it: taking ours out would cut that
    // chain. Put theirs back; ours stays in it and only passes messages on.
    qInstallMessageHandler(current);
}

QString LogBridge::levelName(QtMsgType type)
{
    switch (type) {
    case QtInfoMsg:
        return u"INFO"_s;
    case QtWarningMsg:
        return u"WARNING"_s;
    case QtCriticalMsg:
        return u"CRITICAL"_s;
    case QtDebugMsg:
    case QtFatalMsg: // ends the process before the hub thread could send it
        break;
    }
    return {};
}

quint64 LogBridge::dropped() const
{
    const QMutexLocker lock(&m_mutex);
    return m_dropped;
}

void LogBridge::handleMessage(QtMsgType type, const QMessageLogContext& context,
                              const QString& message)
{
    const QString clean = redactSecrets(message);
    if (t_busy == 0) {
        const QString level = levelName(type);
        // The connection log names users and addresses: it is for the operator (stderr), not
        // for the topic every user may read.
        const bool operatorOnly = qstrcmp(context.category, "switchboard.connections") == 0;
        if (!level.isEmpty() && !operatorOnly) {
            const BusyGuard guard;
            const QJsonObject entry = makeEntry(level, moduleName(context), clean);
            Registry& shared = registry();
            const QMutexLocker lock(&shared.mutex);
            for (LogBridge* bridge : shared.bridges)
                bridge->enqueue(entry);
        }
    }
    QtMessageHandler previous = g_previous.load();
    if (!previous && t_busy == 0) {
        // Only in the instant between installing the handler and storing what it replaced:
        // the installer holds the lock until both are done.
        const QMutexLocker lock(&registry().mutex);
        previous = g_previous.load();
    }
    if (previous)
        previous(type, context, clean);
}

void LogBridge::enqueue(const QJsonObject& entry)
{
    const QMutexLocker lock(&m_mutex);
    if (m_pending.size() >= std::size_t(m_capacity)) {
        ++m_dropped;
        return;
    }
    m_pending.push_back(entry);
    if (!m_drainPosted) {
        m_drainPosted = true;
        QMetaObject::invokeMethod(this, &LogBridge::drain, Qt::QueuedConnection);
    }
}

void LogBridge::drain()
{
    std::deque<QJsonObject> batch;
    quint64 newlyDropped = 0;
    {
        const QMutexLocker lock(&m_mutex);
        batch.swap(m_pending);
        newlyDropped = m_dropped - m_droppedReported;
        m_droppedReported = m_dropped;
        m_drainPosted = false;
    }
    const BusyGuard guard;
    for (const QJsonObject& entry : batch)
        m_broadcast(entry);
    if (newlyDropped > 0)
        m_broadcast(makeEntry(u"WARNING"_s, u"switchboard.logs"_s,
                              u"%1 log messages were dropped: more arrived than the hub could "
                              "send"_s.arg(newlyDropped)));
}

} // namespace switchboard
