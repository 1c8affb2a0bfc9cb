#pragma once

// Who may subscribe to and publish on which topic (SPEC §4).

#include "../config/HubConfig.h"
#include "Identity.h"

#include <QString>

#include <functional>
#include <optional>

namespace switchboard {

class TopicPolicy {
public:
    // Who owns what: the tenant of a project (`project:{id}` topics are open to that tenant,
    // to no one when it is unknown), and of a room when one is known (document 004's rooms
    // belong to the tenant of whoever opened them; `room:{id}` is then open to that tenant).
    // A room's tenant is known at once as far as this node's members tell (ofRoom), and as
    // every node's tell later (ofRoomInCluster: the room's claim in the cluster's presence
    // store; empty when the room is nobody's).
    struct Tenancy {
        using TenantDone = std::function<void(const QString& tenant)>;
        std::function<std::optional<QString>(const QString& projectId)> ofProject;
        std::function<std::optional<QString>(const QString& roomId)> ofRoom;
        std::function<void(const QString& roomId, TenantDone done)> ofRoomInCluster;
    };
    // The first topic refused, or an empty string when every one may be read.
    using CheckDone = std::function<void(const QString& refused)>;

    TopicPolicy(AuthMode mode, Tenancy tenancy);

    // As far as this node can tell at once: a room's members on other nodes are not known.
    bool canSubscribe(const Identity& identity, const QString& topic) const;
    // As canSubscribe() for each topic, with the tenant of a room as every node knows it: what
    // a client asks for by name must be checked so (a `room:{id}` of another tenant's room
    // open on another node only is refused). `done` runs on the calling thread: at once when
    // no room needs asking (always on a node alone), else once the cluster answered.
    void checkSubscribe(const Identity& identity, const QStringList& topics, CheckDone done) const;
    bool canPublish(const Identity& identity, const QString& topic) const;
    // A topic name clients may use at all: printable, no spaces, bounded.
    static bool isValidName(const QString& topic);

private:
    // The room a topic is, when its tenant decides who reads it.
    std::optional<QString> tenantRoomOf(const Identity& identity, const QString& topic) const;
    bool ownsProject(const Identity& identity, const QString& topic) const;

    AuthMode m_mode;
    Tenancy m_tenancy;
};

} // namespace switchboard
