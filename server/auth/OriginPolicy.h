#pragma once

// Which browser pages may talk to the hub (SPEC §7): a WebSocket upgrade or a REST call that
// carries an Origin header is allowed when the origin is the hub's own (same scheme-less
// host and port as the Host header), a loopback page, or on the --allow-origin list ("*" for
// any). Requests without an Origin header do not come from a browser page and are not
// judged here. The same answer drives CORS on REST.
//
// Same-origin trusts the Host header, which DNS rebinding turns against a hub on a private
// address: a foreign page whose name has been made to resolve to the hub is "same-origin"
// with it (and sends no Origin at all on a same-origin GET). When authentication is not
// required nothing else stands in its way, so then the Host header itself is checked: an IP
// address, `localhost`, or a host named on the allow-list; any other name is refused.

#include <QByteArray>
#include <QStringList>

namespace switchboard {

class OriginPolicy {
public:
    // `checkHost`: judge Host headers too (when authentication is not required).
    explicit OriginPolicy(QStringList allowed, bool checkHost = false);

    // `origin` and `host` are the request's Origin and Host headers (either may be empty).
    bool allows(const QByteArray& origin, const QByteArray& host) const;
    // Whether a request with this Host header may be served at all (always, without
    // `checkHost`, with "*" on the list, or without a Host header).
    bool allowsHost(const QByteArray& host) const;
    // The error text for a refused Host header.
    static QString hostRefusal(const QByteArray& host);

private:
    QStringList m_allowed;      // lower-case "scheme://host[:port]", or "*"
    QStringList m_allowedHosts; // the host names of m_allowed
    bool m_any = false;
    bool m_checkHost = false;
};

} // namespace switchboard
