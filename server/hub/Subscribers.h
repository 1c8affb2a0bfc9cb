#pragma once

// Every open subscriber, by id: what the REST routes, the monitor and the connection log look
// through (to list, count, notify or disconnect clients), whatever carries them. The
// transport that owns a subscriber adds it when the connection opens and removes it when it
// closes; `opened` and `closed` are emitted then, on the hub thread, while it still lives.

#include <QHash>
#include <QObject>
#include <QString>

namespace switchboard {

class Subscriber;

class Subscribers : public QObject {
    Q_OBJECT

public:
    explicit Subscribers(QObject* parent = nullptr);

    void add(Subscriber* subscriber);
    void remove(Subscriber* subscriber);
    Subscriber* find(const QString& id) const { return m_byId.value(id); }
    const QHash<QString, Subscriber*>& all() const { return m_byId; }
    int count() const { return int(m_byId.size()); }
    int authenticatedCount() const;
    // Asks every subscriber's transport to close with `code`.
    void closeAll(quint16 code, const QString& reason);

signals:
    // Direct connections only: the subscriber is valid for the duration of the call.
    void opened(switchboard::Subscriber* subscriber);
    void closed(switchboard::Subscriber* subscriber);

private:
    QHash<QString, Subscriber*> m_byId;
};

} // namespace switchboard
