#include "TlsSocket.h"

#include <QFile>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <vector>

namespace switchboard {

namespace {

// One SSL_read() at a time: a TLS record's largest plain text.
constexpr int readChunk = 16 * 1024;
// SSL_write() takes an int; a larger write is encrypted in parts of this size.
constexpr qsizetype writeChunk = 1 << 20;

QString openSslReason()
{
    const unsigned long error = ERR_get_error();
    ERR_clear_error();
    if (error == 0)
        return QStringLiteral("unknown error");
    char text[256];
    ERR_error_string_n(error, text, sizeof text);
    return QString::fromLatin1(text);
}

// The engine's output, per thread: a pass's records from every SSL call on this thread, until
// sendCipherText() hands them to the kernel or to the socket's queue (every SSL call is
// followed by one, on the same thread, so nothing stays here between sockets).
std::vector<char>& output()
{
    thread_local std::vector<char> records;
    return records;
}

// The engine writes its records through this BIO into output(). OpenSSL's memory BIO would
// do, but it zero-fills the room for every write before copying into it: 9 % of the server's
// samples in a wss run went to that memset.
int appendOutput(BIO*, const char* data, std::size_t size, std::size_t* written)
{
    std::vector<char>& records = output();
    records.insert(records.end(), data, data + size);
    *written = size;
    return 1;
}

long controlOutput(BIO*, int command, long, void*)
{
    return command == BIO_CTRL_FLUSH ? 1 : 0; // flushed already: sendCipherText() sends
}

int createOutput(BIO* bio)
{
    BIO_set_init(bio, 1);
    return 1;
}

BIO* newOutputBio()
{
    static BIO_METHOD* const method = [] {
        BIO_METHOD* made =
            BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "switchboard output");
        BIO_meth_set_write_ex(made, appendOutput);
        BIO_meth_set_ctrl(made, controlOutput);
        BIO_meth_set_create(made, createOutput);
        return made;
    }();
    return BIO_new(method);
}

// The client's ciphertext, for the engine to read: the blocks the plain socket handed over,
// each released as soon as it is read (an idle connection keeps none). OpenSSL's memory BIO
// would copy every block into a buffer of its own, zero-filled first, and keep that buffer.
struct CipherText {
    QByteArray bytes;
    qsizetype head = 0; // read up to here
};

CipherText& cipherTextOf(BIO* bio)
{
    return *static_cast<CipherText*>(BIO_get_data(bio));
}

int readInput(BIO* bio, char* data, std::size_t size, std::size_t* read)
{
    CipherText& in = cipherTextOf(bio);
    BIO_clear_retry_flags(bio);
    const auto left = std::size_t(in.bytes.size() - in.head);
    if (left == 0) {
        BIO_set_retry_read(bio); // nothing yet: wait for the client
        *read = 0;
        return 0;
    }
    const std::size_t count = std::min(size, left);
    std::memcpy(data, in.bytes.constData() + in.head, count);
    in.head += qsizetype(count);
    if (in.head == in.bytes.size())
        in = CipherText{};
    *read = count;
    return 1;
}

long controlInput(BIO* bio, int command, long, void*)
{
    if (command == BIO_CTRL_PENDING) {
        const CipherText& in = cipherTextOf(bio);
        return long(in.bytes.size() - in.head);
    }
    return command == BIO_CTRL_FLUSH ? 1 : 0;
}

int createInput(BIO* bio)
{
    BIO_set_data(bio, new CipherText);
    BIO_set_init(bio, 1);
    return 1;
}

int destroyInput(BIO* bio)
{
    delete &cipherTextOf(bio);
    BIO_set_data(bio, nullptr);
    return 1;
}

BIO* newInputBio()
{
    static BIO_METHOD* const method = [] {
        BIO_METHOD* made =
            BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "switchboard input");
        BIO_meth_set_read_ex(made, readInput);
        BIO_meth_set_ctrl(made, controlInput);
        BIO_meth_set_create(made, createInput);
        BIO_meth_set_destroy(made, destroyInput);
        return made;
    }();
    return BIO_new(method);
}

void addInput(BIO* bio, QByteArray bytes)
{
    CipherText& in = cipherTextOf(bio);
    if (in.head == in.bytes.size())
        in = CipherText{std::move(bytes), 0};
    else
        in.bytes.append(bytes);
}

struct FreeContext {
    void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
};

} // namespace

