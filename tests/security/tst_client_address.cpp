// Clients behind a proxy, a NAT or a load balancer (SPEC §7), over real sockets against the
// real hub, and through a real nginx: which address a client has (X-Forwarded-For / Forwarded
// believed only from --trusted-proxy peers, the right-most untrusted hop), that limits, blocks
// and the connections view use it, and that anonymous clients sharing one address each get a
// client's allowance (per connection) under a ceiling for the address, while one flooding
// client is still refused and closed.

#include "HttpExchange.h"
#include "LightClient.h"
#include "TestHub.h"
#include "auth/TrustedProxies.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>
#include <vector>

using namespace switchboard;
using namespace switchboard::test;

namespace {

const QByteArray subscribe = R"({"type":"subscribe","id":"s","data":{"topics":["trading"]}})";
const QByteArray ping = R"({"type":"ping","id":"p"})";

// The limits as shipped (SPEC §1), anonymous clients allowed.
HubConfig shippedLimits(AuthMode mode = AuthMode::Optional)
{
    const HubConfig defaults;
    HubConfig config = testConfig();
    config.authMode = mode;
    config.requestsPerMinute = defaults.requestsPerMinute;
    config.requestsPerHour = defaults.requestsPerHour;
    config.wsMaxMessages = defaults.wsMaxMessages;
    config.anonymousRequestsPerMinutePerAddress = defaults.anonymousRequestsPerMinutePerAddress;
    config.rateViolationsBeforeBlock = defaults.rateViolationsBeforeBlock;
    config.rateBlockDuration = defaults.rateBlockDuration;
    config.maxConnectionsPerIp = defaults.maxConnectionsPerIp;
    return config;
}

int count(const std::vector<std::unique_ptr<LightClient>>& clients,
          const std::function<bool(const LightClient&)>& predicate)
{
    int n = 0;
    for (const auto& client : clients)
        n += predicate(*client) ? 1 : 0;
    return n;
}

bool acked(const LightClient& client, QByteArrayView id)
{
    for (const QByteArray& text : client.texts) {
        const QJsonObject reply = QJsonDocument::fromJson(text).object();
        if (reply.value(QLatin1String("id")).toString().toUtf8() == id)
            return reply.value(QLatin1String("type")).toString() == QLatin1String("ack") ||
                   reply.value(QLatin1String("type")).toString() == QLatin1String("pong");
    }
    return false;
}

QString errorOf(const LightClient& client, QByteArrayView id)
{
    for (const QByteArray& text : client.texts) {
        const QJsonObject reply = QJsonDocument::fromJson(text).object();
        if (reply.value(QLatin1String("id")).toString().toUtf8() == id &&
            reply.value(QLatin1String("type")).toString() == QLatin1String("error"))
            return reply.value(QLatin1String("code")).toString();
    }
    return {};
}

QByteArray pingWithId(const QByteArray& id)
{
    return R"({"type":"ping","id":")" + id + R"("})";
}

// Waits (on the socket's signals) until `done` holds or the client's connection ends.
bool waitUntil(LightClient& client, const std::function<bool()>& done, int timeoutMs = 5000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired() || client.closed)
            return done();
        QSignalSpy received(&client.socket, &QTcpSocket::readyRead);
        QSignalSpy ended(&client.socket, &QTcpSocket::disconnected);
        received.wait(int(qMax<qint64>(1, deadline.remainingTime())));
    }
    return true;
}

// Sends a ping with `id` and waits for its answer: "" for a pong, else the error code.
QString roundTrip(LightClient& client, const QByteArray& id)
{
    client.send(pingWithId(id));
    waitUntil(client, [&] { return acked(client, id) || !errorOf(client, id).isEmpty(); });
    if (acked(client, id))
        return QString();
    if (const QString code = errorOf(client, id); !code.isEmpty())
        return code;
    return client.closed ? QStringLiteral("closed") : QStringLiteral("timeout");
}

// Opens a client and waits for the answer to its upgrade, and for a 101 for the native
// welcome (the session is registered and greeted by then).
std::unique_ptr<LightClient> openClient(quint16 port, const QByteArray& path,
                                        const QHostAddress& from = {},
                                        QList<QPair<QByteArray, QByteArray>> headers = {})
{
    auto client =
        std::make_unique<LightClient>(port, path, QList<QByteArray>{}, std::move(headers));
    client->start(from);
    waitUntil(*client, [&client] {
        return (client->status != 0 && client->status != 101) || !client->texts.isEmpty();
    });
    if (client->status != 101)
        waitUntil(
            *client, [] { return false; }, 2000); // the rest of the refusal, then the close
    return client;
}

