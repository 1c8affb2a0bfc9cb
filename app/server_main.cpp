// The headless hub's composition root: settings, the hub in its own thread, and a graceful stop
// on SIGINT/SIGTERM (Ctrl+C on Windows) or when an admin asks for shutdown over HTTP.

#include "HubHost.h"
#include "config/ConfigLoader.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QProcessEnvironment>
#include <QString>

#include <cstdio>
#include <optional>

#if defined(Q_OS_UNIX)
#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
#elif defined(Q_OS_WIN)
#include <qt_windows.h>
#endif

using namespace Qt::StringLiterals;

namespace {

const QString ProgramName = u"switchboard-server"_s;

void write(std::FILE* stream, const QString& text)
{
    std::fputs(text.toLocal8Bit().constData(), stream);
    std::fflush(stream);
}

// The address as it goes into a URL: the dual-stack "any" reads best as 0.0.0.0, and an IPv6
// literal needs brackets.
QString urlHost(const QHostAddress& address)
{
    if (address == QHostAddress(QHostAddress::Any) ||
        address == QHostAddress(QHostAddress::AnyIPv4))
        return u"0.0.0.0"_s;
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return u'[' + address.toString() + u']';
    return address.toString();
}

#if defined(Q_OS_UNIX)
// A signal handler may only call async-signal-safe functions, so it writes one byte into a
// socketpair and a QSocketNotifier on the other end brings the request into the event loop.
int g_signalSockets[2] = {-1, -1};
volatile std::sig_atomic_t g_signalsReceived = 0;

extern "C" void onTerminationSignal(int signalNumber)
{
    // A second Ctrl+C means "now": the operator has given up on the graceful stop.
    if (g_signalsReceived != 0)
        _exit(128 + signalNumber);
    g_signalsReceived = 1;
    const int savedErrno = errno;
    const char byte = char(signalNumber);
    [[maybe_unused]] const ssize_t written = ::write(g_signalSockets[0], &byte, 1);
    errno = savedErrno;
}

// Returns the notifier that fires once SIGINT or SIGTERM arrived, or nullptr (with the reason
// printed) when the signals could not be routed, in which case their default action applies.
QSocketNotifier* watchTerminationSignals(QObject* parent)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalSockets) != 0) {
        write(stderr, ProgramName + u": cannot watch for SIGINT/SIGTERM: "_s +
                          QString::fromLocal8Bit(std::strerror(errno)) + u'\n');
        return nullptr;
    }
    for (const int socket : g_signalSockets)
        ::fcntl(socket, F_SETFD, FD_CLOEXEC); // the hub must not leak these into children
    // Never let the handler block, however many signals arrive.
    ::fcntl(g_signalSockets[0], F_SETFL, ::fcntl(g_signalSockets[0], F_GETFL) | O_NONBLOCK);

    struct sigaction action = {};
    action.sa_handler = onTerminationSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);

    auto* notifier = new QSocketNotifier(g_signalSockets[1], QSocketNotifier::Read, parent);
    QObject::connect(notifier, &QSocketNotifier::activated, notifier, [notifier] {
        char byte = 0;
        [[maybe_unused]] const ssize_t bytesRead = ::read(g_signalSockets[1], &byte, 1);
        notifier->setEnabled(false);
        QCoreApplication::quit();
    });
    return notifier;
}
#elif defined(Q_OS_WIN)
// Runs on a thread of its own that Windows creates; a queued call is the safe way into the
// event loop from there.
BOOL WINAPI onConsoleControl(DWORD event)
{
    switch (event) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
        QMetaObject::invokeMethod(QCoreApplication::instance(), &QCoreApplication::quit,
                                  Qt::QueuedConnection);
        return TRUE;
    case CTRL_CLOSE_EVENT:
    case CTRL_LOGOFF_EVENT:
    case CTRL_SHUTDOWN_EVENT:
        // Windows ends the process when this returns: give main() the time to stop the hub.
        QMetaObject::invokeMethod(QCoreApplication::instance(), &QCoreApplication::quit,
                                  Qt::QueuedConnection);
        ::Sleep(5000);
        return TRUE;
    default:
        return FALSE;
    }
}
#endif

} // namespace

int main(int argc, char* argv[])
{
    // The glib event dispatcher is the hub's biggest single cost (STACK.md: it walks every
    // socket notifier on each enable/disable; switching it off cut CPU at 20 publishes/s from
    // 44 % to 26 %). It must be off before the application object picks its dispatcher.
    qputenv("QT_NO_GLIB", "1");

    QCoreApplication::setOrganizationName(u"Switchboard"_s);
    QCoreApplication::setApplicationName(ProgramName);
    QCoreApplication::setApplicationVersion(QStringLiteral(SWITCHBOARD_VERSION));
    QCoreApplication app(argc, argv);

    const switchboard::ConfigLoader loader(
        ProgramName, QCoreApplication::translate(
                         "Server", "The Switchboard hub without a window: HTTP and WebSocket on "
                                   "one port."));
    const switchboard::ConfigLoadResult loaded =
        loader.load(QCoreApplication::arguments(), QProcessEnvironment::systemEnvironment());
    if (loaded.kind == switchboard::ConfigLoadResult::Kind::Exit) {
        write(loaded.exitCode == 0 ? stdout : stderr, loaded.output);
        return loaded.exitCode;
    }

    // Watched before the hub starts, so a SIGTERM during start-up still ends in a clean stop.
#if defined(Q_OS_UNIX)
    watchTerminationSignals(&app);
#elif defined(Q_OS_WIN)
    ::SetConsoleCtrlHandler(onConsoleControl, TRUE);
#endif

    switchboard::HubHost host(loaded.config);
    if (const std::optional<QString> error = host.start()) {
        write(stderr, ProgramName + u": "_s + *error + u'\n');
        return switchboard::ConfigLoader::BadSettingExitCode;
    }
    QObject::connect(&host, &switchboard::HubHost::shutdownRequested, &app, &QCoreApplication::quit,
                     Qt::QueuedConnection);

    write(stderr, QCoreApplication::translate("Server", "listening on http://%1:%2")
                          .arg(urlHost(loaded.config.bindAddress), QString::number(host.port())) +
                      u'\n');

    QCoreApplication::exec();
    // Every way out of the loop is a graceful stop: close clients with 1001, drain, persist.
    host.stop();
    return 0;
}
