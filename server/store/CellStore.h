#pragma once

// Where the cells of document 004's sheets live, with their versions (SPEC §6.5, §12): the seam
// between the 004 handlers and the store that keeps the cells. One node keeps them in SQLite
// (SqliteCellStore); the nodes of a cluster share one store in Redis (cluster/RedisCellStore),
// so that VERSION_CONFLICT holds across nodes. The composition root picks one; the handlers
// only see this interface.
//
// A write is a compare-and-set, decided by the store in one step: a `version` older than the
// stored one is a conflict; otherwise the cell gets max(stored, version) + 1 (the stored
// version + 1 when the writer sent none: last writer wins). A write is answered once it is
// durable, so whatever a client is told was written survives a restart.
//
// Every answer comes later, on the thread that asked (the hub thread), never from within the
// call; none comes after the store is destroyed.

#include <QHash>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <functional>
#include <optional>

namespace switchboard {

struct Cell {
    QJsonValue value; // a string, number, boolean or null
    QString formula;
    qint64 version = 0;
    QString userId;       // who wrote it last
    qint64 updatedMs = 0; // when
};

// The room whose sheets are meant. Rooms are named by their clients, so the tenant is part of
// the name: two tenants' rooms of the same name never share cells.
struct CellRoom {
    QString tenant;
    QString room;
};

struct CellLimits {
    int maxSheetsPerRoom = 100;
    int maxCellsPerSheet = 10'000;
};

struct CellWrite {
    enum class Outcome {
        Written,       // `cell` is the cell as written
        Conflict,      // `cell` is the current one, newer than the version sent
        TooManyCells,  // a new cell in a full sheet
        TooManySheets, // a new sheet in a full room
        Unavailable,   // the store could not be reached or failed: `problem` says why
    };
    Outcome outcome = Outcome::Unavailable;
    Cell cell;
    QString problem;
};

class CellStore {
public:
    using WriteDone = std::function<void(const CellWrite& write)>;
    // The room's sheets in the order they were first written; nullopt when the store failed.
    using SheetsDone = std::function<void(const std::optional<QStringList>& sheets)>;
    // The sheet's cells by id (empty for a sheet never written); nullopt when the store failed.
    using CellsDone = std::function<void(const std::optional<QHash<QString, Cell>>& cells)>;

    explicit CellStore(CellLimits limits)
        : m_limits(limits)
    {}
    virtual ~CellStore() = default;
    CellStore(const CellStore&) = delete;
    CellStore& operator=(const CellStore&) = delete;

    const CellLimits& limits() const { return m_limits; }

    // Start-up: what the store needs before the hub serves (a table). Blocks; says why it failed.
    virtual std::optional<QString> prepare() { return std::nullopt; }

    virtual void write(const CellRoom& room, const QString& sheetId, const QString& cellId,
                       const QJsonValue& value, const QString& formula,
                       std::optional<qint64> version, const QString& userId, WriteDone done) = 0;
    virtual void sheets(const CellRoom& room, SheetsDone done) = 0;
    virtual void cells(const CellRoom& room, const QString& sheetId, CellsDone done) = 0;

    // The version a write gets over the stored one (0: none yet); nullopt for a conflict.
    static std::optional<qint64> nextVersion(qint64 stored, std::optional<qint64> sent)
    {
        if (sent && *sent < stored)
            return std::nullopt;
        return std::max(stored, sent.value_or(stored)) + 1;
    }

private:
    CellLimits m_limits;
};

} // namespace switchboard
