#pragma once

// Removes credentials from text bound for a log: the value of any `token=` query parameter
// (token, access_token, ...), whatever follows `Bearer `, and anything shaped like a JWT.
// SPEC §7: tokens never appear in logs.

#include <QString>

namespace switchboard {

inline constexpr QStringView RedactedMark = u"[REDACTED]";

QString redactSecrets(const QString& text);

} // namespace switchboard
