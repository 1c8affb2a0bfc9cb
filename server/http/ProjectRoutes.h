#pragma once

// The project registry of document 003 (SPEC §2.1): `PUT /api/v1/projects/{id}` names the
// tenant that owns a project, `GET /api/v1/projects` lists them. Only that tenant's users
// may then watch `/ws/projects/{id}`.

namespace switchboard {

class HttpRouter;
class ProjectRegistry;

void addProjectRoutes(HttpRouter& router, ProjectRegistry& projects);

} // namespace switchboard
