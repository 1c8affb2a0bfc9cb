#pragma once

// The cells of one node (no --redis) in the hub's SQLite file: a row per cell with its value,
// formula, version and last writer, and a row per sheet that keeps the order the room's sheets
// were first written in. A write is a transaction on the store thread, which runs one request
// after another, so the compare-and-set needs no lock; it is answered after its commit (WAL:
// durable against a killed process, see Database.h).
//
// Nothing is cached: each write and read asks SQLite (the primary keys make it a few index
// lookups). Loading every room at start would cost memory for rooms nobody opens again, and
// a cache would be a second copy to keep right; the rooms a node holds keep only the names of
// their sheets (Room::sheetOrder), read again when a member joins.

#include "CellStore.h"

#include <QObject>

namespace switchboard {

class Database;

class SqliteCellStore final : public QObject, public CellStore {
    Q_OBJECT

public:
    // Answers are delivered in this object's thread: create it in the hub thread, and let it
    // outlive `database` (whose destructor finishes the requests already posted).
    SqliteCellStore(Database& database, CellLimits limits, QObject* parent = nullptr);

    std::optional<QString> prepare() override;
    void write(const CellRoom& room, const QString& sheetId, const QString& cellId,
               const QJsonValue& value, const QString& formula, std::optional<qint64> version,
               const QString& userId, WriteDone done) override;
    void sheets(const CellRoom& room, SheetsDone done) override;
    void cells(const CellRoom& room, const QString& sheetId, CellsDone done) override;

private:
    Database& m_database;
};

} // namespace switchboard
