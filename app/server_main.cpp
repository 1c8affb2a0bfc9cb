// The headless hub's composition root: settings, the hub in its own thread, and a graceful stop
// on SIGINT/SIGTERM (Ctrl+C on Windows) or when an admin asks for shutdown over HTTP.

#include "HubHost.h"
#include "TerminationSignals.h"
#include "auth/TokenCommand.h"
#include "config/ConfigLoader.h"
#include "sources/Redaction.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QProcessEnvironment>
#include <QString>

#include <cstdio>
#include <optional>

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

} // namespace

int main(int argc, char* argv[])
{
    // The glib event dispatcher is the hub's biggest single cost (STACK.md: it walks every
    // socket notifier on each enable/disable; switching it off cut CPU at 20 publishes/s from
    // 44 % to 26 %). It must be off before the application object picks its dispatcher.
    qputenv("QT_NO_GLIB", "1");
    // SPEC §7: no token in any log line. The hub's log bridge redacts while the hub runs; this
    // covers the whole process, before the hub starts and after it stops.
    switchboard::installRedactingMessageHandler();

    QCoreApplication::setOrganizationName(u"Switchboard"_s);
    QCoreApplication::setApplicationName(ProgramName);
    QCoreApplication::setApplicationVersion(QStringLiteral(SWITCHBOARD_VERSION));
    QCoreApplication app(argc, argv);

    // `switchboard-server token issue ...` prints a signed token and exits.
    if (switchboard::isTokenCommand(QCoreApplication::arguments())) {
        const switchboard::TokenCommandResult result = switchboard::runTokenCommand(
            QCoreApplication::arguments(), QProcessEnvironment::systemEnvironment(),
            switchboard::HubConfig().keychainService);
        write(result.exitCode == 0 ? stdout : stderr, result.output);
        return result.exitCode;
    }

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
    if (const QString problem = switchboard::quitOnTerminationSignals(&app); !problem.isEmpty())
        write(stderr, ProgramName + u": "_s + problem + u'\n');

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
