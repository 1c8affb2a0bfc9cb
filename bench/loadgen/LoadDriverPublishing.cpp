// The publishing half of LoadDriver: publish frames and REST batches, their answers, and the
// other HTTP requests. (publish() itself, which runs the loop, is in LoadDriver.cpp.)

#include "Handshake.h"
#include "LoadDriver.h"
#include "MessageScan.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace loadgen {

namespace {

constexpr int64_t nsPerSecond = 1'000'000'000;
constexpr size_t maxQueuedRestBatches = 8; // per connection, before batches are skipped

void appendNumber(std::string& out, int64_t value)
{
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, result.ptr);
}

// {"pad":"xxx","t":<sendNs>} padded to payloadBytes (when it is larger than the bare object).
// Keys in sorted order, so that every server puts `t` last, whether it passes the publisher's
// bytes on (Switchboard, Node) or sorts the keys (the raw reference, as QJsonDocument does):
// the event scan reads it there without walking the pad.
void appendEventData(std::string& out, int64_t sendNs, int payloadBytes, const std::string& pad)
{
    char digits[24];
    const auto number = std::to_chars(digits, digits + sizeof digits, sendNs);
    const size_t digitCount = size_t(number.ptr - digits);
    constexpr std::string_view head = R"({"pad":")";
    constexpr std::string_view middle = R"(","t":)";
    const size_t bare = head.size() + middle.size() + digitCount + 1;
    const size_t wanted = size_t(std::max(0, payloadBytes));
    out += head;
    out.append(pad, 0, wanted > bare ? std::min(wanted - bare, pad.size()) : 0);
    out += middle;
    out.append(digits, number.ptr);
    out += '}';
}

} // namespace

void LoadDriver::appendPublish(std::string& out, uint64_t id, int64_t sendNs, uint32_t topic,
                               int payloadBytes, bool withId)
{
    out.clear();
    out += R"({"type":"publish",)";
    if (withId) {
        out += R"("id":")";
        appendNumber(out, int64_t(id));
        out += R"(",)";
    }
    out += R"("data":{"topic":")";
    out += m_topicNames[topic];
    out += R"(","event":")";
    out += m_phase.plan.event;
    out += R"(","data":)";
    appendEventData(out, sendNs, payloadBytes, m_pad);
    out += "}}";
}

void LoadDriver::publishDue(int64_t nowNs)
{
    Phase& phase = m_phase;
    const auto elapsed = double(nowNs - phase.startNs);
    const uint64_t due =
        std::min(phase.total, uint64_t(elapsed * phase.rate / double(nsPerSecond)) + 1);
    const std::vector<uint32_t>& topics = phase.plan.topics;
    if (phase.plan.rest) {
        for (uint64_t i = phase.due; i < due; ++i) {
            phase.topicOf.push_back(topics[i % topics.size()]);
            phase.sendNs.push_back(0); // set when its batch is sent
            ++m_nextPublishId;
            ++phase.restPending;
        }
        phase.due = due;
        sendRestBatches(nowNs, phase.due >= phase.total);
    } else {
        const size_t publisherCount = phase.publishers.size();
        for (uint64_t i = phase.due; i < due; ++i) {
            Connection* publisher = phase.publishers[i % publisherCount];
            if (!publisher->isOpen() ||
                publisher->pendingOutput() > m_settings.maxPublisherBacklog) {
                ++phase.skipped;
                continue;
            }
            const uint32_t topic = topics[i % topics.size()];
            const uint64_t id = m_nextPublishId++;
            appendPublish(m_message, id, nowNs, topic, m_settings.payloadBytes, true);
            publisher->queueText(m_message);
            phase.sendNs.push_back(nowNs);
            phase.topicOf.push_back(topic);
            phase.expected += phase.subscribersOf[topic];
            ++phase.published;
        }
        phase.due = due;
        for (Connection* publisher : phase.publishers)
            publisher->flush();
    }
    if (phase.due >= phase.total) {
        phase.publishing = false;
        return;
    }
    const auto nextDue =
        phase.startNs + int64_t(std::ceil(double(phase.due) * double(nsPerSecond) / phase.rate));
    phase.nextNs = std::max(nextDue, nowNs + m_settings.minPublishTickNs);
}

void LoadDriver::sendRestBatches(int64_t nowNs, bool all)
{
    Phase& phase = m_phase;
    const auto batchSize = uint64_t(phase.plan.restBatch);
    size_t turn = 0;
    while (phase.restPending >= batchSize || (all && phase.restPending > 0)) {
        const auto count = uint32_t(std::min(batchSize, phase.restPending));
        RestClient* chosen = nullptr;
        for (size_t tried = 0; tried < phase.restClients.size() && !chosen; ++tried) {
            RestClient* client = phase.restClients[(turn + tried) % phase.restClients.size()];
            if (client->connection->isOpen() && client->queued.size() < maxQueuedRestBatches)
                chosen = client;
        }
        ++turn;
        if (!chosen) {
            phase.skipped += count; // every connection is backed up
        } else {
            chosen->queued.push_back({phase.restNextItem, count});
            if (!chosen->busy)
                sendRest(*chosen, nowNs);
        }
        phase.restNextItem += count;
        phase.restPending -= count;
    }
}

