#pragma once

// Small helpers for building wire JSON quickly and consistently.

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

namespace switchboard::Json {

QByteArray compact(const QJsonObject& object);
// ISO 8601 UTC with milliseconds, "2026-11-21T20:00:00.000Z".
QString isoTimestamp(qint64 msecsSinceEpoch);
QString isoNow();
// A JSON string literal (with quotes), escaped.
QByteArray quoted(const QString& text);

// The same three, appended to `out` (a wire encoder's buffer) without a buffer of their own.
void appendQuoted(QByteArray& out, const QString& text);
void appendIsoTimestamp(QByteArray& out, qint64 msecsSinceEpoch);
// `value` in decimal, as QByteArray::number() writes it.
void appendNumber(QByteArray& out, qint64 value);
void appendNumber(QByteArray& out, quint64 value);
// The text of member `key`'s value in `object`, the text of a JSON object that has already
// been parsed as valid JSON (this only scans it): a view into `object`, or an empty view when
// the member is absent, appears more than once, or is not written compactly (whitespace
// outside its strings), or when any key of `object` holds an escape (its name could be
// `key` in disguise). What a decoder keeps so that a value can be passed on as it came.
QByteArrayView memberText(QByteArrayView object, QByteArrayView key);

} // namespace switchboard::Json
