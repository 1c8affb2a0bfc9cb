#pragma once

// Which browser pages may talk to the hub (SPEC §7): a WebSocket upgrade or a REST call that
// carries an Origin header is allowed when the origin is the hub's own (same scheme-less
// host and port as the Host header), a loopback page, or on the --allow-origin list ("*" for
// any). Requests without an Origin header do not come from a browser page and are not
// judged here. The same answer drives CORS on REST.

#include <QByteArray>
#include <QStringList>

namespace switchboard {

class OriginPolicy {
public:
    explicit OriginPolicy(QStringList allowed);

    // `origin` and `host` are the request's Origin and Host headers (either may be empty).
    bool allows(const QByteArray& origin, const QByteArray& host) const;

private:
    QStringList m_allowed; // lower-case "scheme://host[:port]", or "*"
    bool m_any = false;
};

} // namespace switchboard
