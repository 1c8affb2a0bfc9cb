#pragma once

// One published event: immutable once the hub has given it a sequence number, and shared
// (never copied) by the topic history and every dialect that encodes it.

#include <QJsonObject>
#include <QString>

#include <memory>

namespace switchboard {

struct Event {
    QString topic;
    quint64 seq = 0;
    QString name;           // e.g. "job_progress", "equity_update"
    qint64 timestampMs = 0; // wall clock, ms since epoch (the "ts" field)
    qint64 publishedNs = 0; // steady clock, for the publish-to-send latency histogram
    QJsonObject data;
    QString except = {}; // the id of a subscriber that does not get it (a collaboration sender)
};

using EventPtr = std::shared_ptr<const Event>;

} // namespace switchboard
