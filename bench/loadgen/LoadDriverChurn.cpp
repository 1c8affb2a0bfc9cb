// Churn and slow readers: the connections LoadDriver starts and retires while a phase runs.

#include "LoadDriver.h"

#include <algorithm>
#include <limits>

namespace loadgen {

namespace {

constexpr int64_t nsPerSecond = 1'000'000'000;
constexpr int64_t never = std::numeric_limits<int64_t>::max();

} // namespace

void LoadDriver::startChurn(double ratePerSecond, uint32_t topic, uint64_t maxInFlight)
{
    m_churn = Churn{};
    m_churn.running = true;
    m_churn.rate = ratePerSecond;
    m_churn.topic = topic;
    m_churn.maxInFlight = std::max<uint64_t>(1, maxInFlight);
    m_churn.startNs = monotonicNs();
}

void LoadDriver::churnDue(int64_t nowNs)
{
    Churn& churn = m_churn;
    const auto due = uint64_t(double(nowNs - churn.startNs) * churn.rate / double(nsPerSecond)) + 1;
    for (; churn.due < due; ++churn.due) {
        if (churn.inFlight >= churn.maxInFlight) {
            ++churn.behind;
            continue;
        }
        ++churn.started;
        ++churn.inFlight;
        startConnection(Role::Churner, churn.topic, {});
    }
}

ChurnResult LoadDriver::stopChurn()
{
    Churn& churn = m_churn;
    churn.running = false;
    ChurnResult result;
    result.targetRate = churn.rate;
    result.seconds = double(monotonicNs() - churn.startNs) / 1e9;
    // Whoever has not left by now did not make it.
    for (size_t i = 0; i < m_connections.size(); ++i) {
        if (m_peers[i].role == Role::Churner && m_connections[i] &&
            m_connections[i]->state() != Connection::State::Closed) {
            m_connections[i]->close(1000);
            ++churn.failed;
            --churn.inFlight;
            if (churn.firstError.empty())
                churn.firstError = "had not left when the churn stopped";
            retire(uint32_t(i));
        }
    }
    result.started = churn.started;
    result.completed = churn.completed;
    result.failed = churn.failed;
    result.behind = churn.behind;
    result.handshake = churn.handshake.summary();
    result.subscribe = churn.subscribe.summary();
    result.cycle = churn.cycle.summary();
    result.firstError = churn.firstError;
    return result;
}

void LoadDriver::keepSlowReaders(uint64_t count, uint32_t topic, int64_t pauseNs, int64_t readNs,
                                 int receiveBufferBytes)
{
    m_slowWanted = count;
    m_slowTopic = topic;
    m_slowReceiveBuffer = receiveBufferBytes;
    every(monotonicNs(), [this, pauseNs, readNs](int64_t now) {
        if (m_slowWanted == 0)
            return never;
        uint64_t live = 0;
        for (size_t i = 0; i < m_peers.size(); ++i) {
            Peer& peer = m_peers[i];
            if (peer.role != Role::SlowReader || !m_connections[i] ||
                m_connections[i]->state() == Connection::State::Closed)
                continue;
            ++live;
            Connection& connection = *m_connections[i];
            if (!peer.ready)
                continue;
            if (!connection.reading() && now - peer.pausedNs >= pauseNs) {
                connection.setReading(true); // a look: has the server cut it?
                peer.pausedNs = now;
            } else if (connection.reading() && now - peer.pausedNs >= readNs) {
                connection.setReading(false);
                peer.pausedNs = now;
            }
        }
        for (; live < m_slowWanted; ++live) {
            ConnectionOptions options;
            options.receiveBufferBytes = m_slowReceiveBuffer;
            startConnection(Role::SlowReader, m_slowTopic, {}, options);
            ++m_slowStarted;
        }
        return now + std::min<int64_t>(readNs, 100'000'000);
    });
}

} // namespace loadgen
