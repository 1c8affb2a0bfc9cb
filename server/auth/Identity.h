#pragma once

// Who a connection or request is: the claims of its token, or an anonymous caller.

#include <QString>

namespace switchboard {

enum class Role { Anonymous, User, Service, Admin };

QString roleName(Role role);
Role roleFromName(const QString& name); // unknown names map to Role::User

struct Identity {
    QString subject; // "sub"
    QString name;
    QString email;
    Role role = Role::Anonymous;
    QString tenant;
    qint64 expiresAt = 0; // the token's `exp` in ms since the epoch; 0 without a token

    bool isAuthenticated() const { return role != Role::Anonymous; }
    bool isAdmin() const { return role == Role::Admin; }
    bool isServiceOrAdmin() const { return role == Role::Service || role == Role::Admin; }
};

} // namespace switchboard
