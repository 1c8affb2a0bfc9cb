#pragma once

// TLS for the hub's port (https and wss) through OpenSSL on buffers of its own, in place of
// QSslSocket. A QSslSocket encrypts only on the thread that owns it, inside its own write
// path: every delivery to every wss client was encrypted on the hub thread, one core at 99 %
// while the fan-out's other threads waited. A TlsSocket lets the fan-out's writer threads
// encrypt a session's pass and send it straight to the descriptor (writeDirectly()), the way
// plain sessions' passes are sent, while to everything else (Qt HTTP Server, the listener,
// uploads, a session's own reads) it is an ordinary QTcpSocket that reads and writes plain
// text. The inner plain socket reads the ciphertext and notices the connection's end; every
// byte of ciphertext this side sends goes through one ordered queue, because a TLS record
// sent out of order breaks the connection.

#include <QByteArray>
#include <QByteArrayView>
#include <QSocketNotifier>
#include <QString>
#include <QTcpSocket>

#include <memory>
#include <optional>
#include <variant>

using SSL_CTX = struct ssl_ctx_st;
using SSL = struct ssl_st;
using BIO = struct bio_st;

namespace switchboard {

// The server's certificate, key and protocol settings, shared by every connection.
class TlsContext {
public:
    // From the PEM files --tls-cert (the certificate chain) and --tls-key name; TLS 1.2 or
    // later. The error names the setting, as the settings' own check does.
    static std::variant<std::shared_ptr<const TlsContext>, QString>
    create(const QString& certificateFile, const QString& keyFile);
    ~TlsContext();
    TlsContext(const TlsContext&) = delete;
    TlsContext& operator=(const TlsContext&) = delete;

    SSL_CTX* handle() const { return m_context; }

private:
    explicit TlsContext(SSL_CTX* context)
        : m_context(context)
    {}
    SSL_CTX* m_context;
};

class TlsSocket final : public QTcpSocket {
    Q_OBJECT

public:
    TlsSocket(std::shared_ptr<const TlsContext> context, QObject* parent = nullptr);
    ~TlsSocket() override;

    // Takes over an accepted connection and waits for the client's hello. Also turns off
    // Nagle on it: QAbstractSocket::setSocketOption() does nothing on a socket whose
    // descriptor another socket holds.
    bool setSocketDescriptor(qintptr descriptor, SocketState state = ConnectedState,
                             OpenMode openMode = ReadWrite) override;

    bool isEncrypted() const { return m_handshakeDone; }
    qint64 bytesAvailable() const override;
    qint64 bytesToWrite() const override;
    bool canReadLine() const override;
    // Sends the close_notify alert once everything queued is sent, then ends the connection.
    void disconnectFromHost() override;
    // After abort() (Qt's, which is not virtual, ends in close()): drops what is queued and
    // ends the connection at once; otherwise as disconnectFromHost().
    void close() override;

    // The fan-out's path (Session). canWriteDirectly(), on this socket's thread: the
    // handshake is done and no ciphertext waits, so writeDirectly() may run on another thread
    // while this socket's thread waits for it; it encrypts `plainText` and sends what the
    // kernel takes, touching nothing but the TLS state and the queue. endDirectWrite(), back on
    // this socket's thread: what the kernel did not take waits for the descriptor to be
    // writable.
    bool canWriteDirectly() const;
    void writeDirectly(QByteArrayView plainText);
    void endDirectWrite();

signals:
    // The TLS handshake is complete: what is written from now on reaches the client.
    void encrypted();
    // Ciphertext the kernel had not taken went to it: bytesToWrite() is smaller. (bytesWritten()
    // keeps QIODevice's meaning: bytes given to write() that have reached the kernel. Passes
    // written with writeDirectly() are not counted there.)
    void cipherTextSent();

protected:
    qint64 readData(char* data, qint64 maxSize) override;
    qint64 writeData(const char* data, qint64 size) override;

private:
    void onCipherText();
    void onPlainDisconnected();
    void onWritable();
    // Emits bytesWritten() for what write() took, once none of it waits in the queue: on the
    // next pass of the event loop, as QAbstractSocket does.
    void signalWritten();
    // Runs the handshake on what has arrived; false when the connection failed.
    bool continueHandshake();
    void encrypt(QByteArrayView plainText);
    // On this socket's thread: encrypts, sends, and signals bytesWritten() in time.
    void writePlainText(QByteArrayView plainText);
    // On this socket's thread: sendCipherText(), then waits for the descriptor if needed.
    void flushCipherText();
    // Ciphertext the kernel has not taken yet waits in the queue.
    bool cipherTextWaiting() const { return m_cipherOutHead < m_cipherOut.size(); }
    // Sends the TLS engine's output behind what waits in the queue; what the kernel does not
    // take joins the queue. Any thread (see writeDirectly()).
    void sendCipherText();
    void watchWritable();
    void fail();
    void finishDisconnect();
    void setState(SocketState state);

    std::shared_ptr<const TlsContext> m_context;
    SSL* m_ssl = nullptr;
    BIO* m_in = nullptr;  // ciphertext from the client, for the engine to read
    BIO* m_out = nullptr; // ciphertext from the engine, to send (both: see TlsSocket.cpp)
    QTcpSocket* m_plain = nullptr;
    int m_descriptor = -1;
    std::optional<QSocketNotifier> m_writable;

    QByteArray m_plainIn; // decrypted and not read yet, from m_plainInHead on
    qsizetype m_plainInHead = 0;
    QByteArray m_plainOut;  // written before the handshake completed
    QByteArray m_cipherOut; // ciphertext the kernel has not taken yet, from m_cipherOutHead on
    qsizetype m_cipherOutHead = 0;

    qint64 m_writtenNotSignalled = 0; // by write(), for bytesWritten()
    bool m_writtenSignalQueued = false;
    bool m_handshakeDone = false;
    bool m_sendFailed = false;    // the peer is gone; the read side notices
    bool m_disconnecting = false; // disconnectFromHost(): closing once the queue is sent
    bool m_closeNotifySent = false;
};

} // namespace switchboard
