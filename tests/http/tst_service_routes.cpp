// The service routes as SPEC §2 and §2.1 promise them: `/`, `/health`, `/metrics`,
// `/openapi.json` and `/docs`, the security headers on every response and the shape of every
// JSON error. The real hub on port 0, real sockets, bytes checked as they come off the wire.

#include "HttpExchange.h"
#include "PrometheusText.h"
#include "RawClient.h"
#include "TestClient.h"
#include "TestHub.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

QJsonObject jsonObject(const QByteArray& body)
{
    return QJsonDocument::fromJson(body).object();
}

const QByteArray publishPath = "/api/v1/publish";

QByteArray signedToken(Role role, std::chrono::seconds ttl = std::chrono::seconds(3600))
{
    Identity identity;
    identity.subject = QStringLiteral("someone");
    identity.role = role;
    return TokenVerifier(testSecret).issue(identity, ttl);
}

// The hub the request rows run against: small limits so that the listener's own refusals
// (413, 431) are reachable with small requests.
HubConfig rowConfig()
{
    HubConfig config = testConfig();
    config.maxMessageBytes = 1024;
    return config;
}

// Columns: the raw request, whether it is a HEAD, the status, and for errors the code.
void addRequestColumns()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<bool>("head");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
}

void addSuccessRows()
{
    QTest::newRow("GET /") << httpRequest("GET", "/", {{"Accept", "application/json"}}) << false
                           << 200 << QString();
    QTest::newRow("GET /health") << httpRequest("GET", "/health") << false << 200 << QString();
    QTest::newRow("HEAD /health") << httpRequest("HEAD", "/health") << true << 200 << QString();
    QTest::newRow("GET /metrics") << httpRequest("GET", "/metrics") << false << 200 << QString();
    QTest::newRow("GET /openapi.json")
        << httpRequest("GET", "/openapi.json") << false << 200 << QString();
    QTest::newRow("GET /docs") << httpRequest("GET", "/docs") << false << 200 << QString();
    QTest::newRow("GET /api/v1/ws/health")
        << httpRequest("GET", "/api/v1/ws/health") << false << 200 << QString();
    QTest::newRow("POST publish, service token")
        << httpRequest("POST", publishPath,
                       {{"Authorization", "Bearer " + signedToken(Role::Service)}},
                       R"({"topic":"t","type":"e","data":{}})")
        << false << 200 << QString();
}

void addErrorRows()
{
    QTest::newRow("unknown route")
        << httpRequest("GET", "/no/such/route") << false << 404 << QStringLiteral("NOT_FOUND");
    QTest::newRow("wrong method") << httpRequest("DELETE", "/health") << false << 405
                                  << QStringLiteral("METHOD_NOT_ALLOWED");
    QTest::newRow("no token") << httpRequest("POST", publishPath, {}, R"({"topic":"t","type":"e"})")
                              << false << 401 << QStringLiteral("AUTHENTICATION_FAILED");
    QTest::newRow("user token") << httpRequest(
                                       "POST", publishPath,
                                       {{"Authorization", "Bearer " + signedToken(Role::User)}},
                                       R"({"topic":"t","type":"e"})")
                                << false << 403 << QStringLiteral("PERMISSION_DENIED");
    QTest::newRow("invalid JSON") << httpRequest("POST", publishPath,
                                                 {{"Authorization",
                                                   "Bearer " + signedToken(Role::Service)}},
                                                 "{\"topic\":")
                                  << false << 400 << QStringLiteral("INVALID_JSON");
    QTest::newRow("upgrade to an unknown path")
        << upgradeRequest("/ws/no-such-endpoint") << false << 404 << QStringLiteral("NOT_FOUND");
    QTest::newRow("upgrade with a bad token") << upgradeRequest("/ws/v1?token=not.a.jwt") << false
                                              << 401 << QStringLiteral("AUTHENTICATION_FAILED");
    QTest::newRow("upgrade with an expired token")
        << upgradeRequest("/ws/v1?token=" + signedToken(Role::User, std::chrono::seconds(-3600)))
        << false << 401 << QStringLiteral("AUTHENTICATION_FAILED");
    // Refused by the listener before the HTTP server sees the request.
    QTest::newRow("body over the limit")
        << httpRequest("POST", publishPath,
                       {{"Authorization", "Bearer " + signedToken(Role::Service)},
                        {"Content-Length", "4096"}})
        << false << 413 << QStringLiteral("MESSAGE_TOO_LARGE");
    QTest::newRow("chunked body") << httpRequest("POST", publishPath,
                                                 {{"Transfer-Encoding", "chunked"}})
                                  << false << 411 << QStringLiteral("INVALID_MESSAGE");
    QTest::newRow("request head too large")
        << QByteArray("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " +
                      QByteArray(17 * 1024, 'a'))
        << false << 431 << QStringLiteral("MESSAGE_TOO_LARGE");
}

