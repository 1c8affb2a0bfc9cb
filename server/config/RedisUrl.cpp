#include "RedisUrl.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>

namespace switchboard {
namespace {

// The URL as an error message may show it: cut short, its password masked.
QString shown(const QString& text)
{
    static const QRegularExpression password(QStringLiteral("(://[^:@/]*:)[^@/]*@"));
    return QString(text.left(200)).replace(password, QStringLiteral("\\1***@"));
}

} // namespace

std::variant<RedisUrl, QString> RedisUrl::parse(const QString& text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != QLatin1String("redis"))
        return QCoreApplication::translate(
                   "RedisUrl", "\"%1\" is not a redis://[user:password@]host[:port][/db] URL")
            .arg(shown(text));
    if (url.host().isEmpty())
        return QCoreApplication::translate("RedisUrl", "\"%1\" names no host").arg(shown(text));
    if (url.hasQuery() || url.hasFragment())
        return QCoreApplication::translate("RedisUrl",
                                           "\"%1\": a Redis URL has no query or fragment")
            .arg(shown(text));
    RedisUrl result;
    result.host = url.host();
    const int port = url.port(6379);
    if (port <= 0 || port > 65535)
        return QCoreApplication::translate("RedisUrl", "\"%1\": the port must be 1 to 65535")
            .arg(shown(text));
    result.port = quint16(port);
    // A password may hold any character, percent-encoded: Redis gets the decoded one.
    result.user = url.userName(QUrl::FullyDecoded);
    result.password = url.password(QUrl::FullyDecoded);
    const QString path = url.path();
    if (!path.isEmpty() && path != QLatin1String("/")) {
        bool ok = false;
        result.database = path.mid(1).toInt(&ok);
        if (!ok || result.database < 0 || path.mid(1).contains(u'/'))
            return QCoreApplication::translate(
                       "RedisUrl", "\"%1\": the path must be a database number (/0, /1, ...)")
                .arg(shown(text));
    }
    return result;
}

std::variant<std::vector<RedisUrl>, QString> RedisUrl::parseList(const QString& text)
{
    std::vector<RedisUrl> urls;
    for (const QString& part : text.split(u',', Qt::SkipEmptyParts)) {
        const QString trimmed = part.trimmed();
        if (trimmed.isEmpty())
            continue;
        auto parsed = parse(trimmed);
        if (const QString* problem = std::get_if<QString>(&parsed))
            return *problem;
        const RedisUrl& url = std::get<RedisUrl>(parsed);
        if (std::find(urls.cbegin(), urls.cend(), url) != urls.cend())
            return QCoreApplication::translate("RedisUrl", "%1 is named twice").arg(url.display());
        urls.push_back(url);
    }
    return urls;
}

QString RedisUrl::toString() const
{
    QUrl url;
    url.setScheme(QStringLiteral("redis"));
    url.setUserName(user);
    url.setPassword(password);
    url.setHost(host);
    url.setPort(port);
    if (database != 0)
        url.setPath(u'/' + QString::number(database));
    // QUrl leaves a comma in the user or password as it is, and a list of URLs splits at commas.
    return url.toString(QUrl::FullyEncoded).replace(u',', QStringLiteral("%2C"));
}

QString RedisUrl::display() const
{
    QString text = host.contains(u':') ? u'[' + host + u']' : host;
    text += u':' + QString::number(port);
    if (database != 0)
        text += u'/' + QString::number(database);
    return text;
}

} // namespace switchboard
