#include "HandlerRegistry.h"

namespace switchboard {

HandlerRegistry& HandlerRegistry::builtIn()
{
    static HandlerRegistry registry;
    return registry;
}

void HandlerRegistry::add(const MessageHandler& handler)
{
    Q_ASSERT_X(!find(handler.dialect, QString(handler.type)), "HandlerRegistry::add",
               "a message type is registered twice for one dialect");
    m_handlers.append(handler);
}

const MessageHandler* HandlerRegistry::find(QLatin1String dialect, const QString& type) const
{
    for (const MessageHandler& handler : m_handlers) {
        if (handler.dialect == dialect && handler.type == type)
            return &handler;
    }
    return nullptr;
}

QList<MessageHandler> HandlerRegistry::forDialect(QLatin1String dialect) const
{
    QList<MessageHandler> result;
    for (const MessageHandler& handler : m_handlers) {
        if (handler.dialect == dialect)
            result.append(handler);
    }
    return result;
}

void HandlerRegistry::add(const ConnectionHooks& hooks)
{
    Q_ASSERT_X(!this->hooks(hooks.dialect), "HandlerRegistry::add",
               "a dialect registers its connection hooks twice");
    m_hooks.append(hooks);
}

const ConnectionHooks* HandlerRegistry::hooks(QLatin1String dialect) const
{
    for (const ConnectionHooks& hooks : m_hooks) {
        if (hooks.dialect == dialect)
            return &hooks;
    }
    return nullptr;
}

} // namespace switchboard
