#pragma once

// The server's side of the WebSocket opening handshake (RFC 6455 §4.2): the request head of
// an upgrade, checked, and the 101 answer.
//
// Written here rather than left to QWebSocketServer because Qt WebSockets 6.4 can only
// accept a connection by writing its answer through QAbstractSocket's write buffer, which
// then keeps a 32 KiB block for the connection's whole life, and wraps it in a QWebSocket
// (~29 signal connections); together more than the rest of an idle connection costs. Only
// upgrades come here; every other request is parsed by Qt HTTP Server.

#include "RequestHead.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

#include <optional>
#include <utility>
#include <variant>

namespace switchboard {

class UpgradeRequest {
public:
    struct Refusal {
        int status;
        QString message;
        QList<std::pair<QByteArray, QByteArray>> headers; // e.g. Sec-WebSocket-Version: 13
    };

    // True when `head` (a request head without its final empty line) asks for a WebSocket.
    static bool isUpgrade(const QByteArray& head);

    // Parses and checks the head of an upgrade request: GET, HTTP/1.1, an origin-form
    // target, `Upgrade: websocket`, `Connection: Upgrade`, version 13 and a 16-byte key.
    static std::variant<UpgradeRequest, Refusal> parse(const QByteArray& head);

    const QUrl& url() const { return m_url; }
    // The first value of a header, by case-insensitive name; empty when absent.
    QByteArray value(QByteArrayView name) const { return m_head.value(name); }
    // Every value of a header that may repeat, joined with commas (RFC 9110 §5.3).
    QByteArray joinedValues(QByteArrayView name) const { return m_head.values(name).join(", "); }

    // The 101 Switching Protocols answer for this request.
    QByteArray acceptResponse() const;
    // The Sec-WebSocket-Accept value for a client's key.
    static QByteArray acceptKey(const QByteArray& clientKey);

private:
    explicit UpgradeRequest(RequestHead head)
        : m_head(std::move(head))
    {}

    RequestHead m_head;
    QUrl m_url;
};

} // namespace switchboard
