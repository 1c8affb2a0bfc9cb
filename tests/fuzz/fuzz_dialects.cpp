// Every dialect's decoder on arbitrary text frames: it must return an error or a message,
// never crash, hang or read out of bounds. A dialect is added to the fuzzer with one line in
// dialects() below; the first input byte picks the dialect, the rest is the frame.

#include "collab/Collab.h"
#include "config/HubConfig.h"
#include "hub/Hub.h"
#include "monitor/HubMetrics.h"
#include "net/WriteScheduler.h"
#include "protocol/dialects/AssistDialect.h"
#include "protocol/dialects/CalculationsDialect.h"
#include "protocol/dialects/CollabDialect.h"
#include "protocol/dialects/NativeDialect.h"
#include "protocol/dialects/ProjectsDialect.h"
#include "protocol/dialects/TradingDialect.h"
#include "store/Database.h"
#include "store/NotificationStore.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

using namespace switchboard;

namespace {

// What the 004 dialect is built on; its decoder reads none of it, but it needs one.
struct CollabParts {
    HubMetrics metrics;
    WriteScheduler scheduler{metrics, 0};
    Hub hub{Hub::Limits{}, metrics, scheduler};
    Database database; // never opened: decoding stores nothing
    NotificationStore notifications{database, 10};
    Collab collab{hub, CollabLimits{}, notifications};
};

const std::vector<std::unique_ptr<Dialect>>& dialects()
{
    static const HubConfig config;
    static CollabParts* collab = new CollabParts; // lives as long as the process
    static const std::vector<std::unique_ptr<Dialect>> all = [&] {
        std::vector<std::unique_ptr<Dialect>> list;
        list.push_back(std::make_unique<NativeDialect>(25'000));         // /ws/v1
        list.push_back(std::make_unique<CalculationsDialect>(config));   // 000
        list.push_back(std::make_unique<TradingDialect>());              // 001
        list.push_back(std::make_unique<AssistDialect>());               // 002
        list.push_back(std::make_unique<ProjectsDialect>());             // 003
        list.push_back(std::make_unique<CollabDialect>(collab->collab)); // 004
        return list;
    }();
    return all;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    const auto& all = dialects();
    const Dialect& dialect = *all[data[0] % all.size()];
    const QByteArray text(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));
    ClientMessage message;
    if (const std::optional<Error> error = dialect.decode(text, message)) {
        // The error reply must encode too, with whatever id could be read.
        (void)dialect.encodeError(message.id, *error);
        return 0;
    }
    (void)dialect.encodeReply(message, message.data);
    return 0;
}
