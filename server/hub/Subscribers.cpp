#include "Subscribers.h"

#include "Subscriber.h"

namespace switchboard {

Subscribers::Subscribers(QObject* parent)
    : QObject(parent)
{}

void Subscribers::add(Subscriber* subscriber)
{
    m_byId.insert(subscriber->id(), subscriber);
    emit opened(subscriber);
}

void Subscribers::remove(Subscriber* subscriber)
{
    if (m_byId.remove(subscriber->id()) > 0)
        emit closed(subscriber);
}

int Subscribers::authenticatedCount() const
{
    int count = 0;
    for (const Subscriber* subscriber : m_byId) {
        if (subscriber->identity().isAuthenticated())
            ++count;
    }
    return count;
}

void Subscribers::closeAll(quint16 code, const QString& reason)
{
    const QList<Subscriber*> subscribers = m_byId.values();
    for (Subscriber* subscriber : subscribers)
        subscriber->close(code, reason);
}

} // namespace switchboard