void LoadDriver::sendRest(RestClient& client, int64_t nowNs)
{
    Phase& phase = m_phase;
    const RestBatch batch = client.queued.front();
    client.queued.pop_front();
    std::string body = "[";
    for (uint64_t id = batch.firstId; id < batch.firstId + batch.count; ++id) {
        const uint64_t slot = id - phase.firstId;
        const uint32_t topic = phase.topicOf[slot];
        if (id != batch.firstId)
            body += ',';
        body += R"({"topic":")";
        body += m_topicNames[topic];
        body += R"(","type":")";
        body += phase.plan.event;
        body += R"(","data":)";
        appendEventData(body, nowNs, m_settings.payloadBytes, m_pad);
        body += '}';
        phase.sendNs[slot] = nowNs;
        phase.expected += phase.subscribersOf[topic];
        ++phase.published;
    }
    body += ']';
    client.connection->queueRaw(
        jsonRequest("POST", m_endpoint.hostHeader, "/api/v1/publish", body, m_settings.restToken));
    client.connection->flush();
    client.busy = true;
    client.inFlight = batch;
    client.sentNs = nowNs;
    ++phase.restRequests;
}

void LoadDriver::publishRestBatch(uint32_t count)
{
    Phase& phase = m_phase;
    if (!phase.publishing || phase.restClients.empty())
        return;
    const uint32_t topic = phase.plan.topics.front();
    if (phase.restPending == 0)
        phase.restNextItem = m_nextPublishId; // ids of WebSocket publishes may lie between
    for (uint32_t i = 0; i < count; ++i) {
        phase.topicOf.push_back(topic);
        phase.sendNs.push_back(0);
        ++m_nextPublishId;
    }
    phase.restPending += count;
    // The batch goes whole: items are taken in order, so none of the phase's own are waiting.
    const int batch = phase.plan.restBatch;
    phase.plan.restBatch = int(count);
    sendRestBatches(monotonicNs(), true);
    phase.plan.restBatch = batch;
}

bool LoadDriver::request(std::string_view method, std::string_view path, std::string_view body,
                         std::function<void(int, std::string_view, int64_t)> onResponse)
{
    for (auto& client : m_restClients) {
        if (client->publishing || client->busy || !client->connection->isOpen())
            continue;
        client->onResponse = std::move(onResponse);
        client->busy = true;
        client->sentNs = monotonicNs();
        client->connection->queueRaw(
            jsonRequest(method, m_endpoint.hostHeader, path, body, m_settings.restToken));
        client->connection->flush();
        return true;
    }
    return false;
}

void LoadDriver::keepHttpClient()
{
    // Closed ones go: their Connection stays in m_connections (never retired), so no pointer
    // elsewhere dangles.
    std::erase_if(m_restClients, [](const std::unique_ptr<RestClient>& client) {
        return !client->publishing && client->connection->state() == Connection::State::Closed;
    });
    for (const auto& client : m_restClients) {
        if (!client->publishing)
            return;
    }
    startConnection(Role::Http, 0, {});
}

void LoadDriver::publishUncounted(uint32_t topic, int payloadBytes)
{
    for (size_t i = 0; i < m_peers.size(); ++i) {
        if (m_peers[i].role != Role::Publisher || !m_peers[i].ready || !m_connections[i] ||
            !m_connections[i]->isOpen())
            continue;
        Connection& publisher = *m_connections[i];
        if (publisher.pendingOutput() > m_settings.maxPublisherBacklog)
            return;
        std::string message;
        appendPublish(message, 0, monotonicNs(), topic, payloadBytes, false);
        publisher.queueText(message);
        publisher.flush();
        return;
    }
}

void LoadDriver::onHttpResponse(Connection& connection, int status, std::string_view body,
                                int64_t receivedNs)
{
    ++m_messagesRead;
    for (auto& client : m_restClients) {
        if (client->connection == &connection) {
            onRestResponse(*client, status, body, receivedNs);
            return;
        }
    }
}

void LoadDriver::onRestResponse(RestClient& client, int status, std::string_view body,
                                int64_t nowNs)
{
    client.busy = false;
    if (client.onResponse) {
        auto onResponse = std::move(client.onResponse);
        client.onResponse = nullptr;
        onResponse(status, body, nowNs);
        return;
    }
    Phase& phase = m_phase;
    const RestBatch batch = client.inFlight;
    client.inFlight = {};
    if (batch.count > 0 && batch.firstId >= phase.firstId) {
        if (status == 200) {
            // [{"delivered":N,"seq":S},..] in the batch's order (keys in either order).
            uint64_t results = 0;
            std::string_view rest = body;
            for (size_t at = rest.find("\"delivered\""); at != std::string_view::npos;
                 at = rest.find("\"delivered\"")) {
                rest.remove_prefix(at);
                phase.delivered += uint64_t(
                    std::max<int64_t>(0, findInteger(rest.substr(0, 40), "delivered").value_or(0)));
                rest.remove_prefix(1);
                ++results;
            }
            phase.acked += std::min<uint64_t>(results, batch.count);
            phase.errors += batch.count - std::min<uint64_t>(results, batch.count);
            for (uint32_t i = 0; i < batch.count; ++i)
                phase.ackLatency.record(nowNs - client.sentNs);
        } else {
            phase.errors += batch.count;
            logProblem("POST /api/v1/publish answered " + std::to_string(status) + ": " +
                       std::string(body.substr(0, 200)));
        }
    }
    if (!client.queued.empty())
        sendRest(client, nowNs);
}

} // namespace loadgen