// The remote addresses of every connection, as GET /api/v1/ws/stats/detailed lists them.
QStringList remoteAddresses(TestHub& hub)
{
    const TestHub::Reply reply = hub.send("GET", QStringLiteral("/api/v1/ws/stats/detailed"), {},
                                          hub.token(QStringLiteral("root"), Role::Admin));
    QStringList addresses;
    const QJsonArray connections = QJsonDocument::fromJson(reply.body)
                                       .object()
                                       .value(QLatin1String("per_connection"))
                                       .toArray();
    for (const QJsonValue& connection : connections)
        addresses.append(connection.toObject().value(QLatin1String("remote_address")).toString());
    addresses.sort();
    return addresses;
}

QString addressPart(const QString& remote)
{
    return remote.count(u':') == 1 ? remote.left(remote.indexOf(u':')) : remote;
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// Debian's nginx as a reverse proxy in front of the hub, on a free loopback port, as an
// operator would configure it for WebSockets (docs/security.md).
class Nginx {
public:
    static QString binary()
    {
        for (const QString& path :
             {QStringLiteral("/usr/sbin/nginx"), QStringLiteral("/usr/bin/nginx")}) {
            if (QFile::exists(path))
                return path;
        }
        return {};
    }

    bool start(quint16 hubPort)
    {
        port = freePort();
        const QString dir = m_dir.path();
        for (const char* sub : {"body", "proxy", "fastcgi", "uwsgi", "scgi"})
            QDir(dir).mkpath(QString::fromLatin1(sub));
        const QString config =
            QStringLiteral(
                "daemon off;\nmaster_process off;\nworker_processes 1;\n"
                "pid %1/nginx.pid;\nerror_log %1/error.log warn;\n"
                "events { worker_connections 4096; }\n"
                "http {\n"
                "  access_log off;\n"
                "  client_body_temp_path %1/body; proxy_temp_path %1/proxy;\n"
                "  fastcgi_temp_path %1/fastcgi; uwsgi_temp_path %1/uwsgi; scgi_temp_path "
                "%1/scgi;\n"
                "  map $http_upgrade $connection_upgrade { default upgrade; '' close; }\n"
                "  server {\n"
                "    listen 127.0.0.1:%2;\n"
                "    location / {\n"
                "      proxy_pass http://127.0.0.1:%3;\n"
                "      proxy_http_version 1.1;\n"
                "      proxy_set_header Upgrade $http_upgrade;\n"
                "      proxy_set_header Connection $connection_upgrade;\n"
                "      proxy_set_header Host $host;\n"
                "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
                "      proxy_read_timeout 120s;\n"
                "    }\n"
                "  }\n"
                "}\n")
                .arg(dir)
                .arg(port)
                .arg(hubPort);
        QFile file(dir + QStringLiteral("/nginx.conf"));
        if (!file.open(QIODevice::WriteOnly) || file.write(config.toUtf8()) < 0)
            return false;
        file.close();
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(binary(), {QStringLiteral("-p"), dir, QStringLiteral("-c"),
                                   dir + QStringLiteral("/nginx.conf"), QStringLiteral("-e"),
                                   dir + QStringLiteral("/error.log")});
        return m_process.waitForStarted(5000);
    }

    // Ready once it accepts connections.
    bool accepts()
    {
        if (m_process.state() != QProcess::Running)
            return false;
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, port);
        return probe.waitForConnected(1000);
    }

    QString log()
    {
        QFile file(m_dir.path() + QStringLiteral("/error.log"));
        return QString::fromUtf8(m_process.readAll()) +
               (file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString());
    }

    ~Nginx()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(5000))
                m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    quint16 port = 0;

private:
    QTemporaryDir m_dir;
    QProcess m_process;
};

} // namespace

class tst_ClientAddress : public QObject {
    Q_OBJECT

private slots:
    void theClientIsTheRightmostUntrustedHop_data();
    void theClientIsTheRightmostUntrustedHop();
    void aThousandAnonymousClientsFromOneAddressAllSubscribe();
    void oneFloodingAnonymousClientIsStillRefusedAndClosed();
    void theAddressCeilingBoundsItsAnonymousConnections();
    void blockedConnectionsCountAgainstTheirAddress();
    void forwardedHeadersAreIgnoredWithoutTrustedProxies();
    void aTrustedProxysClientsAreToldApart();
    void throughNginx_data();
    void throughNginx();
};

