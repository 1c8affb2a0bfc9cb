#pragma once

// The hub's story at INFO and WARNING, for operators reading the `logs` topic (SPEC §13): jobs
// started and finished, failed or cancelled with their duration, clients cut off for not
// reading, and once a minute how many sign-ins were refused. Each line carries the user,
// connection, topic or job it is about as log fields (wire/LogFields.h) for the filters. It
// never names a client's address (the `logs` topic is readable by every user) and never a
// token; connection open/close lines with addresses stay in the operator-only connection log.

#include <QLoggingCategory>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

namespace switchboard {

Q_DECLARE_LOGGING_CATEGORY(lcJobs)
Q_DECLARE_LOGGING_CATEGORY(lcHub)

class JobEngine;
class Subscriber;
class Subscribers;
struct JobRecord;

class HubStory : public QObject {
    Q_OBJECT

public:
    // `refusedSignIns`: how many tokens were refused since start (counted by the verifier).
    HubStory(const JobEngine& jobs, Subscribers& subscribers,
             std::function<quint64()> refusedSignIns,
             std::chrono::milliseconds refusalsEvery = std::chrono::minutes(1),
             QObject* parent = nullptr);

    void jobChanged(const JobRecord& job);
    void subscriberClosed(const Subscriber& subscriber);
    // Logs the refusals counted since the last report, if any.
    void reportRefusals();

private:
    std::function<quint64()> m_refusedSignIns;
    quint64 m_refusalsReported = 0;
    QTimer m_refusalsTimer;
    QSet<QString> m_running; // jobs whose start was told
};

} // namespace switchboard
