#include "TopicPolicy.h"

#include <memory>

namespace switchboard {

namespace {

const QLatin1String roomTopicPrefix("room:");

bool isPublicFeed(const QString& topic)
{
    return topic == QLatin1String("trading") || topic == QLatin1String("logs");
}

// `prefix` + the identity's own subject, e.g. "user:alice".
bool isOwnScopedTopic(const Identity& identity, const QString& topic, QLatin1String prefix)
{
    return topic.startsWith(prefix) && topic.mid(prefix.size()) == identity.subject;
}

} // namespace

TopicPolicy::TopicPolicy(AuthMode mode, Tenancy tenancy)
    : m_mode(mode)
    , m_tenancy(std::move(tenancy))
{}

bool TopicPolicy::isValidName(const QString& topic)
{
    if (topic.isEmpty() || topic.size() > 200)
        return false;
    for (QChar c : topic) {
        if (c.isSpace() || !c.isPrint())
            return false;
    }
    return true;
}

bool TopicPolicy::canSubscribe(const Identity& identity, const QString& topic) const
{
    if (m_mode == AuthMode::Off || identity.isAdmin())
        return true;
    if (!identity.isAuthenticated())
        return m_mode == AuthMode::Optional && isPublicFeed(topic);
    const QLatin1String user("user:");
    const QLatin1String documents("document_updates_");
    if (topic.startsWith(user))
        return isOwnScopedTopic(identity, topic, user);
    if (topic.startsWith(documents))
        return isOwnScopedTopic(identity, topic, documents);
    // Document 002's admin rooms.
    if (topic == QLatin1String("admin") || topic == QLatin1String("all_document_updates"))
        return false;
    if (const auto room = tenantRoomOf(identity, topic); room && m_tenancy.ofRoom) {
        const std::optional<QString> tenant = m_tenancy.ofRoom(*room);
        if (tenant && *tenant != identity.tenant)
            return false;
    }
    // Project topics are open to the tenant that owns the project.
    if (topic.startsWith(QLatin1String("project:")))
        return ownsProject(identity, topic);
    return true;
}

void TopicPolicy::checkSubscribe(const Identity& identity, const QStringList& topics,
                                 CheckDone done) const
{
    QStringList rooms;
    for (const QString& topic : topics) {
        if (!canSubscribe(identity, topic))
            return done(topic);
        if (const auto room = tenantRoomOf(identity, topic); room && m_tenancy.ofRoomInCluster)
            rooms.append(*room);
    }
    if (rooms.isEmpty())
        return done({});
    // Every room asked at once; the first refusal answers, or the last admission.
    struct Pending {
        qsizetype left;
        bool answered = false;
        CheckDone done;
    };
    auto pending = std::make_shared<Pending>(Pending{rooms.size(), false, std::move(done)});
    for (const QString& room : rooms) {
        m_tenancy.ofRoomInCluster(room,
                                  [pending, room, tenant = identity.tenant](const QString& owner) {
                                      if (pending->answered)
                                          return;
                                      if (!owner.isEmpty() && owner != tenant) {
                                          pending->answered = true;
                                          return pending->done(roomTopicPrefix + room);
                                      }
                                      if (--pending->left == 0) {
                                          pending->answered = true;
                                          pending->done({});
                                      }
                                  });
    }
}

std::optional<QString> TopicPolicy::tenantRoomOf(const Identity& identity,
                                                 const QString& topic) const
{
    // Administrators and an open hub read every room (canSubscribe).
    if (m_mode == AuthMode::Off || identity.isAdmin() || !topic.startsWith(roomTopicPrefix))
        return std::nullopt;
    return topic.mid(roomTopicPrefix.size());
}

bool TopicPolicy::canPublish(const Identity& identity, const QString& topic) const
{
    if (m_mode == AuthMode::Off)
        return true;
    if (!identity.isServiceOrAdmin())
        return false;
    // "Service/admin of that tenant": a service publishes into its own tenant's projects only,
    // and a service without a tenant claim belongs to no tenant. Administrators are global.
    if (topic.startsWith(QLatin1String("project:")) && !identity.isAdmin())
        return ownsProject(identity, topic);
    return true;
}

bool TopicPolicy::ownsProject(const Identity& identity, const QString& topic) const
{
    if (!m_tenancy.ofProject)
        return false;
    const std::optional<QString> tenant =
        m_tenancy.ofProject(topic.mid(int(QLatin1String("project:").size())));
    return tenant && !tenant->isEmpty() && *tenant == identity.tenant;
}

} // namespace switchboard
