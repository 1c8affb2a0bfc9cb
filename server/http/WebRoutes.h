#pragma once

// The hub's web pages (SPEC §2.1, §10): the dashboard at `/` for browsers, the JavaScript
// client library at `/client.js`, the 002 demo page at `/websocket-demo.html`, and the
// scripts, styles and npm libraries they load, all embedded as Qt resources under :/web.
// Every file is served with its Content-Type, an ETag (a matching If-None-Match gets 304) and
// a Cache-Control policy; a path that is not a file here is the router's JSON 404.

#include "HttpResponse.h"

class QHttpServerRequest;

namespace switchboard {

class HttpRouter;
struct HttpCall;

void addWebRoutes(HttpRouter& router);

// True when the request prefers a page to JSON (`Accept: text/html`, as browsers send).
bool acceptsHtml(const QHttpServerRequest& request);

// The dashboard page, as `GET /` answers a browser.
HttpResponse dashboardPage(const HttpCall& call);

} // namespace switchboard
