#pragma once

// System health for the `status` and `system_metrics` topics (SPEC §6.2): CPU %, memory,
// disk use of the data dir and network bytes/s, published as `status_update` (000) and
// `system_metrics` (002) with the same numbers every interval, but only while someone
// watches; and a `system_alert` on `status` when disk use rises above a threshold.
//
// Watching, and why it is polled: the Hub tells nobody about subscribes and unsubscribes (its
// subscribe and publish paths stay free of observer hooks), so one timer asks
// Hub::subscriberCount() about the two topics once per interval: two hash lookups. While
// nobody watches that is all that happens: no /proc reads, nothing published, like
// obs-websocket's volume meters. In-process watchers (the console) count as well, through
// addWatcher()/removeWatcher().
// When watching starts, the tick reads a baseline and the first real sample follows shortly
// after (CPU % and bytes/s are differences between two readings); then one sample per
// interval. When it stops, the baseline is dropped, so no rate ever spans an unwatched gap.
//
// The disk alert fires once per crossing: it is armed again only after use has fallen a full
// point below the threshold, so a disk hovering at the line does not repeat it every sample.

#include "SystemProbe.h"

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <memory>
#include <optional>

namespace switchboard {

class Hub;

class SystemMetrics : public QObject {
    Q_OBJECT

public:
    struct Options {
        std::chrono::milliseconds interval{2000};
        int diskAlertPercent = 90;
        QString diskPath; // the data dir; measured on its nearest existing ancestor
    };

    SystemMetrics(Hub& hub, std::unique_ptr<SystemProbe> probe, Options options,
                  QObject* parent = nullptr);
    ~SystemMetrics() override;

    void addWatcher();
    void removeWatcher();
    bool isWatched() const;

    // Timer ticks so far, and how many read the system (for tests: none while unwatched).
    quint64 ticks() const { return m_ticks; }
    quint64 samples() const { return m_samples; }

private:
    struct DiskUsage {
        quint64 usedBytes = 0;
        quint64 totalBytes = 0;
        double percent = 0; // unrounded, so that any use at all is above a threshold of 0
    };
    struct Reading {
        SystemCounters counters;
        std::optional<DiskUsage> disk;
        std::chrono::steady_clock::time_point at;
    };

    void tick();
    Reading read();
    std::optional<DiskUsage> readDisk() const;
    QJsonObject describe(const Reading& previous, const Reading& current) const;
    void checkDisk(const DiskUsage& disk);

    Hub& m_hub;
    std::unique_ptr<SystemProbe> m_probe;
    Options m_options;
    QTimer m_timer;
    std::optional<Reading> m_previous;
    int m_watchers = 0;
    bool m_diskAlertRaised = false;
    quint64 m_ticks = 0;
    quint64 m_samples = 0;
};

} // namespace switchboard
