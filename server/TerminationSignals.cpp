#include "TerminationSignals.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QObject>

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

namespace switchboard {

namespace {

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

// Empty on success; otherwise why the signals could not be routed.
QString watchTerminationSignals(QObject* parent)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalSockets) != 0)
        return QStringLiteral("cannot watch for SIGINT/SIGTERM: ") +
               QString::fromLocal8Bit(std::strerror(errno));
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
    return {};
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

QString quitOnTerminationSignals([[maybe_unused]] QObject* parent)
{
#if defined(Q_OS_UNIX)
    return watchTerminationSignals(parent);
#elif defined(Q_OS_WIN)
    ::SetConsoleCtrlHandler(onConsoleControl, TRUE);
    return {};
#else
    return {};
#endif
}

} // namespace switchboard
