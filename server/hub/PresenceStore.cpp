#include "PresenceStore.h"

namespace switchboard {

void LocalPresenceStore::set(const QString& room, const QString& connectionId,
                             const QJsonObject& info)
{
    m_rooms[room].insert(connectionId, info);
}

void LocalPresenceStore::join(const QString& room, const QString& owner,
                              const QString& connectionId, const QJsonObject& info, JoinDone done)
{
    const QString current = ownerHere(room);
    if (!current.isEmpty() && current != owner)
        return done(Admission::Refused);
    addOwned(room, owner, connectionId, info);
    done(Admission::Admitted);
}

void LocalPresenceStore::addOwned(const QString& room, const QString& owner,
                                  const QString& connectionId, const QJsonObject& info)
{
    m_owners.insert(room, owner);
    m_rooms[room].insert(connectionId, info);
}

void LocalPresenceStore::remove(const QString& room, const QString& connectionId)
{
    const auto it = m_rooms.find(room);
    if (it == m_rooms.end())
        return;
    it->remove(connectionId);
    if (it->isEmpty()) {
        m_rooms.erase(it);
        m_owners.remove(room);
    }
}

void LocalPresenceStore::members(const QString& room, MembersDone done)
{
    done(ownMembers(room));
}

void LocalPresenceStore::owner(const QString& room, OwnerDone done)
{
    done(ownerHere(room));
}

PresenceStore::Members LocalPresenceStore::ownMembers(const QString& room) const
{
    Members members;
    const auto it = m_rooms.constFind(room);
    if (it == m_rooms.cend())
        return members;
    members.reserve(it->size());
    for (auto entry = it->cbegin(); entry != it->cend(); ++entry)
        members.append(PresenceEntry{entry.key(), {}, entry.value()});
    return members;
}

} // namespace switchboard
