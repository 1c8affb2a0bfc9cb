#include "Event.h"

#include "../wire/Json.h"

#include <QJsonDocument>

namespace switchboard {

QJsonObject EventData::object() const
{
    return m_json.isEmpty() ? m_object : QJsonDocument::fromJson(m_json).object();
}

QByteArray EventData::json() const
{
    return m_json.isEmpty() ? Json::compact(m_object) : m_json;
}

} // namespace switchboard
