#include "RedisProjectRegistry.h"

#include "RedisShards.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>

namespace switchboard {

namespace {

Q_LOGGING_CATEGORY(lcProjects, "switchboard.cluster")

std::optional<Project> parseProject(const QByteArray& json)
{
    const QJsonDocument document = QJsonDocument::fromJson(json);
    return document.isObject() ? Project::fromRecord(document.object()) : std::nullopt;
}

} // namespace

const QByteArray RedisProjectRegistry::key = "sb:projects";

RedisProjectRegistry::RedisProjectRegistry(RedisShards& shards, QObject* parent)
    : QObject(parent)
    , m_shards(shards)
{
    connect(&m_shards, &RedisShards::message, this,
            [this](int, const QByteArray& channel, const QByteArray& payload) {
                if (channel != key)
                    return;
                if (const std::optional<Project> project = parseProject(payload))
                    remember(*project);
            });
    connect(&m_shards, &RedisShards::subscribed, this, [this](int, const QByteArray& channel) {
        if (channel == key)
            reload();
    });
    m_shards.subscriber(shard()).subscribe(key);
}

int RedisProjectRegistry::shard() const
{
    return m_shards.shardOf(key);
}

void RedisProjectRegistry::put(Project project, PutDone done)
{
    const QByteArray record = QJsonDocument(project.toRecord()).toJson(QJsonDocument::Compact);
    RedisConnection& commands = m_shards.commands(shard());
    commands.command({"HSET", key, project.id.toUtf8(), record},
                     [self = QPointer(this), &commands, project, record,
                      done = std::move(done)](const RedisValue& reply) {
                         if (!self)
                             return;
                         if (reply.isError()) {
                             qCWarning(lcProjects, "project %s not registered: %s",
                                       qUtf8Printable(project.id),
                                       reply.string.left(200).constData());
                             done(false);
                             return;
                         }
                         self->remember(project);
                         // The other nodes (and this one, again) learn of it at once.
                         commands.command({"PUBLISH", key, record}, [](const RedisValue&) {});
                         done(true);
                     });
}

void RedisProjectRegistry::reload()
{
    m_shards.commands(shard()).command(
        {"HGETALL", key}, [self = QPointer(this)](const RedisValue& reply) {
            if (!self || !reply.isArray())
                return;
            QList<Project> projects;
            for (std::size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
                if (const std::optional<Project> project = parseProject(reply.at(i + 1).string))
                    projects.append(*project);
            }
            self->rememberOnly(projects);
        });
}

} // namespace switchboard
