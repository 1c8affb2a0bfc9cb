#pragma once

// How the hub turns an event into what one kind of subscriber reads. Each dialect is one
// (protocol/dialects/); the hub groups a topic's subscribers by encoder and calls it once per
// event and group, never once per subscriber.

#include "Event.h"

#include <QByteArray>

namespace switchboard {

class EventEncoder {
public:
    // The event as this encoder's subscribers see it, or empty when they do not get it.
    virtual QByteArray encodeEvent(const Event& event) const = 0;
    // Tells a subscriber that `topic`'s history cannot serve it (what it missed is gone, or
    // the topic was numbered anew): it fetches its state afresh.
    virtual QByteArray encodeResync(const QString& topic) const = 0;

protected:
    ~EventEncoder() = default;
};

} // namespace switchboard
