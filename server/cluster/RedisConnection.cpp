#include "RedisConnection.h"

#include <QDateTime>
#include <QHostAddress>
#include <QHostInfo>
#include <QLoggingCategory>
#include <QRandomGenerator>

#include <hiredis/adapters/qt.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <vector>

namespace switchboard {

namespace {

Q_LOGGING_CATEGORY(lcRedis, "switchboard.redis")

constexpr int firstRetryMs = 100;
constexpr int maxRetryMs = 5000;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

struct RedisConnection::Pending {
    RedisConnection* connection;
    Reply reply;
};

RedisConnection::RedisConnection(RedisUrl url, Mode mode, Handlers handlers,
                                 std::chrono::milliseconds timeout, QObject* parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_mode(mode)
    , m_handlers(std::move(handlers))
    , m_timeout(timeout)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &RedisConnection::connectNow);
    m_liveness.setInterval(int(std::max<qint64>(m_timeout.count() / 3, 50)));
    connect(&m_liveness, &QTimer::timeout, this, &RedisConnection::checkLiveness);
}

RedisConnection::~RedisConnection()
{
    // Freeing the context runs every callback still pending with no reply; nobody is told.
    m_closing = true;
    if (m_context)
        redisAsyncFree(m_context);
}

void RedisConnection::start()
{
    m_liveness.start();
    connectNow();
}

void RedisConnection::connectNow()
{
    if (m_context || m_closing)
        return;
    QHostAddress address;
    if (address.setAddress(m_url.host)) {
        connectTo(address);
        return;
    }
    // hiredis resolves names with a blocking getaddrinfo(): resolve them first, without
    // blocking, and connect to the address.
    QHostInfo::lookupHost(m_url.host, this, [this](const QHostInfo& info) {
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
            retryLater(QStringLiteral("cannot resolve %1: %2").arg(m_url.host, info.errorString()));
            return;
        }
        connectTo(info.addresses().constFirst());
    });
}

void RedisConnection::connectTo(const QHostAddress& address)
{
    if (m_context || m_closing)
        return;
    redisAsyncContext* context =
        redisAsyncConnect(address.toString().toLatin1().constData(), m_url.port);
    if (!context) {
        retryLater(QStringLiteral("out of memory"));
        return;
    }
    if (context->err) {
        const QString reason = QString::fromLocal8Bit(context->errstr);
        redisAsyncFree(context);
        retryLater(reason);
        return;
    }
    context->data = this;
    m_context = context;
    redisEnableKeepAlive(&context->c);
    m_adapter = new RedisQtAdapter(this);
    m_adapter->setContext(context);
    redisAsyncSetConnectCallback(context, &RedisConnection::onConnect);
    redisAsyncSetDisconnectCallback(context, &RedisConnection::onDisconnect);
}

// hiredis calls this once the TCP connection is up, or could not be made.
void RedisConnection::onConnect(const redisAsyncContext* context, int status)
{
    auto* connection = static_cast<RedisConnection*>(context->data);
    if (status != REDIS_OK) {
        connection->connectFailed(QString::fromLocal8Bit(context->errstr));
        return;
    }
    // AUTH and SELECT first, as the URL asks; the connection counts as up once they pass.
    std::vector<QList<QByteArray>> setup;
    if (!connection->m_url.password.isEmpty()) {
        QList<QByteArray> auth{"AUTH"};
        if (!connection->m_url.user.isEmpty())
            auth.append(connection->m_url.user.toUtf8());
        auth.append(connection->m_url.password.toUtf8());
        setup.push_back(auth);
    }
    if (connection->m_url.database != 0 && connection->m_mode == Mode::Commands)
        setup.push_back({"SELECT", QByteArray::number(connection->m_url.database)});
    // The kernel accepts a connection for a Redis that is stalled (a long script, DEBUG SLEEP,
    // a fork under memory pressure): only an answer says it serves again. (No channel is
    // subscribed yet, so hiredis still delivers the PONG.)
    setup.push_back({"PING"});
    auto left = std::make_shared<std::size_t>(setup.size());
    for (const QList<QByteArray>& arguments : setup) {
        connection->sendRaw(arguments, [connection, left](const RedisValue& reply) {
            if (reply.isError()) {
                const QString reason = QString::fromUtf8(reply.string);
                if (connection->m_context) {
                    connection->m_problem = reason;
                    redisAsyncDisconnect(connection->m_context);
                }
                return;
            }
            if (--*left == 0)
                connection->becameReady();
        });
    }
}

