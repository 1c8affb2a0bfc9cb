#include "SecretStore.h"

#include <QEventLoop>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>

#include <memory>
#include <utility>

#include <qt6keychain/keychain.h>

#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
#include <dlfcn.h>
#endif

namespace switchboard {

namespace {

#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
// QtKeychain's libsecret backend answers through GLib callbacks on GLib's default main
// context. The hub's programs run Qt without the GLib event dispatcher (QT_NO_GLIB=1, see
// server_main.cpp), so nothing would ever iterate that context and the job would never finish:
// while waiting, iterate it here. Looked up at run time (libglib is already loaded with Qt and
// libsecret), so the build needs no GLib headers.
using GlibIteration = int (*)(void* context, int mayBlock);

GlibIteration glibIteration()
{
    static const auto function =
        reinterpret_cast<GlibIteration>(dlsym(RTLD_DEFAULT, "g_main_context_iteration"));
    return function;
}
#endif

// Runs `job` to its end; false when the keychain did not answer in time.
bool runJob(QKeychain::Job& job, std::chrono::milliseconds timeout)
{
    QEventLoop loop;
    bool finished = false;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QTimer::singleShot(timeout, &loop, &QEventLoop::quit);
    QTimer glib;
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
    if (const GlibIteration iterate = glibIteration()) {
        glib.setInterval(2);
        QObject::connect(&glib, &QTimer::timeout, &loop, [iterate] {
            while (iterate(nullptr, 0)) {
            }
        });
        glib.start();
    }
#endif
    job.start();
    if (!finished)
        loop.exec();
    return finished;
}

QString describe(const QKeychain::Job& job)
{
    return QStringLiteral("%1 (QtKeychain error %2)").arg(job.errorString()).arg(int(job.error()));
}

QString noAnswer(std::chrono::milliseconds timeout)
{
    return QStringLiteral("the OS keychain did not answer within %1 s")
        .arg(std::chrono::duration_cast<std::chrono::seconds>(timeout).count());
}

// Starts `job` (which deletes itself once finished) and returns at once. `done` gets nothing
// when the job succeeded, else the reason (also when the keychain did not answer within
// `timeout`); it is called once, from `context`'s event loop (never from inside the keychain's
// own callback), and not at all if `context` is gone by then.
void startJob(QKeychain::Job* job, QObject* context, std::chrono::milliseconds timeout,
              SecretStore::Done done)
{
    auto answered = std::make_shared<bool>(false);
    QPointer<QTimer> glib = new QTimer(job);
    QObject::connect(job, &QKeychain::Job::finished, context,
                     [answered, done, context](QKeychain::Job* finished) {
                         if (std::exchange(*answered, true))
                             return;
                         std::optional<QString> error;
                         if (finished->error() != QKeychain::NoError)
                             error = describe(*finished);
                         QMetaObject::invokeMethod(
                             context, [done, error] { done(error); }, Qt::QueuedConnection);
                     });
    QTimer::singleShot(timeout, context, [answered, done, glib, timeout] {
        if (std::exchange(*answered, true))
            return;
        if (glib)
            glib->stop();
        done(noAnswer(timeout));
    });
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
    if (const GlibIteration iterate = glibIteration()) {
        glib->setInterval(2);
        QObject::connect(glib, &QTimer::timeout, job, [iterate] {
            while (iterate(nullptr, 0)) {
            }
        });
        glib->start();
    }
#endif
    job->start();
}

} // namespace

SecretStore::SecretStore(QString service)
    : m_service(std::move(service))
{}

SecretStore::Result SecretStore::jwtSecret(std::chrono::milliseconds timeout) const
{
    Result result;
    QKeychain::ReadPasswordJob read(m_service);
    read.setAutoDelete(false);
    read.setInsecureFallback(false);
    read.setKey(JwtSecretKey);
    if (!runJob(read, timeout)) {
        result.error = noAnswer(timeout);
        return result;
    }
    if (read.error() == QKeychain::NoError && !read.binaryData().isEmpty()) {
        result.secret = read.binaryData();
        return result;
    }
    if (read.error() != QKeychain::NoError && read.error() != QKeychain::EntryNotFound) {
        result.error = describe(read);
        return result;
    }

    const QByteArray secret = generateJwtSecret();
    QKeychain::WritePasswordJob write(m_service);
    write.setAutoDelete(false);
    write.setInsecureFallback(false);
    write.setKey(JwtSecretKey);
    write.setBinaryData(secret);
    if (!runJob(write, timeout)) {
        result.error = noAnswer(timeout);
        return result;
    }
    if (write.error() != QKeychain::NoError) {
        result.error = describe(write);
        return result;
    }
    result.secret = secret;
    result.created = true;
    return result;
}

QByteArray SecretStore::generateJwtSecret()
{
    // 32 random bytes, stored as base64 text so that operators who look the entry up
    // (seahorse, `secret-tool lookup`) can copy it into JWT_SECRET_KEY elsewhere.
    QByteArray random(32, Qt::Uninitialized);
    for (char& byte : random)
        byte = char(QRandomGenerator::system()->bounded(256));
    return random.toBase64();
}

void SecretStore::replaceJwtSecret(const QByteArray& secret, QObject* context, Done done,
                                   std::chrono::milliseconds timeout) const
{
    auto* write = new QKeychain::WritePasswordJob(m_service);
    write->setAutoDelete(true);
    write->setInsecureFallback(false);
    write->setKey(JwtSecretKey);
    write->setBinaryData(secret);
    startJob(write, context, timeout, std::move(done));
}

std::optional<QString> SecretStore::forgetJwtSecret() const
{
    QKeychain::DeletePasswordJob remove(m_service);
    remove.setAutoDelete(false);
    remove.setKey(JwtSecretKey);
    if (!runJob(remove, std::chrono::seconds(10)))
        return QStringLiteral("the OS keychain did not answer");
    if (remove.error() != QKeychain::NoError && remove.error() != QKeychain::EntryNotFound)
        return describe(remove);
    return std::nullopt;
}

} // namespace switchboard
