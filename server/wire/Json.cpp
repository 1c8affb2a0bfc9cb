#include "Json.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace switchboard::Json {

QByteArray compact(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QString isoTimestamp(qint64 msecsSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString isoNow()
{
    return isoTimestamp(QDateTime::currentMSecsSinceEpoch());
}

QByteArray quoted(const QString& text)
{
    // QJsonDocument has no public string escaper; an array of one string, minus brackets.
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

} // namespace switchboard::Json
