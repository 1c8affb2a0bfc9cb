// SPEC §12 "Collaboration state": two hubs (nodes a and b) on one real redis-server share the
// cells of document 004. A stale write on b after a write on a is a VERSION_CONFLICT with a's
// value; two writes of the same version, one on each node at once, are accepted exactly once;
// a client on b reads what a wrote and hears of it (cell_updated); with Redis stopped a write is
// refused with INTERNAL_ERROR and nothing changes, and once Redis is back writes go on.

#include "CollabClient.h"
#include "RedisProcess.h"
#include "config/RedisUrl.h"

#include <QJsonArray>

#include <memory>
#include <variant>

using namespace switchboard;
using namespace switchboard::test;

namespace {

const QString room = QStringLiteral("w");
const QString sheet = QStringLiteral("s");

HubConfig nodeConfig(const RedisProcess& redis, const QString& name)
{
    HubConfig config = testConfig();
    config.redis = {std::get<RedisUrl>(RedisUrl::parse(redis.url()))};
    config.nodeName = name;
    return config;
}

QJsonObject update(const QString& cell, const QJsonValue& value,
                   std::optional<qint64> version = std::nullopt, const QString& in = room)
{
    QJsonObject fields{{QStringLiteral("room"), in},
                       {QStringLiteral("sheet_id"), sheet},
                       {QStringLiteral("cell_id"), cell},
                       {QStringLiteral("value"), value}};
    if (version)
        fields.insert(QStringLiteral("version"), double(*version));
    return message(QStringLiteral("cell_update"), fields);
}

QJsonObject join(const QString& name = room)
{
    return message(QStringLiteral("join_room"), {{QStringLiteral("room_id"), name}});
}

// What answered this client's own write of `value`: its cell_updated, or an error. Other
// members' cell_updated of the same cell do not count.
QJsonObject outcomeOf(CollabClient& client, qsizetype from, const QString& user,
                      const QString& value)
{
    return client.waitFor(
        [&user, &value](const QJsonObject& m) {
            const QString type = m.value(QLatin1String("type")).toString();
            return type == QLatin1String("error") ||
                   (type == QLatin1String("cell_updated") &&
                    m.value(QLatin1String("user_id")).toString() == user &&
                    m.value(QLatin1String("value")).toString() == value);
        },
        10000, from);
}

bool isWritten(const QJsonObject& outcome)
{
    return outcome.value(QLatin1String("type")) == QLatin1String("cell_updated");
}

// The node reaches Redis (its /health is not degraded).
bool clusterUp(TestHub& hub)
{
    const TestHub::Reply reply = hub.send("GET", QStringLiteral("/health"));
    const QJsonObject health = QJsonDocument::fromJson(reply.body).object();
    return reply.status == 200 && health.contains(QLatin1String("cluster")) &&
           health.value(QLatin1String("status")) != QLatin1String("degraded");
}

} // namespace

