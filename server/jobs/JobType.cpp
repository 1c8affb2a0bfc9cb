#include "JobType.h"

namespace switchboard {

JobTypes& JobTypes::builtIn()
{
    static JobTypes types;
    return types;
}

void JobTypes::add(const JobType& type)
{
    Q_ASSERT_X(!find(QString(type.name)), "JobTypes::add", "a job type is registered twice");
    m_types.append(type);
}

const JobType* JobTypes::find(const QString& name) const
{
    for (const JobType& type : m_types) {
        if (type.name == name)
            return &type;
    }
    return nullptr;
}

QStringList JobTypes::names() const
{
    QStringList names;
    for (const JobType& type : m_types)
        names.append(type.name);
    names.sort();
    return names;
}

} // namespace switchboard
