#pragma once

// Reading and writing the JSON messages of every dialect in tests, socket or not: a message's
// type, data and error code, a JSON object as compact text and back, a message with its fields
// next to `type`, and the ISO 8601 timestamps the documents carry.

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace switchboard::test {

inline QString typeOf(const QJsonObject& message)
{
    return message.value(QStringLiteral("type")).toString();
}

inline QJsonObject dataOf(const QJsonObject& message)
{
    return message.value(QStringLiteral("data")).toObject();
}

// An error's code ("PERMISSION_DENIED"), in every dialect.
inline QString codeOf(const QJsonObject& message)
{
    return message.value(QStringLiteral("code")).toString();
}

inline QByteArray json(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// {"type": type, ...fields}: how 002 and 004 clients write, and what 000 reads too.
inline QJsonObject message(const QString& type, QJsonObject fields = {})
{
    fields.insert(QStringLiteral("type"), type);
    return fields;
}

// The JSON object a dialect encoded (empty when it is not one).
inline QJsonObject parsed(const QByteArray& text)
{
    return QJsonDocument::fromJson(text).object();
}

// "2026-11-21T20:00:00.000Z": UTC, with milliseconds.
inline bool isIsoTimestamp(const QJsonValue& value)
{
    const QString text = value.toString();
    return text.size() == 24 && text.endsWith(u'Z') &&
           QDateTime::fromString(text, Qt::ISODateWithMs).isValid();
}

} // namespace switchboard::test
