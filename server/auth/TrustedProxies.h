#pragma once

// Who a request comes from when a reverse proxy, a load balancer or a NAT gateway stands
// between: the TCP peer, unless that peer is one of the operator's trusted proxies
// (--trusted-proxy), in which case the address the proxy forwarded. Only what trusted proxies
// add is believed: the forwarding chain is read from the right (the hop nearest the hub) and
// the first address that is not itself a trusted proxy is the client; anything a client wrote
// into the header further left is ignored. Without trusted proxies the headers are never read.

#include <QByteArray>
#include <QHostAddress>
#include <QList>

#include <utility>

namespace switchboard {

class TrustedProxies {
public:
    // Networks as (address, prefix length); a single address has the full length.
    explicit TrustedProxies(QList<std::pair<QHostAddress, int>> networks = {});

    bool isEmpty() const { return m_networks.isEmpty(); }
    bool trusts(const QHostAddress& address) const;

    // The client's address. `forwardedFor` is X-Forwarded-For and `forwarded` RFC 7239's
    // Forwarded, each with every line of the header joined by commas; X-Forwarded-For is read
    // when present (what nginx, HAProxy and the cloud load balancers set), else Forwarded.
    // An entry that is not an address (`unknown`, an obfuscated name) ends the walk: the hop
    // that wrote it is the client as far as the hub can tell.
    QHostAddress clientOf(const QHostAddress& peer, const QByteArray& forwardedFor,
                          const QByteArray& forwarded) const;

    // The address an X-Forwarded-For or Forwarded entry names ("203.0.113.7",
    // "[2001:db8::1]:4711", "for=\"[2001:db8::1]\""); null when it names none.
    static QHostAddress parseEntry(QByteArray entry);

private:
    QList<std::pair<QHostAddress, int>> m_networks;
};

} // namespace switchboard
