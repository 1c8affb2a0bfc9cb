#pragma once

// Who may subscribe to and publish on which topic (SPEC §4).

#include "../config/HubConfig.h"
#include "Identity.h"

#include <QString>

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

private:
    bool ownsProject(const Identity& identity, const QString& topic) const;

    AuthMode m_mode;
    const ProjectRegistry* m_projects = nullptr;
};

} // namespace switchboard
