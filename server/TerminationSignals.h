#pragma once

// Turns the operating system's request to stop (SIGINT/SIGTERM on Unix; Ctrl+C, Ctrl+Break and
// closing the console on Windows) into QCoreApplication::quit(), so that every program stops
// the hub gracefully after its event loop returns. A second SIGINT/SIGTERM ends the process at
// once. Call once, after the application object exists.

#include <QString>

class QObject;

namespace switchboard {

// Returns an error text when the signals could not be routed (their default action then
// applies).
QString quitOnTerminationSignals(QObject* parent);

} // namespace switchboard
