#pragma once

// Presence for a cluster (SPEC §12 "Presence and rooms"): every node's connections in a room,
// in Redis on the shard the room's name hashes to (cluster/lua/presence.lua: a hash of entries
// and a sorted set of their expiry times, as Centrifugo keeps presence). Each node writes its
// own connections' entries as they join, change and leave, and rewrites them all every
// `refreshInterval`; an entry not rewritten for `entryLifetime` expires. So the entries of a
// node that died (kill -9) go at the latest `entryLifetime` + `refreshInterval` after it did,
// and sooner when the Cluster counts the node gone (15 s): the survivors then purge its entries
// from the rooms they share with it. Whichever node removes entries that way reports them
// (vanished) so the room is told.
//
// A room's owner (PresenceStore::join) is a key beside its entries, claimed and refused within
// the script, and deleted with the room's last entry: so the claim of a room whose members were
// all on a dead node lapses when their entries do.
//
// An entry set (a member in, its cursor moved, its status changed) is written within
// `writeDelay`, together with the other entries set meanwhile: a member moving its cursor
// sixty times a second costs Redis ten writes a second, not sixty. Whatever asks the store about
// a room (a list, its owner, a join) writes the room's pending changes first, so an answer
// never misses what this node already said.
//
// Lists are answered asynchronously on the hub thread; with the shard out of reach a list
// holds this node's own connections, and once it is back every entry (and every claim) is
// written again. A join the shard cannot answer is admitted only into a room this node's own
// members hold for the same owner: the others cannot be checked.

#include "../hub/PresenceStore.h"
#include "RedisScript.h"

#include <QSet>
#include <QTimer>

#include <chrono>

namespace switchboard {

class Cluster;
struct RedisValue;

class RedisPresenceStore final : public LocalPresenceStore {
    Q_OBJECT

public:
    static constexpr std::chrono::seconds entryLifetime{20};
    static constexpr std::chrono::seconds refreshInterval{4};
    static constexpr std::chrono::milliseconds writeDelay{100};

    explicit RedisPresenceStore(Cluster& cluster, QObject* parent = nullptr);

    void set(const QString& room, const QString& connectionId, const QJsonObject& info) override;
    void join(const QString& room, const QString& owner, const QString& connectionId,
              const QJsonObject& info, JoinDone done) override;
    void remove(const QString& room, const QString& connectionId) override;
    void members(const QString& room, MembersDone done) override;
    void owner(const QString& room, OwnerDone done) override;

    // The room's keys: its hash of entries and its expiry times.
    static QByteArray entriesKeyOf(const QString& room);
    static QByteArray expiriesKeyOf(const QString& room);
    static QByteArray ownerKeyOf(const QString& room);

private:
    using Reply = std::function<void(const RedisValue& reply)>;

    // Runs the script's `operation` on the room's shard; `reply` gets its answer, once what
    // it removed has been reported.
    void run(const QString& room, const QByteArray& operation, const QList<QByteArray>& arguments,
             Reply reply = {}, const QString& owner = {});
    QByteArray entryOf(const QJsonObject& info) const;
    // Rewrites every entry of this node (and with it removes what expired meanwhile).
    void refresh();
    // Writes the changes made since the last write, of every room or of one.
    void writeChanges();
    void writeChanges(const QString& room);
    void onNodesChanged();
    void reportGone(const QString& room, const RedisValue& gone);

    Cluster& m_cluster;
    RedisScript m_script;
    QTimer m_refresh;
    QTimer m_write;
    QHash<QString, QSet<QString>> m_changed; // room -> connections changed, not yet written
    QSet<QString> m_nodes;                   // the other nodes as last seen
};

} // namespace switchboard
