#include "Redaction.h"

#include <QtGlobal>

#include <atomic>
#include <cstdio>

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

// In a URL-encoded query (`token%3D...`), an encoded `&` ends the value too.
bool isEncodedAmpersand(const QString& text, qsizetype at)
{
    return text.at(at) == u'%' && at + 2 < text.size() && text.at(at + 1) == u'2' &&
           text.at(at + 2) == u'6';
}

// Replaces the value that starts at `from` and runs until endsValue() with the mark.
// Returns where scanning continues.
qsizetype replaceValue(QString& text, qsizetype from, bool encoded = false)
{
    qsizetype end = from;
    while (end < text.size() && !endsValue(text.at(end)) &&
           !(encoded && isEncodedAmpersand(text, end)))
        ++end;
    if (end == from || QStringView(text).sliced(from, end - from) == RedactedMark)
        return end;
    text.replace(from, end - from, RedactedMark.toString());
    return from + RedactedMark.size();
}

void redactAfter(QString& text, QLatin1String key, bool skipSpaces, bool encoded = false)
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
            // "a bearer token is required": the word, not a credential.
            const QLatin1String word("token");
            const qsizetype after = from + word.size();
            if (QStringView(text).sliced(from).startsWith(word, Qt::CaseInsensitive) &&
                (after == text.size() || endsValue(text.at(after)))) {
                at = after;
                continue;
            }
        }
        at = replaceValue(text, from, encoded);
    }
}

// A JSON member whose name ends in "token" ("token", "access_token", ...) and whose value is
// a string: `"token": "value"`, also inside an escaped JSON string (`\"token\":\"value\"`).
void redactJsonMembers(QString& text)
{
    const QLatin1String key("token");
    qsizetype at = 0;
    while ((at = text.indexOf(key, at, Qt::CaseInsensitive)) >= 0) {
        qsizetype i = at + key.size();
        at = i;
        const auto skip = [&text, &i](QChar c) {
            if (i < text.size() && text.at(i) == c)
                ++i;
        };
        const auto skipSpaces = [&text, &i] {
            while (i < text.size() && text.at(i).isSpace())
                ++i;
        };
        skip(u'\\');
        if (i >= text.size() || text.at(i) != u'"')
            continue;
        ++i;
        skipSpaces();
        if (i >= text.size() || text.at(i) != u':')
            continue;
        ++i;
        skipSpaces();
        skip(u'\\');
        if (i >= text.size() || text.at(i) != u'"')
            continue;
        const qsizetype from = ++i;
        qsizetype end = from;
        while (end < text.size() && text.at(end) != u'"' && text.at(end) != u'\\')
            ++end;
        if (end == from || QStringView(text).sliced(from, end - from) == RedactedMark) {
            at = end;
            continue;
        }
        text.replace(from, end - from, RedactedMark.toString());
        at = from + RedactedMark.size();
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

std::atomic<QtMessageHandler> g_nextHandler{nullptr};

void redactingHandler(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    const QString clean = redactSecrets(message);
    if (const QtMessageHandler next = g_nextHandler.load()) {
        next(type, context, clean);
        return;
    }
    std::fputs(qUtf8Printable(qFormatLogMessage(type, context, clean) + u'\n'), stderr);
    std::fflush(stderr);
}

} // namespace

void installRedactingMessageHandler()
{
    g_nextHandler.store(qInstallMessageHandler(redactingHandler));
}

QString redactSecrets(const QString& text)
{
    // Most log lines hold none of the markers: leave them untouched and uncopied.
    const bool hasToken = text.contains(QLatin1String("token"), Qt::CaseInsensitive);
    const bool hasBearer = text.contains(QLatin1String("bearer"), Qt::CaseInsensitive);
    const bool hasJwt = text.contains(QLatin1String("eyJ"));
    if (!hasToken && !hasBearer && !hasJwt)
        return text;
    QString result = text;
    if (hasToken) {
        redactAfter(result, QLatin1String("token="), false);
        redactAfter(result, QLatin1String("token%3D"), false, true); // URL-encoded once more
        redactJsonMembers(result);
    }
    if (hasBearer)
        redactAfter(result, QLatin1String("bearer"), true);
    if (hasJwt)
        redactJwts(result);
    return result;
}

} // namespace switchboard
