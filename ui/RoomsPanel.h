#pragma once

// The Rooms & presence dock: every room (`room:{id}` topic) some client is in, its members
// with their presence (status, cursor, last seen), and the rooms' recent events. Members come
// from the connections' subscriptions; presence from the rooms' `presence` events.

#include "monitor/HubSnapshot.h"

#include <QHash>
#include <QMap>
#include <QWidget>

class QLabel;
class QTreeWidget;

namespace switchboard {

class HubHost;

class RoomsPanel : public QWidget {
    Q_OBJECT

public:
    explicit RoomsPanel(HubHost& host, QWidget* parent = nullptr);
    ~RoomsPanel() override;

    QStringList rooms() const;
    // The statuses the members of a room announced ("editing"), in no particular order.
    QStringList presenceIn(const QString& room) const;

public slots:
    void applySnapshot(const switchboard::HubSnapshot& snapshot);

private:
    struct Presence {
        QString user;
        QString status;
        QString cursor;
        qint64 lastSeenMs = 0;
    };
    struct Member {
        QString user;
        QStringList rooms;
    };

    void rebuild();
    void addActivity(const TopicEvent& event);

    HubHost& m_host;
    QTreeWidget* m_tree = nullptr;
    QTreeWidget* m_activity = nullptr;
    QLabel* m_summary = nullptr;
    QHash<QString, Member> m_members;                   // session id -> member
    QMap<QString, QHash<QString, Presence>> m_presence; // room -> session id -> presence
};

} // namespace switchboard