void tst_ClientAddress::theClientIsTheRightmostUntrustedHop_data()
{
    QTest::addColumn<QString>("peer");
    QTest::addColumn<QByteArray>("forwardedFor");
    QTest::addColumn<QByteArray>("forwarded");
    QTest::addColumn<QString>("client");

    // Trusted: 10.0.0.0/8 and fd00::1.
    QTest::newRow("direct client, headers ignored")
        << "198.51.100.7" << QByteArray("203.0.113.1") << QByteArray() << "198.51.100.7";
    QTest::newRow("one proxy") << "10.0.0.2" << QByteArray("203.0.113.1") << QByteArray()
                               << "203.0.113.1";
    QTest::newRow("a forged entry left of the real one")
        << "10.0.0.2" << QByteArray("1.2.3.4, 203.0.113.1") << QByteArray() << "203.0.113.1";
    QTest::newRow("two trusted hops")
        << "10.0.0.2" << QByteArray("203.0.113.1, 10.9.9.9") << QByteArray() << "203.0.113.1";
    QTest::newRow("every hop trusted")
        << "10.0.0.2" << QByteArray("10.1.1.1, 10.9.9.9") << QByteArray() << "10.1.1.1";
    QTest::newRow("garbage ends the walk")
        << "10.0.0.2" << QByteArray("203.0.113.1, unknown, 10.9.9.9") << QByteArray() << "10.9.9.9";
    QTest::newRow("no header") << "10.0.0.2" << QByteArray() << QByteArray() << "10.0.0.2";
    QTest::newRow("with a port") << "10.0.0.2" << QByteArray("203.0.113.1:4711") << QByteArray()
                                 << "203.0.113.1";
    QTest::newRow("IPv6") << "fd00::1" << QByteArray("[2001:db8::17]:4711") << QByteArray()
                          << "2001:db8::17";
    QTest::newRow("IPv4-mapped peer")
        << "::ffff:10.0.0.2" << QByteArray("203.0.113.1") << QByteArray() << "203.0.113.1";
    QTest::newRow("Forwarded") << "10.0.0.2" << QByteArray()
                               << QByteArray(
                                      R"(for=1.2.3.4, for="[2001:db8:cafe::17]:4711";proto=https)")
                               << "2001:db8:cafe::17";
    QTest::newRow("Forwarded, obfuscated")
        << "10.0.0.2" << QByteArray() << QByteArray("for=_hidden") << "10.0.0.2";
    QTest::newRow("X-Forwarded-For before Forwarded")
        << "10.0.0.2" << QByteArray("203.0.113.1") << QByteArray("for=1.2.3.4") << "203.0.113.1";
}

void tst_ClientAddress::theClientIsTheRightmostUntrustedHop()
{
    QFETCH(QString, peer);
    QFETCH(QByteArray, forwardedFor);
    QFETCH(QByteArray, forwarded);
    QFETCH(QString, client);
    const TrustedProxies proxies({{QHostAddress(QStringLiteral("10.0.0.0")), 8},
                                  {QHostAddress(QStringLiteral("fd00::1")), 128}});
    QCOMPARE(proxies.clientOf(QHostAddress(peer), forwardedFor, forwarded).toString(), client);
    // Without trusted proxies nobody's headers count.
    QCOMPARE(TrustedProxies().clientOf(QHostAddress(peer), forwardedFor, forwarded),
             QHostAddress(peer).toIPv4Address() ? QHostAddress(QHostAddress(peer).toIPv4Address())
                                                : QHostAddress(peer));
}

// 1000 subscribers on one machine (or behind one NAT), anonymous, one subscribe each, with
// the limits as shipped: each is a client with an allowance of its own, and all are served.
// Before, the 61st of them was refused and the address blocked for 15 minutes.
void tst_ClientAddress::aThousandAnonymousClientsFromOneAddressAllSubscribe()
{
    HubConfig config = shippedLimits();
    QCOMPARE(config.maxConnectionsPerIp, 1000);
    TestHub hub(config);
    QVERIFY(!hub.startError);
    QElapsedTimer clock;
    clock.start();
    std::vector<std::unique_ptr<LightClient>> clients;
    for (int i = 0; i < 1000; ++i) {
        clients.push_back(std::make_unique<LightClient>(hub.host->port(), "/ws/v1",
                                                        QList<QByteArray>{subscribe}));
        clients.back()->start();
    }
    QTRY_VERIFY2_WITH_TIMEOUT(
        count(clients,
              [](const LightClient& c) {
                  return acked(c, "s") || !errorOf(c, "s").isEmpty() || c.closed;
              }) == 1000,
        qPrintable(QStringLiteral("%1 answered")
                       .arg(count(clients, [](const LightClient& c) { return acked(c, "s"); }))),
        40000);
    QCOMPARE(count(clients, [](const LightClient& c) { return acked(c, "s"); }), 1000);
    QCOMPARE(count(clients, [](const LightClient& c) { return c.closed; }), 0);
    qInfo("1000 anonymous clients connected and subscribed in %lld ms", clock.elapsed());

    // And each may go on like any client: a second message from every one of them.
    for (const auto& client : clients)
        client->send(ping);
    QTRY_COMPARE_WITH_TIMEOUT(count(clients, [](const LightClient& c) { return acked(c, "p"); }),
                              1000, 20000);
}

