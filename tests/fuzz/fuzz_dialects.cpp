// Every dialect's decoder on arbitrary text frames: it must return an error or a message,
// never crash, hang or read out of bounds. A dialect is added to the fuzzer with one line in
// dialects() below; the first input byte picks the dialect, the rest is the frame.

#include "config/HubConfig.h"
#include "protocol/dialects/AssistDialect.h"
#include "protocol/dialects/CalculationsDialect.h"
#include "protocol/dialects/CollabDialect.h"
#include "protocol/dialects/NativeDialect.h"
#include "protocol/dialects/ProjectsDialect.h"
#include "protocol/dialects/TradingDialect.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

using namespace switchboard;

namespace {

const std::vector<std::unique_ptr<Dialect>>& dialects()
{
    static const HubConfig config;
    static const std::vector<std::unique_ptr<Dialect>> all = [&] {
        std::vector<std::unique_ptr<Dialect>> list;
        list.push_back(std::make_unique<NativeDialect>()); // /ws/v1
        list.push_back(std::make_unique<CalculationsDialect>(
            Dialect::KeepAlive{config.heartbeatInterval, config.heartbeatTimeout})); // 000
        list.push_back(std::make_unique<TradingDialect>());                          // 001
        list.push_back(std::make_unique<AssistDialect>());                           // 002
        list.push_back(std::make_unique<ProjectsDialect>());                         // 003
        list.push_back(std::make_unique<CollabDialect>());                           // 004
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