std::variant<std::shared_ptr<const TlsContext>, QString>
TlsContext::create(const QString& certificateFile, const QString& keyFile)
{
    std::unique_ptr<SSL_CTX, FreeContext> context(SSL_CTX_new(TLS_server_method()));
    if (!context)
        return QStringLiteral("--tls-cert: TLS cannot be set up: %1").arg(openSslReason());
    SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
    // Clients bring tokens, not certificates; a renegotiation is refused (nothing in the hub's
    // protocols needs one, and it is a known cost to a server).
    SSL_CTX_set_verify(context.get(), SSL_VERIFY_NONE, nullptr);
    SSL_CTX_set_options(context.get(), SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    // TLS 1.3: AES-128-GCM first (OpenSSL's default puts AES-256 first). It is what most
    // servers prefer, and every record to every subscriber is encrypted: a 256-bit key costs
    // 40 % more rounds per block.
    SSL_CTX_set_ciphersuites(context.get(), "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
                                            "TLS_CHACHA20_POLY1305_SHA256");
    // An idle connection gives its record buffers back (thousands of subscribers mostly wait).
    SSL_CTX_set_mode(context.get(), SSL_MODE_RELEASE_BUFFERS);

    const QByteArray certificatePath = QFile::encodeName(certificateFile);
    const QByteArray keyPath = QFile::encodeName(keyFile);
    if (SSL_CTX_use_certificate_chain_file(context.get(), certificatePath.constData()) != 1)
        return QStringLiteral("--tls-cert: \"%1\" cannot be used: %2")
            .arg(certificateFile, openSslReason());
    if (SSL_CTX_use_PrivateKey_file(context.get(), keyPath.constData(), SSL_FILETYPE_PEM) != 1)
        return QStringLiteral("--tls-key: \"%1\" cannot be used: %2").arg(keyFile, openSslReason());
    if (SSL_CTX_check_private_key(context.get()) != 1) {
        ERR_clear_error();
        return QStringLiteral("--tls-key: \"%1\" does not belong to the certificate in --tls-cert")
            .arg(keyFile);
    }
    return std::shared_ptr<const TlsContext>(new TlsContext(context.release()));
}

TlsContext::~TlsContext()
{
    SSL_CTX_free(m_context);
}

TlsSocket::TlsSocket(std::shared_ptr<const TlsContext> context, QObject* parent)
    : QTcpSocket(parent)
    , m_context(std::move(context))
{}

TlsSocket::~TlsSocket()
{
    m_writable.reset();
    if (m_plain)
        disconnect(m_plain, nullptr, this, nullptr);
    // QAbstractSocket's destructor would call abort() on a socket that still looks open.
    setSocketState(UnconnectedState);
    SSL_free(m_ssl); // and its two BIOs
}

bool TlsSocket::setSocketDescriptor(qintptr descriptor, SocketState state, OpenMode openMode)
{
    auto* plain = new QTcpSocket(this);
    if (!plain->setSocketDescriptor(descriptor, state, openMode)) {
        setSocketError(plain->error());
        setErrorString(plain->errorString());
        delete plain;
        return false;
    }
    m_ssl = SSL_new(m_context->handle());
    if (!m_ssl) {
        setErrorString(openSslReason());
        delete plain;
        return false;
    }
    m_plain = plain;
    m_descriptor = int(descriptor);
    m_in = newInputBio();
    m_out = newOutputBio();
    SSL_set_bio(m_ssl, m_in, m_out);
    SSL_set_accept_state(m_ssl);
    m_plain->setSocketOption(LowDelayOption, 1);

    setPeerAddress(m_plain->peerAddress());
    setPeerPort(m_plain->peerPort());
    setLocalAddress(m_plain->localAddress());
    setLocalPort(m_plain->localPort());
    // Unbuffered: a read goes straight to readData() (the plain text is buffered here
    // already). Buffered, QIODevice would fill a 16 KiB block of its own for every small read
    // and keep it for the next: one more per idle connection.
    QIODevice::open(openMode | Unbuffered);
    setState(state);

    m_writable.emplace(descriptor, QSocketNotifier::Write);
    m_writable->setEnabled(false);
    connect(&*m_writable, &QSocketNotifier::activated, this, &TlsSocket::onWritable);
    connect(m_plain, &QTcpSocket::readyRead, this, &TlsSocket::onCipherText);
    connect(m_plain, &QTcpSocket::disconnected, this, &TlsSocket::onPlainDisconnected);
    if (m_plain->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &TlsSocket::onCipherText, Qt::QueuedConnection);
    return true;
}

qint64 TlsSocket::bytesAvailable() const
{
    return QIODevice::bytesAvailable() + (m_plainIn.size() - m_plainInHead);
}

qint64 TlsSocket::bytesToWrite() const
{
    return m_plainOut.size() + (m_cipherOut.size() - m_cipherOutHead);
}

bool TlsSocket::canReadLine() const
{
    return QIODevice::canReadLine() || m_plainIn.indexOf('\n', m_plainInHead) >= 0;
}

qint64 TlsSocket::readData(char* data, qint64 maxSize)
{
    const qint64 count = std::min(maxSize, qint64(m_plainIn.size() - m_plainInHead));
    if (count <= 0)
        return 0;
    std::memcpy(data, m_plainIn.constData() + m_plainInHead, std::size_t(count));
    m_plainInHead += qsizetype(count);
    if (m_plainInHead == m_plainIn.size()) {
        m_plainIn.clear(); // an idle connection keeps no read buffer
        m_plainInHead = 0;
    }
    return count;
}

qint64 TlsSocket::writeData(const char* data, qint64 size)
{
    if (!m_plain || state() != ConnectedState)
        return -1;
    if (!m_handshakeDone) {
        m_plainOut.append(data, qsizetype(size));
        return size;
    }
    writePlainText(QByteArrayView(data, qsizetype(size)));
    return size;
}

void TlsSocket::writePlainText(QByteArrayView plainText)
{
    encrypt(plainText);
    flushCipherText();
    m_writtenNotSignalled += plainText.size();
    signalWritten();
}

void TlsSocket::flushCipherText()
{
    sendCipherText();
    watchWritable();
}

void TlsSocket::onCipherText()
{
    if (!m_plain || state() == UnconnectedState)
        return;
    // All of it, as Qt's own read block when it holds nothing else: read() then hands the
    // block over, where readAll() would copy it and leave the socket a 16 KiB block to keep.
    QByteArray cipherText = m_plain->read(m_plain->bytesAvailable());
    if (!cipherText.isEmpty())
        addInput(m_in, std::move(cipherText));
    if (!m_handshakeDone) {
        if (!continueHandshake() || !m_handshakeDone || state() == UnconnectedState)
            return;
    }
    qint64 decrypted = 0;
    for (;;) {
        const qsizetype before = m_plainIn.size();
        m_plainIn.resize(before + readChunk);
        const int read = SSL_read(m_ssl, m_plainIn.data() + before, readChunk);
        m_plainIn.resize(before + std::max(read, 0));
        if (read > 0) {
            decrypted += read;
            continue;
        }
        const int error = SSL_get_error(m_ssl, read);
        if (error == SSL_ERROR_WANT_READ)
            break;
        if (error == SSL_ERROR_ZERO_RETURN) {
            // The client's close_notify: it sends nothing more, and gets ours in return.
            disconnectFromHost();
            break;
        }
        fail();
        return;
    }
    if (m_plainIn.isEmpty())
        m_plainIn = QByteArray();
    // Reading can make the engine answer (a TLS 1.3 key update, a close_notify).
    flushCipherText();
    if (decrypted > 0)
        emit readyRead();
}

bool TlsSocket::continueHandshake()
{
    const int result = SSL_do_handshake(m_ssl);
    flushCipherText();
    if (result != 1) {
        const int error = SSL_get_error(m_ssl, result);
        if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE)
            return true;
        fail(); // a plain-text client, a hello this server does not accept
        return false;
    }
    m_handshakeDone = true;
    if (!m_plainOut.isEmpty())
        writePlainText(std::exchange(m_plainOut, {}));
    emit encrypted();
    return true;
}