// Fair to many does not open a flood: one anonymous client that floods is refused past its
// per-minute allowance, then closed (1008) after repeated refusals, as a user would be.
void tst_ClientAddress::oneFloodingAnonymousClientIsStillRefusedAndClosed()
{
    HubConfig config = shippedLimits();
    TestHub hub(config);
    QVERIFY(!hub.startError);
    auto flooder = openClient(hub.host->port(), "/ws/v1");
    QCOMPARE(flooder->status, 101);
    const int budget = config.requestsPerMinute + config.rateViolationsBeforeBlock + 10;
    for (int i = 0; i < budget; ++i)
        flooder->send(pingWithId(QByteArray::number(i)));
    QTRY_VERIFY_WITH_TIMEOUT(flooder->closed, 10000);
    QCOMPARE(flooder->closeCode, 1008);
    int pongs = 0;
    QStringList errors;
    for (const QByteArray& text : std::as_const(flooder->texts)) {
        const QJsonObject reply = QJsonDocument::fromJson(text).object();
        const QString type = reply.value(QLatin1String("type")).toString();
        pongs += type == QLatin1String("pong") ? 1 : 0;
        if (type == QLatin1String("error"))
            errors.append(reply.value(QLatin1String("code")).toString());
    }
    QCOMPARE(pongs, config.requestsPerMinute);
    QCOMPARE(errors.size(), config.rateViolationsBeforeBlock);
    QVERIFY(errors.count(QStringLiteral("RATE_LIMIT_EXCEEDED")) == errors.size());

    // Its neighbours on the same address are not affected.
    auto neighbour = openClient(hub.host->port(), "/ws/v1");
    QCOMPARE(neighbour->status, 101);
    QCOMPARE(roundTrip(*neighbour, "n"), QString());
}

