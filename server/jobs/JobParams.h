#pragma once

// Checks a job's params a line per field: each accessor returns the value (or its default),
// copies it into the checked params, and records the first problem in words that name the
// field ("months must be a whole number from 1 to 120").

#include "JobType.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace switchboard {

class JobParams {
public:
    // `known`: every field the job takes; any other field is an error (a typo must not
    // silently fall back to a default).
    JobParams(const QJsonObject& params, const QStringList& known);

    int integer(const QString& name, qint64 min, qint64 max, std::optional<qint64> fallback);
    std::optional<qint64> optionalInteger(const QString& name, qint64 min, qint64 max);
    QString choice(const QString& name, const QStringList& allowed,
                   std::optional<QString> fallback);
    // A list of distinct values out of `allowed`; `fallback` when absent.
    QStringList subset(const QString& name, const QStringList& allowed,
                       const QStringList& fallback);

    // Sets a value the job chose itself (a random seed), so the run can be repeated.
    void set(const QString& name, const QJsonValue& value) { m_checked.insert(name, value); }

    CheckedParams result() const
    {
        return {m_error.isEmpty() ? m_checked : QJsonObject{}, m_error};
    }

private:
    void fail(const QString& problem);

    const QJsonObject& m_params;
    QJsonObject m_checked;
    QString m_error;
};

} // namespace switchboard
