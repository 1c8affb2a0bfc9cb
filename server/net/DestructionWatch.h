#pragma once

// Runs a callback when the object it is attached to is destroyed. Qt HTTP Server calls
// QObject::disconnect() on a socket it hands to the WebSocket server, which silently drops
// every connection to the socket's destroyed() signal; a child object's destructor survives
// that.

#include <QObject>

#include <functional>

namespace switchboard {

class DestructionWatch final : public QObject {
public:
    static void attach(QObject* watched, std::function<void()> onDestroyed)
    {
        new DestructionWatch(watched, std::move(onDestroyed));
    }

    ~DestructionWatch() override
    {
        if (m_onDestroyed)
            m_onDestroyed();
    }

private:
    DestructionWatch(QObject* parent, std::function<void()> onDestroyed)
        : QObject(parent)
        , m_onDestroyed(std::move(onDestroyed))
    {}

    std::function<void()> m_onDestroyed;
};

} // namespace switchboard
