// The web pages (SPEC §2.1, §10): the dashboard at `/` for browsers and JSON for programs,
// `/client.js`, `/websocket-demo.html` and what they load. Every file with its Content-Type,
// one Cache-Control, an ETag that revalidates to 304, the security headers, and a JSON 404
// for anything else. The real hub on port 0, bytes checked as they come off the wire.

#include "HttpExchange.h"
#include "TestHub.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

struct StaticFile {
    QByteArray path;
    QByteArray contentType;
    QByteArray caching;
    QByteArray mustContain;
};

const QList<StaticFile> staticFiles{
    {"/client.js", "text/javascript; charset=utf-8", "no-cache", "export class SwitchboardClient"},
    {"/websocket-demo.html", "text/html; charset=utf-8", "no-cache", "/ws/connect"},
    {"/websocket-demo.js", "text/javascript; charset=utf-8", "no-cache", "/ws/connect"},
    {"/dashboard.js", "text/javascript; charset=utf-8", "no-cache", "from '/client.js'"},
    {"/dashboard.css", "text/css; charset=utf-8", "no-cache", "--bg"},
    {"/favicon.svg", "image/svg+xml", "no-cache", "<svg"},
    {"/vendor/uplot/uPlot.esm.js", "text/javascript; charset=utf-8", "public, max-age=86400",
     "export"},
    {"/vendor/uplot/uPlot.min.css", "text/css; charset=utf-8", "public, max-age=86400", ".uplot"},
};

QByteArray get(const QByteArray& path, const QList<QPair<QByteArray, QByteArray>>& headers = {})
{
    return httpRequest("GET", path, headers);
}

// Empty when the response carries the headers every response must carry, once each.
QString securityProblem(const RawResponse& response)
{
    QStringList problems;
    for (const QByteArray& name :
         {QByteArray("X-Content-Type-Options"), QByteArray("X-Frame-Options"),
          QByteArray("Referrer-Policy"), QByteArray("Content-Security-Policy"),
          QByteArray("Cache-Control")}) {
        if (response.headerCount(name) != 1)
            problems.append(QStringLiteral("%1 appears %2 times")
                                .arg(QString::fromLatin1(name))
                                .arg(response.headerCount(name)));
    }
    return problems.join(QStringLiteral("; "));
}

} // namespace

class tst_WebRoutes : public QObject {
    Q_OBJECT

private slots:
    void staticFilesHaveTypeCachingAndValidator();
    void matchingETagRevalidatesWithoutBody();
    void headHasHeadersButNoBody();
    void rootIsTheDashboardForBrowsersAndJsonOtherwise();
    void everythingThePagesLoadIsServed();
    void unknownStaticPathsAreJson404();
    void staticFilesAcceptOnlyGetAndHead();
    void pagesAreInTheApiDescription();

private:
    TestHub m_hub;
};

void tst_WebRoutes::staticFilesHaveTypeCachingAndValidator()
{
    for (const StaticFile& file : staticFiles) {
        const RawResponse response = exchange(m_hub.host->port(), get(file.path));
        QVERIFY2(response.complete, file.path.constData());
        QCOMPARE(response.status, 200);
        QCOMPARE(response.header("Content-Type"), file.contentType);
        QCOMPARE(response.header("Cache-Control"), file.caching);
        QVERIFY2(QRegularExpression(QStringLiteral("^\"[0-9a-f]{20}\"$"))
                     .match(QString::fromLatin1(response.header("ETag")))
                     .hasMatch(),
                 response.header("ETag").constData());
        QVERIFY2(response.body.contains(file.mustContain), file.path.constData());
        const QString problem = securityProblem(response);
        QVERIFY2(problem.isEmpty(),
                 qPrintable(QString::fromLatin1(file.path) + QStringLiteral(": ") + problem));
    }
    // Two files never share a validator.
    QSet<QByteArray> etags;
    for (const StaticFile& file : staticFiles)
        etags.insert(exchange(m_hub.host->port(), get(file.path)).header("ETag"));
    QCOMPARE(etags.size(), staticFiles.size());
}

void tst_WebRoutes::matchingETagRevalidatesWithoutBody()
{
    const RawResponse first = exchange(m_hub.host->port(), get("/client.js"));
    const QByteArray etag = first.header("ETag");
    QVERIFY(!etag.isEmpty());

    const QList<QByteArray> conditions{etag, QByteArray("W/") + etag,
                                       QByteArray("\"other\", ") + etag, QByteArray("*")};
    for (const QByteArray& condition : conditions) {
        const RawResponse again =
            exchange(m_hub.host->port(), get("/client.js", {{"If-None-Match", condition}}));
        QVERIFY2(again.complete, condition.constData());
        QCOMPARE(again.status, 304);
        QVERIFY(again.body.isEmpty());
        QVERIFY(again.header("Content-Length").isEmpty());
        QCOMPARE(again.header("ETag"), etag);
        QCOMPARE(again.header("Cache-Control"), QByteArray("no-cache"));
    }
    const RawResponse changed =
        exchange(m_hub.host->port(), get("/client.js", {{"If-None-Match", "\"0123456789\""}}));
    QCOMPARE(changed.status, 200);
    QCOMPARE(changed.body, first.body);

    // The dashboard revalidates the same way, whatever Accept says.
    const QList<QPair<QByteArray, QByteArray>> browser{{"Accept", "text/html"}};
    const QByteArray pageTag = exchange(m_hub.host->port(), get("/", browser)).header("ETag");
    QVERIFY(!pageTag.isEmpty());
    const RawResponse page = exchange(
        m_hub.host->port(), get("/", {{"Accept", "text/html"}, {"If-None-Match", pageTag}}));
    QCOMPARE(page.status, 304);
}