// Empty when `response` carries every security header of SPEC §2 exactly once.
QString securityHeaderProblem(const RawResponse& response)
{
    const QList<QPair<QByteArray, QByteArray>> fixed{{"X-Content-Type-Options", "nosniff"},
                                                     {"X-Frame-Options", "DENY"},
                                                     {"Referrer-Policy", "no-referrer"}};
    QStringList problems;
    for (const auto& [name, value] : fixed) {
        if (response.headerCount(name) != 1 ||
            response.header(name).compare(value, Qt::CaseInsensitive) != 0)
            problems.append(QStringLiteral("%1: %2 (want %3)")
                                .arg(QString::fromLatin1(name),
                                     QString::fromLatin1(response.header(name)),
                                     QString::fromLatin1(value)));
    }
    const QByteArray policy = response.header("Content-Security-Policy");
    if (response.headerCount("Content-Security-Policy") != 1 || !policy.contains("default-src"))
        problems.append(QStringLiteral("Content-Security-Policy: %1 (want one with default-src)")
                            .arg(QString::fromLatin1(policy)));
    return problems.join(QStringLiteral("; "));
}

// Empty when `response` is a JSON error {"error": text, "code": code}.
QString jsonErrorProblem(const RawResponse& response, const QString& code)
{
    if (!response.header("Content-Type").startsWith("application/json"))
        return QStringLiteral("Content-Type is %1")
            .arg(QString::fromLatin1(response.header("Content-Type")));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(response.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return QStringLiteral("the body is not a JSON object: %1")
            .arg(QString::fromUtf8(response.body.left(200)));
    const QJsonObject error = document.object();
    if (!error.value(QStringLiteral("error")).isString() ||
        error.value(QStringLiteral("error")).toString().isEmpty())
        return QStringLiteral("no error text in %1").arg(QString::fromUtf8(response.body));
    if (error.value(QStringLiteral("code")).toString() != code)
        return QStringLiteral("code is %1, want %2")
            .arg(error.value(QStringLiteral("code")).toString(), code);
    return {};
}

} // namespace

class tst_ServiceRoutes : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void healthFollowsRealConnections();
    void headHealthHasHeadersButNoBody();
    void rootDescribesTheService();
    void metricsAreValidPrometheusText();
    void metricsMoveWithTraffic();
    void metricsCountSlowConsumerDrops();
    void everyResponseCarriesSecurityHeaders_data();
    void everyResponseCarriesSecurityHeaders();
    void refusalAtTheConnectionLimitCarriesSecurityHeaders();
    void errorsAreJsonWithStatusAndCode_data();
    void errorsAreJsonWithStatusAndCode();
    void wrongMethodSaysWhichMethodsAreAllowed();
    void openApiDescribesEveryServedRoute();
    void noSpecRouteIsServedWithoutBeingDocumented();
    void docsPageIsHtmlAndItsLinksResolve();
};

