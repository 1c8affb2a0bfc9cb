#pragma once

// What message handlers and connection hooks work with: the hub and the services around it,
// handed to the dispatcher once, at construction, by the composition root (HubCore).

namespace switchboard {

class Collab;
class Hub;
class JobDirectory;
class JobEngine;
class PresenceStore;
class RateLimiter;
class Subscribers;
class TokenVerifier;
class TopicPolicy;
struct HubConfig;

struct Services {
    const HubConfig& config;
    Hub& hub;
    Subscribers& subscribers;
    // Who may subscribe and publish where (SPEC §4).
    const TopicPolicy& policy;
    const TokenVerifier& tokens;
    // The per-user limiter, for the blocks it keeps: a blocked user cannot sign in by message.
    const RateLimiter& rateLimiter;
    JobEngine& jobs;
    // The jobs to list and cancel: this node's, or every node's in a cluster (SPEC §12).
    JobDirectory& jobDirectory;
    // Document 004's rooms, sheets and notification filters.
    Collab& collab;
    // Who is in which room on every node (the native protocol's and 002's rooms; 004's are
    // Collab's).
    PresenceStore& presence;
};

} // namespace switchboard
