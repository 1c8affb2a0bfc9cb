#pragma once

// Every setting of the hub, as plain values. Filled by ConfigLoader (command line >
// environment > INI file > defaults) and handed to HubHost; nothing reads globals.

#include "RedisUrl.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace switchboard {

enum class AuthMode { Required, Optional, Off };

QString authModeName(AuthMode mode);

// Why `name` cannot be a node's name in a cluster (1 to 100 printable characters, no spaces),
// or nothing when it can.
std::optional<QString> nodeNameProblem(const QString& name);

struct HubConfig {
    // Listener
    QHostAddress bindAddress = QHostAddress::Any;
    quint16 port = 8000;
    int maxConnections = 20000;
    qint64 maxMessageBytes = 1024 * 1024;
    qint64 outboundBufferCap = 4 * 1024 * 1024;
    int fanoutThreads = 1; // extra threads that write to sockets during a fan-out
    std::chrono::milliseconds handshakeTimeout{10'000};
    QStringList allowedOrigins; // empty: same-origin and loopback only

    // Keep-alive (WEBSOCKET_PING_INTERVAL / WEBSOCKET_PING_TIMEOUT)
    std::chrono::milliseconds pingInterval{25'000};
    std::chrono::milliseconds pingTimeout{60'000};
    // Document 000's JSON heartbeat on /ws/calculations, /ws/entities and /ws/status
    std::chrono::milliseconds heartbeatInterval{30'000};
    std::chrono::milliseconds heartbeatTimeout{60'000};

    // Per-topic history used for resume
    int historyLimit = 1000;
    std::chrono::milliseconds historyMaxAge{5 * 60 * 1000};

    // Identity
    AuthMode authMode = AuthMode::Required;
    QByteArray jwtSecret; // HS256 key (JWT_SECRET_KEY)
    // jwtSecret is the one kept in the OS keychain (HubHost read or made it there), not one
    // from JWT_SECRET_KEY: only then can the console rotate it.
    bool jwtSecretInKeychain = false;

    // Storage
    QString dataDir; // empty: QStandardPaths::AppDataLocation (see withResolvedDirectories)

    // Features
    bool demo = false;

    // Scale-out (SPEC §12): the Redis instances several nodes share, topics spread over them by
    // a consistent hash; empty: one node on its own. The node's name in the cluster; empty:
    // hostname:port.
    std::vector<RedisUrl> redis;
    QString nodeName;

    // How often the monitor emits a snapshot (the console gets at most 10 a second).
    std::chrono::milliseconds snapshotInterval{100};
    // How often the refused sign-ins since the last report are logged (SPEC §13).
    std::chrono::milliseconds refusedSignInsReportInterval{60'000};

    // Live sources (SPEC §6)
    std::optional<quint64> demoSeed;                 // --demo-seed; empty: random each run
    std::chrono::milliseconds demoInterval{1000};    // one step of the demo book
    std::chrono::milliseconds metricsInterval{2000}; // --metrics-interval
    int diskAlertPercent = 90; // --disk-alert-percent: system_alert above this disk use

    // Entity files (SPEC §6.1)
    QString entitiesDir; // --entities-dir; empty: <data dir>/entities (see withResolvedDirectories)
    std::chrono::milliseconds entitiesDebounce{200}; // quiet time before a change is read

    // Jobs (SPEC §5)
    int maxJobs = 5;           // --max-jobs: running at once; more wait in the queue
    int maxQueuedJobs = 1000;  // waiting at most; more are refused (429)
    int jobHistoryLimit = 100; // finished jobs (and reports) kept

    // Collaboration and uploads (document 004, SPEC §6.5)
    int collabMaxRoomsPerSession = 50;
    int collabMaxCellsPerSheet = 10'000;
    int notificationsPerUser = 1000; // stored notifications kept per user, newest first
    // --max-upload-bytes: PUT /api/v1/uploads, streamed to disk; not a message, so not bound
    // by maxMessageBytes.
    qint64 maxUploadBytes = qint64(100) * 1024 * 1024;

    // Protection (SPEC §4, §7)
    QString jwtPublicKeyFile;       // --jwt-public-key: RS256 instead of HS256
    QByteArray jwtPublicKey;        // its PEM text, read by ConfigLoader
    QString tlsCertificateFile;     // --tls-cert: https and wss on the same port
    QString tlsKeyFile;             // --tls-key
    int maxConnectionsPerIp = 1000; // --max-connections-per-ip: refused with 503
    int requestsPerMinute = 60;     // WEBSOCKET_REQUESTS_PER_MINUTE, per user (per IP if anonymous)
    int requestsPerHour = 1000;     // WEBSOCKET_REQUESTS_PER_HOUR
    std::chrono::milliseconds rateBlockDuration{15 * 60 * 1000}; // WEBSOCKET_BLOCK_DURATION_MINUTES
    int rateViolationsBeforeBlock = 5; // refused messages that turn a client into a blocked one
    // --anonymous-requests-per-minute-per-address: anonymous clients are limited per
    // connection (requestsPerMinute, requestsPerHour); all the anonymous connections of one
    // address together at most this many a minute (1000 clients behind one NAT sending a few
    // messages each pass; a flood is still bounded).
    int anonymousRequestsPerMinutePerAddress = 6000;
    // --trusted-proxy: reverse proxies and load balancers (address, prefix length) whose
    // X-Forwarded-For / Forwarded say who the client is; from anyone else they are ignored.
    QList<std::pair<QHostAddress, int>> trustedProxies;
    int wsMaxMessages = 100;                        // WS_MAX_MESSAGES (dialect 002, per user)
    std::chrono::milliseconds wsRateWindow{60'000}; // WS_RATE_WINDOW
    std::chrono::milliseconds rateCleanupInterval{300'000}; // WS_CLEANUP_INTERVAL
    // Where the generated JWT secret is kept in the OS keychain (QtKeychain).
    QString keychainService = QStringLiteral("Switchboard");
};

// The configuration with the directories filled in: an empty data dir becomes the platform's
// AppDataLocation, an empty entities dir `<data dir>/entities`. HubHost applies it once, so
// everything in the hub reads the same concrete paths.
HubConfig withResolvedDirectories(HubConfig config);

} // namespace switchboard
