#include "RedisPresenceStore.h"

#include "Cluster.h"
#include "RedisShards.h"

#include <QJsonDocument>
#include <QPointer>

#include <algorithm>

namespace switchboard {

namespace {

const QByteArray lifetimeMs = QByteArray::number(
    qint64(std::chrono::milliseconds(RedisPresenceStore::entryLifetime).count()));

// An entry as the script keeps it: {"node":..,"info":{..}}; nullopt when it is not one.
std::optional<PresenceEntry> parseEntry(const QByteArray& connectionId, const QByteArray& json)
{
    const QJsonDocument document = QJsonDocument::fromJson(json);
    if (!document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    return PresenceEntry{QString::fromUtf8(connectionId),
                         object.value(QLatin1String("node")).toString(),
                         object.value(QLatin1String("info")).toObject()};
}

// Pairs of (connection id, entry) as the script returns them.
PresenceStore::Members parseEntries(const RedisValue& pairs)
{
    PresenceStore::Members members;
    for (std::size_t i = 0; i + 1 < pairs.elements.size(); i += 2) {
        if (auto entry = parseEntry(pairs.at(i).string, pairs.at(i + 1).string))
            members.append(std::move(*entry));
    }
    std::sort(members.begin(), members.end(),
              [](const auto& a, const auto& b) { return a.connectionId < b.connectionId; });
    return members;
}

bool isAnswer(const RedisValue& reply)
{
    return reply.isArray() && reply.elements.size() == 3 && reply.at(0).isArray() &&
           reply.at(1).isArray() && !reply.at(2).isArray();
}

} // namespace

RedisPresenceStore::RedisPresenceStore(Cluster& cluster, QObject* parent)
    : LocalPresenceStore(parent)
    , m_cluster(cluster)
    , m_script(RedisScript::load(QStringLiteral("presence.lua")))
{
    m_write.setSingleShot(true);
    m_write.setInterval(writeDelay);
    connect(&m_write, &QTimer::timeout, this, qOverload<>(&RedisPresenceStore::writeChanges));
    m_refresh.setInterval(refreshInterval);
    connect(&m_refresh, &QTimer::timeout, this, &RedisPresenceStore::refresh);
    m_refresh.start();
    // A Redis that comes back may have lost the entries (restarted, flushed): written again.
    connect(&m_cluster.shards(), &RedisShards::shardUp, this, &RedisPresenceStore::refresh);
    connect(&m_cluster, &Cluster::nodesChanged, this, &RedisPresenceStore::onNodesChanged);
}

QByteArray RedisPresenceStore::entriesKeyOf(const QString& room)
{
    return "sb:p:" + room.toUtf8();
}

QByteArray RedisPresenceStore::expiriesKeyOf(const QString& room)
{
    return "sb:pt:" + room.toUtf8();
}

QByteArray RedisPresenceStore::ownerKeyOf(const QString& room)
{
    return "sb:po:" + room.toUtf8();
}

QByteArray RedisPresenceStore::entryOf(const QJsonObject& info) const
{
    return QJsonDocument(QJsonObject{{QLatin1String("node"), m_cluster.nodeName()},
                                     {QLatin1String("info"), info}})
        .toJson(QJsonDocument::Compact);
}

void RedisPresenceStore::set(const QString& room, const QString& connectionId,
                             const QJsonObject& info)
{
    LocalPresenceStore::set(room, connectionId, info);
    m_changed[room].insert(connectionId);
    if (!m_write.isActive())
        m_write.start();
}

void RedisPresenceStore::writeChanges()
{
    const QList<QString> rooms = m_changed.keys();
    for (const QString& room : rooms)
        writeChanges(room);
}

void RedisPresenceStore::writeChanges(const QString& room)
{
    const QSet<QString> changed = m_changed.take(room);
    if (changed.isEmpty())
        return;
    const auto entries = ownEntries().constFind(room);
    if (entries == ownEntries().cend())
        return;
    QList<QByteArray> arguments;
    arguments.reserve(changed.size() * 2);
    for (const QString& connectionId : changed) {
        const auto info = entries->constFind(connectionId);
        if (info != entries->cend())
            arguments << connectionId.toUtf8() << entryOf(*info);
    }
    if (!arguments.isEmpty())
        run(room, "set", arguments);
}

void RedisPresenceStore::join(const QString& room, const QString& owner,
                              const QString& connectionId, const QJsonObject& info, JoinDone done)
{
    writeChanges(room);
    // This node's own members hold it for another: no need to ask.
    const QString here = ownerHere(room);
    if (!here.isEmpty() && here != owner)
        return done(Admission::Refused);
    // Kept here once admitted only: a refresh meanwhile must not write a refused entry.
    run(
        room, "join", {connectionId.toUtf8(), entryOf(info)},
        [this, room, owner, connectionId, info, done = std::move(done)](const RedisValue& reply) {
            Admission admission = Admission::Unknown;
            if (isAnswer(reply)) {
                admission = QString::fromUtf8(reply.at(2).string) == owner ? Admission::Admitted
                                                                           : Admission::Refused;
            } else if (ownerHere(room) == owner) {
                // Out of reach: this node's members vouch for the room's owner.
                admission = Admission::Admitted;
            }
            if (admission == Admission::Admitted)
                addOwned(room, owner, connectionId, info);
            done(admission);
        },
        owner);
}

void RedisPresenceStore::remove(const QString& room, const QString& connectionId)
{
    LocalPresenceStore::remove(room, connectionId);
    if (auto changed = m_changed.find(room); changed != m_changed.end()) {
        changed->remove(connectionId);
        if (changed->isEmpty())
            m_changed.erase(changed);
    }
    run(room, "remove", {connectionId.toUtf8()});
}

void RedisPresenceStore::members(const QString& room, MembersDone done)
{
    writeChanges(room);
    run(room, "list", {}, [this, room, done = std::move(done)](const RedisValue& reply) {
        // Cut off from Redis: this node's own, which it still serves.
        done(isAnswer(reply) ? parseEntries(reply.at(1)) : ownMembers(room));
    });
}

void RedisPresenceStore::owner(const QString& room, OwnerDone done)
{
    writeChanges(room);
    run(room, "owner", {}, [this, room, done = std::move(done)](const RedisValue& reply) {
        // Cut off from Redis: whose this node's own members hold it for.
        done(isAnswer(reply) ? QString::fromUtf8(reply.at(2).string) : ownerHere(room));
    });
}

void RedisPresenceStore::run(const QString& room, const QByteArray& operation,
                             const QList<QByteArray>& arguments, Reply reply, const QString& owner)
{
    RedisShards& shards = m_cluster.shards();
    const QByteArray entries = entriesKeyOf(room);
    // Every key of a room on one shard: the script touches them all.
    shards.eval(shards.shardOf(entries), m_script, {entries, expiriesKeyOf(room), ownerKeyOf(room)},
                QList<QByteArray>{operation, lifetimeMs, owner.toUtf8()} + arguments,
                [self = QPointer(this), room, reply = std::move(reply)](const RedisValue& answer) {
                    if (!self)
                        return;
                    if (isAnswer(answer))
                        self->reportGone(room, answer.at(0));
                    if (reply)
                        reply(answer);
                });
}

void RedisPresenceStore::reportGone(const QString& room, const RedisValue& gone)
{
    if (gone.elements.empty())
        return;
    QList<PresenceEntry> others;
    for (PresenceEntry& entry : parseEntries(gone)) {
        // This node's own, expired while it could not refresh them: written again by now.
        if (entry.node != m_cluster.nodeName())
            others.append(std::move(entry));
    }
    if (!others.isEmpty())
        emit vanished(room, others);
}

void RedisPresenceStore::refresh()
{
    // Every entry is written as it is now: the changes with them.
    m_changed.clear();
    const auto& rooms = ownEntries();
    for (auto room = rooms.cbegin(); room != rooms.cend(); ++room) {
        QList<QByteArray> arguments;
        arguments.reserve(room->size() * 2);
        for (auto entry = room->cbegin(); entry != room->cend(); ++entry)
            arguments << entry.key().toUtf8() << entryOf(entry.value());
        // The room's claim too, when Redis lost it.
        run(room.key(), "set", arguments, {}, ownerHere(room.key()));
    }
}

void RedisPresenceStore::onNodesChanged()
{
    QSet<QString> nodes;
    for (const Cluster::Node& node : m_cluster.nodes()) {
        if (!node.self)
            nodes.insert(node.name);
    }
    const QSet<QString> gone = m_nodes - nodes;
    m_nodes = nodes;
    if (gone.isEmpty())
        return;
    // The rooms this node shares with them: their members hear of it from here.
    QList<QByteArray> names;
    for (const QString& name : gone)
        names.append(name.toUtf8());
    const auto& rooms = ownEntries();
    for (auto room = rooms.cbegin(); room != rooms.cend(); ++room)
        run(room.key(), "purge", names);
}

} // namespace switchboard
