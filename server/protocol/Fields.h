#pragma once

// Validation helpers every handler uses, so that checking a request's fields takes a
// line per field and a bad field always yields INVALID_MESSAGE naming that field.

#include "../wire/Codes.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace switchboard {

class Fields {
public:
    explicit Fields(const QJsonObject& object, QString prefix = QStringLiteral("data"));

    // Each accessor returns the value, or records the first error and returns a default.
    QString requiredString(const QString& name, int maxLength = 256);
    // A string a dialect has read already (ClientMessage::Publication), held to the same rules
    // as requiredString() and refused in the same words.
    QString checkedString(const QString& name, const QString& value, int maxLength = 256);
    QString optionalString(const QString& name, const QString& fallback = {}, int maxLength = 256);
    QStringList requiredStringList(const QString& name, int maxItems = 256, int maxLength = 256);
    QJsonObject optionalObject(const QString& name);
    QJsonObject requiredObject(const QString& name);
    std::optional<double> optionalNumber(const QString& name, double min, double max);

    bool ok() const { return !m_error.has_value(); }
    const std::optional<Error>& error() const { return m_error; }

private:
    void fail(const QString& name, const QString& problem);
    QString path(const QString& name) const;

    const QJsonObject& m_object;
    QString m_prefix;
    std::optional<Error> m_error;
};

} // namespace switchboard
