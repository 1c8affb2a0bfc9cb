#include "Redaction.h"

namespace switchboard {
namespace {

// Where a query value or a header credential ends.
bool endsValue(QChar c)
{
    return c.isSpace() || c == u'&' || c == u'"' || c == u'\'' || c == u'<' || c == u'>' ||
           c == u'#' || c == u';' || c == u',' || c == u')';
}

bool isBase64Url(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
           c == u'-' || c == u'_';
}

// Replaces the value that starts at `from` and runs until endsValue() with the mark.
// Returns where scanning continues.
qsizetype replaceValue(QString& text, qsizetype from)
{
    qsizetype end = from;
    while (end < text.size() && !endsValue(text.at(end)))
        ++end;
    if (end == from || QStringView(text).sliced(from, end - from) == RedactedMark)
        return end;
    text.replace(from, end - from, RedactedMark.toString());
    return from + RedactedMark.size();
}

void redactAfter(QString& text, QLatin1String key, bool skipSpaces)
{
    qsizetype at = 0;
    while ((at = text.indexOf(key, at, Qt::CaseInsensitive)) >= 0) {
        qsizetype from = at + key.size();
        if (skipSpaces) {
            if (from >= text.size() || !text.at(from).isSpace()) {
                at = from;
                continue; // "Bearer" as a plain word
            }
            while (from < text.size() && text.at(from).isSpace())
                ++from;
        }
        at = replaceValue(text, from);
    }
}

// A JWT: three base64url parts, the first of which starts with `{"` encoded ("eyJ").
void redactJwts(QString& text)
{
    qsizetype at = 0;
    while ((at = text.indexOf(QLatin1String("eyJ"), at)) >= 0) {
        if (at > 0 && isBase64Url(text.at(at - 1))) {
            at += 3; // inside a longer word
            continue;
        }
        qsizetype end = at;
        int dots = 0;
        while (end < text.size() && (isBase64Url(text.at(end)) || text.at(end) == u'.')) {
            if (text.at(end) == u'.')
                ++dots;
            ++end;
        }
        if (dots >= 2) {
            text.replace(at, end - at, RedactedMark.toString());
            at += RedactedMark.size();
        } else {
            at = end;
        }
    }
}

} // namespace

QString redactSecrets(const QString& text)
{
    // Most log lines hold none of the markers: leave them untouched and uncopied.
    const bool hasToken = text.contains(QLatin1String("token="), Qt::CaseInsensitive);
    const bool hasBearer = text.contains(QLatin1String("bearer"), Qt::CaseInsensitive);
    const bool hasJwt = text.contains(QLatin1String("eyJ"));
    if (!hasToken && !hasBearer && !hasJwt)
        return text;
    QString result = text;
    if (hasToken)
        redactAfter(result, QLatin1String("token="), false);
    if (hasBearer)
        redactAfter(result, QLatin1String("bearer"), true);
    if (hasJwt)
        redactJwts(result);
    return result;
}

} // namespace switchboard
