#pragma once

// The hub-thread services every session works with, handed to it at construction.

namespace switchboard {

class Hub;
class HubMetrics;
class MessageDispatcher;
class Subscribers;
class WriteQueue;
struct HubConfig;

struct SessionContext {
    const HubConfig& config;
    Hub& hub;
    HubMetrics& metrics;
    WriteQueue& writeQueue;
    MessageDispatcher& dispatcher;
    Subscribers& subscribers;
};

} // namespace switchboard