class CellsClusterTest : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        if (RedisProcess::program().isEmpty())
            QSKIP("redis-server is not installed");
        // Append-only, so that what Redis acknowledged is still there after it restarts.
        m_redis = std::make_unique<RedisProcess>(RedisProcess::Options{true});
        QVERIFY2(m_redis->start(), m_redis->log().constData());
        m_a = std::make_unique<TestHub>(nodeConfig(*m_redis, QStringLiteral("node-a")));
        m_b = std::make_unique<TestHub>(nodeConfig(*m_redis, QStringLiteral("node-b")));
        QVERIFY(!m_a->startError);
        QVERIFY(!m_b->startError);
        QTRY_VERIFY_WITH_TIMEOUT(clusterUp(*m_a) && clusterUp(*m_b), 10000);
        m_alice = std::make_unique<CollabClient>();
        m_bob = std::make_unique<CollabClient>();
        QVERIFY(m_alice->connectAs(*m_a, QStringLiteral("alice")));
        QVERIFY(m_bob->connectAs(*m_b, QStringLiteral("bob")));
        QCOMPARE(typeOf(m_alice->joinRoom(join())), QStringLiteral("room_state"));
        QCOMPARE(typeOf(m_bob->joinRoom(join())), QStringLiteral("room_state"));
    }

    void cleanup()
    {
        m_alice.reset();
        m_bob.reset();
        m_a.reset();
        m_b.reset();
        m_redis.reset();
    }

    void aStaleWriteOnTheOtherNodeIsAConflict()
    {
        CollabClient& alice = *m_alice;
        CollabClient& bob = *m_bob;
        // Version 5 on a: five writes, each on the version the last one gave.
        for (qint64 version = 0; version < 5; ++version) {
            const QString value = QStringLiteral("a%1").arg(version + 1);
            const QJsonObject outcome =
                outcomeOf(alice, alice.write(update(QStringLiteral("A1"), value, version)),
                          QStringLiteral("alice"), value);
            QVERIFY2(isWritten(outcome), qPrintable(codeOf(outcome)));
            QCOMPARE(outcome.value(QLatin1String("version")).toInteger(), version + 1);
        }
        // Bob, on b, heard of it through the room.
        QVERIFY(!bob.waitFor([](const QJsonObject& m) {
                        return m.value(QLatin1String("type")) == QLatin1String("cell_updated") &&
                               m.value(QLatin1String("value")) == QLatin1String("a5");
                    })
                     .isEmpty());

        // A write on b on version 3: a conflict with a's value and version.
        const qsizetype at = bob.write(update(QStringLiteral("A1"), QStringLiteral("b"), 3));
        const QJsonObject conflict = bob.errorSince(at);
        QCOMPARE(codeOf(conflict), QStringLiteral("VERSION_CONFLICT"));
        QCOMPARE(conflict.value(QLatin1String("current_value")).toString(), QStringLiteral("a5"));
        QCOMPARE(conflict.value(QLatin1String("current_version")).toInteger(), 5);
        QCOMPARE(conflict.value(QLatin1String("user_id")).toString(), QStringLiteral("alice"));

        // On version 5 it goes through, and a hears of it.
        const QJsonObject written =
            outcomeOf(bob, bob.write(update(QStringLiteral("A1"), QStringLiteral("b6"), 5)),
                      QStringLiteral("bob"), QStringLiteral("b6"));
        QVERIFY2(isWritten(written), qPrintable(codeOf(written)));
        QCOMPARE(written.value(QLatin1String("version")).toInteger(), 6);
        QVERIFY(!alice
                     .waitFor([](const QJsonObject& m) {
                         return m.value(QLatin1String("value")) == QLatin1String("b6");
                     })
                     .isEmpty());
        const QJsonObject read = alice.readCell(room, sheet, QStringLiteral("A1"));
        QCOMPARE(read.value(QLatin1String("current_value")).toString(), QStringLiteral("b6"));
        QCOMPARE(read.value(QLatin1String("current_version")).toInteger(), 6);
    }

    void twoNodesNeverAcceptTheSameVersion()
    {
        CollabClient& alice = *m_alice;
        CollabClient& bob = *m_bob;
        constexpr int rounds = 20;
        int aliceWon = 0;
        for (int round = 0; round < rounds; ++round) {
            // Both write on the version stored now (`round`: every round accepts one write).
            const QString mine = QStringLiteral("alice-%1").arg(round);
            const QString theirs = QStringLiteral("bob-%1").arg(round);
            const qsizetype aliceFrom = alice.mark();
            const qsizetype bobFrom = bob.mark();
            alice.send(update(QStringLiteral("B2"), mine, round));
            bob.send(update(QStringLiteral("B2"), theirs, round));
            const QJsonObject first = outcomeOf(alice, aliceFrom, QStringLiteral("alice"), mine);
            const QJsonObject second = outcomeOf(bob, bobFrom, QStringLiteral("bob"), theirs);
            QVERIFY(!first.isEmpty() && !second.isEmpty());
            QVERIFY2(isWritten(first) != isWritten(second),
                     qPrintable(QStringLiteral("round %1: %2 / %3")
                                    .arg(round)
                                    .arg(QString::fromUtf8(QJsonDocument(first).toJson()),
                                         QString::fromUtf8(QJsonDocument(second).toJson()))));
            const QJsonObject& refused = isWritten(first) ? second : first;
            QCOMPARE(codeOf(refused), QStringLiteral("VERSION_CONFLICT"));
            QCOMPARE(refused.value(QLatin1String("current_version")).toInteger(), round + 1);
            aliceWon += isWritten(first) ? 1 : 0;
        }
        const QJsonObject read = bob.readCell(room, sheet, QStringLiteral("B2"));
        QCOMPARE(read.value(QLatin1String("current_version")).toInteger(), rounds);
        qInfo("alice's node won %d of %d rounds", aliceWon, rounds);
    }

    void aReaderOnTheOtherNodeSeesTheWrite()
    {
        CollabClient& alice = *m_alice;
        QCOMPARE(typeOf(alice.joinRoom(join(QStringLiteral("fresh")))),
                 QStringLiteral("room_state"));
        const QJsonObject written =
            outcomeOf(alice,
                      alice.write(update(QStringLiteral("C3"), QStringLiteral("x"), std::nullopt,
                                         QStringLiteral("fresh"))),
                      QStringLiteral("alice"), QStringLiteral("x"));
        QVERIFY2(isWritten(written),
                 QJsonDocument(written).toJson(QJsonDocument::Compact).constData());

        CollabClient carol;
        QVERIFY(carol.connectAs(*m_b, QStringLiteral("carol")));
        // The read goes to the shared store; whether b's room_state reaches carol is the
        // cluster's room delivery, not the cells'.
        QCOMPARE(typeOf(carol.joinRoom(join(QStringLiteral("fresh")))),
                 QStringLiteral("room_state"));
        const QJsonObject read =
            carol.readCell(QStringLiteral("fresh"), sheet, QStringLiteral("C3"));
        QCOMPARE(read.value(QLatin1String("current_value")).toString(), QStringLiteral("x"));
        QCOMPARE(read.value(QLatin1String("current_version")).toInteger(), 1);
    }

    void withRedisDownAWriteIsRefusedAndNothingChanges()
    {
        CollabClient& alice = *m_alice;
        CollabClient& bob = *m_bob;
        QVERIFY(isWritten(
            outcomeOf(alice, alice.write(update(QStringLiteral("D4"), QStringLiteral("kept"))),
                      QStringLiteral("alice"), QStringLiteral("kept"))));

        m_redis->stop();
        QTRY_VERIFY_WITH_TIMEOUT(!clusterUp(*m_a), 10000);
        const QJsonObject refused =
            outcomeOf(alice, alice.write(update(QStringLiteral("D4"), QStringLiteral("lost"), 1)),
                      QStringLiteral("alice"), QStringLiteral("lost"));
        QCOMPARE(codeOf(refused), QStringLiteral("INTERNAL_ERROR"));
        QVERIFY2(refused.value(QLatin1String("error")).toString().contains(QLatin1String("D4")),
                 qPrintable(refused.value(QLatin1String("error")).toString()));
        // The node is still serving.
        QVERIFY(alice.sync());

        QVERIFY2(m_redis->start(), m_redis->log().constData());
        QTRY_VERIFY_WITH_TIMEOUT(clusterUp(*m_a) && clusterUp(*m_b), 20000);
        // The refused write left no trace; the acknowledged one is there.
        const QJsonObject read = bob.readCell(room, sheet, QStringLiteral("D4"));
        QCOMPARE(read.value(QLatin1String("current_value")).toString(), QStringLiteral("kept"));
        QCOMPARE(read.value(QLatin1String("current_version")).toInteger(), 1);
        const QJsonObject again =
            outcomeOf(alice, alice.write(update(QStringLiteral("D4"), QStringLiteral("new"), 1)),
                      QStringLiteral("alice"), QStringLiteral("new"));
        QVERIFY2(isWritten(again), qPrintable(codeOf(again)));
        QCOMPARE(again.value(QLatin1String("version")).toInteger(), 2);
    }

private:
    std::unique_ptr<RedisProcess> m_redis;
    std::unique_ptr<TestHub> m_a;
    std::unique_ptr<TestHub> m_b;
    std::unique_ptr<CollabClient> m_alice;
    std::unique_ptr<CollabClient> m_bob;
};

QTEST_MAIN(CellsClusterTest)
#include "tst_cells_cluster.moc"
