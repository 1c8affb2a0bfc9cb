#include "SystemMetrics.h"

#include "SystemAlert.h"

#include "../hub/Hub.h"

#include <QDateTime>
#include <QFileInfo>
#include <QStorageInfo>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace switchboard {
namespace {

const QString StatusTopic = u"status"_s;
const QString MetricsTopic = u"system_metrics"_s;

// Long enough for CPU tick counters (1/100 s) to say something, short enough that a new
// watcher sees numbers at once.
constexpr std::chrono::milliseconds FirstSampleDelay{500};

double oneDecimal(double value)
{
    return std::round(value * 10.0) / 10.0;
}

double percentOf(quint64 part, quint64 whole)
{
    return whole == 0 ? 0.0 : 100.0 * double(part) / double(whole);
}

QString nearestExisting(const QString& path)
{
    QFileInfo info(path.isEmpty() ? QStringLiteral("/") : path);
    while (!info.exists()) {
        const QString parent = info.absolutePath();
        if (parent == info.absoluteFilePath())
            break;
        info = QFileInfo(parent);
    }
    return info.absoluteFilePath();
}

} // namespace

SystemMetrics::SystemMetrics(Hub& hub, std::unique_ptr<SystemProbe> probe, Options options,
                             QObject* parent)
    : QObject(parent)
    , m_hub(hub)
    , m_probe(std::move(probe))
    , m_options(std::move(options))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &SystemMetrics::tick);
    m_timer.start(m_options.interval);
}

SystemMetrics::~SystemMetrics() = default;

void SystemMetrics::addWatcher()
{
    ++m_watchers;
}

void SystemMetrics::removeWatcher()
{
    Q_ASSERT(m_watchers > 0);
    m_watchers = std::max(0, m_watchers - 1);
}

bool SystemMetrics::isWatched() const
{
    return m_watchers > 0 || m_hub.subscriberCount(StatusTopic) > 0 ||
           m_hub.subscriberCount(MetricsTopic) > 0;
}

void SystemMetrics::tick()
{
    ++m_ticks;
    if (!isWatched()) {
        m_previous.reset();
        m_timer.start(m_options.interval);
        return;
    }
    Reading current = read();
    const bool first = !m_previous;
    if (!first) {
        const QJsonObject metrics = describe(*m_previous, current);
        m_hub.publish(StatusTopic, u"status_update"_s, metrics);
        m_hub.publish(MetricsTopic, u"system_metrics"_s, metrics);
        if (current.disk)
            checkDisk(*current.disk);
    }
    m_previous = std::move(current);
    m_timer.start(first ? std::min(FirstSampleDelay, m_options.interval) : m_options.interval);
}

SystemMetrics::Reading SystemMetrics::read()
{
    ++m_samples;
    return {m_probe->read(), readDisk(), std::chrono::steady_clock::now()};
}

std::optional<SystemMetrics::DiskUsage> SystemMetrics::readDisk() const
{
    // The data dir may not exist yet; the disk it will be created on is the one that counts.
    const QStorageInfo storage(nearestExisting(m_options.diskPath));
    if (!storage.isValid() || storage.bytesTotal() <= 0)
        return std::nullopt;
    const quint64 total = quint64(storage.bytesTotal());
    const quint64 used = total - std::min(total, quint64(std::max<qint64>(0, storage.bytesFree())));
    const quint64 available = quint64(std::max<qint64>(0, storage.bytesAvailable()));
    // As df counts it: space reserved for root is neither used nor available to us.
    return DiskUsage{used, total, percentOf(used, used + available)};
}

QJsonObject SystemMetrics::describe(const Reading& previous, const Reading& current) const
{
    QJsonObject metrics;
    const double seconds = std::chrono::duration<double>(current.at - previous.at).count();
    const SystemCounters& now = current.counters;
    const SystemCounters& before = previous.counters;
    if (now.cpu && before.cpu && now.cpu->total > before.cpu->total) {
        const quint64 busy = now.cpu->busy - std::min(now.cpu->busy, before.cpu->busy);
        const double percent = percentOf(busy, now.cpu->total - before.cpu->total);
        metrics.insert(u"cpu_percent"_s, oneDecimal(std::clamp(percent, 0.0, 100.0)));
    }
    if (now.memory) {
        metrics.insert(u"memory_used_bytes"_s, double(now.memory->usedBytes));
        metrics.insert(u"memory_total_bytes"_s, double(now.memory->totalBytes));
        metrics.insert(u"memory_percent"_s,
                       oneDecimal(percentOf(now.memory->usedBytes, now.memory->totalBytes)));
    }
    if (current.disk) {
        metrics.insert(u"disk_used_bytes"_s, double(current.disk->usedBytes));
        metrics.insert(u"disk_total_bytes"_s, double(current.disk->totalBytes));
        metrics.insert(u"disk_percent"_s, oneDecimal(current.disk->percent));
    }
    if (now.network && before.network && seconds > 0) {
        // Counters restart when an interface goes away: a drop counts as no traffic.
        const auto rate = [seconds](quint64 later, quint64 earlier) {
            return later > earlier ? std::round(double(later - earlier) / seconds) : 0.0;
        };
        metrics.insert(u"network_in_bytes_per_sec"_s,
                       rate(now.network->receivedBytes, before.network->receivedBytes));
        metrics.insert(u"network_out_bytes_per_sec"_s,
                       rate(now.network->sentBytes, before.network->sentBytes));
    }
    metrics.insert(u"timestamp"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    return metrics;
}

void SystemMetrics::checkDisk(const DiskUsage& disk)
{
    const double threshold = m_options.diskAlertPercent;
    if (m_diskAlertRaised) {
        if (disk.percent <= threshold - 1.0)
            m_diskAlertRaised = false;
        return;
    }
    if (disk.percent <= threshold)
        return;
    m_diskAlertRaised = true;
    const QString percent = QString::number(disk.percent, 'f', 1);
    publishSystemAlert(
        m_hub, QJsonObject{
                   {u"alert_type"_s, u"disk_space"_s},
                   {u"severity"_s, disk.percent >= 95.0 ? u"critical"_s : u"warning"_s},
                   {u"message"_s, u"Disk use of the data dir is %1 % (alert above %2 %)"_s.arg(
                                      percent, QString::number(m_options.diskAlertPercent))},
                   {u"disk_percent"_s, oneDecimal(disk.percent)},
                   {u"threshold_percent"_s, m_options.diskAlertPercent},
               });
}

} // namespace switchboard
