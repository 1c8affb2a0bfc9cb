#include "SqliteCellStore.h"

#include "Database.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMetaObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace switchboard {

namespace {

const char* const createSheets = R"(
CREATE TABLE IF NOT EXISTS collab_sheets (
    tenant TEXT NOT NULL,
    room TEXT NOT NULL,
    sheet TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (tenant, room, sheet)
))";

// `value` is JSON: the value as the one element of an array, so that null, booleans, numbers
// and strings all come back as they were sent.
const char* const createCells = R"(
CREATE TABLE IF NOT EXISTS collab_cells (
    tenant TEXT NOT NULL,
    room TEXT NOT NULL,
    sheet TEXT NOT NULL,
    cell TEXT NOT NULL,
    value TEXT NOT NULL,
    formula TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant, room, sheet, cell)
))";

const char* const cellColumns = "cell, value, formula, version, updated_by, updated_at";

QString encodeValue(const QJsonValue& value)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
}

QJsonValue decodeValue(const QString& text)
{
    return QJsonDocument::fromJson(text.toUtf8()).array().at(0);
}

// A row of `cellColumns`.
Cell readCell(const QSqlQuery& query)
{
    Cell cell;
    cell.value = decodeValue(query.value(1).toString());
    cell.formula = query.value(2).toString();
    cell.version = query.value(3).toLongLong();
    cell.userId = query.value(4).toString();
    cell.updatedMs = query.value(5).toLongLong();
    return cell;
}

// Text columns are NOT NULL: a null QString (no tenant, no formula) is bound as ''.
void bindText(QSqlQuery& query, const QString& text)
{
    query.addBindValue(text.isNull() ? QStringLiteral("") : text);
}

void bindRoom(QSqlQuery& query, const CellRoom& room)
{
    bindText(query, room.tenant);
    bindText(query, room.room);
}

CellWrite failed(QSqlDatabase& connection, const QString& problem)
{
    qWarning("cell store: %s", qPrintable(problem));
    connection.rollback();
    CellWrite write;
    write.outcome = CellWrite::Outcome::Unavailable;
    write.problem = problem;
    return write;
}

