#pragma once

// Wire helpers shared by the seed documents' dialects (000–004), whose messages are a
// `type` plus either a `data` object or fields at the top level, and an ISO `timestamp`.

#include "Dialect.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace switchboard::Envelope {

// Decodes {"type": .., "id"?: .., fields...}. The message's data holds the top-level fields
// other than type and id, and those of a nested `data` object, so that a handler reads
// `topic` whether the client wrote {"topic": ..} or {"data": {"topic": ..}}.
std::optional<Error> decode(const QByteArray& text, ClientMessage& message);

// {"type": type, "timestamp": iso(ms), "data": data}
QByteArray withData(const QString& type, const QJsonObject& data, qint64 timestampMs);
// {"type": type, ...data, "timestamp": iso(ms)}; data's own timestamp wins.
QByteArray flat(const QString& type, const QJsonObject& data, qint64 timestampMs);

// {"type": "resync", "timestamp": .., "data": {"topic"}}: history cannot serve a resume.
QByteArray resync(const QString& topic);

// {"type": "error", "code": .., "error": .., "message": .., "id"?: .., "timestamp": ..}:
// `error` as SPEC §3 names it and `message` as the documents' clients read it.
QByteArray error(const QString& requestId, const Error& error);

} // namespace switchboard::Envelope
