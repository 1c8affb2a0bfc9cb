// SPEC §7: --tls-cert/--tls-key serve https and wss on the one port, with a self-signed
// certificate made by openssl at test time; a certificate that cannot be read is a one-line
// error (exit 2), never a plain-text fallback. The hub's own TLS (TlsSocket) is checked where
// it differs from a plain connection: passes encrypted on the fan-out's threads, ciphertext
// the kernel did not take, and connections cut or ended.

#include "SecurityTesting.h"
#include "TestClient.h"
#include "TestHub.h"
#include "config/ConfigLoader.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QScopeGuard>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <csignal>

using namespace switchboard;
using namespace switchboard::test;

class tst_Tls : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void httpsAndWssOnOnePort();
    void burstArrivesWholeAndInOrder();
    void manySubscribersGetABurstWholeAndInOrder();
    void aClientThatFallsBehindGetsEverythingOnceItReads();
    void aClientThatStopsReadingIsCutAtItsCap();
    void clientGoneMidBurstLeavesTheOthersServed();
    void plainTextClientGetsNothing();
    void clientThatNeverFinishesItsHandshakeIsDropped();
    void limitsAnswerOverTls();
    void unreadableCertificateIsABadSetting();
    void keyOfAnotherCertificateIsRefused();

private:
    HubConfig tlsConfig() const;
    QSslConfiguration trusting() const;
    QUrl wss(TestHub& hub, const QString& user) const;
    // Opens `client` over wss and subscribes it to `topic`.
    bool subscribe(TestClient& client, TestHub& hub, const QString& topic) const;
    // An admin's GET over https.
    QByteArray get(TestHub& hub, const QString& path) const;
    // The most bytes the hub holds for one of `topic`'s subscribers (-1: none subscribed).
    qint64 outboundBytes(TestHub& hub, const QString& topic) const;

    QTemporaryDir m_dir;
    QString m_certificate;
    QString m_key;
};

void tst_Tls::initTestCase()
{
    QVERIFY(QSslSocket::supportsSsl());
    QVERIFY(m_dir.isValid());
    m_certificate = m_dir.filePath(QStringLiteral("cert.pem"));
    m_key = m_dir.filePath(QStringLiteral("key.pem"));
    const QString problem = openssl(
        {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
         QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
         QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
         QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost"),
         QStringLiteral("-keyout"), m_key, QStringLiteral("-out"), m_certificate},
        m_dir.path());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

HubConfig tst_Tls::tlsConfig() const
{
    HubConfig config = testConfig();
    config.tlsCertificateFile = m_certificate;
    config.tlsKeyFile = m_key;
    return config;
}

// A client configuration that trusts exactly the test certificate: the certificate is
// verified for real, not ignored.
QSslConfiguration tst_Tls::trusting() const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates(QSslCertificate::fromPath(m_certificate));
    return configuration;
}

QUrl tst_Tls::wss(TestHub& hub, const QString& user) const
{
    return QUrl(QStringLiteral("wss://127.0.0.1:%1/ws/v1?token=%2")
                    .arg(hub.host->port())
                    .arg(QString::fromLatin1(hub.token(user, Role::User))));
}

bool tst_Tls::subscribe(TestClient& client, TestHub& hub, const QString& topic) const
{
    client.socket.setSslConfiguration(trusting());
    return client.open(wss(hub, QStringLiteral("u"))) &&
           client.request(QStringLiteral("subscribe"), QStringLiteral("s"),
                          {{QLatin1String("topics"), QJsonArray{topic}}})
                   .value(QLatin1String("type"))
                   .toString() == QLatin1String("ack");
}

