#include "Identity.h"

namespace switchboard {

QString roleName(Role role)
{
    switch (role) {
    case Role::Anonymous:
        return QStringLiteral("anonymous");
    case Role::User:
        return QStringLiteral("user");
    case Role::Service:
        return QStringLiteral("service");
    case Role::Admin:
        return QStringLiteral("admin");
    }
    Q_UNREACHABLE();
    return {};
}

Role roleFromName(const QString& name)
{
    if (name == QLatin1String("admin"))
        return Role::Admin;
    if (name == QLatin1String("service"))
        return Role::Service;
    return Role::User;
}

} // namespace switchboard
