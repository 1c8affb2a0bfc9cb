#pragma once

// One published event: immutable once the hub has given it a sequence number (its data's
// parsed form aside, made once when first asked for), and shared (never copied) by the topic
// history and every dialect that encodes it. Read on the hub thread only, like the hub.

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <initializer_list>
#include <memory>
#include <utility>

namespace switchboard {

// An event's data, a JSON object, held in whichever form its producer had it: as compact JSON
// text (a WebSocket or cluster publication, validated where it came in) or as an object (the
// hub's own producers). Each form is made from the other only when asked for, so the data of an
// event that only native subscribers read is never parsed, and is kept (in the history) as the
// few hundred bytes it came as rather than as an object several times that size. Text is
// parsed once, when first asked for (a topic that other dialects, taps or the console read),
// and the object is kept from then on.
class EventData {
public:
    // Implicit, so that a QJsonObject, or the braces of one, is an EventData.
    EventData(QJsonObject object = {})
        : m_object(std::move(object))
    {}
    EventData(std::initializer_list<std::pair<QString, QJsonValue>> members)
        : m_object(members)
    {}
    // `json`: the compact text of a JSON object, already checked to be one.
    static EventData fromCompactJson(QByteArray json)
    {
        EventData data;
        data.m_json = std::move(json);
        data.m_parsed = data.m_json.isEmpty();
        return data;
    }

    // Parsed from the text on the first call when held as text (not thread-safe: the hub
    // thread's).
    const QJsonObject& object() const;
    // Serialised (each time) when held as an object: the native encoder, once per event.
    QByteArray json() const;

private:
    mutable QJsonObject m_object;
    QByteArray m_json;            // when not empty, the data as compact text
    mutable bool m_parsed = true; // false while m_json has not been parsed into m_object
};

struct Event {
    QString topic;
    quint64 seq = 0;
    QString name;           // e.g. "job_progress", "equity_update"
    qint64 timestampMs = 0; // wall clock, ms since epoch (the "ts" field)
    qint64 publishedNs = 0; // steady clock, for the publish-to-send latency histogram
    EventData data;
    QString except = {}; // the id of a subscriber that does not get it (a collaboration sender)
};

using EventPtr = std::shared_ptr<const Event>;

} // namespace switchboard