void tst_ServiceRoutes::initTestCase()
{
    // The programs set the application version before they start the hub (server_main.cpp,
    // console_main.cpp); the hub reports whatever the host set, so this host does the same.
    QCoreApplication::setApplicationVersion(QStringLiteral(SWITCHBOARD_VERSION));
}

void tst_ServiceRoutes::healthFollowsRealConnections()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    const auto health = [&hub] {
        return jsonObject(hub.send("GET", QStringLiteral("/health")).body);
    };
    const auto active = [&health] {
        return health().value(QStringLiteral("active_connections")).toInt(-1);
    };

    const TestHub::Reply reply = hub.send("GET", QStringLiteral("/health"));
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.header("Content-Type").startsWith("application/json"));
    const QJsonObject body = jsonObject(reply.body);
    QCOMPARE(body.value(QStringLiteral("status")).toString(), QStringLiteral("healthy"));
    QVERIFY(body.value(QStringLiteral("active_connections")).isDouble());
    QCOMPARE(body.value(QStringLiteral("active_connections")).toInt(), 0);
    const QString timestamp = body.value(QStringLiteral("timestamp")).toString();
    const QDateTime when = QDateTime::fromString(timestamp, Qt::ISODateWithMs);
    QVERIFY2(when.isValid(), qPrintable(timestamp));
    QVERIFY2(timestamp.endsWith(u'Z') || timestamp.contains(u'+'),
             "the timestamp must say its time zone");
    QVERIFY(qAbs(when.secsTo(QDateTime::currentDateTimeUtc())) < 60);

    const QByteArray token = hub.token(QStringLiteral("u"), Role::User);
    TestClient first, second;
    QVERIFY(first.open(hub.ws(QStringLiteral("/ws/v1"), token)));
    QTRY_COMPARE(active(), 1);
    QVERIFY(second.open(hub.ws())); // anonymous clients count too
    QTRY_COMPARE(active(), 2);
    first.socket.close();
    QVERIFY(first.waitClosed());
    QTRY_COMPARE(active(), 1);
    second.socket.close();
    QVERIFY(second.waitClosed());
    QTRY_COMPARE(active(), 0);
}

void tst_ServiceRoutes::headHealthHasHeadersButNoBody()
{
    TestHub hub;
    HttpConnection connection;
    QVERIFY(connection.connectTo(hub.host->port()));
    connection.send(httpRequest("HEAD", "/health"));
    const RawResponse head = connection.read(true);
    QVERIFY(head.complete);
    QCOMPARE(head.status, 200);
    QVERIFY(head.header("Content-Type").startsWith("application/json"));
    QVERIFY(head.header("Content-Length").toInt() > 0);
    QVERIFY2(securityHeaderProblem(head).isEmpty(), qPrintable(securityHeaderProblem(head)));

    // A body after a HEAD response would be taken for the start of the next response.
    connection.send(httpRequest("GET", "/health"));
    const RawResponse get = connection.read();
    QVERIFY2(get.complete, "the response after HEAD does not start with a status line: the HEAD "
                           "response carried a body");
    QCOMPARE(get.status, 200);
    QCOMPARE(jsonObject(get.body).value(QStringLiteral("status")).toString(),
             QStringLiteral("healthy"));
}

