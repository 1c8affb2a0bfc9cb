#include "Codes.h"

namespace switchboard {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::AuthenticationFailed:
        return QStringLiteral("AUTHENTICATION_FAILED");
    case ErrorCode::PermissionDenied:
        return QStringLiteral("PERMISSION_DENIED");
    case ErrorCode::RateLimitExceeded:
        return QStringLiteral("RATE_LIMIT_EXCEEDED");
    case ErrorCode::InvalidJson:
        return QStringLiteral("INVALID_JSON");
    case ErrorCode::InvalidMessage:
        return QStringLiteral("INVALID_MESSAGE");
    case ErrorCode::UnknownMessageType:
        return QStringLiteral("UNKNOWN_MESSAGE_TYPE");
    case ErrorCode::RoomNotFound:
        return QStringLiteral("ROOM_NOT_FOUND");
    case ErrorCode::NotFound:
        return QStringLiteral("NOT_FOUND");
    case ErrorCode::VersionConflict:
        return QStringLiteral("VERSION_CONFLICT");
    case ErrorCode::MessageTooLarge:
        return QStringLiteral("MESSAGE_TOO_LARGE");
    case ErrorCode::InternalError:
        return QStringLiteral("INTERNAL_ERROR");
    }
    Q_UNREACHABLE();
    return {};
}

} // namespace switchboard
