#pragma once

// Routes that act on the hub itself: publishing (`POST /api/v1/publish`) and the hub's
// health, statistics and connection control under `/api/v1/ws/`.

namespace switchboard {

class HttpRouter;
struct RouteContext;

void addHubRoutes(HttpRouter& router, const RouteContext& context);

} // namespace switchboard
