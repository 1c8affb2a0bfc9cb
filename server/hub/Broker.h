#pragma once

// Where topics' sequence numbers and history live when this hub is one node of several
// (cluster/ implements it over Redis), so that a publication on any node reaches the
// subscribers of every node exactly once and in order. The hub publishes through it and
// watches the topics it has subscribers for; the broker answers through a BrokerListener (the
// Hub) on the hub thread. Without a broker the hub numbers and keeps its topics itself.

#include <QByteArray>
#include <QString>

#include <functional>
#include <vector>

namespace switchboard {

// One stored publication: its sequence number and the body the hub gave the broker.
struct BrokerEntry {
    quint64 seq = 0;
    QByteArray body;
};

// Where a topic stands in the broker: the epoch of its history (a new one when the history
// was lost: a flushed or restarted store), its newest seq, and the entries after the seq the
// hub asked from, oldest first. `complete` is false when the history no longer holds all of
// them; `ok` false when the store could not be asked.
struct BrokerPosition {
    bool ok = false;
    QString epoch;
    quint64 seq = 0;
    std::vector<BrokerEntry> entries;
    bool complete = true;
};

class BrokerListener {
public:
    // A publication of a watched topic, from any node (this one included), in the order the
    // broker numbered them.
    virtual void brokerPublication(const QString& topic, const QString& epoch, quint64 seq,
                                   const QByteArray& body) = 0;
    // The broker receives the topic's publications from now on (after watch(), and again after
    // its store came back): the hub asks where the topic stands.
    virtual void brokerWatching(const QString& topic) = 0;
    // The store the topic lives on is unreachable: publications may be missed until
    // brokerWatching() says it is back.
    virtual void brokerLost(const QString& topic) = 0;

protected:
    ~BrokerListener() = default;
};

class Broker {
public:
    virtual ~Broker() = default;

    // Called once by the hub it serves.
    virtual void attach(BrokerListener& listener) = 0;

    struct Published {
        bool ok = false;
        QString epoch;
        quint64 seq = 0;
    };
    // Gives the publication its topic's next seq, keeps it in the topic's history and sends it
    // to every node that watches the topic. `done` tells the seq, or ok = false when the store
    // did not take it.
    virtual void publish(const QString& topic, const QByteArray& body,
                         std::function<void(const Published&)> done) = 0;
    // Starts (and stops) receiving a topic's publications: brokerWatching() follows once they
    // flow.
    virtual void watch(const QString& topic) = 0;
    virtual void unwatch(const QString& topic) = 0;
    // The topic's epoch, newest seq and up to `limit` entries after `since`.
    virtual void position(const QString& topic, quint64 since, int limit,
                          std::function<void(const BrokerPosition&)> done) = 0;
    // False while the store the topic lives on is unreachable.
    virtual bool isAvailable(const QString& topic) const = 0;
};

} // namespace switchboard