void RedisConnection::becameReady()
{
    m_up = true;
    m_problem.clear();
    m_attempts = 0;
    if (m_everUp)
        ++m_reconnects;
    m_everUp = true;
    qCInfo(lcRedis, "connected to Redis at %s", qUtf8Printable(m_url.display()));
    if (m_mode == Mode::Subscriber) {
        for (const QByteArray& channel : std::as_const(m_channels))
            sendSubscription("SUBSCRIBE", channel);
    }
    if (m_handlers.up)
        m_handlers.up();
}

void RedisConnection::connectFailed(const QString& reason)
{
    // Called before hiredis frees the context, which will then run no disconnect callback:
    // let go of the adapter now, while the context it points at is still there.
    releaseAdapter(false);
    m_context = nullptr;
    retryLater(reason);
}

// hiredis calls this when a connection that was up ends (lost, or freed by us); the context
// is freed right after it returns.
void RedisConnection::onDisconnect(const redisAsyncContext* context, int status)
{
    auto* connection = static_cast<RedisConnection*>(context->data);
    const QString reason = status == REDIS_OK ? QStringLiteral("disconnected")
                                              : QString::fromLocal8Bit(context->errstr);
    connection->releaseAdapter(true);
    connection->m_context = nullptr;
    if (connection->m_closing)
        return;
    connection->lost(connection->m_problem.isEmpty() || connection->m_up ? reason
                                                                         : connection->m_problem);
}

// hiredis's Qt adapter points at its context until it is destroyed, and its socket notifiers
// are freed only through the context's cleanup hook: it is destroyed here, while the context
// still exists, after the hook ran (`cleanedUp`) or running it first.
void RedisConnection::releaseAdapter(bool cleanedUp)
{
    if (!m_adapter)
        return;
    if (!cleanedUp && m_context && m_context->ev.cleanup) {
        m_context->ev.cleanup(m_context->ev.data);
        m_context->ev.cleanup = nullptr;
    }
    delete m_adapter;
    m_adapter = nullptr;
}

void RedisConnection::lost(const QString& reason)
{
    const bool wasUp = m_up;
    m_up = false;
    m_sentMs.clear();
    retryLater(reason);
    if (wasUp && m_handlers.down)
        m_handlers.down(m_problem);
}

void RedisConnection::retryLater(const QString& reason)
{
    if (m_closing)
        return;
    m_problem = reason.isEmpty() ? QStringLiteral("connection lost") : reason;
    const int base = std::min(maxRetryMs, firstRetryMs << std::min(m_attempts, 10));
    ++m_attempts;
    // Jitter, so that nodes that lost the same Redis do not all come back at the same moment.
    const int delay = base * (75 + int(QRandomGenerator::global()->bounded(50))) / 100;
    if (m_attempts == 1 || m_attempts % 10 == 0)
        qCWarning(lcRedis, "Redis at %s unreachable (%s); retrying in %d ms",
                  qUtf8Printable(m_url.display()), qUtf8Printable(m_problem), delay);
    m_retry.start(delay);
}

void RedisConnection::checkLiveness()
{
    if (!m_context || !m_up)
        return;
    const qint64 now = nowMs();
    if (!m_sentMs.empty() && now - m_sentMs.front() > m_timeout.count()) {
        // A Redis that does not answer within the timeout (stalled, overloaded, a network
        // that drops packets) is treated as gone; the reconnect finds out when it is back.
        m_problem = QStringLiteral("no answer within %1 ms").arg(m_timeout.count());
        qCWarning(lcRedis, "Redis at %s: %s", qUtf8Printable(m_url.display()),
                  qUtf8Printable(m_problem));
        // Down before the context goes, so that onDisconnect retries with this reason; and
        // said to the owner here, as lost() says it of a connection that was up.
        m_up = false;
        redisAsyncContext* context = m_context;
        redisAsyncFree(context); // runs onDisconnect, which retries
        if (m_handlers.down)
            m_handlers.down(m_problem);
        return;
    }
    // hiredis 0.14 drops the answer to a PING sent in subscriber mode; that connection relies
    // on TCP keep-alive, and its shard's command connection on these pings.
    if (m_sentMs.empty() && m_mode == Mode::Commands)
        sendRaw({"PING"}, [](const RedisValue&) {});
}

