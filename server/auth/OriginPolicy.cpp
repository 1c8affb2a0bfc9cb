#include "OriginPolicy.h"

#include <QHostAddress>
#include <QUrl>

namespace switchboard {

namespace {

bool isLoopbackHost(const QString& host)
{
    if (host == QLatin1String("localhost") || host.endsWith(QLatin1String(".localhost")))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace

OriginPolicy::OriginPolicy(QStringList allowed, bool checkHost)
    : m_allowed(std::move(allowed))
    , m_any(m_allowed.contains(QStringLiteral("*")))
    , m_checkHost(checkHost)
{
    for (QString& origin : m_allowed) {
        while (origin.endsWith(u'/'))
            origin.chop(1);
        origin = origin.toLower();
        const QString host = QUrl(origin).host();
        if (!host.isEmpty())
            m_allowedHosts.append(host);
    }
}

bool OriginPolicy::allowsHost(const QByteArray& host) const
{
    if (!m_checkHost || m_any)
        return true;
    QString name = QString::fromLatin1(host).trimmed().toLower();
    if (name.isEmpty())
        return true; // not a browser: every browser sends Host
    if (name.startsWith(u'['))
        return true; // an IPv6 address cannot be rebound
    const qsizetype colon = name.lastIndexOf(u':');
    if (colon >= 0)
        name.truncate(colon);
    if (name.endsWith(u'.'))
        name.chop(1); // "localhost." is localhost
    if (!QHostAddress(name).isNull() || isLoopbackHost(name))
        return true;
    return m_allowedHosts.contains(name);
}

QString OriginPolicy::hostRefusal(const QByteArray& host)
{
    return QStringLiteral("host %1 is not served without authentication: use an IP address or "
                          "localhost, or name it with --allow-origin")
        .arg(QString::fromLatin1(host.left(200)));
}

bool OriginPolicy::allows(const QByteArray& origin, const QByteArray& host) const
{
    if (origin.isEmpty())
        return true; // not a browser page
    if (m_any)
        return true;
    const QString text = QString::fromLatin1(origin).trimmed().toLower();
    if (m_allowed.contains(text))
        return true;
    // "null" (a sandboxed frame, a file: page) matches nothing but an explicit entry.
    const QUrl url(text);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        return false;
    if (isLoopbackHost(url.host()))
        return true;
    // Same origin: the page was served by this hub under the name the browser used for it.
    if (!host.isEmpty()) {
        const int defaultPort = url.scheme() == QLatin1String("https") ? 443 : 80;
        const QString pageAuthority =
            (url.host().contains(u':') ? u'[' + url.host() + u']' : url.host()) + u':' +
            QString::number(url.port(defaultPort));
        QString hostAuthority = QString::fromLatin1(host).trimmed().toLower();
        if (!hostAuthority.contains(QLatin1String("]:")) &&
            (hostAuthority.startsWith(u'[') || !hostAuthority.contains(u':')))
            hostAuthority += u':' + QString::number(defaultPort);
        if (pageAuthority == hostAuthority)
            return true;
    }
    return false;
}

} // namespace switchboard