QByteArray tst_Tls::get(TestHub& hub, const QString& path) const
{
    QNetworkAccessManager network;
    QNetworkRequest request(
        QUrl(QStringLiteral("https://127.0.0.1:%1%2").arg(hub.host->port()).arg(path)));
    request.setSslConfiguration(trusting());
    request.setRawHeader("Authorization",
                         "Bearer " + hub.token(QStringLiteral("root"), Role::Admin));
    QNetworkReply* reply = network.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(10000);
    reply->deleteLater();
    return reply->readAll();
}

qint64 tst_Tls::outboundBytes(TestHub& hub, const QString& topic) const
{
    const QJsonObject stats =
        QJsonDocument::fromJson(get(hub, QStringLiteral("/api/v1/ws/stats/detailed"))).object();
    qint64 most = -1;
    for (const QJsonValue connection : stats.value(QLatin1String("per_connection")).toArray()) {
        if (connection[QLatin1String("topics")].toArray().contains(topic))
            most = qMax(most, qint64(connection[QLatin1String("outbound_bytes")].toDouble()));
    }
    return most;
}

void tst_Tls::httpsAndWssOnOnePort()
{
    TestHub hub(tlsConfig());
    QVERIFY2(!hub.startError, qPrintable(hub.startError.value_or(QString())));
    const quint16 port = hub.host->port();

    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(QStringLiteral("https://127.0.0.1:%1/health").arg(port)));
    request.setSslConfiguration(trusting());
    QNetworkReply* reply = network.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QVERIFY(reply->readAll().contains("healthy"));
    QVERIFY(!reply->rawHeader("X-Frame-Options").isEmpty());
    reply->deleteLater();

    TestClient client;
    client.socket.setSslConfiguration(trusting());
    const QByteArray token = hub.token(QStringLiteral("alice"), Role::User);
    QVERIFY(client.open(QUrl(QStringLiteral("wss://127.0.0.1:%1/ws/v1?token=%2")
                                 .arg(port)
                                 .arg(QString::fromLatin1(token)))));
    QVERIFY(!client.waitForType(QStringLiteral("welcome")).isEmpty());
    const QJsonObject jobs = client.request(QStringLiteral("jobs_list"), QStringLiteral("j"));
    QVERIFY2(jobs.value(QLatin1String("type")).toString() != QLatin1String("error"),
             compactJson(jobs).constData());
    // Events reach a wss subscriber (the session must not write around the TLS layer).
    QCOMPARE(client
                 .request(QStringLiteral("subscribe"), QStringLiteral("s"),
                          {{QLatin1String("topics"), QJsonArray{QStringLiteral("status")}}})
                 .value(QLatin1String("type"))
                 .toString(),
             QStringLiteral("ack"));
    hub.host->publish(QStringLiteral("status"), QStringLiteral("status_update"),
                      {{QLatin1String("ok"), true}});
    QVERIFY(!client
                 .waitFor([](const QJsonObject& m) {
                     return m.value(QLatin1String("topic")).toString() == QLatin1String("status");
                 })
                 .isEmpty());
}

