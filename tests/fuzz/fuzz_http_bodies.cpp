// The REST routes' JSON bodies, through a real hub on a loopback socket: publish, job
// submission (every built-in job type, and an unknown one), external jobs and their
// progress, the project registry and document 004's admin broadcasts. The first input byte picks
// the route, the rest is the body, sent with an admin token so the body reaches the route's parser.
// Any answer but a 5xx is fine; a crash, a hang or a 500 is a finding.

#include "HubHost.h"
#include "auth/TokenVerifier.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QTcpSocket>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace switchboard;

namespace {

const QByteArray secret = "fuzz-secret-0123456789abcdef0123456789";

// "METHOD path" of every route with a JSON body; one line adds a route.
const QList<QByteArray> routes = {
    "POST /api/v1/publish",
    "POST /api/jobs/forecast",
    "POST /api/jobs/monte_carlo",
    "POST /api/v1/jobs/external",
    "POST /api/v1/jobs/fuzz-job/progress",
    "PUT /api/v1/projects/p1",
    "POST /api/v1/ws/rooms/r1/broadcast",
    "POST /api/v1/ws/users/u1/notify",
    "POST /api/v1/ws/broadcast/notification?event_type=info",
    "POST /api/jobs/entity_validation",
    "POST /api/jobs/report_generation",
    "POST /api/jobs/ai_analysis",
    "POST /api/jobs/no_such_type",
    "PUT /api/v1/projects/p%2F..%2Fx",
};

struct Hub {
    QTemporaryDir dataDir;
    std::unique_ptr<HubHost> host;
    QByteArray token;
};

Hub* hub = nullptr;

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    static QCoreApplication app(*argc, *argv);
    hub = new Hub;
    HubConfig config;
    config.bindAddress = QHostAddress::LocalHost;
    config.port = 0;
    config.jwtSecret = secret;
    config.dataDir = hub->dataDir.path();
    config.maxJobs = 1;
    config.maxQueuedJobs = 4;
    hub->host = std::make_unique<HubHost>(config);
    if (const auto error = hub->host->start()) {
        std::fprintf(stderr, "fuzz_http_bodies: %s\n", qPrintable(*error));
        std::abort();
    }
    Identity admin;
    admin.subject = QStringLiteral("fuzzer");
    admin.role = Role::Admin;
    admin.tenant = QStringLiteral("acme");
    hub->token = TokenVerifier(secret).issue(admin, std::chrono::hours(24));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray route = routes.at(data[0] % routes.size());
    const QByteArray body(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, hub->host->port());
    if (!socket.waitForConnected(5000))
        std::abort(); // the hub stopped accepting
    socket.write(route + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + hub->token +
                 "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                 QByteArray::number(body.size()) + "\r\n\r\n" + body);
    // Read the head, then Content-Length bytes of body (the server may keep the connection).
    QByteArray answer;
    qsizetype expected = -1;
    while (expected < 0 || answer.size() < expected) {
        if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(10000))
            break;
        answer += socket.readAll();
        const qsizetype headEnd = answer.indexOf("\r\n\r\n");
        if (expected < 0 && headEnd >= 0) {
            const QByteArray head = answer.left(headEnd).toLower();
            const qsizetype at = head.indexOf("content-length:");
            const qsizetype lineEnd = head.indexOf("\r\n", at);
            expected = headEnd + 4 +
                       (at < 0 ? 0
                               : head.mid(at + 15, lineEnd < 0 ? -1 : lineEnd - at - 15)
                                     .trimmed()
                                     .toLongLong());
        }
    }
    socket.abort();
    if (!answer.startsWith("HTTP/1.1 ")) {
        std::fprintf(stderr, "no answer to %s\n", route.constData());
        std::abort(); // the hub hung or dropped the request
    }
    if (answer.startsWith("HTTP/1.1 5")) {
        std::fprintf(stderr, "%s\n", answer.left(400).constData());
        std::abort();
    }
    QCoreApplication::processEvents(); // the host's queued snapshots
    return 0;
}
