#include "RoomsPanel.h"

#include "DisplayFormat.h"
#include "HubHost.h"

#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace switchboard {

namespace {

const QString roomPattern = QStringLiteral("room:*");
const QLatin1String roomPrefix("room:");
constexpr int maxActivity = 200;

} // namespace

RoomsPanel::RoomsPanel(HubHost& host, QWidget* parent)
    : QWidget(parent)
    , m_host(host)
    , m_tree(new QTreeWidget(this))
    , m_activity(new QTreeWidget(this))
    , m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("roomsPanel"));
    setWindowTitle(tr("Rooms && presence"));
    m_tree->setObjectName(QStringLiteral("roomsTree"));
    m_activity->setObjectName(QStringLiteral("roomsActivity"));
    m_summary->setObjectName(QStringLiteral("roomsSummary"));
    m_tree->setHeaderLabels({tr("Room / member"), tr("Status"), tr("Cursor"), tr("Last seen")});
    m_tree->setRootIsDecorated(true);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_activity->setHeaderLabels({tr("Time"), tr("Room"), tr("Event"), tr("Details")});
    m_activity->setRootIsDecorated(false);
    m_activity->header()->setStretchLastSection(true);
    m_activity->setColumnWidth(0, 90);
    m_activity->setColumnWidth(1, 120);
    m_activity->setColumnWidth(2, 110);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_tree);
    splitter->addWidget(m_activity);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);
    rebuild();

    host.watchTopics({roomPattern});
    connect(&host, &HubHost::snapshotReady, this, &RoomsPanel::applySnapshot);
}

RoomsPanel::~RoomsPanel()
{
    m_host.unwatchTopics({roomPattern});
}

QStringList RoomsPanel::rooms() const
{
    QStringList rooms;
    for (const Member& member : m_members) {
        for (const QString& room : member.rooms) {
            if (!rooms.contains(room))
                rooms.append(room);
        }
    }
    rooms.sort();
    return rooms;
}

QStringList RoomsPanel::presenceIn(const QString& room) const
{
    QStringList statuses;
    for (const Presence& presence : m_presence.value(room))
        statuses.append(presence.status);
    return statuses;
}

void RoomsPanel::applySnapshot(const HubSnapshot& snapshot)
{
    bool changed = snapshot.full || !snapshot.removed.isEmpty();
    if (snapshot.full)
        m_members.clear();
    for (const QString& id : snapshot.removed)
        m_members.remove(id);
    for (const ConnectionInfo& connection : snapshot.upserted) {
        Member member{connection.user.isEmpty() ? connection.id : connection.user, {}};
        for (const QString& topic : connection.topics) {
            if (topic.startsWith(roomPrefix))
                member.rooms.append(topic.mid(roomPrefix.size()));
        }
        const auto it = m_members.constFind(connection.id);
        if (it == m_members.cend() || it->rooms != member.rooms || it->user != member.user)
            changed = true;
        if (member.rooms.isEmpty())
            m_members.remove(connection.id);
        else
            m_members.insert(connection.id, member);
    }
    for (const TopicEvent& event : snapshot.events) {
        if (!event.topic.startsWith(roomPrefix))
            continue;
        addActivity(event);
        if (event.event != QLatin1String("presence"))
            continue;
        const QString room = event.topic.mid(roomPrefix.size());
        const QString session = event.data.value(QLatin1String("session_id")).toString();
        const QString action = event.data.value(QLatin1String("action")).toString();
        if (action == QLatin1String("leave")) {
            m_presence[room].remove(session);
        } else {
            Presence& presence = m_presence[room][session];
            presence.user = event.data.value(QLatin1String("user")).toString();
            if (event.data.contains(QLatin1String("status")))
                presence.status = event.data.value(QLatin1String("status")).toString();
            else if (presence.status.isEmpty())
                presence.status = tr("joined");
            if (event.data.contains(QLatin1String("cursor")))
                presence.cursor = QString::fromUtf8(
                    QJsonDocument(event.data.value(QLatin1String("cursor")).toObject())
                        .toJson(QJsonDocument::Compact));
            presence.lastSeenMs = event.timestampMs;
        }
        changed = true;
    }
    if (changed)
        rebuild();
}

void RoomsPanel::addActivity(const TopicEvent& event)
{
    QJsonObject details = event.data;
    details.remove(QLatin1String("room"));
    auto* item = new QTreeWidgetItem(
        {QDateTime::fromMSecsSinceEpoch(event.timestampMs).toString(QStringLiteral("HH:mm:ss")),
         event.topic.mid(roomPrefix.size()), event.event,
         QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Compact))});
    m_activity->insertTopLevelItem(0, item);
    while (m_activity->topLevelItemCount() > maxActivity)
        delete m_activity->takeTopLevelItem(m_activity->topLevelItemCount() - 1);
}

void RoomsPanel::rebuild()
{
    QMap<QString, QStringList> members; // room -> session ids
    for (auto it = m_members.cbegin(); it != m_members.cend(); ++it) {
        for (const QString& room : it->rooms)
            members[room].append(it.key());
    }
    // Presence of sessions that are gone is forgotten with them.
    for (auto room = m_presence.begin(); room != m_presence.end();) {
        for (auto session = room->begin(); session != room->end();) {
            if (m_members.contains(session.key()))
                ++session;
            else
                session = room->erase(session);
        }
        room = room->isEmpty() ? m_presence.erase(room) : std::next(room);
    }

    QStringList expanded;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        if (m_tree->topLevelItem(i)->isExpanded())
            expanded.append(m_tree->topLevelItem(i)->data(0, Qt::UserRole).toString());
    }
    m_tree->clear();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (auto room = members.cbegin(); room != members.cend(); ++room) {
        auto* roomItem = new QTreeWidgetItem(
            m_tree, {tr("%1 (%Ln member(s))", nullptr, int(room->size())).arg(room.key())});
        roomItem->setData(0, Qt::UserRole, room.key());
        QFont bold = roomItem->font(0);
        bold.setBold(true);
        roomItem->setFont(0, bold);
        for (const QString& session : *room) {
            const Presence presence = m_presence.value(room.key()).value(session);
            const QString user = m_members.value(session).user;
            auto* item = new QTreeWidgetItem(
                roomItem,
                {user, presence.status, presence.cursor,
                 presence.lastSeenMs ? DisplayFormat::relativeTime(
                                           QDateTime::fromMSecsSinceEpoch(presence.lastSeenMs), now)
                                     : QString()});
            item->setData(0, Qt::UserRole, session);
            item->setToolTip(0, session);
        }
        roomItem->setExpanded(expanded.contains(room.key()) || members.size() <= 5);
    }
    const int roomCount = int(members.size());
    m_summary->setText(roomCount == 0 ? tr("No client is in a room.")
                                      : tr("%Ln room(s) in use", nullptr, roomCount));
}

} // namespace switchboard