// An encrypted session writes each pass's frames together (one TLS record for up to 16 KiB):
// a burst of events published at once, every tenth larger than a record (800 KiB in all, under the
// outbound cap), reaches two wss
// subscribers whole and in order.
void tst_Tls::burstArrivesWholeAndInOrder()
{
    TestHub hub(tlsConfig());
    QVERIFY2(!hub.startError, qPrintable(hub.startError.value_or(QString())));
    const QString url = QStringLiteral("wss://127.0.0.1:%1/ws/v1?token=%2")
                            .arg(hub.host->port())
                            .arg(QString::fromLatin1(hub.token(QStringLiteral("b"), Role::User)));
    TestClient clients[2];
    for (TestClient& client : clients) {
        client.socket.setSslConfiguration(trusting());
        QVERIFY(client.open(QUrl(url)));
        QCOMPARE(client
                     .request(QStringLiteral("subscribe"), QStringLiteral("s"),
                              {{QLatin1String("topics"), QJsonArray{QStringLiteral("burst")}}})
                     .value(QLatin1String("type"))
                     .toString(),
                 QStringLiteral("ack"));
    }
    constexpr int events = 200;
    const QString large(40 * 1024, u'x');
    for (int i = 0; i < events; ++i)
        hub.host->publish(QStringLiteral("burst"), QStringLiteral("tick"),
                          {{QLatin1String("n"), i},
                           {QLatin1String("pad"), i % 10 == 0 ? large : QStringLiteral("y")}});
    for (TestClient& client : clients) {
        const auto isBurst = [](const QJsonObject& m) {
            return m.value(QLatin1String("topic")).toString() == QLatin1String("burst");
        };
        QTRY_COMPARE_WITH_TIMEOUT(
            int(std::count_if(client.messages.cbegin(), client.messages.cend(), isBurst)), events,
            20000);
        int expected = 0;
        for (const QJsonObject& message : std::as_const(client.messages)) {
            if (!isBurst(message))
                continue;
            const QJsonObject data = message.value(QLatin1String("data")).toObject();
            QCOMPARE(data.value(QLatin1String("n")).toInt(), expected);
            QCOMPARE(data.value(QLatin1String("pad")).toString().size(),
                     expected % 10 == 0 ? large.size() : 1);
            ++expected;
        }
    }
}

// An encrypted session's pass is written at once, so a write to a client that has gone fails
// inside the hub's write pass: that session closes, and the others go on receiving.
// Numbered events of a topic, in the order they arrived.
static QList<int> numbersOf(const TestClient& client, const QString& topic)
{
    QList<int> numbers;
    for (const QJsonObject& message : client.messages) {
        if (message.value(QLatin1String("topic")).toString() == topic)
            numbers.append(message.value(QLatin1String("data"))[QLatin1String("n")].toInt());
    }
    return numbers;
}

static QList<int> oneTo(int count)
{
    QList<int> numbers;
    for (int n = 1; n <= count; ++n)
        numbers.append(n);
    return numbers;
}

// The fan-out's threads encrypt the passes of the sessions they take, chunks of sixteen at a
// time: forty wss subscribers, spread over both threads, each get a burst whole and in order.
void tst_Tls::manySubscribersGetABurstWholeAndInOrder()
{
    HubConfig config = tlsConfig();
    config.fanoutThreads = 2;
    TestHub hub(config);
    QVERIFY2(!hub.startError, qPrintable(hub.startError.value_or(QString())));
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int k = 0; k < 40; ++k) {
        clients.push_back(std::make_unique<TestClient>());
        QVERIFY(subscribe(*clients.back(), hub, QStringLiteral("many")));
    }
    constexpr int events = 150;
    const QString large(20 * 1024, u'x');
    for (int n = 1; n <= events; ++n)
        hub.host->publish(QStringLiteral("many"), QStringLiteral("tick"),
                          {{QLatin1String("n"), n},
                           {QLatin1String("pad"), n % 7 == 0 ? large : QStringLiteral("y")}});
    for (const auto& client : clients) {
        QTRY_COMPARE_WITH_TIMEOUT(numbersOf(*client, QStringLiteral("many")).size(), events, 20000);
        QCOMPARE(numbersOf(*client, QStringLiteral("many")), oneTo(events));
        QVERIFY(!client->closed);
    }
}

