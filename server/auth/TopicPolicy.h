#pragma once

// Who may subscribe to and publish on which topic (SPEC §4).

#include "../config/HubConfig.h"
#include "Identity.h"

#include <QString>

namespace switchboard {

class TopicPolicy {
public:
    explicit TopicPolicy(AuthMode mode);

    bool canSubscribe(const Identity& identity, const QString& topic) const;
    bool canPublish(const Identity& identity, const QString& topic) const;
    // A topic name clients may use at all: printable, no spaces, bounded.
    static bool isValidName(const QString& topic);

private:
    AuthMode m_mode;
};

} // namespace switchboard
