#pragma once

// A kind of job the engine can run: its name, whether it is a calculation (its events also go
// to topic `calculations`), a JSON Schema of its params (feeds /openapi.json), the check of
// its params, and the function that does the work on the pool. Each type lives in one file
// under types/ and registers itself there with SWITCHBOARD_REGISTER_JOB_TYPE, so adding a
// job type is a one-file change.

#include "JobContext.h"

#include <QJsonObject>
#include <QLatin1String>
#include <QList>
#include <QString>

namespace switchboard {

// Checked params, with defaults filled in; or an error naming the field.
struct CheckedParams {
    QJsonObject params;
    QString error;

    bool ok() const { return error.isEmpty(); }
};

enum class JobKind { Task, Calculation };

struct JobType {
    QLatin1String name;
    QLatin1String summary;
    JobKind kind;
    QJsonObject (*schema)();
    CheckedParams (*check)(const QJsonObject& params);
    JobOutcome (*run)(JobContext& context);
};

// Every job type linked into the program. Filled before main() runs, read-only afterwards.
class JobTypes {
public:
    static JobTypes& builtIn();

    void add(const JobType& type);
    const JobType* find(const QString& name) const;
    const QList<JobType>& all() const { return m_types; }
    QStringList names() const;

private:
    QList<JobType> m_types;
};

} // namespace switchboard

#define SWITCHBOARD_JOB_CONCAT_INNER(a, b) a##b
#define SWITCHBOARD_JOB_CONCAT(a, b) SWITCHBOARD_JOB_CONCAT_INNER(a, b)
// Registers a JobType defined in the current file.
#define SWITCHBOARD_REGISTER_JOB_TYPE(...)                                                         \
    namespace {                                                                                    \
    const bool SWITCHBOARD_JOB_CONCAT(jobTypeRegistered, __LINE__) =                               \
        (::switchboard::JobTypes::builtIn().add(::switchboard::JobType{__VA_ARGS__}), true);       \
    }
