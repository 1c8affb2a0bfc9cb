#pragma once

// File uploads of document 004 (SPEC §2.1): `PUT /api/v1/uploads/{file_id}` stores the body
// in <data-dir>/uploads (Upload: file_upload_progress to the uploader's sessions while the
// bytes arrive, file_upload_complete with the URL at the end); `GET` serves the same bytes.
// The listener takes PUTs over as soon as their head is in (UploadIntake), so that their
// bodies stream to disk; the route registered here documents them and stores the rare one
// that reaches the router with its body whole.

#include <QtGlobal>

namespace switchboard {

class Collab;
class Hub;
class HttpRouter;
struct HubConfig;

void addUploadRoutes(HttpRouter& router, const HubConfig& config, Hub& hub, Collab& collab);

} // namespace switchboard
