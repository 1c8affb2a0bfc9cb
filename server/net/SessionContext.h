#pragma once

// The hub-thread services every session works with, handed to it at construction.

namespace switchboard {

class Hub;
class HubMetrics;
class MessageDispatcher;
class TopicPolicy;
class WriteScheduler;
struct HubConfig;

struct SessionContext {
    const HubConfig& config;
    Hub& hub;
    HubMetrics& metrics;
    WriteScheduler& scheduler;
    MessageDispatcher& dispatcher;
    const TopicPolicy& policy;
};

} // namespace switchboard
