// 003 connections: `/ws/projects/{project_id}` is subscribed to `project:{project_id}` (only
// for users of the project's tenant, SPEC §4), `/ws/notifications` to the user's own
// `user:{sub}`. The document sends no welcome.

#include "../../auth/Identity.h"
#include "../HandlerRegistry.h"

namespace switchboard {
namespace {

QStringList autoTopics(const Identity& identity, const QString& path)
{
    if (path == QLatin1String("/ws/notifications"))
        return identity.isAuthenticated() ? QStringList{QStringLiteral("user:") + identity.subject}
                                          : QStringList{};
    return {QStringLiteral("project:") + path.section(u'/', -1)};
}

} // namespace

SWITCHBOARD_REGISTER_CONNECTION_HOOKS(.dialect = QLatin1String("projects"),
                                      .autoTopics = &autoTopics)

} // namespace switchboard
