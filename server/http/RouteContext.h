#pragma once

// What REST route handlers may use, handed to each route group when it registers.

#include <functional>
#include <vector>

namespace switchboard {

class Cluster;
class Endpoints;
class Hub;
class RateLimiter;
class HttpRouter;
class HubMetrics;
class HubMonitor;
class Subscribers;
struct HubConfig;
class TopicPolicy;

struct RouteContext {
    const HubConfig& config;
    Hub& hub;
    Subscribers& subscribers;
    const HubMetrics& metrics;
    const HubMonitor& monitor;
    const HttpRouter& router;
    // Who may publish on which topic (SPEC §4), beyond what a route's role admits.
    const TopicPolicy& policy;
    std::function<void()> requestShutdown;
    const Endpoints& endpoints;
    // The hub's rate limiters, for the count of clients they track (/api/v1/ws/stats).
    std::vector<const RateLimiter*> rateLimiters;
    // The cluster this hub is a node of; null for a hub on its own.
    Cluster* cluster = nullptr;
};

} // namespace switchboard
