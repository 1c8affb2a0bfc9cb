#pragma once

// Everything the 004 dialect (`/api/v1/ws`) keeps between messages, on the hub thread:
// the rooms, the open 004 connections of each user with their notification filters, and the
// ai_request jobs in flight; the store its sheets' cells live in (SQLite on one node, Redis in
// a cluster: the composition root picks), and the presence store that has every node's members
// of its rooms (a room_state lists them all). Its handlers reach it through their Services;
// the admin and upload routes through their RouteContext.

#include "../hub/PresenceStore.h"
#include "../store/CellStore.h"
#include "../store/JobRecord.h"
#include "../store/NotificationStore.h"
#include "CollabRooms.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <functional>
#include <optional>
#include <utility>

namespace switchboard {

class Hub;
class JobEngine;
class Subscriber;

// What a subscribe_notifications asked for; an empty list lets everything through.
struct NotificationFilter {
    QSet<QString> categories;
    QSet<QString> modules;
    QSet<QString> priorities;

    bool accepts(const Notification& notification) const;
};

class Collab : public QObject {
    Q_OBJECT

public:
    // What a client said about a file before sending it (004 file_upload_start): the name and
    // type the upload is stored, announced and downloaded under when its PUT names none.
    struct UploadAnnouncement {
        QString filename;
        QString mimeType;
    };
    // Announcements kept per user; the oldest go first.
    static constexpr int maxAnnouncedUploads = 64;

    struct AiRequest {
        QString userId;
        QString requestId;
        QString sheetId;
        double lastProgress = -1;
    };

    Collab(Hub& hub, CollabLimits limits, NotificationStore& notifications, JobEngine& jobs,
           CellStore& cells, PresenceStore& presence, QObject* parent = nullptr);

    Hub& hub() { return m_hub; }
    CollabRooms& rooms() { return m_rooms; }
    NotificationStore& notificationStore() { return m_notifications; }
    JobEngine& jobs() const { return m_jobs; }
    CellStore& cells() { return m_cells; }
    // The room's name in the cell store (its tenant's rooms only).
    static CellRoom cellRoomOf(const Room& room) { return {room.tenant, room.id}; }
    // A write of this node put a cell in `sheetId`: the room lists the sheet from now on.
    void noteSheet(const QString& roomId, const QString& sheetId);

    // A 004 connection opened (its unread notifications are re-delivered) or closes (it
    // leaves every room it was in, and the rooms hear of it).
    void sessionOpened(Subscriber& subscriber);
    void sessionClosed(Subscriber& subscriber);

    // Puts the session's member in the room's presence on every node, for `tenant`: the room's
    // tenant is the cluster's, claimed when nobody is in the room on any node
    // (PresenceStore::join). `done` hears the answer, unless the session closed meanwhile (its
    // entry is then taken out again). A join_room is answered once it is known.
    void admit(const QString& roomId, const QString& tenant, const RoomMember& member,
               std::function<void(PresenceStore::Admission admission)> done);
    // The session's member of the room as it is now (moved its cursor, changed its status) for
    // every node to see; and its leaving.
    void sharePresence(const QString& roomId, const QString& sessionId);
    void withdrawPresence(const QString& roomId, const QString& sessionId);
    // Whose the room is on every node (its claim in the presence store): empty when nobody is
    // in it. At once on a node alone, later in a cluster.
    void tenantOf(const QString& roomId, PresenceStore::OwnerDone done);
    // The room's name in the presence store (one tenant's at a time: PresenceStore::join).
    static QString presenceRoomOf(const QString& roomId);

    // The room's `room_state` with every node's members, handed to `done` (at once on a node
    // alone, later in a cluster; not at all when the room is gone meanwhile).
    void roomState(const QString& roomId, std::function<void(const QJsonObject& state)> done);
    // The room's new `room_state`, to everyone in it.
    void publishRoomState(const QString& roomId);
    // Reads the room's sheets from the cell store (other nodes, or an earlier run, may have
    // written some); when they are not the ones the room lists, the room gets a fresh
    // `room_state`. A member's join asks for it.
    void refreshSheets(const QString& roomId);
    // `data` (with its `type`) to the room; counts toward the room's messages_sent.
    int publishToRoom(const QString& roomId, const QString& type, const QJsonObject& data,
                      const Subscriber* except = nullptr);

    void setFilter(const QString& sessionId, const NotificationFilter& filter);
    // Delivers a stored notification to the user's open 004 sessions whose filters take it;
    // returns how many received it.
    int deliver(const Notification& notification);
    // The users with at least one open 004 session.
    QStringList connectedUsers() const { return m_sessionsByUser.keys(); }
    int sessionCountOf(const QString& userId) const
    {
        return int(m_sessionsByUser.value(userId).size());
    }

    // Kept per (user, file id) while the user has a 004 session open, until the upload is
    // stored. Anonymous clients announce nothing: their uploads have no user to match.
    void announceUpload(const QString& userId, const QString& fileId,
                        const UploadAnnouncement& announcement);
    std::optional<UploadAnnouncement> announcedUpload(const QString& userId,
                                                      const QString& fileId) const;
    void forgetUpload(const QString& userId, const QString& fileId);

    // Follows the ai_analysis job behind an ai_request (as submitted, perhaps running
    // already): its progress and end are sent to the user as ai_event.
    void trackAiRequest(const JobRecord& job, const AiRequest& request);

private:
    void onJobChanged(const JobRecord& job);
    void onPresenceVanished(const QString& presenceRoom);
    void sendAiEvent(const AiRequest& request, const QString& eventType, const QJsonObject& data);

    Hub& m_hub;
    CollabRooms m_rooms;
    NotificationStore& m_notifications;
    JobEngine& m_jobs;
    CellStore& m_cells;
    PresenceStore& m_presence;
    QHash<QString, Subscriber*> m_sessions;       // open 004 connections by id
    QHash<QString, QStringList> m_sessionsByUser; // user -> session ids
    QHash<QString, QString> m_userBySession;      // session id -> user
    QHash<QString, NotificationFilter> m_filters; // session id -> filter
    QHash<QString, AiRequest> m_aiRequests;       // job id -> request
    // user -> (file id, announcement), oldest first
    QHash<QString, QList<std::pair<QString, UploadAnnouncement>>> m_announcedUploads;
};

} // namespace switchboard
