#pragma once

// HS256 JSON Web Tokens (RFC 7519) signed by the generator itself, so that its clients can sign
// in to a hub that runs with --auth required and JWT_SECRET_KEY, as real clients do.

#include <QByteArray>

#include <cstdint>
#include <string>
#include <string_view>

namespace loadgen {

// header.payload.signature for payloadJson, exactly as given (the claims' order is kept).
std::string signHs256(std::string_view payloadJson, const QByteArray& secret);

// A token for subject with role ("user", "service", "admin"), valid from now for ttlSeconds.
std::string benchToken(const QByteArray& secret, std::string_view subject, std::string_view role,
                       int64_t nowSeconds, int64_t ttlSeconds);

} // namespace loadgen