void tst_ServiceRoutes::rootDescribesTheService()
{
    TestHub hub;
    const TestHub::Reply reply =
        hub.send("GET", QStringLiteral("/"), {}, {}, {{"Accept", "application/json"}});
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.header("Content-Type").startsWith("application/json"));
    const QJsonObject info = jsonObject(reply.body);
    QCOMPARE(info.value(QStringLiteral("name")).toString(), QStringLiteral("Switchboard"));
    QCOMPARE(info.value(QStringLiteral("version")).toString(), QStringLiteral(SWITCHBOARD_VERSION));

    const QJsonObject endpoints = info.value(QStringLiteral("endpoints")).toObject();
    QVERIFY(!endpoints.isEmpty());
    QCOMPARE(endpoints.value(QStringLiteral("health")).toString(), QStringLiteral("/health"));
    QCOMPARE(endpoints.value(QStringLiteral("metrics")).toString(), QStringLiteral("/metrics"));
    QCOMPARE(endpoints.value(QStringLiteral("openapi")).toString(),
             QStringLiteral("/openapi.json"));
    QCOMPARE(endpoints.value(QStringLiteral("docs")).toString(), QStringLiteral("/docs"));
    const QJsonArray websockets = endpoints.value(QStringLiteral("websocket")).toArray();
    QVERIFY(websockets.contains(QStringLiteral("/ws/v1")));

    // Every endpoint it names is really there.
    for (auto it = endpoints.constBegin(); it != endpoints.constEnd(); ++it) {
        if (!it->isString())
            continue;
        const TestHub::Reply answer = hub.send("GET", it->toString());
        QVERIFY2(answer.status == 200, qPrintable(it->toString()));
    }
    const QByteArray token = hub.token(QStringLiteral("u"), Role::User);
    for (const QJsonValue& path : websockets) {
        TestClient client;
        QVERIFY2(client.open(hub.ws(path.toString(), token)), qPrintable(path.toString()));
    }
}

void tst_ServiceRoutes::metricsAreValidPrometheusText()
{
    TestHub hub;
    const RawResponse response = exchange(hub.host->port(), httpRequest("GET", "/metrics"));
    QCOMPARE(response.status, 200);
    QVERIFY2(response.header("Content-Type").startsWith("text/plain; version=0.0.4"),
             response.header("Content-Type").constData());
    const Exposition metrics = parseExposition(response.body);
    QVERIFY2(metrics.error.isEmpty(), qPrintable(metrics.error));

    const QList<QPair<QByteArray, QByteArray>> required{
        {"switchboard_connections", "gauge"},
        {"switchboard_messages_in_total", "counter"},
        {"switchboard_messages_out_total", "counter"},
        {"switchboard_bytes_in_total", "counter"},
        {"switchboard_bytes_out_total", "counter"},
        {"switchboard_events_published_total", "counter"},
        {"switchboard_slow_consumers_dropped_total", "counter"},
        {"switchboard_connections_rejected_total", "counter"},
        {"switchboard_publish_to_send_seconds", "histogram"},
    };
    for (const auto& [name, type] : required) {
        QVERIFY2(metrics.has(name), name.constData());
        QCOMPARE(metrics.type(name), type);
    }
    QCOMPARE(metrics.value("switchboard_connections"), 0.0);
    QCOMPARE(metrics.value("switchboard_publish_to_send_seconds_count"), 0.0);
}

