#pragma once

// The cells of 004's sheets for a cluster (SPEC §12): one store in Redis that every node writes
// through, so that VERSION_CONFLICT holds across nodes. A room's sheets and cells live on the
// shard its name hashes to: a list of its sheets in the order first written, and a hash per
// sheet with a field per cell (JSON: version, value, formula, updated_by, updated_at). A write
// is one Lua script (cluster/lua/cell_write.lua) that compares the version and writes, so two
// nodes cannot both accept version 5. Everything is asynchronous, on the hub thread's event
// loop; with the shard out of reach a write fails at once (Outcome::Unavailable) and nothing
// is written.
//
// Durability is Redis's: a write is answered once Redis applied it, and survives a Redis
// restart as far as Redis's persistence (appendonly) is configured to keep it.

#include "../store/CellStore.h"
#include "RedisScript.h"

#include <QByteArray>
#include <QObject>

namespace switchboard {

class RedisShards;

class RedisCellStore final : public QObject, public CellStore {
    Q_OBJECT

public:
    RedisCellStore(RedisShards& shards, CellLimits limits, QObject* parent = nullptr);

    void write(const CellRoom& room, const QString& sheetId, const QString& cellId,
               const QJsonValue& value, const QString& formula, std::optional<qint64> version,
               const QString& userId, WriteDone done) override;
    void sheets(const CellRoom& room, SheetsDone done) override;
    void cells(const CellRoom& room, const QString& sheetId, CellsDone done) override;

    // The keys of a room's sheet list and of one of its sheets (tenant and room are
    // length-prefixed: any text may be in them).
    static QByteArray sheetsKeyOf(const CellRoom& room);
    static QByteArray sheetKeyOf(const CellRoom& room, const QString& sheetId);

private:
    int shardOf(const CellRoom& room) const;

    RedisShards& m_shards;
    RedisScript m_writeScript;
};

} // namespace switchboard
