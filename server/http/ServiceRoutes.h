#pragma once

// Service-level routes: `/` (service info), `/health`, `/metrics`.

namespace switchboard {

class HttpRouter;
struct RouteContext;

void addServiceRoutes(HttpRouter& router, const RouteContext& context);

} // namespace switchboard
