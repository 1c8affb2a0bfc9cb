#pragma once

// Who may subscribe to and publish on which topic (SPEC §4).

#include "../config/HubConfig.h"
#include "Identity.h"

#include <QString>

#include <functional>
#include <optional>

namespace switchboard {

class TopicPolicy {
public:
    // Who owns what: the tenant of a project (`project:{id}` topics are open to that tenant,
    // to no one when it is unknown), and of a room when one is known (document 004's rooms
    // belong to the tenant of whoever opened them; `room:{id}` is then open to that tenant).
    struct Tenancy {
        std::function<std::optional<QString>(const QString& projectId)> ofProject;
        std::function<std::optional<QString>(const QString& roomId)> ofRoom;
    };

    TopicPolicy(AuthMode mode, Tenancy tenancy);

    bool canSubscribe(const Identity& identity, const QString& topic) const;
    bool canPublish(const Identity& identity, const QString& topic) const;
    // A topic name clients may use at all: printable, no spaces, bounded.
    static bool isValidName(const QString& topic);

private:
    bool ownsProject(const Identity& identity, const QString& topic) const;

    AuthMode m_mode;
    Tenancy m_tenancy;
};

} // namespace switchboard
