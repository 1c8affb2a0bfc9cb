// net/TlsSocket on its own, against Qt's QSslSocket as the client over real loopback TCP: the
// QIODevice contract that Qt HTTP Server and the session rely on (plain text both ways,
// bytesWritten() once written data reached the kernel, the close), and a client that does not
// speak TLS.

#include "SecurityTesting.h"
#include "net/TlsSocket.h"

#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

// Accepts one connection as a TlsSocket.
class TlsServer final : public QTcpServer {
public:
    explicit TlsServer(std::shared_ptr<const TlsContext> context)
        : m_context(std::move(context))
    {}
    QPointer<TlsSocket> accepted;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto* socket = new TlsSocket(m_context, this);
        if (socket->setSocketDescriptor(descriptor))
            accepted = socket;
        else
            delete socket;
    }

private:
    std::shared_ptr<const TlsContext> m_context;
};

QByteArray pattern(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype k = 0; k < size; ++k)
        bytes[k] = char('a' + k % 23);
    return bytes;
}

} // namespace

class tst_TlsSocket : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void plainTextBothWays();
    void bytesWrittenOnceTheKernelHasIt();
    void disconnectFromHostEndsBothSides();
    void abortEndsAtOnce();
    void aPlainTextClientFailsTheHandshake();

private:
    QTemporaryDir m_dir;
    std::shared_ptr<const TlsContext> m_context;
    std::unique_ptr<TlsServer> m_server;
    std::unique_ptr<QSslSocket> m_client;
};

void tst_TlsSocket::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString certificate = m_dir.filePath(QStringLiteral("cert.pem"));
    const QString key = m_dir.filePath(QStringLiteral("key.pem"));
    const QString problem =
        openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                 QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                 QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                 QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"),
                 QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-keyout"), key,
                 QStringLiteral("-out"), certificate},
                m_dir.path());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    auto context = TlsContext::create(certificate, key);
    if (const QString* reason = std::get_if<QString>(&context))
        QFAIL(qPrintable(*reason));
    m_context = std::get<std::shared_ptr<const TlsContext>>(context);
}

// A connected pair: m_client (QSslSocket) and m_server->accepted, both past the handshake.
void tst_TlsSocket::init()
{
    m_server = std::make_unique<TlsServer>(m_context);
    QVERIFY(m_server->listen(QHostAddress::LocalHost));
    m_client = std::make_unique<QSslSocket>();
    m_client->setPeerVerifyMode(QSslSocket::VerifyNone);
    m_client->connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server->serverPort());
    QTRY_VERIFY(m_server->accepted);
    QTRY_VERIFY(m_client->isEncrypted());
    QTRY_VERIFY(m_server->accepted->isEncrypted());
}

void tst_TlsSocket::cleanup()
{
    m_client.reset();
    m_server.reset();
}

void tst_TlsSocket::plainTextBothWays()
{
    TlsSocket& server = *m_server->accepted;
    const QByteArray up = pattern(300 * 1024);
    m_client->write(up);
    QByteArray received;
    QTRY_COMPARE_WITH_TIMEOUT((received += server.readAll()).size(), up.size(), 10000);
    QCOMPARE(received, up);

    const QByteArray down = pattern(500 * 1024);
    for (qsizetype at = 0; at < down.size(); at += 70 * 1024)
        QCOMPARE(server.write(down.mid(at, 70 * 1024)), qint64(down.mid(at, 70 * 1024).size()));
    QByteArray back;
    QTRY_COMPARE_WITH_TIMEOUT((back += m_client->readAll()).size(), down.size(), 10000);
    QCOMPARE(back, down);
}

// QIODevice's contract, which Qt HTTP Server's streamed responses wait on: every byte given to
// write() is signalled with bytesWritten(), once it reached the kernel, and never from inside
// write().
void tst_TlsSocket::bytesWrittenOnceTheKernelHasIt()
{
    TlsSocket& server = *m_server->accepted;
    QSignalSpy written(&server, &QIODevice::bytesWritten);
    const auto signalled = [&written] {
        qint64 total = 0;
        for (const QList<QVariant>& arguments : written)
            total += arguments.at(0).toLongLong();
        return total;
    };
    server.write("small");
    QCOMPARE(written.size(), 0); // not from inside write()
    QTRY_COMPARE(signalled(), qint64(5));

    // More than the kernel takes at once while the client does not read: signalled only once
    // the rest has gone out, as the client reads.
    const QByteArray large = pattern(16 * 1024 * 1024); // more than both kernel buffers hold
    server.write(large);
    QVERIFY(server.bytesToWrite() > 0);
    QByteArray received;
    QTRY_COMPARE_WITH_TIMEOUT((received += m_client->readAll()).size(), 5 + large.size(), 20000);
    QTRY_COMPARE(signalled(), qint64(5 + large.size()));
    QCOMPARE(server.bytesToWrite(), qint64(0));
}

void tst_TlsSocket::disconnectFromHostEndsBothSides()
{
    TlsSocket& server = *m_server->accepted;
    QSignalSpy serverGone(&server, &QAbstractSocket::disconnected);
    QSignalSpy clientGone(m_client.get(), &QAbstractSocket::disconnected);
    server.write("last words");
    server.disconnectFromHost();
    QTRY_COMPARE(serverGone.size(), 1);
    QTRY_COMPARE(clientGone.size(), 1);
    QCOMPARE(m_client->readAll(), QByteArray("last words"));
    QCOMPARE(server.state(), QAbstractSocket::UnconnectedState);
}

// Qt's abort() is not virtual: the socket sees it in close(), and ends the connection without
// waiting for what is queued.
void tst_TlsSocket::abortEndsAtOnce()
{
    TlsSocket& server = *m_server->accepted;
    QSignalSpy serverGone(&server, &QAbstractSocket::disconnected);
    server.write(pattern(16 * 1024 * 1024)); // far more than the kernel takes
    QVERIFY(server.bytesToWrite() > 0);
    server.abort();
    QCOMPARE(serverGone.size(), 1); // at once, not when the queue drains
    QCOMPARE(server.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(server.bytesToWrite(), qint64(0));
}

void tst_TlsSocket::aPlainTextClientFailsTheHandshake()
{
    TlsServer plainServer(m_context);
    QVERIFY(plainServer.listen(QHostAddress::LocalHost));
    QTcpSocket plain;
    plain.connectToHost(QHostAddress::LocalHost, plainServer.serverPort());
    QVERIFY(plain.waitForConnected(5000));
    QTRY_VERIFY(plainServer.accepted);
    QSignalSpy gone(plainServer.accepted.data(), &QAbstractSocket::disconnected);
    plain.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QTRY_COMPARE(gone.size(), 1);
    QCOMPARE(plainServer.accepted->error(), QAbstractSocket::SslHandshakeFailedError);
    QVERIFY(!plainServer.accepted->isEncrypted());
    QTRY_COMPARE(plain.state(), QAbstractSocket::UnconnectedState);
}

QTEST_MAIN(tst_TlsSocket)
#include "tst_tls_socket.moc"
