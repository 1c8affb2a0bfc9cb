#include "Collab.h"

#include "../hub/Hub.h"
#include "../hub/Subscriber.h"
#include "../jobs/JobEngine.h"
#include "../wire/Json.h"

#include <QDateTime>
#include <QPointer>

namespace switchboard {

namespace {

QString userTopic(const QString& userId)
{
    return QStringLiteral("user:") + userId;
}

QString roomTopic(const QString& roomId)
{
    return QStringLiteral("room:") + roomId;
}

QByteArray notificationEvent(const Notification& notification)
{
    return Json::compact({{QLatin1String("type"), QLatin1String("notification_event")},
                          {QLatin1String("event_type"), notification.eventType},
                          {QLatin1String("notification"), notification.toJson()},
                          {QLatin1String("user_id"), notification.userId}});
}

} // namespace

bool NotificationFilter::accepts(const Notification& notification) const
{
    return (categories.isEmpty() || categories.contains(notification.category)) &&
           (modules.isEmpty() || modules.contains(notification.moduleName)) &&
           (priorities.isEmpty() || priorities.contains(notification.priority));
}

Collab::Collab(Hub& hub, CollabLimits limits, NotificationStore& notifications, JobEngine& jobs,
               CellStore& cells, PresenceStore& presence, QObject* parent)
    : QObject(parent)
    , m_hub(hub)
    , m_rooms(limits)
    , m_notifications(notifications)
    , m_jobs(jobs)
    , m_cells(cells)
    , m_presence(presence)
{
    connect(&jobs, &JobEngine::jobChanged, this, &Collab::onJobChanged);
    connect(&presence, &PresenceStore::vanished, this,
            [this](const QString& presenceRoom) { onPresenceVanished(presenceRoom); });
}

void Collab::sessionOpened(Subscriber& subscriber)
{
    m_sessions.insert(subscriber.id(), &subscriber);
    const QString userId = subscriber.identity().subject;
    if (userId.isEmpty())
        return;
    m_sessionsByUser[userId].append(subscriber.id());
    m_userBySession.insert(subscriber.id(), userId);
    // Unread notifications come again on every new connection, through the filter the
    // connection has by the time they are read from the database.
    const QString sessionId = subscriber.id();
    m_notifications.unread(userId, this, [this, sessionId](const QList<Notification>& unread) {
        Subscriber* target = m_sessions.value(sessionId);
        if (!target)
            return;
        const NotificationFilter filter = m_filters.value(sessionId);
        for (const Notification& notification : unread) {
            if (filter.accepts(notification))
                target->sendText(notificationEvent(notification));
        }
    });
}

void Collab::sessionClosed(Subscriber& subscriber)
{
    const QString sessionId = subscriber.id();
    m_sessions.remove(sessionId);
    m_filters.remove(sessionId);
    const QString userId = m_userBySession.take(sessionId);
    const auto user = m_sessionsByUser.find(userId);
    if (user != m_sessionsByUser.end() && user->removeOne(sessionId) && user->isEmpty()) {
        m_sessionsByUser.erase(user);
        m_announcedUploads.remove(userId);
    }
    const QStringList rooms = m_rooms.removeSession(sessionId);
    for (const QString& roomId : rooms) {
        m_hub.unsubscribe(subscriber, roomTopic(roomId));
        withdrawPresence(roomId, sessionId);
        publishRoomState(roomId);
    }
}

QString Collab::presenceRoomOf(const QString& roomId)
{
    return QStringLiteral("collab:") + roomId;
}

void Collab::tenantOf(const QString& roomId, PresenceStore::OwnerDone done)
{
    m_presence.owner(presenceRoomOf(roomId), std::move(done));
}

void Collab::admit(const QString& roomId, const QString& tenant, const RoomMember& member,
                   std::function<void(PresenceStore::Admission admission)> done)
{
    const QString sessionId = member.sessionId;
    m_presence.join(presenceRoomOf(roomId), tenant, sessionId, member.toPresence(),
                    [self = QPointer(this), roomId, sessionId,
                     done = std::move(done)](PresenceStore::Admission admission) {
                        if (!self)
                            return;
                        if (self->m_sessions.contains(sessionId))
                            return done(admission);
                        // Closed while the store was asked: not in the room after all.
                        if (admission == PresenceStore::Admission::Admitted &&
                            !self->m_rooms.member(roomId, sessionId))
                            self->m_presence.remove(presenceRoomOf(roomId), sessionId);
                    });
}

void Collab::sharePresence(const QString& roomId, const QString& sessionId)
{
    if (const RoomMember* member = m_rooms.member(roomId, sessionId))
        m_presence.set(presenceRoomOf(roomId), sessionId, member->toPresence());
}

void Collab::withdrawPresence(const QString& roomId, const QString& sessionId)
{
    m_presence.remove(presenceRoomOf(roomId), sessionId);
}

void Collab::roomState(const QString& roomId, std::function<void(const QJsonObject& state)> done)
{
    const Room* room = m_rooms.find(roomId);
    if (!room)
        return;
    const QString tenant = room->tenant;
    m_presence.members(presenceRoomOf(roomId), [this, roomId, tenant, done = std::move(done)](
                                                   const PresenceStore::Members& members) {
        const Room* current = m_rooms.find(roomId);
        // Gone meanwhile, or forgotten and opened again by another tenant.
        if (!current || current->tenant != tenant)
            return;
        QList<RoomMember> everyone;
        everyone.reserve(members.size());
        for (const PresenceEntry& entry : members)
            everyone.append(RoomMember::fromPresence(entry.connectionId, entry.info));
        done(current->state(everyone));
    });
}

void Collab::publishRoomState(const QString& roomId)
{
    roomState(roomId, [this, roomId](const QJsonObject& state) {
        publishToRoom(roomId, QStringLiteral("room_state"), state);
    });
}

void Collab::onPresenceVanished(const QString& presenceRoom)
{
    // Members of a node that died: those left (here and on the other nodes) get the room as
    // it is now.
    static const QString prefix = presenceRoomOf({});
    if (!presenceRoom.startsWith(prefix))
        return; // another dialect's room
    const QString roomId = presenceRoom.mid(prefix.size());
    if (m_rooms.find(roomId))
        publishRoomState(roomId);
}

void Collab::refreshSheets(const QString& roomId)
{
    const Room* room = m_rooms.find(roomId);
    if (!room)
        return;
    const QString tenant = room->tenant;
    m_cells.sheets(cellRoomOf(*room),
                   [this, roomId, tenant](const std::optional<QStringList>& stored) {
                       Room* current = m_rooms.find(roomId);
                       // Gone meanwhile, or forgotten and opened again by another tenant: not its
                       // sheets.
                       if (!current || current->tenant != tenant || !stored)
                           return;
                       // The stored order; sheets this node wrote meanwhile are among them already,
                       // unless the store lost them.
                       QStringList sheets = *stored;
                       for (const QString& sheet : std::as_const(current->sheetOrder)) {
                           if (!sheets.contains(sheet))
                               sheets.append(sheet);
                       }
                       if (sheets == current->sheetOrder)
                           return;
                       current->sheetOrder = sheets;
                       publishRoomState(roomId);
                   });
}

void Collab::noteSheet(const QString& roomId, const QString& sheetId)
{
    Room* room = m_rooms.find(roomId);
    if (room && !room->sheetOrder.contains(sheetId))
        room->sheetOrder.append(sheetId);
}

int Collab::publishToRoom(const QString& roomId, const QString& type, const QJsonObject& data,
                          const Subscriber* except)
{
    if (Room* room = m_rooms.find(roomId)) {
        ++room->messagesSent;
        room->lastActivityMs = QDateTime::currentMSecsSinceEpoch();
    }
    QJsonObject event = data;
    event.remove(QLatin1String("type"));
    if (!event.contains(QLatin1String("room_id")))
        event.insert(QLatin1String("room_id"), roomId);
    return m_hub.publish(roomTopic(roomId), type, event, except).delivered;
}

void Collab::setFilter(const QString& sessionId, const NotificationFilter& filter)
{
    m_filters.insert(sessionId, filter);
}

int Collab::deliver(const Notification& notification)
{
    int delivered = 0;
    const QByteArray message = notificationEvent(notification);
    for (const QString& sessionId : m_sessionsByUser.value(notification.userId)) {
        Subscriber* subscriber = m_sessions.value(sessionId);
        if (subscriber && m_filters.value(sessionId).accepts(notification)) {
            subscriber->sendText(message);
            ++delivered;
        }
    }
    return delivered;
}

void Collab::announceUpload(const QString& userId, const QString& fileId,
                            const UploadAnnouncement& announcement)
{
    if (userId.isEmpty() || !m_sessionsByUser.contains(userId))
        return;
    auto& announced = m_announcedUploads[userId];
    announced.removeIf([&fileId](const auto& entry) { return entry.first == fileId; });
    if (announced.size() >= maxAnnouncedUploads)
        announced.removeFirst();
    announced.append({fileId, announcement});
}

std::optional<Collab::UploadAnnouncement> Collab::announcedUpload(const QString& userId,
                                                                  const QString& fileId) const
{
    const auto user = m_announcedUploads.constFind(userId);
    if (user == m_announcedUploads.cend())
        return std::nullopt;
    for (const auto& [id, announcement] : *user) {
        if (id == fileId)
            return announcement;
    }
    return std::nullopt;
}

void Collab::forgetUpload(const QString& userId, const QString& fileId)
{
    const auto user = m_announcedUploads.find(userId);
    if (user == m_announcedUploads.end())
        return;
    user->removeIf([&fileId](const auto& entry) { return entry.first == fileId; });
    if (user->isEmpty())
        m_announcedUploads.erase(user);
}

void Collab::trackAiRequest(const JobRecord& job, const AiRequest& request)
{
    m_aiRequests.insert(job.id, request);
    // A job that started within submit() announced that before it was tracked.
    onJobChanged(job);
}

void Collab::onJobChanged(const JobRecord& job)
{
    auto it = m_aiRequests.find(job.id);
    if (it == m_aiRequests.end())
        return;
    if (job.status == JobStatus::Running && job.progress != it->lastProgress) {
        it->lastProgress = job.progress;
        sendAiEvent(*it, QStringLiteral("ai_progress"),
                    {{QLatin1String("progress"), job.progress},
                     {QLatin1String("status"),
                      job.message.isEmpty() ? QStringLiteral("running") : job.message},
                     {QLatin1String("job_id"), job.id}});
        return;
    }
    if (!isFinished(job.status))
        return;
    const AiRequest request = m_aiRequests.take(job.id);
    if (job.status == JobStatus::Completed && job.result) {
        const double seconds =
            job.startedAt > 0 ? double(job.completedAt - job.startedAt) / 1000.0 : 0.0;
        sendAiEvent(request, QStringLiteral("ai_complete"),
                    {{QLatin1String("result"), job.result->value(QLatin1String("summary"))},
                     {QLatin1String("processing_time"), seconds},
                     {QLatin1String("analysis"), *job.result},
                     {QLatin1String("job_id"), job.id}});
        return;
    }
    sendAiEvent(
        request, QStringLiteral("ai_error"),
        {{QLatin1String("error"), job.error.isEmpty() ? jobStatusName(job.status) : job.error},
         {QLatin1String("job_id"), job.id}});
}

void Collab::sendAiEvent(const AiRequest& request, const QString& eventType,
                         const QJsonObject& data)
{
    m_hub.publish(userTopic(request.userId), QStringLiteral("ai_event"),
                  {{QLatin1String("event_type"), eventType},
                   {QLatin1String("request_id"), request.requestId},
                   {QLatin1String("user_id"), request.userId},
                   {QLatin1String("data"), data}});
}

} // namespace switchboard
