#pragma once

// Every open WebSocket session, by id. Owns the Session objects and deletes them (later)
// when they close.

#include <QHash>
#include <QObject>
#include <QString>

namespace switchboard {

class Session;

class Sessions : public QObject {
    Q_OBJECT

public:
    explicit Sessions(QObject* parent = nullptr);

    void add(Session* session);
    Session* find(const QString& id) const { return m_sessions.value(id); }
    const QHash<QString, Session*>& all() const { return m_sessions; }
    int count() const { return int(m_sessions.size()); }
    int authenticatedCount() const;
    void closeAll(quint16 code, const QString& reason);

signals:
    void added(const QString& id);
    void removed(const QString& id);

private:
    void onClosed(Session* session);

    QHash<QString, Session*> m_sessions;
};

} // namespace switchboard
