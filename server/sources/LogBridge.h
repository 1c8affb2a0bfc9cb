#pragma once

// Puts the process's own log on the hub (SPEC §6.3): every qInfo, qWarning and qCritical
// (never qDebug) becomes a `system_log {level, module, message, timestamp}` handed to the
// broadcast function on the thread the bridge lives in (the hub thread).
//
// How it fits together:
// - One process-wide Qt message handler serves every bridge alive (tests run several hubs in
//   one process). It is installed with the first bridge and, with the last one gone, the
//   handler found before it is put back; if someone installed a handler on top of ours in the
//   meantime, ours stays in their chain and just passes messages on.
// - The handler always chains to the previous handler, with credentials (token=..., Bearer,
//   JWTs) redacted first: what reaches stderr is as clean as what reaches clients.
// - Messages come from any thread. The handler only appends to a bounded queue and posts one
//   queued drain call; the hub thread broadcasts. A flood beyond the bound is dropped and
//   counted, and the count is reported as a warning entry of its own.
// - A per-thread guard stops recursion: a message logged while this thread is inside the
//   handler or a broadcast of log entries still goes to the previous handler (so it is not
//   lost from stderr) but is not queued again.

#include <QJsonObject>
#include <QMutex>
#include <QObject>

#include <deque>
#include <functional>

namespace switchboard {

class LogBridge : public QObject {
    Q_OBJECT

public:
    using Broadcast = std::function<void(const QJsonObject& entry)>;

    static constexpr int DefaultCapacity = 1000;
    static constexpr qsizetype MaxMessageLength = 8192;

    explicit LogBridge(Broadcast broadcast, int capacity = DefaultCapacity,
                       QObject* parent = nullptr);
    ~LogBridge() override;
    LogBridge(const LogBridge&) = delete;
    LogBridge& operator=(const LogBridge&) = delete;

    // Messages dropped because the queue was full; thread-safe.
    quint64 dropped() const;

    // "INFO", "WARNING", "CRITICAL" (the levels of seed 001), or empty: not broadcast.
    static QString levelName(QtMsgType type);

private:
    static void handleMessage(QtMsgType type, const QMessageLogContext& context,
                              const QString& message);
    void enqueue(const QJsonObject& entry);
    void drain();

    Broadcast m_broadcast;
    const int m_capacity;

    mutable QMutex m_mutex; // guards the members below: the queue is filled from any thread
    std::deque<QJsonObject> m_pending;
    quint64 m_dropped = 0;
    quint64 m_droppedReported = 0;
    bool m_drainPosted = false;
};

} // namespace switchboard
