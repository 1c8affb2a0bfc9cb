// The cells of document 004 in SQLite (SqliteCellStore on a real file): versions only move
// forward, a stale one is a conflict with the current cell, the limits of sheets per room and
// cells per sheet, every kind of value as it was sent, tenants apart, and all of it still there
// when the file is opened again.

#include "store/Database.h"
#include "store/SqliteCellStore.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace switchboard;

namespace {

const CellRoom acme{QStringLiteral("acme"), QStringLiteral("w")};

// One store on the file in `dir`, opened and prepared.
struct OpenStore {
    Database database;
    std::unique_ptr<SqliteCellStore> store;

    OpenStore(const QString& dir, CellLimits limits = {})
    {
        const std::optional<QString> opened =
            database.open(dir + QStringLiteral("/switchboard.db"));
        if (opened)
            qFatal("%s", qPrintable(*opened));
        store = std::make_unique<SqliteCellStore>(database, limits);
        if (const std::optional<QString> prepared = store->prepare())
            qFatal("%s", qPrintable(*prepared));
    }
};

CellWrite write(CellStore& store, const CellRoom& room, const QString& sheet, const QString& cell,
                const QJsonValue& value, std::optional<qint64> version = std::nullopt)
{
    std::optional<CellWrite> result;
    store.write(room, sheet, cell, value, QStringLiteral("=X"), version, QStringLiteral("u1"),
                [&result](const CellWrite& written) { result = written; });
    // Answered later, never from within the call.
    if (result)
        return {CellWrite::Outcome::Unavailable, {}, QStringLiteral("answered synchronously")};
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 5000))
        return {CellWrite::Outcome::Unavailable, {}, QStringLiteral("no answer")};
    return *result;
}

QHash<QString, Cell> cellsOf(CellStore& store, const CellRoom& room, const QString& sheet)
{
    std::optional<std::optional<QHash<QString, Cell>>> result;
    store.cells(room, sheet, [&result](const auto& cells) { result = cells; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 5000) || !*result)
        return {{QStringLiteral("<failed>"), Cell{}}};
    return **result;
}

QStringList sheetsOf(CellStore& store, const CellRoom& room)
{
    std::optional<std::optional<QStringList>> result;
    store.sheets(room, [&result](const auto& sheets) { result = sheets; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 5000) || !*result)
        return {QStringLiteral("<failed>")};
    return **result;
}

} // namespace

class CellStoreTest : public QObject {
    Q_OBJECT

private slots:
    void versionsOnlyMoveForward()
    {
        QTemporaryDir dir;
        OpenStore open(dir.path());
        CellStore& store = *open.store;
        const auto at = [&](std::optional<qint64> version) {
            return write(store, acme, QStringLiteral("s"), QStringLiteral("A1"), 1, version);
        };
        QCOMPARE(at(std::nullopt).cell.version, 1);
        QCOMPARE(at(1).cell.version, 2);
        QCOMPARE(at(10).cell.version, 11);
        const CellWrite stale = at(5);
        QCOMPARE(stale.outcome, CellWrite::Outcome::Conflict);
        QCOMPARE(stale.cell.version, 11);
        QCOMPARE(stale.cell.userId, QStringLiteral("u1"));
        QCOMPARE(at(std::nullopt).cell.version, 12);
        // The largest version a client may send (2^53 - 1) still moves forward exactly.
        QCOMPARE(at(Q_INT64_C(9007199254740991)).cell.version, Q_INT64_C(9007199254740992));
    }

    void sheetsPerRoomAndCellsPerSheetAreLimited()
    {
        QTemporaryDir dir;
        OpenStore open(dir.path(), CellLimits{2, 3});
        CellStore& store = *open.store;
        const auto at = [&](const QString& sheet, const QString& cell) {
            return write(store, acme, sheet, cell, 1).outcome;
        };
        QCOMPARE(at(QStringLiteral("a"), QStringLiteral("A1")), CellWrite::Outcome::Written);
        QCOMPARE(at(QStringLiteral("b"), QStringLiteral("A1")), CellWrite::Outcome::Written);
        QCOMPARE(at(QStringLiteral("c"), QStringLiteral("A1")), CellWrite::Outcome::TooManySheets);
        QCOMPARE(at(QStringLiteral("a"), QStringLiteral("A2")), CellWrite::Outcome::Written);
        QCOMPARE(at(QStringLiteral("a"), QStringLiteral("A3")), CellWrite::Outcome::Written);
        QCOMPARE(at(QStringLiteral("a"), QStringLiteral("A4")), CellWrite::Outcome::TooManyCells);
        // A full sheet still takes writes to the cells it has.
        QCOMPARE(at(QStringLiteral("a"), QStringLiteral("A1")), CellWrite::Outcome::Written);
        QCOMPARE(sheetsOf(store, acme), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        // Another tenant's room of the same name is another room.
        const CellRoom globex{QStringLiteral("globex"), QStringLiteral("w")};
        QCOMPARE(write(store, globex, QStringLiteral("c"), QStringLiteral("A1"), 1).outcome,
                 CellWrite::Outcome::Written);
        QVERIFY(cellsOf(store, globex, QStringLiteral("a")).isEmpty());
        QCOMPARE(sheetsOf(store, globex), QStringList{QStringLiteral("c")});
    }

    void cellsSurviveReopeningTheFile()
    {
        QTemporaryDir dir;
        {
            OpenStore open(dir.path());
            CellStore& store = *open.store;
            write(store, acme, QStringLiteral("s2"), QStringLiteral("A1"), QStringLiteral("text"));
            write(store, acme, QStringLiteral("s1"), QStringLiteral("A2"), 2.5);
            write(store, acme, QStringLiteral("s1"), QStringLiteral("A3"), true);
            write(store, acme, QStringLiteral("s1"), QStringLiteral("A4"), QJsonValue());
            write(store, acme, QStringLiteral("s1"), QStringLiteral("A2"), 3.25, 1);
        }
        OpenStore reopened(dir.path());
        CellStore& store = *reopened.store;
        QCOMPARE(sheetsOf(store, acme), (QStringList{QStringLiteral("s2"), QStringLiteral("s1")}));
        const QHash<QString, Cell> cells = cellsOf(store, acme, QStringLiteral("s1"));
        QCOMPARE(cells.size(), 3);
        QCOMPARE(cells.value(QStringLiteral("A2")).value, QJsonValue(3.25));
        QCOMPARE(cells.value(QStringLiteral("A2")).version, 2);
        QCOMPARE(cells.value(QStringLiteral("A2")).formula, QStringLiteral("=X"));
        QCOMPARE(cells.value(QStringLiteral("A2")).userId, QStringLiteral("u1"));
        QVERIFY(cells.value(QStringLiteral("A2")).updatedMs > 0);
        QCOMPARE(cells.value(QStringLiteral("A3")).value, QJsonValue(true));
        QVERIFY(cells.value(QStringLiteral("A4")).value.isNull());
        QCOMPARE(cellsOf(store, acme, QStringLiteral("s2")).value(QStringLiteral("A1")).value,
                 QJsonValue(QStringLiteral("text")));
        // The versions carry on from where they were.
        QCOMPARE(write(store, acme, QStringLiteral("s1"), QStringLiteral("A2"), 1, 1).outcome,
                 CellWrite::Outcome::Conflict);
    }
};

QTEST_GUILESS_MAIN(CellStoreTest)
#include "tst_cell_store.moc"
