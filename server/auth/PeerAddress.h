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

} // namespace switchboard
