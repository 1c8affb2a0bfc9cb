#pragma once

// Who is in which room (SPEC §12 "Presence and rooms"): one entry per connection in a room,
// with what its dialect keeps about the member (user, status, cursor, ...). A node sets and
// removes the entries of its own connections; a list holds every node's. On one node the
// entries are this node's and every answer comes at once, from within the call
// (LocalPresenceStore); the nodes of a cluster share them through Redis
// (cluster/RedisPresenceStore), where a list is answered later, on the hub thread, and the
// entries of a node that died expire. As Centrifuge's PresenceManager: memory is one
// implementation, Redis the other, and the dialects only see this interface.
//
// Rooms are named by the caller: the native protocol and 002 share `room:{id}`, 004 uses
// `collab:{id}`. A room may belong to an owner (004: the tenant of whoever opened it): join()
// claims it for its owner when nobody is in it, on any node, and refuses a connection of
// another owner while anybody is. The claim lives as long as the room's entries do: it goes
// with the last one (left, or expired with a dead node).

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QString>

#include <functional>

namespace switchboard {

struct PresenceEntry {
    QString connectionId;
    QString node; // the node the connection is on; empty on a node alone
    QJsonObject info;
};

class PresenceStore : public QObject {
    Q_OBJECT

public:
    // Every connection in a room, ordered by connection id.
    using Members = QList<PresenceEntry>;
    using MembersDone = std::function<void(const Members& members)>;
    enum class Admission {
        Admitted, // the connection is in the room, which belongs to its owner
        Refused,  // the room belongs to another owner: nothing was written
        Unknown,  // the shared store is out of reach and this node cannot tell: nothing written
    };
    using JoinDone = std::function<void(Admission admission)>;
    using OwnerDone = std::function<void(const QString& owner)>;

    using QObject::QObject;

    // Adds this node's connection to the room, or replaces what is known of it.
    virtual void set(const QString& room, const QString& connectionId, const QJsonObject& info) = 0;
    // As set(), for a room that belongs to `owner`: claims the room when it is empty on every
    // node, refuses when it belongs to another owner. Answered on the hub thread, at once on a
    // node alone, later in a cluster (never before the claim is known).
    virtual void join(const QString& room, const QString& owner, const QString& connectionId,
                      const QJsonObject& info, JoinDone done) = 0;
    virtual void remove(const QString& room, const QString& connectionId) = 0;
    // Every node's connections in the room. When the shared store cannot be asked, this node's
    // own: a node cut off from the others still serves its own clients.
    virtual void members(const QString& room, MembersDone done) = 0;
    // Whose the room is on every node: empty when nobody is in it, or it has no owner. When the
    // shared store cannot be asked, as far as this node's own entries tell. Answered as join().
    virtual void owner(const QString& room, OwnerDone done) = 0;

signals:
    // Connections of another node left the room without a word (their node died or lost
    // Redis for longer than an entry lives): the room's members can be told. Reported once,
    // by the node that found them gone.
    void vanished(const QString& room, const QList<switchboard::PresenceEntry>& gone);
};

// This node's connections, in memory: the whole truth on a node alone.
class LocalPresenceStore : public PresenceStore {
    Q_OBJECT

public:
    using PresenceStore::PresenceStore;

    void set(const QString& room, const QString& connectionId, const QJsonObject& info) override;
    // Answered at once.
    void join(const QString& room, const QString& owner, const QString& connectionId,
              const QJsonObject& info, JoinDone done) override;
    void remove(const QString& room, const QString& connectionId) override;
    // Answered at once.
    void members(const QString& room, MembersDone done) override;
    // Answered at once.
    void owner(const QString& room, OwnerDone done) override;

protected:
    // This node's entries: room -> connection id -> info.
    const QHash<QString, QMap<QString, QJsonObject>>& ownEntries() const { return m_rooms; }
    Members ownMembers(const QString& room) const;
    // Whose the room is as far as this node's entries tell: empty when it has none here, or
    // the room has no owner.
    QString ownerHere(const QString& room) const { return m_owners.value(room); }
    // Adds the entry of a room that belongs to `owner` here (the caller checked the claim).
    void addOwned(const QString& room, const QString& owner, const QString& connectionId,
                  const QJsonObject& info);

private:
    QHash<QString, QMap<QString, QJsonObject>> m_rooms;
    QHash<QString, QString> m_owners; // room -> owner, while it has entries here
};

} // namespace switchboard
