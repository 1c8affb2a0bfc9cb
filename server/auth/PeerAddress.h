#pragma once

#include <QHostAddress>
#include <QString>

namespace switchboard {

// A peer's address as people know it: a dual-stack socket sees IPv4 clients as
// ::ffff:a.b.c.d, which is shown (and counted, and rate-limited) as a.b.c.d.
inline QString displayAddress(const QHostAddress& address)
{
    bool isIPv4 = false;
    const quint32 ipv4 = address.toIPv4Address(&isIPv4);
    return isIPv4 ? QHostAddress(ipv4).toString() : address.toString();
}

// A client's address with its port, as the connections view shows it: "a.b.c.d:port",
// "[2001:db8::1]:port"; the address alone when the port is not known (a client behind a
// proxy, whose port the proxy does not forward).
inline QString remoteText(const QHostAddress& address, quint16 port = 0)
{
    const QString shown = displayAddress(address);
    if (port == 0)
        return shown;
    return (shown.contains(u':') ? u'[' + shown + u']' : shown) + u':' + QString::number(port);
}

// The address of a remoteText(): "a.b.c.d:port" -> "a.b.c.d", "[::1]:port" -> "::1"; an
// address without a port is returned as it is.
inline QString addressOfRemote(const QString& remote)
{
    if (remote.startsWith(u'[')) {
        const qsizetype close = remote.indexOf(u']');
        return close > 0 ? remote.mid(1, close - 1) : remote;
    }
    if (remote.count(u':') == 1)
        return remote.left(remote.indexOf(u':'));
    return remote;
}

} // namespace switchboard