void tst_WebRoutes::headHasHeadersButNoBody()
{
    HttpConnection connection;
    QVERIFY(connection.connectTo(m_hub.host->port()));
    connection.send(httpRequest("HEAD", "/client.js"));
    const RawResponse head = connection.read(true);
    QVERIFY(head.complete);
    QCOMPARE(head.status, 200);
    QCOMPARE(head.header("Content-Type"), QByteArray("text/javascript; charset=utf-8"));
    QVERIFY(head.header("Content-Length").toInt() > 1000);
    QVERIFY(!head.header("ETag").isEmpty());
    // Whatever follows is the next response, not a body of the HEAD.
    connection.send(get("/favicon.svg"));
    const RawResponse next = connection.read();
    QVERIFY(next.complete);
    QCOMPARE(next.status, 200);
    QCOMPARE(next.header("Content-Type"), QByteArray("image/svg+xml"));
}

void tst_WebRoutes::rootIsTheDashboardForBrowsersAndJsonOtherwise()
{
    const QByteArray browserAccept =
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8";
    const RawResponse page = exchange(m_hub.host->port(), get("/", {{"Accept", browserAccept}}));
    QCOMPARE(page.status, 200);
    QCOMPARE(page.header("Content-Type"), QByteArray("text/html; charset=utf-8"));
    QCOMPARE(page.header("Vary"), QByteArray("Accept"));
    QCOMPARE(page.header("Cache-Control"), QByteArray("no-cache"));
    QVERIFY(page.body.contains("<title>Switchboard</title>"));
    QVERIFY(page.body.contains("/dashboard.js"));
    QVERIFY(securityProblem(page).isEmpty());

    for (const QByteArray& accept : {QByteArray("application/json"), QByteArray("*/*")}) {
        const RawResponse info = exchange(m_hub.host->port(), get("/", {{"Accept", accept}}));
        QCOMPARE(info.status, 200);
        QVERIFY(info.header("Content-Type").startsWith("application/json"));
        QCOMPARE(info.header("Vary"), QByteArray("Accept"));
        QCOMPARE(info.header("Cache-Control"), QByteArray("no-store"));
        const QJsonObject endpoints = QJsonDocument::fromJson(info.body)
                                          .object()
                                          .value(QStringLiteral("endpoints"))
                                          .toObject();
        QCOMPARE(endpoints.value(QStringLiteral("client")).toString(),
                 QStringLiteral("/client.js"));
    }
    const RawResponse plain = exchange(m_hub.host->port(), get("/"));
    QVERIFY(plain.header("Content-Type").startsWith("application/json"));
}

void tst_WebRoutes::everythingThePagesLoadIsServed()
{
    // src/href in the pages and the module imports of the scripts: a dead reference is a page
    // that silently does not work.
    static const QRegularExpression reference(
        QStringLiteral("(?:src|href)=\"(/[^\"]*)\"|from \x27(/[^\x27]*)\x27"));
    QStringList broken;
    int checked = 0;
    for (const QByteArray& page : {QByteArray("/"), QByteArray("/websocket-demo.html"),
                                   QByteArray("/dashboard.js"), QByteArray("/websocket-demo.js")}) {
        const RawResponse response =
            exchange(m_hub.host->port(), get(page, {{"Accept", "text/html"}}));
        QCOMPARE(response.status, 200);
        for (const auto& match : reference.globalMatch(QString::fromUtf8(response.body))) {
            const QString target =
                match.captured(1).isEmpty() ? match.captured(2) : match.captured(1);
            ++checked;
            const RawResponse loaded = exchange(m_hub.host->port(), get(target.toUtf8()));
            if (loaded.status != 200)
                broken.append(QStringLiteral("%1 -> %2 (%3)")
                                  .arg(QString::fromLatin1(page), target)
                                  .arg(loaded.status));
        }
    }
    QVERIFY2(broken.isEmpty(), qPrintable(broken.join(QStringLiteral(", "))));
    QVERIFY(checked >= 8);
}

void tst_WebRoutes::unknownStaticPathsAreJson404()
{
    for (const QByteArray& path :
         {QByteArray("/client.jsx"), QByteArray("/vendor/uplot/nope.js"),
          QByteArray("/vendor/uplot/"), QByteArray("/vendor/../client.js.map"),
          QByteArray("/index.html"), QByteArray("/dashboard.js/x"), QByteArray("/web/client.js")}) {
        const RawResponse response = exchange(m_hub.host->port(), get(path));
        QVERIFY2(response.complete, path.constData());
        QVERIFY2(response.status == 404, path.constData());
        QVERIFY(response.header("Content-Type").startsWith("application/json"));
        const QJsonObject error = QJsonDocument::fromJson(response.body).object();
        QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("NOT_FOUND"));
        QCOMPARE(response.header("Cache-Control"), QByteArray("no-store"));
    }
}

void tst_WebRoutes::staticFilesAcceptOnlyGetAndHead()
{
    const RawResponse response =
        exchange(m_hub.host->port(), httpRequest("POST", "/client.js", {}, "x"));
    QCOMPARE(response.status, 405);
    QCOMPARE(response.header("Allow"), QByteArray("GET, HEAD"));
}

void tst_WebRoutes::pagesAreInTheApiDescription()
{
    const QJsonObject paths =
        QJsonDocument::fromJson(exchange(m_hub.host->port(), get("/openapi.json")).body)
            .object()
            .value(QStringLiteral("paths"))
            .toObject();
    for (const StaticFile& file : staticFiles)
        QVERIFY2(paths.contains(QString::fromLatin1(file.path)), file.path.constData());
}

QTEST_GUILESS_MAIN(tst_WebRoutes)
#include "tst_web_routes.moc"
