#include "Sessions.h"

#include "Session.h"

namespace switchboard {

Sessions::Sessions(QObject* parent)
    : QObject(parent)
{}

void Sessions::add(Session* session)
{
    session->setParent(this);
    m_sessions.insert(session->id(), session);
    connect(session, &Session::closed, this, &Sessions::onClosed);
    emit added(session->id());
}

int Sessions::authenticatedCount() const
{
    int count = 0;
    for (const Session* session : m_sessions) {
        if (session->identity().isAuthenticated())
            ++count;
    }
    return count;
}

void Sessions::closeAll(quint16 code, const QString& reason)
{
    const QList<Session*> sessions = m_sessions.values();
    for (Session* session : sessions)
        session->close(code, reason);
}

void Sessions::onClosed(Session* session)
{
    if (m_sessions.remove(session->id()) == 0)
        return;
    emit removed(session->id());
    session->deleteLater();
}

} // namespace switchboard
