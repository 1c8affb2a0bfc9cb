#pragma once

// The head of an HTTP/1.x request as the listener sees it before Qt HTTP Server would: the
// request line and the header fields (names in lower case), for the requests this server
// reads itself, WebSocket upgrades (UpgradeRequest) and uploads (UploadIntake).

#include <QByteArray>
#include <QList>
#include <QString>

#include <utility>
#include <variant>

namespace switchboard {

class RequestHead {
public:
    struct Malformed {
        QString message;
    };

    // Parses `head` (without its final empty line): "METHOD target HTTP/x.y", then one
    // "name: value" per line, names made of RFC 9110 token characters.
    static std::variant<RequestHead, Malformed> parse(const QByteArray& head);

    const QByteArray& method() const { return m_method; }
    const QByteArray& target() const { return m_target; }
    const QByteArray& version() const { return m_version; } // "HTTP/1.1"
    // The first value of a header, by case-insensitive name; empty when absent.
    QByteArray value(QByteArrayView name) const;
    // Every value of a header that may repeat.
    QList<QByteArray> values(QByteArrayView name) const;

private:
    QByteArray m_method;
    QByteArray m_target;
    QByteArray m_version;
    QList<std::pair<QByteArray, QByteArray>> m_headers; // names in lower case
};

} // namespace switchboard
