// growth: how each of the server's costs grows with its unit, measured at three sizes, so that
// a table can say what a connection, a subscription, a topic, an event and a delivery in each
// dialect cost (server RSS and CPU per unit). Sizes grow within one server, so that memory the
// allocator kept from a smaller size cannot hide the cost of a larger one; run.sh gives each
// part a fresh server.

#include "ScenarioSupport.h"

#include <algorithm>
#include <cmath>

namespace loadgen {

using namespace support;

namespace {

constexpr int maxTopicsPerConnection = 250; // below the hub's 256 per session

// The server's CPU over cpu's interval, in microseconds.
std::optional<double> serverMicroseconds(const CpuUse& cpu)
{
    if (!cpu.serverPercent)
        return std::nullopt;
    return *cpu.serverPercent / 100.0 * cpu.seconds * 1e6;
}

std::optional<double> perUnit(std::optional<double> total, uint64_t units)
{
    if (!total || units == 0)
        return std::nullopt;
    return *total / double(units);
}

std::optional<double> rssPerUnit(std::optional<int64_t> before, std::optional<int64_t> after,
                                 uint64_t units)
{
    if (!before || !after || units == 0)
        return std::nullopt;
    return double(*after - *before) * 1024.0 / double(units);
}

std::vector<uint64_t> ascending(std::vector<uint64_t> sizes)
{
    std::sort(sizes.begin(), sizes.end());
    return sizes;
}

LoadSettings bareSettings(const BenchOptions& options)
{
    LoadSettings settings = settingsFor(options);
    settings.subscribeIdle = false; // subscriptions are the growth parts' own business
    return settings;
}

void connections(ScenarioResult& result, const BenchOptions& options)
{
    LoadDriver driver(options.endpoint, bareSettings(options));
    const pid_t pid = options.serverPid;
    driver.idle(nsPerSecond / 2);
    const std::optional<int64_t> base = residentKiB(pid);
    uint64_t open = 0;
    for (const uint64_t size : ascending(options.growthConnections)) {
        const CpuMeter cpu(pid);
        const ConnectResult ramp = driver.connect(Role::Idle, size - std::min(size, open),
                                                  toNs(options.connectTimeoutSeconds));
        const CpuUse used = cpu.use();
        open += ramp.opened;
        driver.idle(nsPerSecond);
        GrowthRow row;
        row.cost = "connection";
        row.size = std::to_string(open) + " connections";
        row.units = open;
        row.rssBytesPerUnit = rssPerUnit(base, residentKiB(pid), open);
        row.cpuMicrosecondsPerUnit = perUnit(serverMicroseconds(used), ramp.opened);
        row.loadgenPercent = used.loadgenPercent;
        row.note = "CPU: the handshakes of the " + std::to_string(ramp.opened) + " added";
        if (ramp.failed > 0)
            row.note += "; " + std::to_string(ramp.failed) + " failed: " + ramp.firstError;
        progress(row.cost + " at " + row.size);
        result.growth.push_back(row);
    }
    driver.closeAll();
}

void subscriptions(ScenarioResult& result, const BenchOptions& options)
{
    constexpr uint64_t connectionCount = 1000;
    LoadDriver driver(options.endpoint, bareSettings(options));
    const pid_t pid = options.serverPid;
    driver.connect(Role::Idle, connectionCount, toNs(options.connectTimeoutSeconds));
    driver.idle(nsPerSecond);
    const std::optional<int64_t> base = residentKiB(pid);
    uint64_t each = 0;
    for (uint64_t size : ascending(options.growthSubscriptions)) {
        size = std::min<uint64_t>(size, maxTopicsPerConnection);
        // Every connection subscribes to the same topics sub-0..sub-<size-1>: the subscription
        // is what grows, not the number of topics.
        std::vector<std::string> more;
        for (uint64_t t = each; t < size; ++t)
            more.push_back("sub-" + std::to_string(t));
        const CpuMeter cpu(pid);
        const bool acked =
            driver.subscribeMore(std::vector<std::vector<std::string>>(connectionCount, more),
                                 toNs(options.connectTimeoutSeconds));
        const CpuUse used = cpu.use();
        const uint64_t added = (size - each) * connectionCount;
        each = size;
        driver.idle(nsPerSecond);
        GrowthRow row;
        row.cost = "subscription";
        row.size = std::to_string(each * connectionCount) + " subscriptions (" +
                   std::to_string(each) + " topics x " + std::to_string(connectionCount) +
                   " connections)";
        row.units = each * connectionCount;
        row.rssBytesPerUnit = rssPerUnit(base, residentKiB(pid), row.units);
        row.cpuMicrosecondsPerUnit = perUnit(serverMicroseconds(used), added);
        row.loadgenPercent = used.loadgenPercent;
        if (!acked)
            row.note = "not every subscription was acknowledged in time";
        progress(row.cost + " at " + row.size);
        result.growth.push_back(row);
    }
    driver.closeAll();
}

void topics(ScenarioResult& result, const BenchOptions& options)
{
    const std::vector<uint64_t> sizes = ascending(options.growthTopics);
    const uint64_t largest = sizes.empty() ? 0 : sizes.back();
    const uint64_t connectionCount =
        std::max<uint64_t>(1, (largest + maxTopicsPerConnection - 1) / maxTopicsPerConnection);
    LoadDriver driver(options.endpoint, bareSettings(options));
    const pid_t pid = options.serverPid;
    driver.connect(Role::Idle, connectionCount, toNs(options.connectTimeoutSeconds));
    driver.idle(nsPerSecond);
    const std::optional<int64_t> base = residentKiB(pid);
    uint64_t made = 0;
    for (const uint64_t size : sizes) {
        // Topics made-..size-1, each with one subscriber, dealt over the connections.
        std::vector<std::vector<std::string>> more(connectionCount);
        for (uint64_t t = made; t < size; ++t)
            more[t % connectionCount].push_back("topic-" + std::to_string(t));
        const CpuMeter cpu(pid);
        const bool acked = driver.subscribeMore(more, toNs(options.connectTimeoutSeconds));
        const CpuUse used = cpu.use();
        const uint64_t added = size - made;
        made = size;
        driver.idle(nsPerSecond);
        GrowthRow row;
        row.cost = "topic";
        row.size = std::to_string(made) + " topics, one subscriber each";
        row.units = made;
        row.rssBytesPerUnit = rssPerUnit(base, residentKiB(pid), made);
        row.cpuMicrosecondsPerUnit = perUnit(serverMicroseconds(used), added);
        row.loadgenPercent = used.loadgenPercent;
        row.note = "includes the topic's one subscription";
        if (!acked)
            row.note += "; not every subscription was acknowledged in time";
        progress(row.cost + " at " + row.size);
        result.growth.push_back(row);
    }
    driver.closeAll();
}

void events(ScenarioResult& result, const BenchOptions& options)
{
    constexpr uint64_t subscriberCount = 100;
    LoadDriver driver(options.endpoint, settingsFor(options));
    ScenarioResult ramp;
    if (!connectClients(driver, options, ramp, subscriberCount, {}, false, 0)) {
        result.notes.push_back("events: " + ramp.error);
        return;
    }
    std::vector<double> rates = options.growthEventRates;
    std::sort(rates.begin(), rates.end());
    for (const double rate : rates) {
        const PhaseResult phase = driver.publish(rate, 3.0, 1.0);
        driver.settle(200'000'000, 5 * nsPerSecond);
        GrowthRow row;
        row.cost = "event (100 subscribers)";
        row.size = format("%.0f events/s", rate);
        row.units = phase.published;
        row.cpuMicrosecondsPerUnit = perUnit(serverMicroseconds(phase.cpu), phase.published);
        row.loadgenPercent = phase.cpu.loadgenPercent;
        if (const auto perDelivery = perUnit(serverMicroseconds(phase.cpu), phase.received))
            row.note = format("%.2f us per delivery; ", *perDelivery);
        row.note += "CPU: all of the server's, over the phase and its drain";
        if (!clean(phase))
            row.note += "; " + lossText(phase);
        progress(row.cost + " at " + row.size);
        result.growth.push_back(row);
    }
    driver.closeAll();
}

struct Dialect {
    const char* name;
    const char* path;
    const char* topic;
    const char* event;
    bool welcome; // the dialect's first message is a welcome (003 and 004 send none)
};

void dialects(ScenarioResult& result, const BenchOptions& options)
{
    // Native clients subscribe; the others are subscribed by their path (SPEC §2.2): 002 to
    // its user's document room, 003's notifications and 004 to `user:{sub}`, which is why this
    // part runs with tokens (bench-user). The event names are ones each dialect passes on.
    const Dialect list[] = {
        {"native", "/ws/v1", "calculations", "calculation_progress", true},
        {"000", "/ws/calculations", "calculations", "calculation_progress", true},
        {"001", "/ws", "trading", "position_update", true},
        {"002", "/ws/connect", "document_updates_bench-user", "document_processing_complete", true},
        {"003", "/ws/notifications", "user:bench-user", "notification", false},
        {"004", "/api/v1/ws", "user:bench-user", "notification_event", false},
    };
    constexpr double rate = 100; // publishes per second
    for (const Dialect& dialect : list) {
        for (const uint64_t size : ascending(options.growthFanouts)) {
            LoadDriver driver(options.endpoint, settingsFor(options));
            const uint32_t topic = driver.topic(dialect.topic);
            const bool native = std::string_view(dialect.path) == "/ws/v1";
            const Role role = native            ? Role::Subscriber
                              : dialect.welcome ? Role::Listener
                                                : Role::QuietListener;
            const ConnectResult ramp =
                driver.connect(role, size, toNs(options.connectTimeoutSeconds), {topic},
                               native ? std::string() : std::string(dialect.path));
            driver.connect(Role::Publisher, 1, toNs(options.connectTimeoutSeconds));
            GrowthRow row;
            row.cost = std::string("delivery (") + dialect.name + ")";
            row.size = std::to_string(size) + " subscribers of " + dialect.path;
            if (ramp.failed > 0) {
                row.note = std::to_string(ramp.failed) + " connections failed: " + ramp.firstError;
                result.growth.push_back(row);
                continue;
            }
            driver.idle(nsPerSecond / 2);
            PublishPlan plan;
            plan.topics = {topic};
            plan.event = dialect.event;
            const PhaseResult phase = driver.publish(rate, 3.0, 1.0, plan);
            row.units = phase.received;
            row.cpuMicrosecondsPerUnit = perUnit(serverMicroseconds(phase.cpu), phase.received);
            row.loadgenPercent = phase.cpu.loadgenPercent;
            row.note = format("%.0f publishes/s, %.0f of %.0f delivered", rate,
                              double(phase.received), double(phase.expected));
            progress(row.cost + " at " + row.size);
            result.growth.push_back(row);
            driver.closeAll();
        }
    }
}

} // namespace

ScenarioResult runGrowth(ScenarioResult result, const BenchOptions& options,
                         const std::string& part)
{
    if (!options.serverPid) {
        result.error = "growth needs --server-pid (it reads the server's memory and CPU)";
        return result;
    }
    const std::vector<std::string> parts =
        part.empty() ? std::vector<std::string>{"connections", "subscriptions", "topics", "events",
                                                "dialects"}
                     : std::vector<std::string>{part};
    if (parts.size() > 1)
        result.notes.push_back("all parts against one server: memory freed by one part can be "
                               "reused by the next (run.sh gives each part its own server)");
    for (const std::string& name : parts) {
        if (name == "connections")
            connections(result, options);
        else if (name == "subscriptions")
            subscriptions(result, options);
        else if (name == "topics")
            topics(result, options);
        else if (name == "events")
            events(result, options);
        else if (name == "dialects")
            dialects(result, options);
    }
    for (const GrowthRow& row : result.growth) {
        const std::string key = row.cost + "@" + std::to_string(row.units);
        if (row.rssBytesPerUnit)
            addFigure(result, key + " rss_bytes", *row.rssBytesPerUnit);
        if (row.cpuMicrosecondsPerUnit)
            addFigure(result, key + " cpu_us", *row.cpuMicrosecondsPerUnit);
    }
    result.headline = std::to_string(result.growth.size()) + " measurements (table above)";
    return result;
}

} // namespace loadgen
