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

    bool isAuthenticated() const { return role != Role::Anonymous; }
    bool isAdmin() const { return role == Role::Admin; }
    bool isServiceOrAdmin() const { return role == Role::Service || role == Role::Admin; }
};

} // namespace switchboard
