#pragma once

// A client of the 004 dialect (/api/v1/ws) for tests: connects as a user of a tenant, and
// can wait for the hub to have handled everything sent so far (a ping answered by pong).

#include "JsonMessage.h"
#include "TestClient.h"
#include "TestHub.h"

namespace switchboard::test {

class CollabClient : public TestClient {
public:
    bool connectAs(TestHub& hub, const QString& user,
                   const QString& tenant = QStringLiteral("acme"), Role role = Role::User)
    {
        return open(hub.ws(QStringLiteral("/api/v1/ws"), hub.token(user, role, tenant)));
    }

    qsizetype mark() const { return messages.size(); }

    // The first message of `type` at or after `from`; empty on timeout.
    QJsonObject next(const QString& type, qsizetype from = 0, int timeoutMs = 5000)
    {
        return waitFor(
            [&type](const QJsonObject& m) {
                return m.value(QLatin1String("type")).toString() == type;
            },
            timeoutMs, from);
    }

    // Sends `message`, then a ping, and waits for its pong: every reply to `message` has
    // arrived by then. Returns where the replies start.
    qsizetype exchange(const QJsonObject& message)
    {
        const qsizetype from = mark();
        send(message);
        sync(from);
        return from;
    }

    // Sends a `cell_update` and waits for what answers it, which the cell store gives later:
    // the cell_updated of that cell with the value sent, or an error. Another member's earlier
    // write of the same cell may arrive meanwhile and is not the answer. Returns where the
    // replies start.
    qsizetype write(const QJsonObject& update)
    {
        const qsizetype from = mark();
        send(update);
        const QString cell = update.value(QLatin1String("cell_id")).toString();
        const QJsonValue value = update.value(QLatin1String("value"));
        waitFor(
            [&cell, &value](const QJsonObject& m) {
                const QString type = m.value(QLatin1String("type")).toString();
                return type == QLatin1String("error") ||
                       (type == QLatin1String("cell_updated") &&
                        m.value(QLatin1String("cell_id")).toString() == cell &&
                        m.value(QLatin1String("value")) == value);
            },
            5000, from);
        return from;
    }

    // Sends a `join_room` and returns its answer: the room's room_state, or an error (empty on
    // timeout). In a cluster the answer waits for the room's claim in Redis, so it may come
    // after the replies to later messages: a ping's pong does not mean the join is done.
    QJsonObject joinRoom(const QJsonObject& join)
    {
        const qsizetype from = mark();
        send(join);
        // The joined room's state: another room's may come meanwhile (a member there moved).
        const QJsonValue room = join.value(QLatin1String("room_id"));
        return waitFor(
            [&room](const QJsonObject& m) {
                const QString type = m.value(QLatin1String("type")).toString();
                return type == QLatin1String("error") ||
                       (type == QLatin1String("room_state") &&
                        (room.isUndefined() || m.value(QLatin1String("room_id")) == room));
            },
            5000, from);
    }

    // A cell as the hub holds it, read without changing it: version 0 is older than any stored
    // cell, so the answer is VERSION_CONFLICT with current_value and current_version (and a
    // cell never written gets written: cell_updated, which a test then sees).
    QJsonObject readCell(const QString& room, const QString& sheet, const QString& cell)
    {
        const qsizetype from = mark();
        send(QJsonObject{{QLatin1String("type"), QLatin1String("cell_update")},
                         {QLatin1String("room"), room},
                         {QLatin1String("sheet_id"), sheet},
                         {QLatin1String("cell_id"), cell},
                         {QLatin1String("value"), QLatin1String("probe")},
                         {QLatin1String("version"), 0}});
        // Others' cell_updated of the cell may come meanwhile: only the probe's answer counts.
        const QJsonObject answer = waitFor(
            [](const QJsonObject& m) {
                const QString type = m.value(QLatin1String("type")).toString();
                return type == QLatin1String("error") ||
                       (type == QLatin1String("cell_updated") &&
                        m.value(QLatin1String("value")) == QLatin1String("probe"));
            },
            5000, from);
        return answer.value(QLatin1String("code")) == QLatin1String("VERSION_CONFLICT")
                   ? answer
                   : QJsonObject();
    }

    bool sync(qsizetype from = -1)
    {
        if (from < 0)
            from = mark();
        send(QJsonObject{{QLatin1String("type"), QLatin1String("ping")}});
        return !next(QStringLiteral("pong"), from).isEmpty();
    }

    QList<QJsonObject> since(qsizetype from, const QString& type) const
    {
        QList<QJsonObject> found;
        for (qsizetype i = from; i < messages.size(); ++i) {
            if (messages[i].value(QLatin1String("type")).toString() == type)
                found.append(messages[i]);
        }
        return found;
    }

    // The error among the replies from `from`, or empty.
    QJsonObject errorSince(qsizetype from) const
    {
        const QList<QJsonObject> errors = since(from, QStringLiteral("error"));
        return errors.isEmpty() ? QJsonObject() : errors.first();
    }
};

} // namespace switchboard::test
