#include "entities/Entity.h"

using namespace Qt::StringLiterals;

namespace switchboard {

const QStringList& revenueTypes()
{
    static const QStringList types = {u"grant"_s, u"investment"_s, u"sale"_s, u"service"_s};
    return types;
}

const QStringList& expenseTypes()
{
    static const QStringList types = {u"employee"_s, u"facility"_s, u"software"_s, u"equipment"_s};
    return types;
}

const QStringList& entityTypes()
{
    static const QStringList types = revenueTypes() + expenseTypes();
    return types;
}

bool isRevenueType(const QString& type)
{
    return revenueTypes().contains(type);
}

bool Entity::isRevenue() const
{
    return isRevenueType(type);
}

QJsonObject Entity::toJson() const
{
    QJsonObject json = raw;
    json.insert(u"id"_s, id);
    json.insert(u"file_path"_s, filePath);
    return json;
}

} // namespace switchboard