CellWrite writeCell(QSqlDatabase& connection, const CellLimits& limits, const CellRoom& room,
                    const QString& sheetId, const QString& cellId, const QJsonValue& value,
                    const QString& formula, std::optional<qint64> version, const QString& userId)
{
    if (!connection.transaction())
        return failed(connection, connection.lastError().text());
    QSqlQuery current(connection);
    current.prepare(QStringLiteral("SELECT %1 FROM collab_cells "
                                   "WHERE tenant = ? AND room = ? AND sheet = ? AND cell = ?")
                        .arg(QLatin1String(cellColumns)));
    bindRoom(current, room);
    bindText(current, sheetId);
    bindText(current, cellId);
    if (!current.exec())
        return failed(connection, current.lastError().text());
    std::optional<Cell> stored;
    if (current.next())
        stored = readCell(current);
    current.finish();

    bool newSheet = false;
    if (!stored) {
        QSqlQuery counts(connection);
        counts.prepare(QStringLiteral(
            "SELECT (SELECT COUNT(*) FROM collab_sheets WHERE tenant = ? AND room = ?), "
            "EXISTS (SELECT 1 FROM collab_sheets WHERE tenant = ? AND room = ? AND sheet = ?), "
            "(SELECT COUNT(*) FROM collab_cells WHERE tenant = ? AND room = ? AND sheet = ?)"));
        bindRoom(counts, room);
        for (int i = 0; i < 2; ++i) {
            bindRoom(counts, room);
            bindText(counts, sheetId);
        }
        if (!counts.exec() || !counts.next())
            return failed(connection, counts.lastError().text());
        const int sheetsInRoom = counts.value(0).toInt();
        newSheet = !counts.value(1).toBool();
        const int cellsInSheet = counts.value(2).toInt();
        counts.finish();
        CellWrite refused;
        if (newSheet && sheetsInRoom >= limits.maxSheetsPerRoom)
            refused.outcome = CellWrite::Outcome::TooManySheets;
        else if (!newSheet && cellsInSheet >= limits.maxCellsPerSheet)
            refused.outcome = CellWrite::Outcome::TooManyCells;
        if (refused.outcome != CellWrite::Outcome::Unavailable) {
            connection.rollback();
            return refused;
        }
    }

    const std::optional<qint64> next =
        CellStore::nextVersion(stored ? stored->version : 0, version);
    if (!next) {
        connection.rollback();
        return {CellWrite::Outcome::Conflict, *stored, {}};
    }
    const Cell written{value, formula, *next, userId, QDateTime::currentMSecsSinceEpoch()};
    QSqlQuery upsert(connection);
    upsert.prepare(QStringLiteral("INSERT OR REPLACE INTO collab_cells (tenant, room, sheet, %1) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                       .arg(QLatin1String(cellColumns)));
    bindRoom(upsert, room);
    bindText(upsert, sheetId);
    bindText(upsert, cellId);
    upsert.addBindValue(encodeValue(written.value));
    bindText(upsert, written.formula);
    upsert.addBindValue(written.version);
    bindText(upsert, written.userId);
    upsert.addBindValue(written.updatedMs);
    if (!upsert.exec())
        return failed(connection, upsert.lastError().text());
    if (newSheet) {
        QSqlQuery sheet(connection);
        sheet.prepare(QStringLiteral(
            "INSERT INTO collab_sheets (tenant, room, sheet, position) VALUES (?, ?, ?, "
            "(SELECT COALESCE(MAX(position), 0) + 1 FROM collab_sheets "
            "WHERE tenant = ? AND room = ?))"));
        bindRoom(sheet, room);
        bindText(sheet, sheetId);
        bindRoom(sheet, room);
        if (!sheet.exec())
            return failed(connection, sheet.lastError().text());
    }
    if (!connection.commit())
        return failed(connection, connection.lastError().text());
    return {CellWrite::Outcome::Written, written, {}};
}

} // namespace

SqliteCellStore::SqliteCellStore(Database& database, CellLimits limits, QObject* parent)
    : QObject(parent)
    , CellStore(limits)
    , m_database(database)
{}

std::optional<QString> SqliteCellStore::prepare()
{
    return m_database
        .call<std::optional<QString>>([](QSqlDatabase& connection) -> std::optional<QString> {
            QSqlQuery query(connection);
            if (!query.exec(QLatin1String(createSheets)) || !query.exec(QLatin1String(createCells)))
                return QStringLiteral("cannot prepare the cells tables: %1")
                    .arg(query.lastError().text());
            return std::nullopt;
        })
        .get();
}

void SqliteCellStore::write(const CellRoom& room, const QString& sheetId, const QString& cellId,
                            const QJsonValue& value, const QString& formula,
                            std::optional<qint64> version, const QString& userId, WriteDone done)
{
    m_database.post([this, limits = limits(), room, sheetId, cellId, value, formula, version,
                     userId, done = std::move(done)](QSqlDatabase& connection) {
        const CellWrite write =
            writeCell(connection, limits, room, sheetId, cellId, value, formula, version, userId);
        QMetaObject::invokeMethod(this, [done, write] { done(write); });
    });
}

void SqliteCellStore::sheets(const CellRoom& room, SheetsDone done)
{
    m_database.post([this, room, done = std::move(done)](QSqlDatabase& connection) {
        QSqlQuery query(connection);
        query.prepare(
            QStringLiteral("SELECT sheet FROM collab_sheets WHERE tenant = ? AND room = ? "
                           "ORDER BY position"));
        bindRoom(query, room);
        std::optional<QStringList> sheets;
        if (query.exec()) {
            sheets.emplace();
            while (query.next())
                sheets->append(query.value(0).toString());
        } else {
            qWarning("cell store: %s", qPrintable(query.lastError().text()));
        }
        QMetaObject::invokeMethod(this, [done, sheets] { done(sheets); });
    });
}

void SqliteCellStore::cells(const CellRoom& room, const QString& sheetId, CellsDone done)
{
    m_database.post([this, room, sheetId, done = std::move(done)](QSqlDatabase& connection) {
        QSqlQuery query(connection);
        query.prepare(QStringLiteral("SELECT %1 FROM collab_cells "
                                     "WHERE tenant = ? AND room = ? AND sheet = ?")
                          .arg(QLatin1String(cellColumns)));
        bindRoom(query, room);
        bindText(query, sheetId);
        std::optional<QHash<QString, Cell>> cells;
        if (query.exec()) {
            cells.emplace();
            while (query.next())
                cells->insert(query.value(0).toString(), readCell(query));
        } else {
            qWarning("cell store: %s", qPrintable(query.lastError().text()));
        }
        QMetaObject::invokeMethod(this, [done, cells] { done(cells); });
    });
}

} // namespace switchboard
