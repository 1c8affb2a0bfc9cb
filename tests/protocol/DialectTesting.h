#pragma once

// What the dialect tests over real sockets share: publishing through the REST API, waiting for
// 003's bare "pong", a registered project opened by an acme user, and external jobs that a service
// creates and reports on.

#include "JsonMessage.h"
#include "TestClient.h"
#include "TestHub.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>

namespace switchboard::test {

// Publishes through the REST API as an administrator; returns the HTTP status.
inline int publish(TestHub& hub, const QString& topic, const QString& type, const QJsonObject& data)
{
    return hub
        .send("POST", QStringLiteral("/api/v1/publish"),
              json({{QStringLiteral("topic"), topic},
                    {QStringLiteral("type"), type},
                    {QStringLiteral("data"), data}}),
              hub.token(QStringLiteral("ops"), Role::Admin))
        .status;
}

// Waits for a text frame that is exactly `text` (003's "pong").
inline bool waitForRaw(TestClient& client, const QString& text, int timeoutMs = 5000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!client.raw.contains(text)) {
        if (deadline.hasExpired() || client.closed)
            return false;
        QSignalSpy received(&client.socket, &QWebSocket::textMessageReceived);
        received.wait(int(qMax<qint64>(1, deadline.remainingTime())));
    }
    return true;
}

// Registers project `id` for tenant acme and opens acme user alice's /ws/projects/{id}; a
// text ping round trip proves the subscription is in place.
inline bool openProject(TestHub& hub, const QString& id, TestClient& client)
{
    const QByteArray admin = hub.token(QStringLiteral("root"), Role::Admin);
    const int status =
        hub.send("PUT", QStringLiteral("/api/v1/projects/") + id, R"({"tenant":"acme"})", admin)
            .status;
    if (status != 201 && status != 200)
        return false;
    if (!client.open(
            hub.ws(QStringLiteral("/ws/projects/") + id,
                   hub.token(QStringLiteral("alice"), Role::User, QStringLiteral("acme")))))
        return false;
    client.socket.sendTextMessage(QStringLiteral("ping"));
    return waitForRaw(client, QStringLiteral("pong"));
}

// Creates an external job as service `svc` of tenant acme; returns its id.
inline QString createExternalJob(TestHub& hub, const QByteArray& body)
{
    const TestHub::Reply created =
        hub.send("POST", QStringLiteral("/api/v1/jobs/external"), body,
                 hub.token(QStringLiteral("svc"), Role::Service, QStringLiteral("acme")));
    if (created.status != 201)
        return {};
    return QJsonDocument::fromJson(created.body)
        .object()
        .value(QStringLiteral("job_id"))
        .toString();
}

// Reports on an external job as service `svc` of tenant acme; returns the HTTP status.
inline int reportExternalJob(TestHub& hub, const QString& id, const QByteArray& body)
{
    return hub
        .send("POST", QStringLiteral("/api/v1/jobs/%1/progress").arg(id), body,
              hub.token(QStringLiteral("svc"), Role::Service, QStringLiteral("acme")))
        .status;
}

// Sends a 002 ping with `id`; returns "pong", or the error code it was refused with.
inline QString assistPing(TestClient& client, const QString& id)
{
    client.send({{QStringLiteral("type"), QStringLiteral("ping")}, {QStringLiteral("id"), id}});
    const QJsonObject reply = client.waitFor(
        [&id](const QJsonObject& m) { return m.value(QStringLiteral("id")).toString() == id; });
    return typeOf(reply) == QLatin1String("error") ? reply.value(QStringLiteral("code")).toString()
                                                   : typeOf(reply);
}

inline HubConfig configWith(AuthMode mode)
{
    HubConfig config = testConfig();
    config.authMode = mode;
    return config;
}

} // namespace switchboard::test
