#pragma once

// The table of every client message type the hub understands, and of every dialect's
// connection hooks, filled at start-up by their own registrations. Read-only once main() runs.

#include "ConnectionHooks.h"
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

    void add(const ConnectionHooks& hooks);
    // The hooks of `dialect`, or null when it registered none.
    const ConnectionHooks* hooks(QLatin1String dialect) const;
    const QList<ConnectionHooks>& allHooks() const { return m_hooks; }

private:
    QList<MessageHandler> m_handlers;
    QList<ConnectionHooks> m_hooks;
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
// Registers the ConnectionHooks of a dialect, with designated initializers:
// SWITCHBOARD_REGISTER_CONNECTION_HOOKS(.dialect = QLatin1String("native"), .opened = &opened)
#define SWITCHBOARD_REGISTER_CONNECTION_HOOKS(...)                                                 \
    namespace {                                                                                    \
    const bool SWITCHBOARD_CONCAT(hooksRegistered, __LINE__) =                                     \
        (::switchboard::HandlerRegistry::builtIn().add(::switchboard::ConnectionHooks{             \
             __VA_ARGS__}),                                                                        \
         true);                                                                                    \
    }