void tst_ServiceRoutes::metricsMoveWithTraffic()
{
    TestHub hub;
    const auto scrape = [&hub] {
        const Exposition metrics =
            parseExposition(hub.send("GET", QStringLiteral("/metrics")).body);
        if (!metrics.error.isEmpty())
            qWarning("malformed exposition: %s", qPrintable(metrics.error));
        return metrics;
    };
    const auto value = [&scrape](const QByteArray& name) { return scrape().value(name); };

    const Exposition before = scrape();
    QVERIFY2(before.error.isEmpty(), qPrintable(before.error));

    TestClient subscriber;
    QVERIFY(subscriber.open(
        hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("u"), Role::User))));
    const QJsonObject ack =
        subscriber.request(QStringLiteral("subscribe"), QStringLiteral("1"),
                           {{QStringLiteral("topics"), QJsonArray{QStringLiteral("quotes")}}});
    QCOMPARE(ack.value(QStringLiteral("type")).toString(), QStringLiteral("ack"));

    const Exposition connected = scrape();
    QVERIFY2(connected.error.isEmpty(), qPrintable(connected.error));
    QCOMPARE(connected.value("switchboard_connections"), 1.0);
    QVERIFY(connected.value("switchboard_messages_in_total") >=
            before.value("switchboard_messages_in_total") + 1);
    QVERIFY(connected.value("switchboard_messages_out_total") >=
            before.value("switchboard_messages_out_total") + 2); // welcome, ack
    QVERIFY(connected.value("switchboard_bytes_in_total") >
            before.value("switchboard_bytes_in_total"));
    QVERIFY(connected.value("switchboard_bytes_out_total") >
            before.value("switchboard_bytes_out_total"));

    // Publishes to a subscribed topic: counted, delivered and timed.
    const QByteArray service = hub.token(QStringLiteral("svc"), Role::Service);
    const int publishes = 3;
    for (int i = 0; i < publishes; ++i) {
        const TestHub::Reply reply =
            hub.send("POST", QStringLiteral("/api/v1/publish"),
                     QJsonDocument(QJsonObject{{QStringLiteral("topic"), QStringLiteral("quotes")},
                                               {QStringLiteral("type"), QStringLiteral("tick")},
                                               {QStringLiteral("data"),
                                                QJsonObject{{QStringLiteral("i"), i}}}})
                         .toJson(QJsonDocument::Compact),
                     service);
        QCOMPARE(reply.status, 200);
    }
    QTRY_COMPARE(subscriber.messagesOfType(QStringLiteral("event")).size(), publishes);
    QTRY_COMPARE(value("switchboard_publish_to_send_seconds_count"),
                 connected.value("switchboard_publish_to_send_seconds_count") + publishes);
    const Exposition published = scrape();
    QVERIFY2(published.error.isEmpty(), qPrintable(published.error));
    QCOMPARE(published.value("switchboard_events_published_total"),
             connected.value("switchboard_events_published_total") + publishes);
    QVERIFY(published.value("switchboard_messages_out_total") >=
            connected.value("switchboard_messages_out_total") + publishes);
    QVERIFY(published.value("switchboard_publish_to_send_seconds_sum") >= 0);

    // Refused upgrades are counted as rejected connections.
    const double rejected = published.value("switchboard_connections_rejected_total");
    QCOMPARE(exchange(hub.host->port(), upgradeRequest("/ws/v1?token=not.a.jwt")).status, 401);
    QTRY_COMPARE(value("switchboard_connections_rejected_total"), rejected + 1);
    QCOMPARE(exchange(hub.host->port(), upgradeRequest("/ws/nowhere")).status, 404);
    QTRY_COMPARE(value("switchboard_connections_rejected_total"), rejected + 2);

    subscriber.socket.close();
    QVERIFY(subscriber.waitClosed());
    QTRY_COMPARE(value("switchboard_connections"), 0.0);
}

void tst_ServiceRoutes::metricsCountSlowConsumerDrops()
{
    HubConfig config = testConfig();
    config.outboundBufferCap = 64 * 1024;
    config.authMode = AuthMode::Off;
    TestHub hub(config);
    const auto value = [&hub](const QByteArray& name) {
        return parseExposition(hub.send("GET", QStringLiteral("/metrics")).body).value(name);
    };
    QCOMPARE(value("switchboard_slow_consumers_dropped_total"), 0.0);

    RawClient stalled;
    QVERIFY(stalled.connectTo(hub.host->port()));
    QVERIFY(stalled.handshake(QStringLiteral("/ws/v1")));
    stalled.socket.setReadBufferSize(1024); // it stops reading: the kernel buffers fill up
    stalled.sendText(R"({"type":"subscribe","data":{"topics":["bulk"]}})");
    QTRY_COMPARE(value("switchboard_messages_in_total"), 1.0);

    // Publish until the hub gives up on the client; loopback buffers hold a few MB.
    const QString payload(32 * 1024, u'p');
    for (int i = 1; i <= 2000; ++i) {
        hub.host->publish(QStringLiteral("bulk"), QStringLiteral("chunk"),
                          {{QStringLiteral("i"), i}, {QStringLiteral("pad"), payload}});
        if (i % 20 == 0 && value("switchboard_slow_consumers_dropped_total") >= 1)
            break;
    }
    QTRY_COMPARE(value("switchboard_slow_consumers_dropped_total"), 1.0);
    QTRY_COMPARE(value("switchboard_connections"), 0.0);
}