void RedisConnection::command(const QList<QByteArray>& arguments, Reply reply)
{
    Q_ASSERT(m_mode == Mode::Commands);
    if (!m_up || !m_context) {
        // Answered on the next pass, as a reply would be: callers never see it reentrantly.
        const QByteArray reason = m_problem.toUtf8();
        QMetaObject::invokeMethod(
            this, [reply = std::move(reply), reason] { reply(RedisValue::lost(reason)); },
            Qt::QueuedConnection);
        return;
    }
    sendRaw(arguments, std::move(reply));
}

void RedisConnection::sendRaw(const QList<QByteArray>& arguments, Reply reply)
{
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    argv.reserve(std::size_t(arguments.size()));
    lengths.reserve(std::size_t(arguments.size()));
    for (const QByteArray& argument : arguments) {
        argv.push_back(argument.constData());
        lengths.push_back(std::size_t(argument.size()));
    }
    auto* pending = new Pending{this, std::move(reply)};
    if (redisAsyncCommandArgv(m_context, &RedisConnection::onReply, pending, int(argv.size()),
                              argv.data(), lengths.data()) != REDIS_OK) {
        // The context is going away (hiredis refuses new commands while it disconnects).
        Reply failed = std::move(pending->reply);
        delete pending;
        QMetaObject::invokeMethod(
            this, [failed = std::move(failed)] { failed(RedisValue::lost("connection lost")); },
            Qt::QueuedConnection);
        return;
    }
    m_sentMs.push_back(nowMs());
}

void RedisConnection::onReply(redisAsyncContext* /*context*/, void* reply, void* data)
{
    std::unique_ptr<Pending> pending(static_cast<Pending*>(data));
    RedisConnection* connection = pending->connection;
    if (connection->m_closing)
        return;
    if (!connection->m_sentMs.empty())
        connection->m_sentMs.pop_front();
    pending->reply(reply ? RedisValue::from(static_cast<const redisReply*>(reply))
                         : RedisValue::lost(connection->m_problem.toUtf8()));
}

void RedisConnection::subscribe(const QByteArray& channel)
{
    Q_ASSERT(m_mode == Mode::Subscriber);
    if (m_channels.contains(channel))
        return;
    m_channels.insert(channel);
    if (m_up && m_context)
        sendSubscription("SUBSCRIBE", channel);
}

void RedisConnection::unsubscribe(const QByteArray& channel)
{
    if (!m_channels.remove(channel))
        return;
    if (m_up && m_context)
        sendSubscription("UNSUBSCRIBE", channel);
}

void RedisConnection::resubscribe(const QByteArray& channel)
{
    if (m_channels.contains(channel) && m_up && m_context)
        sendSubscription("SUBSCRIBE", channel);
}

void RedisConnection::sendSubscription(const char* verb, const QByteArray& channel)
{
    const char* argv[] = {verb, channel.constData()};
    const size_t lengths[] = {std::strlen(verb), std::size_t(channel.size())};
    redisAsyncCommandArgv(m_context, &RedisConnection::onSubscription, this, 2, argv, lengths);
}

// Every reply of a subscribed channel: its confirmation, its messages, its unsubscription.
void RedisConnection::onSubscription(redisAsyncContext* /*context*/, void* data, void* self)
{
    auto* connection = static_cast<RedisConnection*>(self);
    const auto* reply = static_cast<const redisReply*>(data);
    if (connection->m_closing || !reply || reply->type != REDIS_REPLY_ARRAY || reply->elements < 3)
        return;
    const QByteArray kind(reply->element[0]->str, qsizetype(reply->element[0]->len));
    const redisReply* channel = reply->element[1];
    if (channel->type != REDIS_REPLY_STRING)
        return;
    const QByteArray name(channel->str, qsizetype(channel->len));
    if (kind == "message") {
        const redisReply* payload = reply->element[2];
        if (connection->m_handlers.message && payload->type == REDIS_REPLY_STRING)
            connection->m_handlers.message(name, QByteArray(payload->str, qsizetype(payload->len)));
    } else if (kind == "subscribe") {
        // Confirmed after the channel was dropped again: not wanted any more.
        if (!connection->m_channels.contains(name))
            return;
        if (connection->m_handlers.subscribed)
            connection->m_handlers.subscribed(name);
    }
}

} // namespace switchboard
