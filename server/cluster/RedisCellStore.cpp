#include "RedisCellStore.h"

#include "RedisShards.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>

namespace switchboard {

namespace {

Q_LOGGING_CATEGORY(lcCells, "switchboard.cluster")

QByteArray roomPart(const CellRoom& room)
{
    const QByteArray tenant = room.tenant.toUtf8();
    const QByteArray name = room.room.toUtf8();
    return QByteArray::number(tenant.size()) + ':' + tenant + ':' +
           QByteArray::number(name.size()) + ':' + name;
}

std::optional<Cell> parseCell(const QByteArray& json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    Cell cell;
    cell.version = qint64(object.value(QLatin1String("version")).toDouble());
    cell.value = object.value(QLatin1String("value"));
    if (cell.value.isUndefined())
        cell.value = QJsonValue();
    cell.formula = object.value(QLatin1String("formula")).toString();
    cell.userId = object.value(QLatin1String("updated_by")).toString();
    cell.updatedMs = qint64(object.value(QLatin1String("updated_at")).toDouble());
    return cell;
}

CellWrite unavailable(const QString& problem)
{
    CellWrite write;
    write.outcome = CellWrite::Outcome::Unavailable;
    write.problem = problem;
    return write;
}

CellWrite readWrite(const RedisValue& reply)
{
    if (reply.isError())
        return unavailable(QStringLiteral("Redis: ") + QString::fromUtf8(reply.string.left(200)));
    if (!reply.isArray() || reply.elements.empty())
        return unavailable(QStringLiteral("Redis answered the cell write unexpectedly"));
    const QByteArray status = reply.at(0).string;
    CellWrite write;
    if (status == "sheets") {
        write.outcome = CellWrite::Outcome::TooManySheets;
        return write;
    }
    if (status == "cells") {
        write.outcome = CellWrite::Outcome::TooManyCells;
        return write;
    }
    const std::optional<Cell> cell =
        reply.elements.size() == 2 ? parseCell(reply.at(1).string) : std::nullopt;
    if (!cell || (status != "written" && status != "conflict"))
        return unavailable(QStringLiteral("Redis answered the cell write unexpectedly"));
    write.outcome =
        status == "written" ? CellWrite::Outcome::Written : CellWrite::Outcome::Conflict;
    write.cell = *cell;
    return write;
}

} // namespace

RedisCellStore::RedisCellStore(RedisShards& shards, CellLimits limits, QObject* parent)
    : QObject(parent)
    , CellStore(limits)
    , m_shards(shards)
    , m_writeScript(RedisScript::load(QStringLiteral("cell_write.lua")))
{}

QByteArray RedisCellStore::sheetsKeyOf(const CellRoom& room)
{
    return "sb:cs:" + roomPart(room);
}

QByteArray RedisCellStore::sheetKeyOf(const CellRoom& room, const QString& sheetId)
{
    return "sb:c:" + roomPart(room) + ':' + sheetId.toUtf8();
}

int RedisCellStore::shardOf(const CellRoom& room) const
{
    // Every key of a room on one shard: the script touches the sheet and the room's list.
    return m_shards.shardOf(roomPart(room));
}

void RedisCellStore::write(const CellRoom& room, const QString& sheetId, const QString& cellId,
                           const QJsonValue& value, const QString& formula,
                           std::optional<qint64> version, const QString& userId, WriteDone done)
{
    const QByteArray cell = QJsonDocument(QJsonObject{
                                              {QLatin1String("value"), value},
                                              {QLatin1String("formula"), formula},
                                              {QLatin1String("updated_by"), userId},
                                              {QLatin1String("updated_at"),
                                               double(QDateTime::currentMSecsSinceEpoch())},
                                          })
                                .toJson(QJsonDocument::Compact);
    m_shards.eval(shardOf(room), m_writeScript, {sheetKeyOf(room, sheetId), sheetsKeyOf(room)},
                  {sheetId.toUtf8(), cellId.toUtf8(),
                   version ? QByteArray::number(*version) : QByteArray(), cell,
                   QByteArray::number(limits().maxSheetsPerRoom),
                   QByteArray::number(limits().maxCellsPerSheet)},
                  [self = QPointer(this), done = std::move(done)](const RedisValue& reply) {
                      if (!self)
                          return;
                      const CellWrite write = readWrite(reply);
                      if (write.outcome == CellWrite::Outcome::Unavailable)
                          qCWarning(lcCells) << "cell write failed:" << write.problem;
                      done(write);
                  });
}

void RedisCellStore::sheets(const CellRoom& room, SheetsDone done)
{
    m_shards.commands(shardOf(room))
        .command({"LRANGE", sheetsKeyOf(room), "0", "-1"},
                 [self = QPointer(this), done = std::move(done)](const RedisValue& reply) {
                     if (!self)
                         return;
                     if (!reply.isArray()) {
                         done(std::nullopt);
                         return;
                     }
                     QStringList sheets;
                     for (const RedisValue& sheet : reply.elements)
                         sheets.append(QString::fromUtf8(sheet.string));
                     done(sheets);
                 });
}

void RedisCellStore::cells(const CellRoom& room, const QString& sheetId, CellsDone done)
{
    m_shards.commands(shardOf(room))
        .command({"HGETALL", sheetKeyOf(room, sheetId)},
                 [self = QPointer(this), done = std::move(done)](const RedisValue& reply) {
                     if (!self)
                         return;
                     if (!reply.isArray()) {
                         done(std::nullopt);
                         return;
                     }
                     QHash<QString, Cell> cells;
                     for (std::size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
                         if (const std::optional<Cell> cell = parseCell(reply.at(i + 1).string))
                             cells.insert(QString::fromUtf8(reply.at(i).string), *cell);
                     }
                     done(cells);
                 });
}

} // namespace switchboard