void tst_ServiceRoutes::everyResponseCarriesSecurityHeaders_data()
{
    addRequestColumns();
    addSuccessRows();
    addErrorRows();
}

void tst_ServiceRoutes::everyResponseCarriesSecurityHeaders()
{
    QFETCH(QByteArray, request);
    QFETCH(bool, head);
    QFETCH(int, status);
    TestHub hub(rowConfig());
    const RawResponse response = exchange(hub.host->port(), request, head);
    QVERIFY2(response.complete, "no complete response");
    QCOMPARE(response.status, status);
    const QString problem = securityHeaderProblem(response);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void tst_ServiceRoutes::refusalAtTheConnectionLimitCarriesSecurityHeaders()
{
    HubConfig config = testConfig();
    config.maxConnections = 1;
    TestHub hub(config);
    TestClient holder;
    QVERIFY(
        holder.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("u"), Role::User))));
    const RawResponse response = exchange(hub.host->port(), httpRequest("GET", "/health"));
    QVERIFY(response.complete);
    QCOMPARE(response.status, 503);
    const QString jsonProblem = jsonErrorProblem(response, QStringLiteral("OVERLOADED"));
    QVERIFY2(jsonProblem.isEmpty(), qPrintable(jsonProblem));
    const QString problem = securityHeaderProblem(response);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void tst_ServiceRoutes::errorsAreJsonWithStatusAndCode_data()
{
    addRequestColumns();
    addErrorRows();
}

