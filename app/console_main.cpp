// The desktop console's composition root: settings, translations, the hub in its own thread
// and the main window. Everything with behaviour lives in the server and ui libraries.

#include "HubHost.h"
#include "LagProbe.h"
#include "MainWindow.h"
#include "SettingsPanel.h"
#include "TerminationSignals.h"
#include "config/ConfigLoader.h"
#include "sources/Redaction.h"

#include <QApplication>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QProcessEnvironment>
#include <QSettings>
#include <QTranslator>

#include <cstdio>

namespace {

void installTranslator(QApplication& app, const QString& name, const QString& directory)
{
    auto* translator = new QTranslator(&app);
    if (translator->load(QLocale(), name, QStringLiteral("_"), directory))
        QApplication::installTranslator(translator);
    else
        delete translator;
}

void write(std::FILE* stream, const QString& text)
{
    std::fputs(text.toLocal8Bit().constData(), stream);
    std::fflush(stream);
}

// A console started from a desktop launcher has no terminal, so errors are shown as well as
// printed; on the offscreen platform nobody could dismiss the dialog.
void reportFatal(const QString& message)
{
    write(stderr, message.trimmed() + QLatin1Char('\n'));
    if (QGuiApplication::platformName() != QLatin1String("offscreen"))
        QMessageBox::critical(nullptr, QCoreApplication::translate("Console", "Switchboard"),
                              message.trimmed());
}

// `--measure-lag FILE` is the console's own option (the hub's settings parser does not know
// it): it is taken out of the arguments, and the GUI thread's timer lag is written to FILE
// when the console exits.
QString takeMeasureLag(QStringList& arguments)
{
    const QString flag = QStringLiteral("--measure-lag");
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        if (arguments[i].startsWith(flag + u'=')) {
            const QString file = arguments[i].mid(flag.size() + 1);
            arguments.removeAt(i);
            return file;
        }
        if (arguments[i] == flag && i + 1 < arguments.size()) {
            const QString file = arguments[i + 1];
            arguments.remove(i, 2);
            return file;
        }
    }
    return {};
}

} // namespace

int main(int argc, char* argv[])
{
    // The glib event dispatcher is the hub thread's biggest single cost (see STACK.md); it
    // must be switched off before the application object creates any dispatcher.
    qputenv("QT_NO_GLIB", "1");
    // SPEC §7: no token in any log line, from the first one to the last.
    switchboard::installRedactingMessageHandler();

    QApplication::setOrganizationName(QStringLiteral("Switchboard"));
    QApplication::setApplicationName(QStringLiteral("switchboard"));
    QApplication::setApplicationVersion(QStringLiteral(SWITCHBOARD_VERSION));
    QApplication app(argc, argv);
    // Wayland matches the window to the desktop file (and so its icon) by this name.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.switchboard.Switchboard"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/switchboard.svg")));

    // The language chosen in Settings, if any, wins over the system's.
    const QString language =
        QSettings().value(switchboard::SettingsPanel::languageKey()).toString();
    if (language == QLatin1String("de"))
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    else if (language == QLatin1String("en"))
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    // The C locale formats 12345 without separators; the console's figures need them.
    if (QLocale().language() == QLocale::C)
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    installTranslator(app, QStringLiteral("qtbase"),
                      QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    installTranslator(app, QStringLiteral("switchboard"), QStringLiteral(":/i18n"));

    const switchboard::ConfigLoader loader(
        QStringLiteral("switchboard"),
        QCoreApplication::translate("Console",
                                    "The Switchboard desktop console with its built-in hub."));
    QStringList arguments = QApplication::arguments();
    const QString lagFile = takeMeasureLag(arguments);
    const switchboard::ConfigLoadResult loaded =
        loader.load(arguments, QProcessEnvironment::systemEnvironment());
    if (loaded.kind == switchboard::ConfigLoadResult::Kind::Exit) {
        if (loaded.exitCode == 0)
            write(stdout, loaded.output);
        else
            reportFatal(loaded.output);
        return loaded.exitCode;
    }

    // SIGTERM or Ctrl+C in the terminal: leave the event loop; the hub then stops gracefully
    // when `host` goes out of scope.
    if (const QString problem = switchboard::quitOnTerminationSignals(&app); !problem.isEmpty())
        write(stderr, problem + u'\n');

    switchboard::HubHost host(loaded.config);
    // Built before start() so the hub's first snapshot, the full one, finds the panels.
    switchboard::MainWindow window(host);
    if (const std::optional<QString> error = host.start()) {
        reportFatal(
            QCoreApplication::translate("Console", "The hub could not start: %1").arg(*error));
        return switchboard::ConfigLoader::BadSettingExitCode;
    }
    // Closing the window (or a shutdown asked for over HTTP) stops the hub gracefully.
    window.show();
    switchboard::LagProbe lag;
    if (!lagFile.isEmpty())
        lag.start();
    const int exitCode = QApplication::exec();
    if (!lagFile.isEmpty() && !lag.writeTo(lagFile))
        write(stderr, QStringLiteral("--measure-lag: cannot write %1\n").arg(lagFile));
    return exitCode;
}
