#pragma once

// Small helpers for building wire JSON quickly and consistently.

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace switchboard::Json {

QByteArray compact(const QJsonObject& object);
// ISO 8601 UTC with milliseconds, "2026-11-21T20:00:00.000Z".
QString isoTimestamp(qint64 msecsSinceEpoch);
QString isoNow();
// A JSON string literal (with quotes), escaped.
QByteArray quoted(const QString& text);

} // namespace switchboard::Json
