#pragma once

// The REST administration of the 004 hub (SPEC §2.1): detailed statistics, the rooms, a
// broadcast to a room, a message to every session of a user, and stored notifications.

namespace switchboard {

class Collab;
class HttpRouter;
class NotificationStore;
struct RouteContext;

void addAdminRoutes(HttpRouter& router, const RouteContext& context, Collab& collab,
                    NotificationStore& notifications);

} // namespace switchboard
