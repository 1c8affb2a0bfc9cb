#include "Event.h"

#include "../wire/Json.h"

#include <QJsonDocument>

namespace switchboard {

const QJsonObject& EventData::object() const
{
    if (!m_parsed) {
        m_object = QJsonDocument::fromJson(m_json).object();
        m_parsed = true;
    }
    return m_object;
}

QByteArray EventData::json() const
{
    return m_json.isEmpty() ? Json::compact(m_object) : m_json;
}

} // namespace switchboard
