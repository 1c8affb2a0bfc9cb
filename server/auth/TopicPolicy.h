#pragma once

// Who may subscribe to and publish on which topic (SPEC §4).

#include "../config/HubConfig.h"
#include "Identity.h"

#include <QString>

#include <functional>
#include <optional>

namespace switchboard {

class ProjectRegistry;

class TopicPolicy {
public:
    explicit TopicPolicy(AuthMode mode);

    bool canSubscribe(const Identity& identity, const QString& topic) const;
    bool canPublish(const Identity& identity, const QString& topic) const;
    // A topic name clients may use at all: printable, no spaces, bounded.
    static bool isValidName(const QString& topic);
    // `project:{id}` topics are open to the tenant the registry names (none without one).
    void setProjects(const ProjectRegistry* projects) { m_projects = projects; }
    // The tenant a room belongs to, when one is known (document 004's rooms belong to the
    // tenant of whoever opened them): `room:{id}` is then open to that tenant only.
    using RoomTenants = std::function<std::optional<QString>(const QString& roomId)>;
    void setRoomTenants(RoomTenants roomTenants) { m_roomTenants = std::move(roomTenants); }

private:
    bool ownsProject(const Identity& identity, const QString& topic) const;

    AuthMode m_mode;
    const ProjectRegistry* m_projects = nullptr;
    RoomTenants m_roomTenants;
};

} // namespace switchboard
