// switchboard-raw-reference: the bench's raw single-threaded epoll server (see RawServer.h and
// bench/README.md).
//
//   switchboard-raw-reference [--bind 127.0.0.1] [--port 8000] [--slow-consumer-bytes N]
//
//   --bind ADDRESS             a 127.0.0.0/8 address (anything else is refused)
//   --port N                   0 picks a free port (printed on start)
//   --slow-consumer-bytes N    close a subscriber with 1013 when more than N bytes wait for it
//                              (default 0: never)

#include "RawServer.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

[[noreturn]] void fail(const char* message, std::string_view detail = {})
{
    std::fprintf(stderr, "switchboard-raw-reference: %s%.*s\n", message, int(detail.size()),
                 detail.data());
    std::exit(2);
}

template <typename Number> Number number(std::string_view name, std::string_view text, Number max)
{
    Number value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value > max)
        fail("bad value for ", name);
    return value;
}

void usage()
{
    std::printf("switchboard-raw-reference [--bind 127.0.0.1] [--port 8000] "
                "[--slow-consumer-bytes N]\n\n"
                "A single-threaded epoll WebSocket server that speaks the part of Switchboard's "
                "native protocol\nthe bench uses (welcome, subscribe, publish, ping, GET "
                "/health, POST /api/v1/publish).\nLoopback addresses only.\n");
}

} // namespace

int main(int argc, char** argv)
{
    rawref::ServerOptions options;
    std::string_view bind = "127.0.0.1";
    for (int i = 1; i < argc; ++i) {
        const std::string_view argument = argv[i];
        const auto value = [&]() -> std::string_view {
            if (i + 1 >= argc)
                fail("missing value for ", argument);
            return argv[++i];
        };
        if (argument == "--bind") {
            bind = value();
        } else if (argument == "--port") {
            options.port = number<uint16_t>(argument, value(), 65535);
        } else if (argument == "--slow-consumer-bytes") {
            options.slowConsumerBytes = number<size_t>(argument, value(), size_t(1) << 40);
        } else if (argument == "-h" || argument == "--help") {
            usage();
            return 0;
        } else {
            fail("unknown argument ", argument);
        }
    }
    const std::string bindText(bind);
    if (inet_pton(AF_INET, bindText.c_str(), &options.bind) != 1 ||
        (ntohl(options.bind.s_addr) >> 24) != 127)
        fail("--bind must be a 127.0.0.0/8 address (this is a bench server): ", bind);

    rawref::RawServer server(options);
    if (!server.listen())
        return 2;
    std::printf("raw reference listening on http://%s:%u (ws://%s:%u/ws/v1)\n", bindText.c_str(),
                unsigned(server.port()), bindText.c_str(), unsigned(server.port()));
    std::fflush(stdout);
    return server.run();
}