void tst_ServiceRoutes::errorsAreJsonWithStatusAndCode()
{
    QFETCH(QByteArray, request);
    QFETCH(bool, head);
    QFETCH(int, status);
    QFETCH(QString, code);
    TestHub hub(rowConfig());
    const RawResponse response = exchange(hub.host->port(), request, head);
    QVERIFY2(response.complete, "no complete response");
    QCOMPARE(response.status, status);
    const QString problem = jsonErrorProblem(response, code);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void tst_ServiceRoutes::wrongMethodSaysWhichMethodsAreAllowed()
{
    // RFC 9110 §15.5.6: a 405 response must carry an Allow header listing what the resource
    // supports.
    TestHub hub;
    const RawResponse response = exchange(hub.host->port(), httpRequest("POST", "/health"));
    QCOMPARE(response.status, 405);
    const QByteArray allow = response.header("Allow");
    QVERIFY2(allow.contains("GET"),
             qPrintable(QStringLiteral("Allow: \"%1\"").arg(QString::fromLatin1(allow))));
}

void tst_ServiceRoutes::openApiDescribesEveryServedRoute()
{
    TestHub hub;
    const TestHub::Reply reply = hub.send("GET", QStringLiteral("/openapi.json"));
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.header("Content-Type").startsWith("application/json"));
    const QJsonObject document = jsonObject(reply.body);
    QVERIFY(document.value(QStringLiteral("openapi")).toString().startsWith(QStringLiteral("3.")));
    const QJsonObject info = document.value(QStringLiteral("info")).toObject();
    QVERIFY(!info.value(QStringLiteral("title")).toString().isEmpty());
    QCOMPARE(info.value(QStringLiteral("version")).toString(), QStringLiteral(SWITCHBOARD_VERSION));
    const QJsonObject schemes = document.value(QStringLiteral("components"))
                                    .toObject()
                                    .value(QStringLiteral("securitySchemes"))
                                    .toObject();
    const QJsonObject paths = document.value(QStringLiteral("paths")).toObject();
    QVERIFY(!paths.isEmpty());

    static const QStringList methods{QStringLiteral("get"),     QStringLiteral("put"),
                                     QStringLiteral("post"),    QStringLiteral("delete"),
                                     QStringLiteral("patch"),   QStringLiteral("head"),
                                     QStringLiteral("options"), QStringLiteral("trace")};
    static const QRegularExpression parameterPattern(QStringLiteral("\\{([^}/]+)\\}"));
    int operations = 0;
    for (auto path = paths.constBegin(); path != paths.constEnd(); ++path) {
        QVERIFY2(path.key().startsWith(u'/'), qPrintable(path.key()));
        const QJsonObject item = path->toObject();
        for (auto op = item.constBegin(); op != item.constEnd(); ++op) {
            const QString where = op.key() + u' ' + path.key();
            QVERIFY2(methods.contains(op.key()), qPrintable(where));
            const QJsonObject operation = op->toObject();
            ++operations;

            // Structurally valid: responses with descriptions, declared path parameters,
            // security that names a declared scheme.
            const QJsonObject responses = operation.value(QStringLiteral("responses")).toObject();
            QVERIFY2(!responses.isEmpty(), qPrintable(where));
            for (const QJsonValue& response : responses)
                QVERIFY2(response.toObject().value(QStringLiteral("description")).isString(),
                         qPrintable(where));
            QStringList declared;
            for (const QJsonValue& parameter :
                 operation.value(QStringLiteral("parameters")).toArray()) {
                const QJsonObject p = parameter.toObject();
                if (p.value(QStringLiteral("in")).toString() == QStringLiteral("path")) {
                    QVERIFY2(p.value(QStringLiteral("required")).toBool(), qPrintable(where));
                    declared.append(p.value(QStringLiteral("name")).toString());
                }
            }
            QStringList inPath;
            for (const auto& match : parameterPattern.globalMatch(path.key()))
                inPath.append(match.captured(1));
            declared.sort();
            inPath.sort();
            QCOMPARE(declared, inPath);
            for (const QJsonValue& requirement :
                 operation.value(QStringLiteral("security")).toArray()) {
                for (const QString& scheme : requirement.toObject().keys())
                    QVERIFY2(schemes.contains(scheme), qPrintable(where + u' ' + scheme));
            }

            // Served: without a token it answers, and a route that demands one says so.
            QString concrete = path.key();
            concrete.replace(parameterPattern, QStringLiteral("x"));
            const TestHub::Reply answer = hub.send(op.key().toUpper().toLatin1(), concrete);
            QVERIFY2(answer.status != 404 && answer.status != 405,
                     qPrintable(QStringLiteral("%1 answers %2").arg(where).arg(answer.status)));
            QCOMPARE(operation.contains(QStringLiteral("security")), answer.status == 401);
        }
    }
    QVERIFY(operations >= 10);
}

