// SPEC §12 (one node): the cells of document 004 and their versions are kept in the hub's
// SQLite file. Written through a real 004 client, they are there with their versions when a
// new hub starts on the same data dir, and when the real switchboard-server is killed (kill -9)
// right after the last write was acknowledged (cell_updated).

#include "CollabClient.h"
#include "ServerProgram.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#ifndef SWITCHBOARD_SERVER_PATH
#error "SWITCHBOARD_SERVER_PATH names the program under test (tests/collab/CMakeLists.txt)"
#endif

using namespace switchboard;
using namespace switchboard::test;

namespace {

const QString room = QStringLiteral("ledger");

QJsonObject joinLedger()
{
    return message(QStringLiteral("join_room"), {{QStringLiteral("room_id"), room}});
}

QJsonObject update(const QString& sheet, const QString& cell, const QJsonValue& value,
                   std::optional<qint64> version = std::nullopt)
{
    QJsonObject fields{{QStringLiteral("room"), room},
                       {QStringLiteral("sheet_id"), sheet},
                       {QStringLiteral("cell_id"), cell},
                       {QStringLiteral("value"), value}};
    if (version)
        fields.insert(QStringLiteral("version"), double(*version));
    return message(QStringLiteral("cell_update"), fields);
}

// The version the hub acknowledged a write with (cell_updated), or -1.
qint64 acknowledged(CollabClient& client, qsizetype from)
{
    const QList<QJsonObject> updates = client.since(from, QStringLiteral("cell_updated"));
    if (updates.isEmpty())
        qWarning() << "no cell_updated, but:" << client.raw.mid(from);
    return updates.isEmpty() ? -1
                             : qint64(updates.first().value(QLatin1String("version")).toDouble());
}

// Waits for a room_state whose active_sheets are `sheets`: a room that comes up on a node
// lists its stored sheets once the store has answered.
bool roomListsSheets(CollabClient& client, const QStringList& sheets)
{
    const QJsonArray wanted = QJsonArray::fromStringList(sheets);
    return !client
                .waitFor([&wanted](const QJsonObject& m) {
                    return m.value(QLatin1String("type")) == QLatin1String("room_state") &&
                           m.value(QLatin1String("active_sheets")).toArray() == wanted;
                })
                .isEmpty();
}

const QByteArray secret = "cells-crash-secret-0123456789abcdef0123";
// More writes than a user may send in a minute by default.
const QStringList requestsPerMinute{QStringLiteral("--requests-per-minute"),
                                    QStringLiteral("100000")};

QUrl collabUrl(quint16 port)
{
    Identity identity;
    identity.subject = QStringLiteral("alice");
    identity.role = Role::User;
    const QByteArray token = TokenVerifier(secret).issue(identity, std::chrono::hours(1));
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws?token=%2")
                    .arg(port)
                    .arg(QString::fromLatin1(token)));
}

} // namespace

class CellsDurableTest : public QObject {
    Q_OBJECT

private slots:
    void cellsSurviveAHubRestart()
    {
        QTemporaryDir dataDir;
        QVERIFY(dataDir.isValid());
        HubConfig config = testConfig();
        config.dataDir = dataDir.path();
        {
            TestHub hub(config);
            QVERIFY(!hub.startError);
            CollabClient alice;
            QVERIFY(alice.connectAs(hub, QStringLiteral("alice")));
            alice.exchange(joinLedger());
            QCOMPARE(
                acknowledged(alice, alice.write(update(QStringLiteral("q1"), QStringLiteral("A1"),
                                                       QStringLiteral("one")))),
                1);
            QCOMPARE(
                acknowledged(alice, alice.write(update(QStringLiteral("q1"), QStringLiteral("A1"),
                                                       QStringLiteral("two"), 1))),
                2);
            QCOMPARE(acknowledged(alice, alice.write(update(QStringLiteral("q2"),
                                                            QStringLiteral("B7"), 41.5, 100))),
                     101);
        }

        TestHub restarted(config);
        QVERIFY(!restarted.startError);
        CollabClient bob;
        QVERIFY(bob.connectAs(restarted, QStringLiteral("bob")));
        bob.exchange(joinLedger());
        QVERIFY(roomListsSheets(bob, {QStringLiteral("q1"), QStringLiteral("q2")}));

        const QJsonObject a1 = bob.readCell(room, QStringLiteral("q1"), QStringLiteral("A1"));
        QCOMPARE(a1.value(QLatin1String("current_value")).toString(), QStringLiteral("two"));
        QCOMPARE(a1.value(QLatin1String("current_version")).toInteger(), 2);
        QCOMPARE(a1.value(QLatin1String("user_id")).toString(), QStringLiteral("alice"));
        const QJsonObject b7 = bob.readCell(room, QStringLiteral("q2"), QStringLiteral("B7"));
        QCOMPARE(b7.value(QLatin1String("current_value")).toDouble(), 41.5);
        QCOMPARE(b7.value(QLatin1String("current_version")).toInteger(), 101);
        // The versions carry on: a writer that saw version 2 writes version 3.
        QCOMPARE(acknowledged(bob, bob.write(update(QStringLiteral("q1"), QStringLiteral("A1"),
                                                    QStringLiteral("three"), 2))),
                 3);
    }

    void acknowledgedCellsSurviveKillMinusNine()
    {
        QTemporaryDir dataDir;
        QVERIFY(dataDir.isValid());
        constexpr int cells = 40;
        {
            ServerProgram server(dataDir.path(), secret, requestsPerMinute);
            const quint16 port = server.start();
            QVERIFY(port != 0);
            CollabClient alice;
            QVERIFY(alice.open(collabUrl(port)));
            alice.exchange(joinLedger());
            // Every cell twice (version 1, then 2), each write acknowledged before the next.
            for (int i = 0; i < cells; ++i) {
                const QString cell = QStringLiteral("A%1").arg(i + 1);
                QCOMPARE(acknowledged(alice, alice.write(update(QStringLiteral("s"), cell, i))), 1);
                QCOMPARE(
                    acknowledged(alice, alice.write(update(QStringLiteral("s"), cell, i * 10, 1))),
                    2);
            }
            // Killed the moment the last acknowledgement arrived.
            QVERIFY(server.killHard());
        }

        ServerProgram again(dataDir.path(), secret, requestsPerMinute);
        const quint16 port = again.start();
        QVERIFY(port != 0);
        CollabClient bob;
        QVERIFY(bob.open(collabUrl(port)));
        bob.exchange(joinLedger());
        QVERIFY(roomListsSheets(bob, {QStringLiteral("s")}));
        for (int i = 0; i < cells; ++i) {
            const QJsonObject cell =
                bob.readCell(room, QStringLiteral("s"), QStringLiteral("A%1").arg(i + 1));
            QCOMPARE(cell.value(QLatin1String("current_value")).toInt(), i * 10);
            QCOMPARE(cell.value(QLatin1String("current_version")).toInteger(), 2);
        }
    }
};

QTEST_MAIN(CellsDurableTest)
#include "tst_cells_durable.moc"
