#pragma once

// What the job tests share: a hub configuration with a data dir of the test's own, and a
// small client of the job REST API over real HTTP.

#include "TestClient.h"
#include "TestHub.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace switchboard::test {

inline HubConfig jobsConfig(const QString& dataDir)
{
    HubConfig config = testConfig();
    config.dataDir = dataDir;
    return config;
}

inline QJsonObject jsonObject(const QByteArray& body)
{
    return QJsonDocument::fromJson(body).object();
}

inline QByteArray jsonBody(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// The job API as a user (or whoever `token` is) calls it.
class JobApi {
public:
    JobApi(TestHub& hub, QByteArray token)
        : m_hub(hub)
        , m_token(std::move(token))
    {}

    TestHub::Reply submit(const QString& type, const QJsonObject& params = {})
    {
        return m_hub.send("POST", QStringLiteral("/api/jobs/") + type, jsonBody(params), m_token);
    }

    // Submits and returns the new job's id; empty when it was refused.
    QString start(const QString& type, const QJsonObject& params = {})
    {
        const TestHub::Reply reply = submit(type, params);
        if (reply.status != 202)
            qWarning("submit %s: %d %s", qPrintable(type), reply.status, reply.body.constData());
        return jsonObject(reply.body).value(QLatin1String("job_id")).toString();
    }

    QJsonObject job(const QString& id)
    {
        return jsonObject(m_hub.send("GET", QStringLiteral("/api/jobs/") + id, {}, m_token).body);
    }

    QString status(const QString& id) { return job(id).value(QLatin1String("status")).toString(); }

    TestHub::Reply cancel(const QString& id)
    {
        return m_hub.send("POST", QStringLiteral("/api/jobs/%1/cancel").arg(id), {}, m_token);
    }

    QJsonArray list(const QString& query = {})
    {
        const QString path =
            query.isEmpty() ? QStringLiteral("/api/jobs") : QStringLiteral("/api/jobs?") + query;
        return jsonObject(m_hub.send("GET", path, {}, m_token).body)
            .value(QLatin1String("jobs"))
            .toArray();
    }

    QStringList ids(const QString& query = {})
    {
        QStringList result;
        const QJsonArray jobs = list(query);
        for (const QJsonValue& job : jobs)
            result.append(job.toObject().value(QLatin1String("job_id")).toString());
        return result;
    }

private:
    TestHub& m_hub;
    QByteArray m_token;
};

// Subscribes a native client to `topics`; true when the hub acknowledged.
inline bool subscribe(TestClient& client, const QStringList& topics,
                      const QString& id = QStringLiteral("sub"))
{
    const QJsonObject ack =
        client.request(QStringLiteral("subscribe"), id,
                       QJsonObject{{QLatin1String("topics"), QJsonArray::fromStringList(topics)}});
    return ack.value(QLatin1String("type")).toString() == QLatin1String("ack");
}

// The events a client received for one job, in order: {event name, data}.
inline QList<std::pair<QString, QJsonObject>>
eventsOfJob(const TestClient& client, const QString& jobId,
            const QString& topic = QStringLiteral("jobs"))
{
    QList<std::pair<QString, QJsonObject>> events;
    for (const QJsonObject& message : client.messages) {
        if (message.value(QLatin1String("type")).toString() != QLatin1String("event") ||
            message.value(QLatin1String("topic")).toString() != topic)
            continue;
        const QJsonObject data = message.value(QLatin1String("data")).toObject();
        if (data.value(QLatin1String("job_id")).toString() == jobId)
            events.append({message.value(QLatin1String("event")).toString(), data});
    }
    return events;
}

} // namespace switchboard::test