void tst_ServiceRoutes::noSpecRouteIsServedWithoutBeingDocumented()
{
    // Every route of SPEC §2.1: a route the hub serves must be in /openapi.json; one that it
    // does not serve (yet) must be a plain 404.
    const QList<QPair<QByteArray, QString>> specRoutes{
        {"GET", QStringLiteral("/")},
        {"GET", QStringLiteral("/health")},
        {"GET", QStringLiteral("/metrics")},
        {"GET", QStringLiteral("/openapi.json")},
        {"GET", QStringLiteral("/docs")},
        {"GET", QStringLiteral("/asyncapi.json")},
        {"GET", QStringLiteral("/client.js")},
        {"GET", QStringLiteral("/websocket-demo.html")},
        {"POST", QStringLiteral("/api/v1/publish")},
        {"GET", QStringLiteral("/api/jobs")},
        {"POST", QStringLiteral("/api/jobs/{type}")},
        {"GET", QStringLiteral("/api/jobs/{id}")},
        {"POST", QStringLiteral("/api/jobs/{id}/cancel")},
        {"POST", QStringLiteral("/api/v1/jobs/external")},
        {"POST", QStringLiteral("/api/v1/jobs/{id}/progress")},
        {"PUT", QStringLiteral("/api/v1/projects/{id}")},
        {"GET", QStringLiteral("/api/v1/projects")},
        {"PUT", QStringLiteral("/api/v1/uploads/{file_id}")},
        {"GET", QStringLiteral("/api/v1/uploads/{file_id}")},
        {"GET", QStringLiteral("/api/v1/reports/{name}")},
        {"GET", QStringLiteral("/api/v1/ws/health")},
        {"GET", QStringLiteral("/api/v1/ws/stats")},
        {"GET", QStringLiteral("/api/v1/ws/stats/detailed")},
        {"GET", QStringLiteral("/api/v1/ws/rooms")},
        {"POST", QStringLiteral("/api/v1/ws/rooms/{id}/broadcast")},
        {"POST", QStringLiteral("/api/v1/ws/users/{id}/notify")},
        {"POST", QStringLiteral("/api/v1/ws/broadcast/notification")},
        {"DELETE", QStringLiteral("/api/v1/ws/connections/{id}")},
        {"POST", QStringLiteral("/api/v1/ws/shutdown")},
    };
    static const QRegularExpression parameterPattern(QStringLiteral("\\{[^}/]+\\}"));
    const auto shape = [](QString pattern) {
        return pattern.replace(parameterPattern, QStringLiteral("{}"));
    };

    TestHub hub;
    const QJsonObject paths = jsonObject(hub.send("GET", QStringLiteral("/openapi.json")).body)
                                  .value(QStringLiteral("paths"))
                                  .toObject();
    QSet<QString> documented; // "post /api/jobs/{}"
    for (auto path = paths.constBegin(); path != paths.constEnd(); ++path) {
        for (const QString& method : path->toObject().keys())
            documented.insert(method + u' ' + shape(path.key()));
    }
    for (const auto& [method, pattern] : specRoutes) {
        QString concrete = pattern;
        concrete.replace(parameterPattern, QStringLiteral("x"));
        const TestHub::Reply answer = hub.send(method, concrete); // no token: nothing happens
        const bool served = answer.status != 404;
        const bool listed =
            documented.contains(QString::fromLatin1(method).toLower() + u' ' + shape(pattern));
        QVERIFY2(
            served == listed,
            qPrintable(QStringLiteral("%1 %2 answers %3 but is %4 in /openapi.json")
                           .arg(QString::fromLatin1(method), pattern)
                           .arg(answer.status)
                           .arg(listed ? QStringLiteral("listed") : QStringLiteral("not listed"))));
    }
}

void tst_ServiceRoutes::docsPageIsHtmlAndItsLinksResolve()
{
    TestHub hub;
    const TestHub::Reply reply = hub.send("GET", QStringLiteral("/docs"));
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.header("Content-Type").startsWith("text/html"));
    QVERIFY(reply.body.contains("<html"));
    QVERIFY(reply.body.contains("/openapi.json"));

    // What the page loads and links to on this server must be there: a dead link is a
    // feature that silently does nothing.
    static const QRegularExpression reference(QStringLiteral("(?:src|href)=\"(/[^\"]*)\""));
    QStringList broken;
    int checked = 0;
    for (const auto& match : reference.globalMatch(QString::fromUtf8(reply.body))) {
        ++checked;
        const int status = hub.send("GET", match.captured(1)).status;
        if (status != 200)
            broken.append(QStringLiteral("%1 (%2)").arg(match.captured(1)).arg(status));
    }
    QVERIFY(checked > 0);
    QVERIFY2(broken.isEmpty(), qPrintable(broken.join(QStringLiteral(", "))));
}

QTEST_GUILESS_MAIN(tst_ServiceRoutes)
#include "tst_service_routes.moc"
