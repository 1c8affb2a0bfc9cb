#pragma once

// The self-description of the hub, generated from the same registrations that serve
// requests: `/openapi.json` from the REST routes, `/asyncapi.json` from the dialects and
// their message handlers, and `/docs`, a page that renders both for a person.

namespace switchboard {

class Endpoints;
class HttpRouter;

void addDocsRoutes(HttpRouter& router, const Endpoints& endpoints);

} // namespace switchboard