// A wss client that reads a kilobyte at a time falls behind: the hub keeps its ciphertext,
// counted against its cap, while the other client gets every event as it comes. What is
// published meanwhile is encrypted behind the kept records. Once the client reads freely
// again, everything arrives in order.
void tst_Tls::aClientThatFallsBehindGetsEverythingOnceItReads()
{
    HubConfig config = tlsConfig();
    config.outboundBufferCap = 64 * 1024 * 1024;
    TestHub hub(config);
    QVERIFY2(!hub.startError, qPrintable(hub.startError.value_or(QString())));
    TestClient behind;
    TestClient reading;
    QVERIFY(subscribe(behind, hub, QStringLiteral("bulk")));
    QVERIFY(subscribe(reading, hub, QStringLiteral("bulk")));
    behind.socket.setReadBufferSize(1024); // it falls behind: the kernel buffers fill up
    QTRY_COMPARE(outboundBytes(hub, QStringLiteral("bulk")), 0);

    const QString payload(16 * 1024, u'p');
    int published = 0;
    while (published < 4000 && outboundBytes(hub, QStringLiteral("bulk")) < 1024 * 1024) {
        for (int k = 0; k < 50; ++k)
            hub.host->publish(QStringLiteral("bulk"), QStringLiteral("chunk"),
                              {{QLatin1String("n"), ++published}, {QLatin1String("pad"), payload}});
        QTRY_COMPARE(numbersOf(reading, QStringLiteral("bulk")).size(), published);
    }
    QVERIFY2(outboundBytes(hub, QStringLiteral("bulk")) >= 1024 * 1024,
             "the hub never held a megabyte for the client that stopped reading");

    behind.socket.setReadBufferSize(0);
    QTRY_COMPARE_WITH_TIMEOUT(numbersOf(behind, QStringLiteral("bulk")).size(), published, 30000);
    QCOMPARE(numbersOf(behind, QStringLiteral("bulk")), oneTo(published));
    QCOMPARE(numbersOf(reading, QStringLiteral("bulk")), oneTo(published));
    QTRY_COMPARE(outboundBytes(hub, QStringLiteral("bulk")), 0);
    QVERIFY(!behind.closed);
}