// The anonymous connections of one address share a ceiling (a setting): past it, messages are
// refused whichever connection sends them; repeated refusals block the address.
void tst_ClientAddress::theAddressCeilingBoundsItsAnonymousConnections()
{
    HubConfig config = shippedLimits();
    config.anonymousRequestsPerMinutePerAddress = 5;
    config.rateViolationsBeforeBlock = 3;
    TestHub hub(config);
    QVERIFY(!hub.startError);
    std::vector<std::unique_ptr<LightClient>> clients;
    for (int i = 0; i < 5; ++i) {
        clients.push_back(openClient(hub.host->port(), "/ws/v1"));
        QCOMPARE(roundTrip(*clients.back(), "a"), QString());
    }
    auto sixth = openClient(hub.host->port(), "/ws/v1");
    QCOMPARE(roundTrip(*sixth, "a"), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QVERIFY(sixth->hasText("from this address"));
    QCOMPARE(roundTrip(*clients.front(), "b"), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    // The third refusal within the minute blocks the address: closed, and refused at the door.
    QCOMPARE(roundTrip(*clients.back(), "b"), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QTRY_VERIFY(clients.back()->closed);
    QCOMPARE(clients.back()->closeCode, 1008);
    auto later = openClient(hub.host->port(), "/ws/v1");
    QCOMPARE(later->status, 429);
    // A signed-in user on the same address is counted as the user.
    auto user = openClient(hub.host->port(),
                           "/ws/v1?token=" + hub.token(QStringLiteral("alice"), Role::User));
    QCOMPARE(user->status, 101);
    QCOMPARE(roundTrip(*user, "u"), QString());
}

// Reconnecting does not reset a flood: every anonymous connection blocked for flooding is a
// violation of its address, and enough of them block the address.
void tst_ClientAddress::blockedConnectionsCountAgainstTheirAddress()
{
    HubConfig config = shippedLimits();
    config.requestsPerMinute = 2;
    config.rateViolationsBeforeBlock = 2;
    TestHub hub(config);
    QVERIFY(!hub.startError);
    for (int round = 0; round < config.rateViolationsBeforeBlock; ++round) {
        auto flooder = openClient(hub.host->port(), "/ws/v1");
        QCOMPARE(flooder->status, 101);
        for (int i = 0; i < 4; ++i)
            flooder->send(pingWithId(QByteArray::number(i)));
        QTRY_VERIFY(flooder->closed);
        QCOMPARE(flooder->closeCode, 1008);
    }
    auto again = openClient(hub.host->port(), "/ws/v1");
    QCOMPARE(again->status, 429);
    QVERIFY(again->refusal.contains("RATE_LIMIT_EXCEEDED"));
}

// Without --trusted-proxy a client cannot choose its address by sending the headers.
void tst_ClientAddress::forwardedHeadersAreIgnoredWithoutTrustedProxies()
{
    HubConfig config = shippedLimits();
    config.anonymousRequestsPerMinutePerAddress = 1;
    TestHub hub(config);
    QVERIFY(!hub.startError);
    auto first = openClient(hub.host->port(), "/ws/v1", {},
                            {{"X-Forwarded-For", "203.0.113.1"}, {"Forwarded", "for=203.0.113.1"}});
    auto second =
        openClient(hub.host->port(), "/ws/v1", {},
                   {{"X-Forwarded-For", "203.0.113.2"}, {"Forwarded", "for=203.0.113.2"}});
    QCOMPARE(first->status, 101);
    QCOMPARE(second->status, 101);
    const QStringList addresses = remoteAddresses(hub);
    QCOMPARE(addresses.size(), 2);
    for (const QString& address : addresses)
        QCOMPARE(addressPart(address), QStringLiteral("127.0.0.1"));
    // One address, one ceiling.
    QCOMPARE(roundTrip(*first, "1"), QString());
    QCOMPARE(roundTrip(*second, "1"), QStringLiteral("RATE_LIMIT_EXCEEDED"));
}

// From a trusted proxy, each forwarded client is itself: in the connections view, in the
// per-address connection limit and ceiling, and in blocks.
void tst_ClientAddress::aTrustedProxysClientsAreToldApart()
{
    HubConfig config = shippedLimits();
    config.trustedProxies = {{QHostAddress(QStringLiteral("127.0.0.1")), 32}};
    config.anonymousRequestsPerMinutePerAddress = 2;
    config.rateViolationsBeforeBlock = 2;
    config.maxConnectionsPerIp = 3;
    TestHub hub(config);
    QVERIFY(!hub.startError);
    const auto from = [&hub](const QByteArray& address) {
        return openClient(hub.host->port(), "/ws/v1", {},
                          {{"X-Forwarded-For", "198.51.100.66, " + address}});
    };
    auto a1 = from("203.0.113.1");
    auto a2 = from("203.0.113.1");
    auto b1 = from("203.0.113.2");
    QCOMPARE(a1->status, 101);
    QCOMPARE(a2->status, 101);
    QCOMPARE(b1->status, 101);
    QCOMPARE(remoteAddresses(hub),
             QStringList({QStringLiteral("203.0.113.1"), QStringLiteral("203.0.113.1"),
                          QStringLiteral("203.0.113.2")}));

    // The per-address connection limit counts forwarded clients, not the proxy.
    auto a3 = from("203.0.113.1");
    QCOMPARE(a3->status, 101);
    auto a4 = from("203.0.113.1");
    QCOMPARE(a4->status, 503);
    auto b2 = from("203.0.113.2");
    QCOMPARE(b2->status, 101);

    // Ceilings are per forwarded client; a block of one is not the other's.
    QCOMPARE(roundTrip(*a1, "1"), QString());
    QCOMPARE(roundTrip(*a2, "1"), QString());
    QCOMPARE(roundTrip(*a1, "2"), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QCOMPARE(roundTrip(*a2, "2"), QStringLiteral("RATE_LIMIT_EXCEEDED")); // blocked
    QTRY_VERIFY(a2->closed);
    QCOMPARE(from("203.0.113.1")->status, 429);
    QCOMPARE(roundTrip(*b1, "1"), QString());
    QCOMPARE(roundTrip(*b2, "1"), QString());
    QCOMPARE(from("203.0.113.2")->status, 101);
}

void tst_ClientAddress::throughNginx_data()
{
    QTest::addColumn<bool>("trusted");
    QTest::newRow("nginx is a trusted proxy") << true;
    QTest::newRow("no trusted proxy") << false;
}

// A real reverse proxy hop: clients on 127.0.0.2 and 127.0.0.3 (two machines, as far as the
// proxy can tell) reach the hub through nginx on 127.0.0.1. With --trusted-proxy 127.0.0.1 the
// hub sees each client's own address and limits each on its own; without it, everyone is
// nginx, and a header a client sends itself changes nothing.
void tst_ClientAddress::throughNginx()
{
    QFETCH(bool, trusted);
    if (Nginx::binary().isEmpty())
        QSKIP("nginx is not installed (scripts/install-deps.sh installs it)");
    HubConfig config = shippedLimits();
    if (trusted)
        config.trustedProxies = {{QHostAddress(QStringLiteral("127.0.0.1")), 32}};
    config.anonymousRequestsPerMinutePerAddress = 3;
    config.rateViolationsBeforeBlock = 2;
    TestHub hub(config);
    QVERIFY(!hub.startError);
    Nginx nginx;
    QVERIFY2(nginx.start(hub.host->port()), qPrintable(nginx.log()));
    QTRY_VERIFY2_WITH_TIMEOUT(nginx.accepts(), qPrintable(nginx.log()), 10000);

    const QHostAddress machine2(QStringLiteral("127.0.0.2"));
    const QHostAddress machine3(QStringLiteral("127.0.0.3"));
    // A client's own X-Forwarded-For: nginx appends the address it saw, which is what counts.
    auto two = openClient(nginx.port, "/ws/v1", machine2, {{"X-Forwarded-For", "203.0.113.99"}});
    auto twoAgain = openClient(nginx.port, "/ws/v1", machine2);
    auto three = openClient(nginx.port, "/ws/v1", machine3);
    QVERIFY2(two->status == 101, qPrintable(nginx.log()));
    QCOMPARE(twoAgain->status, 101);
    QCOMPARE(three->status, 101);

    QStringList seen;
    for (const QString& remote : remoteAddresses(hub))
        seen.append(addressPart(remote));
    const QStringList expected =
        trusted ? QStringList({QStringLiteral("127.0.0.2"), QStringLiteral("127.0.0.2"),
                               QStringLiteral("127.0.0.3")})
                : QStringList({QStringLiteral("127.0.0.1"), QStringLiteral("127.0.0.1"),
                               QStringLiteral("127.0.0.1")});
    QCOMPARE(seen, expected);
    // The console's Connections view (the hub's snapshots) shows the same.
    QHash<QString, QString> console;
    QObject receiver;
    QObject::connect(hub.host.get(), &HubHost::snapshotReady, &receiver,
                     [&console](const HubSnapshot& snapshot) {
                         for (const ConnectionInfo& connection : snapshot.upserted)
                             console.insert(connection.id, addressPart(connection.remoteAddress));
                         for (const QString& id : snapshot.removed)
                             console.remove(id);
                     });
    hub.host->requestFullSnapshot();
    const auto consoleView = [&console] {
        QStringList addresses = console.values();
        addresses.sort();
        return addresses;
    };
    QTRY_COMPARE(consoleView(), expected);

    // Three messages a minute per address: machine 2 spends its allowance over two
    // connections...
    QCOMPARE(roundTrip(*two, "1"), QString());
    QCOMPARE(roundTrip(*twoAgain, "1"), QString());
    QCOMPARE(roundTrip(*two, "2"), QString());
    if (trusted) {
        // ...and is refused, then blocked (at the door too, through the proxy), while machine
        // 3 behind the same proxy still has its own.
        QCOMPARE(roundTrip(*twoAgain, "2"), QStringLiteral("RATE_LIMIT_EXCEEDED"));
        QCOMPARE(roundTrip(*two, "3"), QStringLiteral("RATE_LIMIT_EXCEEDED"));
        QTRY_VERIFY(two->closed);
        QCOMPARE(openClient(nginx.port, "/ws/v1", machine2)->status, 429);
        QCOMPARE(roundTrip(*three, "1"), QString());
        QCOMPARE(roundTrip(*three, "2"), QString());
        QCOMPARE(openClient(nginx.port, "/ws/v1", machine3)->status, 101);
    } else {
        // ...which, everyone being nginx, was everyone's.
        QCOMPARE(roundTrip(*three, "1"), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    }
}

QTEST_GUILESS_MAIN(tst_ClientAddress)
#include "tst_client_address.moc"
