#include "HubStory.h"

#include "../hub/Subscriber.h"
#include "../hub/Subscribers.h"
#include "../jobs/JobEngine.h"
#include "../wire/LogFields.h"

using namespace Qt::StringLiterals;

namespace switchboard {

Q_LOGGING_CATEGORY(lcJobs, "switchboard.jobs", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHub, "switchboard.hub", QtInfoMsg)

namespace {

QString duration(qint64 ms)
{
    if (ms < 10'000)
        return QString::number(double(ms) / 1000.0, 'f', 2) + u" s"_s;
    if (ms < 120'000)
        return QString::number(double(ms) / 1000.0, 'f', 1) + u" s"_s;
    return u"%1 min %2 s"_s.arg(ms / 60'000).arg((ms % 60'000) / 1000);
}

QString who(const QString& owner)
{
    return owner.isEmpty() ? u"anonymous"_s : owner;
}

} // namespace

HubStory::HubStory(const JobEngine& jobs, Subscribers& subscribers,
                   std::function<quint64()> refusedSignIns, std::chrono::milliseconds refusalsEvery,
                   QObject* parent)
    : QObject(parent)
    , m_refusedSignIns(std::move(refusedSignIns))
{
    connect(&jobs, &JobEngine::jobChanged, this, &HubStory::jobChanged);
    connect(&subscribers, &Subscribers::closed, this,
            [this](const Subscriber* subscriber) { subscriberClosed(*subscriber); });
    m_refusalsReported = m_refusedSignIns ? m_refusedSignIns() : 0;
    m_refusalsTimer.setInterval(refusalsEvery);
    connect(&m_refusalsTimer, &QTimer::timeout, this, &HubStory::reportRefusals);
    m_refusalsTimer.start();
}

void HubStory::jobChanged(const JobRecord& job)
{
    const QString title = job.title.isEmpty() ? job.type : job.title;
    const LogFields fields{{u"user"_s, job.owner}, {u"job"_s, job.id}, {u"topic"_s, u"jobs"_s}};
    if (job.status == JobStatus::Running) {
        if (m_running.contains(job.id))
            return; // progress
        m_running.insert(job.id);
        qCInfo(lcJobs, "job %s (%s) started for %s%s", qUtf8Printable(job.id),
               qUtf8Printable(title), qUtf8Printable(who(job.owner)),
               job.external ? " (run by a service)" : "");
        return;
    }
    if (!isFinished(job.status))
        return;
    m_running.remove(job.id);
    const qint64 took =
        job.startedAt > 0 && job.completedAt >= job.startedAt ? job.completedAt - job.startedAt : 0;
    switch (job.status) {
    case JobStatus::Completed:
        qCInfo(lcJobs, "job %s (%s) completed in %s", qUtf8Printable(job.id), qUtf8Printable(title),
               qUtf8Printable(duration(took)));
        break;
    case JobStatus::Failed:
        qCWarning(lcJobs, "job %s (%s) failed after %s: %s", qUtf8Printable(job.id),
                  qUtf8Printable(title), qUtf8Printable(duration(took)),
                  qUtf8Printable(job.error.left(300)));
        break;
    case JobStatus::Cancelled:
        qCInfo(lcJobs, "job %s (%s) cancelled after %s", qUtf8Printable(job.id),
               qUtf8Printable(title), qUtf8Printable(duration(took)));
        break;
    default:
        break;
    }
}

void HubStory::subscriberClosed(const Subscriber& subscriber)
{
    if (subscriber.closeCode() != 1013)
        return;
    const LogFields fields{{u"user"_s, subscriber.identity().subject},
                           {u"connection"_s, subscriber.id()}};
    qCWarning(lcHub,
              "connection %s (%s on %s) cut off: it stopped reading and %lld KiB were "
              "waiting (close 1013)",
              qUtf8Printable(subscriber.id()),
              qUtf8Printable(subscriber.identity().isAuthenticated()
                                 ? subscriber.identity().subject.left(100)
                                 : u"anonymous"_s),
              qUtf8Printable(subscriber.endpoint().left(100)),
              qlonglong((subscriber.outbox().bytes + subscriber.backlogBytes()) / 1024));
}

void HubStory::reportRefusals()
{
    if (!m_refusedSignIns)
        return;
    const quint64 now = m_refusedSignIns();
    if (now <= m_refusalsReported)
        return;
    const quint64 refused = now - m_refusalsReported;
    m_refusalsReported = now;
    qCWarning(lcHub,
              "%llu sign-in(s) refused since the last report (bad, expired or forged "
              "tokens)",
              static_cast<unsigned long long>(refused));
}

} // namespace switchboard
