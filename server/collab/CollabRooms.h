#pragma once

// The collaboration rooms of the 004 dialect (SPEC §6.5): who is in each room with their
// presence (status, cursor, last seen), and the names of the room's sheets. Pure state on the
// hub thread; the handlers publish what changed. The cells themselves, with their versions,
// live in the CellStore (store/CellStore.h), which outlives the rooms.

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <map>

namespace switchboard {

struct CollabLimits {
    int maxRoomsPerSession = 50;
    int maxMembersPerRoom = 1000;
    int maxRooms = 10'000; // empty rooms beyond this are forgotten, least recently used first
    int maxSheetsPerRoom = 100;
    int maxCellsPerSheet = 10'000;
};

struct RoomMember {
    QString sessionId;
    QString userId;
    QString username;
    QString email;
    QString status = QStringLiteral("online");
    QJsonObject cursor; // {x, y, cell}; empty until the first cursor_move
    qint64 lastSeenMs = 0;

    // The member as every node sees it (PresenceStore), and back.
    QJsonObject toPresence() const;
    static RoomMember fromPresence(const QString& sessionId, const QJsonObject& presence);
};

struct Room {
    QString id;
    // Of whoever opened it; only users of this tenant may join while anybody is in it (on any
    // node of a cluster: PresenceStore::join). An empty room is nobody's: the next join opens
    // it afresh for its own tenant.
    QString tenant;
    qint64 createdMs = 0;
    qint64 lastActivityMs = 0;
    quint64 messagesSent = 0;
    quint64 joins = 0;
    std::map<QString, RoomMember> members; // by session id, in a stable order
    // The room's sheets in the order they were first written, as this node knows them: read
    // from the cell store when a member joins, and added to by the writes made here.
    QStringList sheetOrder;

    // The 004 `room_state` message, of the members on this node, or of `everyone` (every
    // node's, in session id order).
    QJsonObject state() const;
    QJsonObject state(const QList<RoomMember>& everyone) const;
    int userCount() const;
};

class CollabRooms {
public:
    enum class JoinResult { Joined, AlreadyMember, Forbidden, TooManyRooms, RoomFull };

    explicit CollabRooms(CollabLimits limits);

    const CollabLimits& limits() const { return m_limits; }

    // What join() would answer now, without joining.
    JoinResult admits(const QString& roomId, const QString& sessionId, const QString& tenant) const;
    JoinResult join(const QString& roomId, const RoomMember& member, const QString& tenant);
    // False when the session was not in the room.
    bool leave(const QString& roomId, const QString& sessionId);
    // Takes the session out of every room; returns the rooms it was in.
    QStringList removeSession(const QString& sessionId);

    Room* find(const QString& roomId);
    const Room* find(const QString& roomId) const;
    RoomMember* member(const QString& roomId, const QString& sessionId);
    // The rooms a session is in, oldest join first.
    QStringList roomsOf(const QString& sessionId) const;
    // The room holding `sheetId` among the session's rooms; else the one it joined last.
    QString roomForSheet(const QString& sessionId, const QString& sheetId) const;

    QList<const Room*> all() const;
    int count() const { return int(m_rooms.size()); }

private:
    void forgetIdleRooms();

    CollabLimits m_limits;
    QHash<QString, Room> m_rooms;
    QHash<QString, QStringList> m_roomsBySession;
};

} // namespace switchboard
