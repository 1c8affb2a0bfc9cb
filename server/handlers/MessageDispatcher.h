#pragma once

// Turns one inbound text frame into a handler call: decode in the session's dialect, look
// up the handler, check access, run it, and make sure every request with an id gets exactly
// one reply.

#include <QByteArray>

namespace switchboard {

class Hub;
class JobEngine;
class HandlerRegistry;
class Session;
class TokenVerifier;
class TopicPolicy;
struct HubConfig;

class MessageDispatcher {
public:
    MessageDispatcher(const HandlerRegistry& registry, Hub& hub, const HubConfig& config,
                      const TopicPolicy& policy, const TokenVerifier& tokens);

    void dispatch(Session& session, const QByteArray& text);
    // The job engine is created after the dispatcher; handlers see it from then on.
    void setJobEngine(JobEngine* jobs) { m_jobs = jobs; }

private:
    const HandlerRegistry& m_registry;
    Hub& m_hub;
    const HubConfig& m_config;
    const TopicPolicy& m_policy;
    const TokenVerifier& m_tokens;
    JobEngine* m_jobs = nullptr;
};

} // namespace switchboard
