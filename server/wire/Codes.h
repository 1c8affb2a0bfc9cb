#pragma once

// The error and close codes of the wire contract (SPEC §3), shared by every dialect.

#include <QString>

namespace switchboard {

enum class ErrorCode {
    AuthenticationFailed,
    PermissionDenied,
    RateLimitExceeded,
    InvalidJson,
    InvalidMessage,
    UnknownMessageType,
    RoomNotFound,
    NotFound,
    VersionConflict,
    MessageTooLarge,
    InternalError,
};

// "AUTHENTICATION_FAILED", "INVALID_JSON", ...
QString errorCodeName(ErrorCode code);

// WebSocket close codes the hub uses (RFC 6455 §7.4).
namespace CloseCode {
inline constexpr quint16 Normal = 1000;
inline constexpr quint16 GoingAway = 1001; // server shutting down
inline constexpr quint16 Policy = 1008;    // bad token, forbidden, blocked, kicked
inline constexpr quint16 TooLarge = 1009;  // message over the size limit
inline constexpr quint16 InternalError = 1011;
inline constexpr quint16 TryAgainLater = 1013; // slow consumer, overloaded
} // namespace CloseCode

// A client-caused failure: a code for programs and a sentence for people.
struct Error {
    ErrorCode code;
    QString message;
};

} // namespace switchboard