// A wss client that never reads again (openssl s_client, stopped with SIGSTOP once it is
// subscribed) is cut when what the hub holds for it passes its cap, and its connection is let
// go once the close's grace is over, although its ciphertext can never drain; the other client
// gets everything.
void tst_Tls::aClientThatStopsReadingIsCutAtItsCap()
{
    HubConfig config = tlsConfig();
    config.outboundBufferCap = 256 * 1024;
    TestHub hub(config);
    QVERIFY2(!hub.startError, qPrintable(hub.startError.value_or(QString())));

    QProcess stalled;
    stalled.start(QStringLiteral("openssl"),
                  {QStringLiteral("s_client"), QStringLiteral("-quiet"), QStringLiteral("-connect"),
                   QStringLiteral("127.0.0.1:%1").arg(hub.host->port())});
    QVERIFY(stalled.waitForStarted());
    const QByteArray subscribe = R"({"type":"subscribe","id":"s","data":{"topics":["bulk"]}})";
    stalled.write(
        "GET /ws/v1?token=" + hub.token(QStringLiteral("s"), Role::User) +
        " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    // A masked text frame (the mask is zero, so the payload reads as it is).
    stalled.write(QByteArray("\x81") + char(0x80 | subscribe.size()) + QByteArray(4, '\0') +
                  subscribe);
    QByteArray received;
    QTRY_VERIFY_WITH_TIMEOUT((received += stalled.readAllStandardOutput()).contains(R"("ack")"),
                             10000);
    QVERIFY(received.startsWith("HTTP/1.1 101"));
    QCOMPARE(::kill(pid_t(stalled.processId()), SIGSTOP), 0);
    const auto stop = qScopeGuard([&stalled] {
        ::kill(pid_t(stalled.processId()), SIGKILL);
        stalled.waitForFinished();
    });

    TestClient healthy;
    QVERIFY(this->subscribe(healthy, hub, QStringLiteral("bulk")));
    constexpr int events = 400;
    const QString payload(32 * 1024, u'p');
    for (int n = 1; n <= events; ++n) {
        hub.host->publish(QStringLiteral("bulk"), QStringLiteral("chunk"),
                          {{QLatin1String("n"), n}, {QLatin1String("pad"), payload}});
        if (n % 20 == 0)
            QTRY_COMPARE(numbersOf(healthy, QStringLiteral("bulk")).size(), n);
    }
    QCOMPARE(numbersOf(healthy, QStringLiteral("bulk")), oneTo(events));
    QTRY_VERIFY(get(hub, QStringLiteral("/metrics"))
                    .contains("switchboard_slow_consumers_dropped_total 1"));
    QTRY_VERIFY_WITH_TIMEOUT(
        get(hub, QStringLiteral("/health")).contains("\"active_connections\":1"), 10000);
    QVERIFY(!healthy.closed);
}

void tst_Tls::clientGoneMidBurstLeavesTheOthersServed()
{
    TestHub hub(tlsConfig());
    QVERIFY2(!hub.startError, qPrintable(hub.startError.value_or(QString())));
    const QString url = QStringLiteral("wss://127.0.0.1:%1/ws/v1?token=%2")
                            .arg(hub.host->port())
                            .arg(QString::fromLatin1(hub.token(QStringLiteral("c"), Role::User)));
    TestClient staying;
    TestClient leaving;
    for (TestClient* client : {&staying, &leaving}) {
        client->socket.setSslConfiguration(trusting());
        QVERIFY(client->open(QUrl(url)));
        QCOMPARE(client
                     ->request(QStringLiteral("subscribe"), QStringLiteral("s"),
                               {{QLatin1String("topics"), QJsonArray{QStringLiteral("gone")}}})
                     .value(QLatin1String("type"))
                     .toString(),
                 QStringLiteral("ack"));
    }
    const QString pad(4 * 1024, u'z');
    constexpr int events = 300;
    for (int i = 0; i < events; ++i) {
        if (i == 50)
            leaving.socket.abort(); // gone without a close frame: the next writes fail
        hub.host->publish(QStringLiteral("gone"), QStringLiteral("tick"),
                          {{QLatin1String("n"), i}, {QLatin1String("pad"), pad}});
    }
    QTRY_COMPARE_WITH_TIMEOUT(int(staying.messagesOfType(QStringLiteral("event")).size()), events,
                              20000);
    // The gone client's session is closed; the server still answers over TLS.
    const auto connections = [&] {
        return QJsonDocument::fromJson(get(hub, QStringLiteral("/api/v1/ws/stats/detailed")))
            .object()
            .value(QLatin1String("per_connection"))
            .toArray()
            .size();
    };
    QTRY_COMPARE_WITH_TIMEOUT(connections(), 1, 10000);
}

void tst_Tls::plainTextClientGetsNothing()
{
    TestHub hub(tlsConfig());
    QVERIFY(!hub.startError);
    const QByteArray answer =
        rawExchange(hub.host->port(), "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 3000);
    QVERIFY2(!answer.contains("healthy"), answer.constData());
}

// A client that connects and stops halfway through its TLS handshake (here: after a partial
// hello) holds a connection for the handshake timeout at most.
void tst_Tls::clientThatNeverFinishesItsHandshakeIsDropped()
{
    HubConfig config = tlsConfig();
    config.handshakeTimeout = std::chrono::milliseconds(400);
    TestHub hub(config);
    QVERIFY(!hub.startError);
    QTcpSocket stuck;
    stuck.connectToHost(QHostAddress::LocalHost, hub.host->port());
    QVERIFY(stuck.waitForConnected(5000));
    stuck.write(QByteArray::fromHex("160301")); // the start of a TLS record, and nothing more
    QVERIFY(stuck.waitForBytesWritten(5000));
    QElapsedTimer waited;
    waited.start();
    QTRY_COMPARE_WITH_TIMEOUT(stuck.state(), QAbstractSocket::UnconnectedState, 5000);
    QVERIFY2(waited.elapsed() >= 200, "dropped before its time was up");
}

void tst_Tls::limitsAnswerOverTls()
{
    HubConfig config = tlsConfig();
    config.maxConnectionsPerIp = 1;
    TestHub hub(config);
    QVERIFY(!hub.startError);
    TestClient first;
    first.socket.setSslConfiguration(trusting());
    QVERIFY(first.open(
        QUrl(QStringLiteral("wss://127.0.0.1:%1/ws/v1?token=%2")
                 .arg(hub.host->port())
                 .arg(QString::fromLatin1(hub.token(QStringLiteral("a"), Role::User))))));
    // The refusal itself travels over TLS: the client can read it.
    QNetworkAccessManager network;
    QNetworkRequest request(
        QUrl(QStringLiteral("https://127.0.0.1:%1/health").arg(hub.host->port())));
    request.setSslConfiguration(trusting());
    QNetworkReply* reply = network.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 503);
    reply->deleteLater();
}

void tst_Tls::unreadableCertificateIsABadSetting()
{
    const ConfigLoader loader(QStringLiteral("switchboard-server"), {});
    const QString missing = m_dir.filePath(QStringLiteral("missing.pem"));
    ConfigLoadResult loaded =
        loader.load({QStringLiteral("switchboard-server"), QStringLiteral("--tls-cert"), missing,
                     QStringLiteral("--tls-key"), m_key},
                    QProcessEnvironment());
    QCOMPARE(loaded.exitCode, 2);
    QVERIFY2(loaded.output.startsWith(QStringLiteral("switchboard-server: --tls-cert: ")),
             qPrintable(loaded.output));
    QCOMPARE(loaded.output.count(u'\n'), 1);

    // A key file that holds a certificate, not a key.
    loaded = loader.load({QStringLiteral("switchboard-server"), QStringLiteral("--tls-cert"),
                          m_certificate, QStringLiteral("--tls-key"), m_certificate},
                         QProcessEnvironment());
    QCOMPARE(loaded.exitCode, 2);
    QVERIFY2(loaded.output.startsWith(QStringLiteral("switchboard-server: --tls-key: ")),
             qPrintable(loaded.output));

    loaded = loader.load(
        {QStringLiteral("switchboard-server"), QStringLiteral("--tls-cert"), m_certificate},
        QProcessEnvironment());
    QCOMPARE(loaded.exitCode, 2);
    QVERIFY2(loaded.output.contains(QStringLiteral("--tls-key")), qPrintable(loaded.output));

    loaded = loader.load({QStringLiteral("switchboard-server"), QStringLiteral("--tls-cert"),
                          m_certificate, QStringLiteral("--tls-key"), m_key},
                         QProcessEnvironment());
    QCOMPARE(int(loaded.kind), int(ConfigLoadResult::Kind::Run));

    // The hub itself refuses a certificate that went missing after the settings were read.
    HubConfig config = testConfig();
    config.tlsCertificateFile = missing;
    config.tlsKeyFile = m_key;
    TestHub hub(config);
    QVERIFY(hub.startError);
    QVERIFY2(hub.startError->startsWith(QStringLiteral("--tls-cert: ")),
             qPrintable(*hub.startError));
}

// A key that is not the certificate's would fail every handshake: the hub refuses to start.
void tst_Tls::keyOfAnotherCertificateIsRefused()
{
    const QString otherKey = m_dir.filePath(QStringLiteral("other-key.pem"));
    const QString problem =
        openssl({QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("EC"),
                 QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"),
                 QStringLiteral("-out"), otherKey},
                m_dir.path());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    HubConfig config = tlsConfig();
    config.tlsKeyFile = otherKey;
    TestHub hub(config);
    QVERIFY(hub.startError);
    QVERIFY2(hub.startError->startsWith(QStringLiteral("--tls-key: ")),
             qPrintable(*hub.startError));
    QVERIFY2(hub.startError->contains(QStringLiteral("does not belong to the certificate")),
             qPrintable(*hub.startError));
}

QTEST_MAIN(tst_Tls)
#include "tst_tls.moc"
