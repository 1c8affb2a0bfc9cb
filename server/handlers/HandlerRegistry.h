#pragma once

// The table of every client message type the hub understands, filled at start-up by the
// handlers' own registrations. Read-only once main() runs.

#include "MessageHandler.h"

#include <QList>

namespace switchboard {

class HandlerRegistry {
public:
    // The registry built from the handlers linked into this program.
    static HandlerRegistry& builtIn();

    void add(const MessageHandler& handler);
    const MessageHandler* find(QLatin1String dialect, const QString& type) const;
    QList<MessageHandler> forDialect(QLatin1String dialect) const;
    const QList<MessageHandler>& all() const { return m_handlers; }

private:
    QList<MessageHandler> m_handlers;
};

} // namespace switchboard

#define SWITCHBOARD_CONCAT_INNER(a, b) a##b
#define SWITCHBOARD_CONCAT(a, b) SWITCHBOARD_CONCAT_INNER(a, b)
// Registers a MessageHandler defined in the current file.
#define SWITCHBOARD_REGISTER_HANDLER(...)                                                          \
    namespace {                                                                                    \
    const bool SWITCHBOARD_CONCAT(handlerRegistered, __LINE__) =                                   \
        (::switchboard::HandlerRegistry::builtIn().add(::switchboard::MessageHandler{              \
             __VA_ARGS__}),                                                                        \
         true);                                                                                    \
    }