void TlsSocket::encrypt(QByteArrayView plainText)
{
    while (!plainText.isEmpty()) {
        const qsizetype part = std::min(plainText.size(), writeChunk);
        // The output BIO takes everything: SSL_write() encrypts the whole part or fails.
        if (SSL_write(m_ssl, plainText.data(), int(part)) <= 0) {
            m_sendFailed = true;
            ERR_clear_error();
            return;
        }
        plainText = plainText.sliced(part);
    }
}

bool TlsSocket::canWriteDirectly() const
{
    return m_plain && m_handshakeDone && !m_disconnecting && !m_sendFailed &&
           state() == ConnectedState && m_cipherOutHead == m_cipherOut.size();
}

void TlsSocket::writeDirectly(QByteArrayView plainText)
{
    encrypt(plainText);
    sendCipherText();
}

void TlsSocket::endDirectWrite()
{
    watchWritable();
}

void TlsSocket::sendCipherText()
{
    std::vector<char>& records = output();
    const char* produced = records.data();
    const auto producedBytes = qsizetype(records.size());
    const bool queueEmpty = m_cipherOutHead == m_cipherOut.size();
    // Whatever happens below, the records have gone to the kernel or the queue (or nowhere,
    // the peer being gone); a pass's worth of room is kept for the thread's next socket.
    const auto consumed = [&records] {
        records.clear();
        if (records.capacity() > 4 * 1024 * 1024)
            records.shrink_to_fit();
    };
    if (m_sendFailed) {
        consumed();
        m_cipherOut.clear();
        m_cipherOutHead = 0;
        return;
    }
    // Sends from `data` what the kernel takes; returns how much that was.
    const auto send = [this](const char* data, qsizetype size) {
        qsizetype sent = 0;
        while (sent < size) {
            const ssize_t written = ::send(m_descriptor, data + sent, std::size_t(size - sent),
                                           MSG_NOSIGNAL | MSG_DONTWAIT);
            if (written < 0) {
                if (errno == EINTR)
                    continue;
                if (errno != EAGAIN && errno != EWOULDBLOCK)
                    m_sendFailed = true;
                break;
            }
            sent += qsizetype(written);
        }
        return sent;
    };
    if (queueEmpty) {
        // The usual case: the records go to the kernel straight from where the engine wrote
        // them.
        if (producedBytes == 0)
            return;
        const qsizetype sent = send(produced, producedBytes);
        if (sent < producedBytes && !m_sendFailed)
            m_cipherOut = QByteArray(produced + sent, producedBytes - sent);
        m_cipherOutHead = 0;
        consumed();
        return;
    }
    if (producedBytes > 0) {
        m_cipherOut.append(produced, producedBytes);
        consumed();
    }
    m_cipherOutHead +=
        send(m_cipherOut.constData() + m_cipherOutHead, m_cipherOut.size() - m_cipherOutHead);
    if (m_cipherOutHead == m_cipherOut.size() || m_sendFailed) {
        m_cipherOut.clear();
        m_cipherOutHead = 0;
    }
}

