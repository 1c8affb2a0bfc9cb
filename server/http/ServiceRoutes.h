#pragma once

// Service-level routes: `/` (service info), `/health`, `/metrics`, `/openapi.json`, `/docs`.

namespace switchboard {

class HttpRouter;
struct RouteContext;

void addServiceRoutes(HttpRouter& router, const RouteContext& context);

} // namespace switchboard
