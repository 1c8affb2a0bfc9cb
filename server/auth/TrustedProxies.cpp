#include "TrustedProxies.h"

namespace switchboard {

namespace {

// A dual-stack socket sees IPv4 peers as ::ffff:a.b.c.d; subnets are written as a.b.c.d/n.
QHostAddress normalized(const QHostAddress& address)
{
    bool isIPv4 = false;
    const quint32 ipv4 = address.toIPv4Address(&isIPv4);
    return isIPv4 ? QHostAddress(ipv4) : address;
}

// The addresses of a forwarding chain, leftmost (the original client) first; a null entry
// stands for one that named no address.
QList<QHostAddress> chain(const QByteArray& forwardedFor, const QByteArray& forwarded)
{
    QList<QHostAddress> hops;
    if (!forwardedFor.trimmed().isEmpty()) {
        for (const QByteArray& entry : forwardedFor.split(','))
            hops.append(TrustedProxies::parseEntry(entry));
        return hops;
    }
    // Forwarded: for=...;proto=...;by=..., for=...
    for (const QByteArray& element : forwarded.split(',')) {
        QHostAddress address;
        for (const QByteArray& pair : element.split(';')) {
            const QByteArray trimmed = pair.trimmed();
            if (trimmed.left(4).toLower() == "for=")
                address = TrustedProxies::parseEntry(trimmed.mid(4));
        }
        if (!element.trimmed().isEmpty())
            hops.append(address);
    }
    return hops;
}

} // namespace

TrustedProxies::TrustedProxies(QList<std::pair<QHostAddress, int>> networks)
    : m_networks(std::move(networks))
{
    for (auto& [address, length] : m_networks)
        address = normalized(address);
}

bool TrustedProxies::trusts(const QHostAddress& address) const
{
    const QHostAddress candidate = normalized(address);
    for (const auto& [network, length] : m_networks) {
        if (candidate.isInSubnet(network, length))
            return true;
    }
    return false;
}

QHostAddress TrustedProxies::parseEntry(QByteArray entry)
{
    entry = entry.trimmed();
    if (entry.size() >= 2 && entry.startsWith('"') && entry.endsWith('"'))
        entry = entry.mid(1, entry.size() - 2).trimmed();
    if (entry.isEmpty() || entry.size() > 64)
        return {};
    if (entry.startsWith('[')) { // [v6] or [v6]:port
        const qsizetype close = entry.indexOf(']');
        if (close < 0)
            return {};
        entry = entry.mid(1, close - 1);
    } else if (entry.count(':') == 1) { // a.b.c.d:port
        entry = entry.left(entry.indexOf(':'));
    }
    QHostAddress address;
    if (!address.setAddress(QString::fromLatin1(entry)))
        return {};
    return normalized(address);
}

QHostAddress TrustedProxies::clientOf(const QHostAddress& peer, const QByteArray& forwardedFor,
                                      const QByteArray& forwarded) const
{
    QHostAddress client = normalized(peer);
    if (m_networks.isEmpty() || !trusts(client))
        return client;
    const QList<QHostAddress> hops = chain(forwardedFor, forwarded);
    for (qsizetype i = hops.size() - 1; i >= 0; --i) {
        if (hops[i].isNull())
            break;
        client = hops[i];
        if (!trusts(client))
            break;
    }
    return client;
}

} // namespace switchboard
