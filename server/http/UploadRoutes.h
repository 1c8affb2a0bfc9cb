#pragma once

// File uploads of document 004 (SPEC §2.1): `PUT /api/v1/uploads/{file_id}` stores the body
// in <data-dir>/uploads, sending file_upload_progress to the uploader's sessions while it is
// written and file_upload_complete with the URL at the end; `GET` serves the same bytes.

#include <QtGlobal>

namespace switchboard {

class Hub;
class HttpRouter;
struct HubConfig;

// Qt HTTP Server 6.4 hands a handler the whole body at once, so "while bytes arrive" means
// while the body is written to disk, in this many steps at most.
inline constexpr int uploadProgressSteps = 20;

void addUploadRoutes(HttpRouter& router, const HubConfig& config, Hub& hub);

} // namespace switchboard
