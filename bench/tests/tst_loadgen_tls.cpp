// The generator's TLS client on a non-blocking socket, against an OpenSSL server in the same
// thread over a socket pair (no network): the handshake, partial writes of more than the socket
// takes, reads that take in several records at once, and the server's close.

#include "TlsStream.h"

#include <QTest>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <string>
#include <sys/socket.h>
#include <unistd.h>

using namespace loadgen;

namespace {

// A server context with a fresh self-signed P-256 certificate.
SSL_CTX* makeServerContext()
{
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* certificate = X509_new();
    X509_set_version(certificate, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
    X509_gmtime_adj(X509_getm_notBefore(certificate), 0);
    X509_gmtime_adj(X509_getm_notAfter(certificate), 3600);
    X509_set_pubkey(certificate, key);
    X509_NAME* name = X509_get_subject_name(certificate);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(certificate, name);
    X509_sign(certificate, key, EVP_sha256());
    SSL_CTX* context = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate(context, certificate);
    SSL_CTX_use_PrivateKey(context, key);
    X509_free(certificate);
    EVP_PKEY_free(key);
    return context;
}

// Bytes of a recognisable pattern, so a lost or repeated chunk shows.
std::string pattern(size_t size)
{
    std::string bytes(size, '\0');
    for (size_t i = 0; i < size; ++i)
        bytes[i] = char('a' + (i * 7 + i / 251) % 26);
    return bytes;
}

} // namespace

class TestLoadgenTls : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, m_fds), 0);
        m_serverContext = makeServerContext();
        QVERIFY(m_serverContext);
        m_server = SSL_new(m_serverContext);
        SSL_set_fd(m_server, m_fds[1]);
        SSL_set_accept_state(m_server);
        QVERIFY(m_clientContext.valid());
        m_client = std::make_unique<TlsStream>(m_clientContext.get(), m_fds[0]);
    }

    void cleanup()
    {
        m_client.reset();
        SSL_free(m_server);
        SSL_CTX_free(m_serverContext);
        ::close(m_fds[0]);
        ::close(m_fds[1]);
    }

    void handshakesWithoutBlocking() { QVERIFY(handshake()); }

    void writesMoreThanTheSocketTakesInPieces()
    {
        QVERIFY(handshake());
        const std::string sent = pattern(3 << 20);
        std::string received;
        size_t offset = 0;
        int shortWrites = 0; // partial, or none at all

        // The two ends take turns; neither ever waits.
        for (int turn = 0; turn < 100000 && received.size() < sent.size(); ++turn) {
            if (offset < sent.size()) {
                size_t written = 0;
                const TlsStream::Status status =
                    m_client->write(sent.data() + offset, sent.size() - offset, written);
                QVERIFY(status != TlsStream::Status::Failed);
                if (status == TlsStream::Status::Done)
                    offset += written;
                // The rest is offered again, as Connection::flush() does.
                if (status != TlsStream::Status::Done || offset < sent.size())
                    ++shortWrites;
            }
            char buffer[65536];
            size_t n = 0;
            while (SSL_read_ex(m_server, buffer, sizeof buffer, &n) == 1)
                received.append(buffer, n);
        }
        QVERIFY(shortWrites > 0); // the socket pair's buffer did fill up
        QCOMPARE(received.size(), sent.size());
        QVERIFY(received == sent);
    }

    void readsSeveralRecordsInOneCall()
    {
        QVERIFY(handshake());
        const std::string sent = pattern(48 * 1024); // three full TLS records at least
        size_t written = 0;
        QCOMPARE(SSL_write_ex(m_server, sent.data(), sent.size(), &written), 1);
        QCOMPARE(written, sent.size());
        std::string buffer(256 * 1024, '\0');
        size_t bytes = 0;
        QCOMPARE(int(m_client->read(buffer.data(), buffer.size(), bytes)),
                 int(TlsStream::Status::Done));
        QCOMPARE(bytes, sent.size());
        QVERIFY(buffer.compare(0, bytes, sent) == 0);
        // Nothing more: the caller waits for the socket.
        QCOMPARE(int(m_client->read(buffer.data(), buffer.size(), bytes)),
                 int(TlsStream::Status::WantRead));
        QCOMPARE(bytes, size_t(0));
    }

    void seesTheServerClose()
    {
        QVERIFY(handshake());
        SSL_shutdown(m_server);
        char buffer[1024];
        size_t bytes = 0;
        QCOMPARE(int(m_client->read(buffer, sizeof buffer, bytes)), int(TlsStream::Status::Closed));
    }

private:
    bool handshake()
    {
        bool clientDone = false;
        bool serverDone = false;
        for (int turn = 0; turn < 100 && !(clientDone && serverDone); ++turn) {
            if (!clientDone) {
                const TlsStream::Status status = m_client->handshake();
                if (status == TlsStream::Status::Failed)
                    return false;
                clientDone = status == TlsStream::Status::Done;
            }
            if (!serverDone) {
                const int result = SSL_do_handshake(m_server);
                if (result == 1)
                    serverDone = true;
                else if (const int error = SSL_get_error(m_server, result);
                         error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE)
                    return false;
            }
        }
        return clientDone && serverDone;
    }

    int m_fds[2] = {-1, -1};
    SSL_CTX* m_serverContext = nullptr;
    SSL* m_server = nullptr;
    TlsClientContext m_clientContext;
    std::unique_ptr<TlsStream> m_client;
};

QTEST_APPLESS_MAIN(TestLoadgenTls)
#include "tst_loadgen_tls.moc"
