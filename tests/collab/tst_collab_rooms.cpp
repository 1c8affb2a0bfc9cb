// The room state of document 004 (SPEC §6.5) and its limits, on CollabRooms itself. The cells
// and their limits are the cell store's (tst_cell_store).

#include "collab/CellRange.h"
#include "collab/CollabRooms.h"

#include <QJsonArray>
#include <QTest>

using namespace switchboard;

namespace {

RoomMember member(const QString& session, const QString& user)
{
    RoomMember m;
    m.sessionId = session;
    m.userId = user;
    m.username = user;
    return m;
}

} // namespace

class CollabRoomsTest : public QObject {
    Q_OBJECT

private slots:
    void membersPerRoomAreLimited()
    {
        CollabLimits limits;
        limits.maxMembersPerRoom = 2;
        CollabRooms rooms(limits);
        QCOMPARE(
            rooms.join(QStringLiteral("r"), member(QStringLiteral("s1"), QStringLiteral("u1")), {}),
            CollabRooms::JoinResult::Joined);
        QCOMPARE(
            rooms.join(QStringLiteral("r"), member(QStringLiteral("s2"), QStringLiteral("u2")), {}),
            CollabRooms::JoinResult::Joined);
        QCOMPARE(
            rooms.join(QStringLiteral("r"), member(QStringLiteral("s3"), QStringLiteral("u3")), {}),
            CollabRooms::JoinResult::RoomFull);
        QVERIFY(rooms.roomsOf(QStringLiteral("s3")).isEmpty());
        QVERIFY(rooms.leave(QStringLiteral("r"), QStringLiteral("s1")));
        QCOMPARE(
            rooms.join(QStringLiteral("r"), member(QStringLiteral("s3"), QStringLiteral("u3")), {}),
            CollabRooms::JoinResult::Joined);
    }

    void twoTabsOfOneUserAreOneUser()
    {
        CollabRooms rooms(CollabLimits{});
        rooms.join(QStringLiteral("r"), member(QStringLiteral("s1"), QStringLiteral("u1")), {});
        rooms.join(QStringLiteral("r"), member(QStringLiteral("s2"), QStringLiteral("u1")), {});
        const QJsonObject state = rooms.find(QStringLiteral("r"))->state();
        QCOMPARE(state.value(QLatin1String("total_users")).toInt(), 1);
        QCOMPARE(rooms.find(QStringLiteral("r"))->userCount(), 1);
        QCOMPARE(rooms.removeSession(QStringLiteral("s1")), QStringList{QStringLiteral("r")});
        QCOMPARE(rooms.find(QStringLiteral("r"))->userCount(), 1);
    }

    void idleRoomsBeyondTheLimitAreForgotten()
    {
        CollabLimits limits;
        limits.maxRooms = 2;
        CollabRooms rooms(limits);
        rooms.join(QStringLiteral("a"), member(QStringLiteral("s1"), QStringLiteral("u1")), {});
        rooms.leave(QStringLiteral("a"), QStringLiteral("s1"));
        rooms.join(QStringLiteral("b"), member(QStringLiteral("s1"), QStringLiteral("u1")), {});
        rooms.join(QStringLiteral("c"), member(QStringLiteral("s1"), QStringLiteral("u1")), {});
        QCOMPARE(rooms.count(), 2);
        QVERIFY(!rooms.find(QStringLiteral("a"))); // the empty one went
        // Rooms with members stay, even over the limit.
        rooms.join(QStringLiteral("d"), member(QStringLiteral("s1"), QStringLiteral("u1")), {});
        QCOMPARE(rooms.count(), 3);
    }

    void tenantsDoNotShareRooms()
    {
        CollabRooms rooms(CollabLimits{});
        QCOMPARE(rooms.join(QStringLiteral("r"), member(QStringLiteral("s1"), QStringLiteral("u1")),
                            QStringLiteral("acme")),
                 CollabRooms::JoinResult::Joined);
        QCOMPARE(rooms.join(QStringLiteral("r"), member(QStringLiteral("s2"), QStringLiteral("u2")),
                            QStringLiteral("globex")),
                 CollabRooms::JoinResult::Forbidden);
        // Empty, it is nobody's: opened afresh for the next joiner's tenant.
        QVERIFY(rooms.leave(QStringLiteral("r"), QStringLiteral("s1")));
        QCOMPARE(rooms.admits(QStringLiteral("r"), QStringLiteral("s2"), QStringLiteral("globex")),
                 CollabRooms::JoinResult::Joined);
        QCOMPARE(rooms.join(QStringLiteral("r"), member(QStringLiteral("s2"), QStringLiteral("u2")),
                            QStringLiteral("globex")),
                 CollabRooms::JoinResult::Joined);
        QCOMPARE(rooms.find(QStringLiteral("r"))->tenant, QStringLiteral("globex"));
    }

    void cellRanges()
    {
        QCOMPARE(parseCellAddress(QStringLiteral("B12"))->column, 2);
        QCOMPARE(parseCellAddress(QStringLiteral("AA3"))->column, 27);
        QVERIFY(!parseCellAddress(QStringLiteral("12")));
        QVERIFY(!parseCellAddress(QStringLiteral("A")));
        QVERIFY(!parseCellAddress(QStringLiteral("A-1")));
        const std::optional<CellRange> range = parseCellRange(QStringLiteral("Z100:A1"));
        QVERIFY(range);
        QVERIFY(range->contains(*parseCellAddress(QStringLiteral("C50"))));
        QVERIFY(!range->contains(*parseCellAddress(QStringLiteral("AA5"))));
        QVERIFY(!parseCellRange(QStringLiteral("A1:B2:C3")));
    }
};

QTEST_MAIN(CollabRoomsTest)
#include "tst_collab_rooms.moc"
