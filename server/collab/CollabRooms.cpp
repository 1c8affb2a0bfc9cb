#include "CollabRooms.h"

#include "../wire/Json.h"

#include <QDateTime>
#include <QJsonArray>
#include <QSet>

#include <algorithm>

namespace switchboard {

QJsonObject RoomMember::toPresence() const
{
    return {{QLatin1String("user_id"), userId}, {QLatin1String("username"), username},
            {QLatin1String("email"), email},    {QLatin1String("status"), status},
            {QLatin1String("cursor"), cursor},  {QLatin1String("last_seen"), double(lastSeenMs)}};
}

RoomMember RoomMember::fromPresence(const QString& sessionId, const QJsonObject& presence)
{
    RoomMember member;
    member.sessionId = sessionId;
    member.userId = presence.value(QLatin1String("user_id")).toString();
    member.username = presence.value(QLatin1String("username")).toString();
    member.email = presence.value(QLatin1String("email")).toString();
    member.status = presence.value(QLatin1String("status")).toString(member.status);
    member.cursor = presence.value(QLatin1String("cursor")).toObject();
    member.lastSeenMs = qint64(presence.value(QLatin1String("last_seen")).toDouble());
    return member;
}

QJsonObject Room::state() const
{
    QList<RoomMember> here;
    here.reserve(qsizetype(members.size()));
    for (const auto& [sessionId, member] : members)
        here.append(member);
    return state(here);
}

QJsonObject Room::state(const QList<RoomMember>& everyone) const
{
    // One entry per user: a user with two tabs open is one person in the room; the most
    // recently active session speaks for them.
    QHash<QString, const RoomMember*> latest;
    QStringList order;
    for (const RoomMember& member : everyone) {
        const RoomMember*& slot = latest[member.userId];
        if (!slot)
            order.append(member.userId);
        if (!slot || member.lastSeenMs >= slot->lastSeenMs)
            slot = &member;
    }
    QJsonArray users;
    for (const QString& userId : std::as_const(order)) {
        const RoomMember& member = *latest.value(userId);
        QJsonObject user{{QLatin1String("user_id"), member.userId},
                         {QLatin1String("username"), member.username},
                         {QLatin1String("email"), member.email},
                         {QLatin1String("room"), id},
                         {QLatin1String("status"), member.status},
                         {QLatin1String("last_seen"), Json::isoTimestamp(member.lastSeenMs)}};
        user.insert(QLatin1String("cursor"),
                    member.cursor.isEmpty() ? QJsonValue(QJsonValue::Null) : member.cursor);
        users.append(user);
    }
    return QJsonObject{{QLatin1String("type"), QLatin1String("room_state")},
                       {QLatin1String("room_id"), id},
                       {QLatin1String("users"), users},
                       {QLatin1String("active_sheets"), QJsonArray::fromStringList(sheetOrder)},
                       {QLatin1String("total_users"), users.size()}};
}

int Room::userCount() const
{
    QSet<QString> users;
    for (const auto& [sessionId, member] : members)
        users.insert(member.userId);
    return int(users.size());
}

CollabRooms::CollabRooms(CollabLimits limits)
    : m_limits(limits)
{}

CollabRooms::JoinResult CollabRooms::admits(const QString& roomId, const QString& sessionId,
                                            const QString& tenant) const
{
    const QStringList joined = m_roomsBySession.value(sessionId);
    if (joined.contains(roomId))
        return JoinResult::AlreadyMember;
    const auto it = m_rooms.constFind(roomId);
    const bool occupied = it != m_rooms.cend() && !it->members.empty();
    if (occupied && it->tenant != tenant)
        return JoinResult::Forbidden;
    if (joined.size() >= m_limits.maxRoomsPerSession)
        return JoinResult::TooManyRooms;
    if (occupied && int(it->members.size()) >= m_limits.maxMembersPerRoom)
        return JoinResult::RoomFull;
    return JoinResult::Joined;
}

CollabRooms::JoinResult CollabRooms::join(const QString& roomId, const RoomMember& member,
                                          const QString& tenant)
{
    const JoinResult admitted = admits(roomId, member.sessionId, tenant);
    if (admitted != JoinResult::Joined)
        return admitted;
    auto it = m_rooms.find(roomId);
    // An empty room is nobody's: another tenant's that emptied is opened afresh.
    if (it != m_rooms.end() && it->tenant != tenant) {
        m_rooms.erase(it);
        it = m_rooms.end();
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (it == m_rooms.end()) {
        Room room;
        room.id = roomId;
        room.tenant = tenant;
        room.createdMs = now;
        it = m_rooms.insert(roomId, room);
    }
    RoomMember added = member;
    added.lastSeenMs = now;
    it->members[member.sessionId] = added;
    it->lastActivityMs = now;
    ++it->joins;
    m_roomsBySession[member.sessionId].append(roomId);
    forgetIdleRooms();
    return JoinResult::Joined;
}

bool CollabRooms::leave(const QString& roomId, const QString& sessionId)
{
    auto rooms = m_roomsBySession.find(sessionId);
    if (rooms == m_roomsBySession.end() || !rooms->removeOne(roomId))
        return false;
    if (rooms->isEmpty())
        m_roomsBySession.erase(rooms);
    auto it = m_rooms.find(roomId);
    if (it != m_rooms.end()) {
        it->members.erase(sessionId);
        it->lastActivityMs = QDateTime::currentMSecsSinceEpoch();
    }
    return true;
}

QStringList CollabRooms::removeSession(const QString& sessionId)
{
    const QStringList rooms = m_roomsBySession.value(sessionId);
    for (const QString& roomId : rooms)
        leave(roomId, sessionId);
    return rooms;
}

Room* CollabRooms::find(const QString& roomId)
{
    auto it = m_rooms.find(roomId);
    return it == m_rooms.end() ? nullptr : &*it;
}

const Room* CollabRooms::find(const QString& roomId) const
{
    auto it = m_rooms.constFind(roomId);
    return it == m_rooms.cend() ? nullptr : &*it;
}

RoomMember* CollabRooms::member(const QString& roomId, const QString& sessionId)
{
    Room* room = find(roomId);
    if (!room)
        return nullptr;
    auto it = room->members.find(sessionId);
    return it == room->members.end() ? nullptr : &it->second;
}

QStringList CollabRooms::roomsOf(const QString& sessionId) const
{
    return m_roomsBySession.value(sessionId);
}

QString CollabRooms::roomForSheet(const QString& sessionId, const QString& sheetId) const
{
    const QStringList rooms = roomsOf(sessionId);
    for (const QString& roomId : rooms) {
        const Room* room = find(roomId);
        if (room && room->sheetOrder.contains(sheetId))
            return roomId;
    }
    return rooms.isEmpty() ? QString() : rooms.last();
}

QList<const Room*> CollabRooms::all() const
{
    QList<const Room*> rooms;
    rooms.reserve(m_rooms.size());
    for (const Room& room : m_rooms)
        rooms.append(&room);
    std::sort(rooms.begin(), rooms.end(),
              [](const Room* a, const Room* b) { return a->id < b->id; });
    return rooms;
}

void CollabRooms::forgetIdleRooms()
{
    while (m_rooms.size() > m_limits.maxRooms) {
        auto oldest = m_rooms.end();
        for (auto it = m_rooms.begin(); it != m_rooms.end(); ++it) {
            if (it->members.empty() &&
                (oldest == m_rooms.end() || it->lastActivityMs < oldest->lastActivityMs))
                oldest = it;
        }
        if (oldest == m_rooms.end())
            return;
        m_rooms.erase(oldest);
    }
}

} // namespace switchboard
