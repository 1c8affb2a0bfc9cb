#include "Json.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <chrono>

namespace switchboard::Json {

namespace {

// Writes `value` as exactly `digits` decimal digits ending just before `end`.
void putDigits(char* end, int value, int digits)
{
    for (int i = 0; i < digits; ++i) {
        *--end = char('0' + value % 10);
        value /= 10;
    }
}

} // namespace

QByteArray compact(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// By hand: QDateTime::toString(Qt::ISODateWithMs) formats through QString::asprintf, and this
// runs once per published event and dialect (the "ts" of every event). The same text as
// Qt's; years it cannot write in four digits go to Qt.
QString isoTimestamp(qint64 msecsSinceEpoch)
{
    using namespace std::chrono;
    const sys_time<milliseconds> time{milliseconds(msecsSinceEpoch)};
    const sys_days day = floor<days>(time);
    const year_month_day date{day};
    const int year = int(date.year());
    if (year < 1 || year > 9999) // Qt has no year 0: 1 BC is its -1
        return QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs);
    const hh_mm_ss clock{time - day};
    char text[] = "0000-00-00T00:00:00.000Z";
    putDigits(text + 4, year, 4);
    putDigits(text + 7, int(unsigned(date.month())), 2);
    putDigits(text + 10, int(unsigned(date.day())), 2);
    putDigits(text + 13, int(clock.hours().count()), 2);
    putDigits(text + 16, int(clock.minutes().count()), 2);
    putDigits(text + 19, int(clock.seconds().count()), 2);
    putDigits(text + 23, int(clock.subseconds().count()), 3);
    return QString::fromLatin1(text, qsizetype(sizeof text) - 1);
}

QString isoNow()
{
    return isoTimestamp(QDateTime::currentMSecsSinceEpoch());
}

QByteArray quoted(const QString& text)
{
    // Topic and event names are printable ASCII without quotes or backslashes: they are
    // written as they are. Anything else goes to Qt's escaper, so that the two never differ;
    // QJsonDocument has no public one, hence an array of one string, minus its brackets.
    QByteArray plain(text.size() + 2, Qt::Uninitialized);
    char* out = plain.data();
    *out++ = '"';
    for (const QChar c : text) {
        const char16_t unit = c.unicode();
        if (unit < 0x20 || unit > 0x7e || unit == u'"' || unit == u'\\') {
            const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
            return array.mid(1, array.size() - 2);
        }
        *out++ = char(unit);
    }
    *out = '"';
    return plain;
}

} // namespace switchboard::Json
