#pragma once

// Removes credentials from text bound for a log: the value of any `token=` query parameter
// (token, access_token, ...; also URL-encoded, `token%3D`), the string value of any JSON member
// whose name ends in `token`, whatever follows `Bearer `, and anything shaped like a JWT.
// SPEC §7: tokens never appear in logs.

#include <QString>

namespace switchboard {

inline constexpr QStringView RedactedMark = u"[REDACTED]";

QString redactSecrets(const QString& text);

// Puts a Qt message handler in front of the current one that redacts every message first:
// for a program's main(), so lines logged before and after the hub runs (and by threads the
// hub's log bridge does not see) are as clean as the rest.
void installRedactingMessageHandler();

} // namespace switchboard