void TlsSocket::watchWritable()
{
    const bool waiting = cipherTextWaiting();
    if (m_writable)
        m_writable->setEnabled(waiting && !m_sendFailed);
    if (!waiting && m_disconnecting && m_plain && state() != UnconnectedState)
        finishDisconnect();
}

void TlsSocket::onWritable()
{
    const qint64 before = bytesToWrite();
    m_writable->setEnabled(false);
    sendCipherText();
    const bool sent = bytesToWrite() < before;
    watchWritable();
    if (sent)
        emit cipherTextSent();
    signalWritten();
}

void TlsSocket::signalWritten()
{
    if (m_writtenNotSignalled == 0 || m_writtenSignalQueued || cipherTextWaiting())
        return;
    m_writtenSignalQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_writtenSignalQueued = false;
            if (cipherTextWaiting())
                return; // queued behind ciphertext since: signalled when that is sent
            if (const qint64 written = std::exchange(m_writtenNotSignalled, 0); written > 0)
                emit bytesWritten(written);
        },
        Qt::QueuedConnection);
}

void TlsSocket::disconnectFromHost()
{
    if (!m_plain || state() == UnconnectedState || m_disconnecting)
        return;
    m_disconnecting = true;
    setState(ClosingState);
    if (m_handshakeDone && !m_closeNotifySent && !m_sendFailed) {
        m_closeNotifySent = true;
        SSL_shutdown(m_ssl);
        ERR_clear_error();
        sendCipherText();
    }
    watchWritable(); // ends the connection now, or once the kernel has taken the queue
}

void TlsSocket::close()
{
    // QAbstractSocket::abort() sets the write channels to none before it calls close().
    const bool aborting = writeChannelCount() == 0;
    QIODevice::close();
    m_plainIn.clear();
    m_plainInHead = 0;
    m_plainOut.clear();
    if (!aborting) {
        disconnectFromHost();
        return;
    }
    m_disconnecting = true;
    m_writable.reset();
    m_cipherOut.clear();
    m_cipherOutHead = 0;
    if (m_plain)
        m_plain->abort(); // its disconnected() ends this socket (onPlainDisconnected())
    if (state() != UnconnectedState)
        setState(UnconnectedState);
}

void TlsSocket::finishDisconnect()
{
    m_writable.reset();
    m_plain->disconnectFromHost(); // nothing in its buffer: closes now, emits disconnected()
}

void TlsSocket::fail()
{
    sendCipherText(); // the alert that says why, when the engine wrote one
    ERR_clear_error();
    setSocketError(SslHandshakeFailedError);
    setErrorString(m_handshakeDone ? tr("The TLS connection failed")
                                   : tr("The TLS handshake failed"));
    abort();
}

void TlsSocket::onPlainDisconnected()
{
    m_writable.reset();
    m_cipherOut.clear();
    m_cipherOutHead = 0;
    // The descriptor is closed, and its number may soon be another connection's: nothing more
    // is sent (sendCipherText() drops what the engine still writes).
    m_sendFailed = true;
    m_descriptor = -1;
    if (state() == UnconnectedState)
        return;
    setState(UnconnectedState);
    emit disconnected();
}

void TlsSocket::setState(SocketState state)
{
    if (state == this->state())
        return;
    setSocketState(state);
    emit stateChanged(state);
}

} // namespace switchboard
