#include "Json.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <charconv>
#include <chrono>
#include <cstring>

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

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The index just past the string whose opening quote is at `i`; `escaped` is set when it
// holds a backslash. The closing quote is found with memchr, many bytes at a time: strings
// are most of a payload's bytes, and this runs over every publish's text.
qsizetype skipString(QByteArrayView text, qsizetype i, bool& escaped)
{
    const char* const begin = text.data();
    const std::size_t size = std::size_t(text.size());
    std::size_t next = std::size_t(i) + 1;
    while (next < size) {
        const auto* quote = static_cast<const char*>(std::memchr(begin + next, '"', size - next));
        if (!quote)
            return -1;
        const std::size_t end = std::size_t(quote - begin);
        const auto* backslash =
            static_cast<const char*>(std::memchr(begin + next, '\\', end - next));
        if (!backslash)
            return qsizetype(end) + 1;
        escaped = true;
        next = std::size_t(backslash - begin) + 2; // past the escaped character, maybe a quote
    }
    return -1;
}

// The index just past the value that starts at `i`; `compact` is cleared when whitespace
// stands between its tokens.
qsizetype skipValue(QByteArrayView text, qsizetype i, bool& compact)
{
    bool escaped = false;
    int depth = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '"') {
            i = skipString(text, i, escaped);
            if (i < 0)
                return -1;
            if (depth == 0)
                return i;
            continue;
        }
        if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return i; // the end of a number, true, false or null
            if (--depth == 0)
                return i + 1;
        } else if (c == ',' && depth == 0) {
            return i;
        } else if (isSpace(c)) {
            if (depth == 0)
                return i;
            compact = false;
        }
        ++i;
    }
    return depth == 0 ? i : -1;
}

qsizetype skipSpace(QByteArrayView text, qsizetype i)
{
    while (i < text.size() && isSpace(text[i]))
        ++i;
    return i;
}

} // namespace

QByteArray compact(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// By hand: QDateTime::toString(Qt::ISODateWithMs) formats through QString::asprintf, and this
// runs once per published event and dialect (the "ts" of every event). The same text as
// Qt's; years it cannot write in four digits go to Qt.
namespace {

constexpr qsizetype isoTimestampBytes = 24; // "2026-11-21T20:00:00.000Z"

// Writes the timestamp into `text`; false for a year outside 1–9999 (Qt has no year 0: 1 BC is
// its -1).
bool writeIsoTimestamp(qint64 msecsSinceEpoch, char (&text)[isoTimestampBytes])
{
    using namespace std::chrono;
    const sys_time<milliseconds> time{milliseconds(msecsSinceEpoch)};
    const sys_days day = floor<days>(time);
    const year_month_day date{day};
    const int year = int(date.year());
    if (year < 1 || year > 9999)
        return false;
    const hh_mm_ss clock{time - day};
    std::memcpy(text, "0000-00-00T00:00:00.000Z", isoTimestampBytes);
    putDigits(text + 4, year, 4);
    putDigits(text + 7, int(unsigned(date.month())), 2);
    putDigits(text + 10, int(unsigned(date.day())), 2);
    putDigits(text + 13, int(clock.hours().count()), 2);
    putDigits(text + 16, int(clock.minutes().count()), 2);
    putDigits(text + 19, int(clock.seconds().count()), 2);
    putDigits(text + 23, int(clock.subseconds().count()), 3);
    return true;
}

QString qtIsoTimestamp(qint64 msecsSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace

QString isoTimestamp(qint64 msecsSinceEpoch)
{
    char text[isoTimestampBytes];
    if (!writeIsoTimestamp(msecsSinceEpoch, text))
        return qtIsoTimestamp(msecsSinceEpoch);
    return QString::fromLatin1(text, isoTimestampBytes);
}

void appendIsoTimestamp(QByteArray& out, qint64 msecsSinceEpoch)
{
    char text[isoTimestampBytes];
    if (writeIsoTimestamp(msecsSinceEpoch, text))
        out.append(text, isoTimestampBytes);
    else
        out += qtIsoTimestamp(msecsSinceEpoch).toLatin1();
}

QString isoNow()
{
    return isoTimestamp(QDateTime::currentMSecsSinceEpoch());
}

QByteArray quoted(const QString& text)
{
    QByteArray out;
    out.reserve(text.size() + 2);
    appendQuoted(out, text);
    return out;
}

void appendQuoted(QByteArray& out, const QString& text)
{
    // Topic and event names are printable ASCII without quotes or backslashes: they are
    // written as they are. Anything else goes to Qt's escaper, so that the two never differ;
    // QJsonDocument has no public one, hence an array of one string, minus its brackets.
    const qsizetype start = out.size();
    out.resize(start + text.size() + 2);
    char* next = out.data() + start;
    *next++ = '"';
    for (const QChar c : text) {
        const char16_t unit = c.unicode();
        if (unit < 0x20 || unit > 0x7e || unit == u'"' || unit == u'\\') {
            const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
            out.truncate(start);
            out += QByteArrayView(array).sliced(1, array.size() - 2);
            return;
        }
        *next++ = char(unit);
    }
    *next = '"';
}

namespace {

template <typename Integer> void appendInteger(QByteArray& out, Integer value)
{
    char text[24];
    const std::to_chars_result end = std::to_chars(text, text + sizeof text, value);
    out.append(text, end.ptr - text);
}

} // namespace

void appendNumber(QByteArray& out, qint64 value)
{
    appendInteger(out, value);
}

void appendNumber(QByteArray& out, quint64 value)
{
    appendInteger(out, value);
}

// By hand: no JSON library in use here tells where a value stands in its text (Qt's parser
// builds a QJsonObject), and the fan-out sends a publisher's `data` on as it came instead of
// serialising it again, once per event. The text is valid JSON already, so this only has to
// find the member's bounds.
QByteArrayView memberText(QByteArrayView object, QByteArrayView key)
{
    qsizetype i = skipSpace(object, 0);
    if (i >= object.size() || object[i] != '{')
        return {};
    QByteArrayView found;
    int matches = 0;
    i = skipSpace(object, i + 1);
    while (i < object.size() && object[i] == '"') {
        bool escaped = false;
        const qsizetype keyEnd = skipString(object, i, escaped);
        if (keyEnd < 0 || escaped)
            return {};
        const bool isKey = object.sliced(i + 1, keyEnd - i - 2) == key;
        i = skipSpace(object, keyEnd);
        if (i >= object.size() || object[i] != ':')
            return {};
        const qsizetype valueStart = skipSpace(object, i + 1);
        bool compact = true;
        const qsizetype valueEnd = skipValue(object, valueStart, compact);
        if (valueEnd < 0 || valueEnd == valueStart)
            return {};
        if (isKey) {
            ++matches;
            found = compact ? object.sliced(valueStart, valueEnd - valueStart) : QByteArrayView();
        }
        i = skipSpace(object, valueEnd);
        if (i < object.size() && object[i] == ',')
            i = skipSpace(object, i + 1);
    }
    return matches == 1 ? found : QByteArrayView();
}

} // namespace switchboard::Json
