#include "WebRoutes.h"

#include "HttpRouter.h"

#include <QCryptographicHash>
#include <QFile>
#include <QHttpServerRequest>

namespace switchboard {

namespace {

// Revalidated on every use: the pages change with the hub that serves them.
constexpr const char* revalidate = "no-cache";
// npm libraries change only with an upgrade of the hub; a day, then revalidated by ETag.
constexpr const char* vendorCaching = "public, max-age=86400";

struct WebFile {
    const char* path;     // served at
    const char* resource; // embedded as
    const char* contentType;
    const char* caching;
    const char* summary;
};

const WebFile webFiles[] = {
    {"/client.js", ":/web/client.js", "text/javascript; charset=utf-8", revalidate,
     "JavaScript client library: connect, subscribe, auto-reconnect and resume (ES module)"},
    {"/websocket-demo.html", ":/web/websocket-demo.html", "text/html; charset=utf-8", revalidate,
     "Demo page: paste a token, connect to /ws/connect, send messages, see replies"},
    {"/websocket-demo.js", ":/web/websocket-demo.js", "text/javascript; charset=utf-8", revalidate,
     "Script of the demo page"},
    {"/dashboard.js", ":/web/dashboard.js", "text/javascript; charset=utf-8", revalidate,
     "Script of the web dashboard"},
    {"/dashboard.css", ":/web/dashboard.css", "text/css; charset=utf-8", revalidate,
     "Style sheet of the web dashboard"},
    {"/favicon.svg", ":/web/favicon.svg", "image/svg+xml", revalidate, "The Switchboard icon"},
    {"/vendor/uplot/uPlot.esm.js", ":/web/vendor/uPlot.esm.js", "text/javascript; charset=utf-8",
     vendorCaching, "uPlot " SWITCHBOARD_UPLOT_VERSION " (charts), from npm"},
    {"/vendor/uplot/uPlot.min.css", ":/web/vendor/uPlot.min.css", "text/css; charset=utf-8",
     vendorCaching, "uPlot " SWITCHBOARD_UPLOT_VERSION " style sheet, from npm"},
};

const WebFile dashboardFile{"/", ":/web/index.html", "text/html; charset=utf-8", revalidate,
                            "The web dashboard"};

// A file's bytes and validator, read once from the resources.
struct Loaded {
    QByteArray body;
    QByteArray etag;
};

Loaded load(const char* resource)
{
    QFile file(QString::fromLatin1(resource));
    const bool opened = file.open(QIODevice::ReadOnly);
    Q_ASSERT_X(opened, "WebRoutes", resource); // listed in WebAssets.cmake
    Loaded loaded;
    if (opened)
        loaded.body = file.readAll();
    loaded.etag =
        '"' + QCryptographicHash::hash(loaded.body, QCryptographicHash::Sha256).toHex().left(20) +
        '"';
    return loaded;
}

// RFC 9110 §13.1.2: If-None-Match is a list of entity tags (weak comparison) or "*".
bool etagMatches(const QByteArray& ifNoneMatch, const QByteArray& etag)
{
    for (QByteArray candidate : ifNoneMatch.split(',')) {
        candidate = candidate.trimmed();
        if (candidate == "*")
            return true;
        if (candidate.startsWith("W/"))
            candidate = candidate.mid(2);
        if (candidate == etag)
            return true;
    }
    return false;
}

HttpResponse serve(const HttpCall& call, const WebFile& file, const Loaded& loaded)
{
    const QByteArray ifNoneMatch = call.request.value("if-none-match");
    HttpResponse response = !ifNoneMatch.isEmpty() && etagMatches(ifNoneMatch, loaded.etag)
                                ? HttpResponse::content(QByteArray(), file.contentType, 304)
                                : HttpResponse::content(loaded.body, file.contentType);
    response.headers.emplaceBack("ETag", loaded.etag);
    response.headers.emplaceBack("Cache-Control", file.caching);
    return response;
}

const Loaded& dashboard()
{
    static const Loaded loaded = load(dashboardFile.resource);
    return loaded;
}

} // namespace

bool acceptsHtml(const QHttpServerRequest& request)
{
    return request.value("accept").contains("text/html");
}

HttpResponse dashboardPage(const HttpCall& call)
{
    HttpResponse response = serve(call, dashboardFile, dashboard());
    response.headers.emplaceBack("Vary", "Accept");
    return response;
}

void addWebRoutes(HttpRouter& router)
{
    for (const WebFile& file : webFiles) {
        router.add({QHttpServerRequest::Method::Get,
                    QString::fromLatin1(file.path),
                    HttpAccess::Public,
                    QString::fromLatin1(file.summary),
                    [&file, loaded = load(file.resource)](const HttpCall& call) {
                        return serve(call, file, loaded);
                    },
                    {}});
    }
}

} // namespace switchboard
