#pragma once

// Structured fields for the hub's log lines (user, connection, topic, job): set for the
// statements inside a scope, read by the log bridge, which puts them beside the message of the
// `system_log` entry so that the console and the web can filter the log by them. Per thread,
// because Qt's message handler runs in the thread that logs.
//
//     const LogFields fields{{"user", owner}, {"job", id}};
//     qCInfo(lcJobs, "job %s finished", ...);

#include <QList>
#include <QPair>
#include <QString>

#include <initializer_list>

namespace switchboard {

class LogFields {
public:
    using Field = QPair<QString, QString>;

    LogFields(std::initializer_list<Field> fields)
        : m_previous(current())
    {
        for (const Field& field : fields) {
            if (!field.second.isEmpty())
                m_fields.append(field);
        }
        slot() = &m_fields;
    }
    ~LogFields() { slot() = m_previous; }
    LogFields(const LogFields&) = delete;
    LogFields& operator=(const LogFields&) = delete;

    // The fields of the innermost scope on this thread, or null.
    static const QList<Field>* current() { return slot(); }

private:
    static const QList<Field>*& slot()
    {
        thread_local const QList<Field>* fields = nullptr;
        return fields;
    }

    QList<Field> m_fields;
    const QList<Field>* m_previous;
};

} // namespace switchboard
