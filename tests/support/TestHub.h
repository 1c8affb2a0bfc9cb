#pragma once

// Starts the real hub in its own thread on a free port for one test, and gives the URLs
// and tokens a test needs.

#include "HubHost.h"
#include "auth/TokenVerifier.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUrl>

#include <chrono>
#include <memory>

namespace switchboard::test {

inline const QByteArray testSecret = "test-secret-0123456789abcdef0123456789";

inline HubConfig testConfig()
{
    HubConfig config;
    config.bindAddress = QHostAddress::LocalHost;
    config.port = 0;
    config.authMode = AuthMode::Required;
    config.jwtSecret = testSecret;
    config.snapshotInterval = std::chrono::milliseconds(50);
    // Rate and per-address limits have tests of their own (tests/security, with small limits);
    // elsewhere clients send and connect as fast as a test needs.
    config.requestsPerMinute = 1'000'000'000;
    config.requestsPerHour = 1'000'000'000;
    config.wsMaxMessages = 1'000'000'000;
    config.anonymousRequestsPerMinutePerAddress = 1'000'000'000;
    config.maxConnectionsPerIp = 1'000'000;
    return config;
}

class TestHub {
    // Declared first so that it is removed last, after the hub has stopped.
    QTemporaryDir m_dataDir;

public:
    explicit TestHub(HubConfig config = testConfig())
        : m_verifier(config.jwtSecret)
    {
        // Every hub gets its own data folder (database, entities, reports), gone after the test.
        if (config.dataDir.isEmpty())
            config.dataDir = m_dataDir.path();
        host = std::make_unique<HubHost>(config);
        startError = host->start();
    }

    QString dataDir() const { return host->config().dataDir; }

    QUrl ws(const QString& path = QStringLiteral("/ws/v1"), const QByteArray& token = {}) const
    {
        QUrl url(QStringLiteral("ws://127.0.0.1:%1%2").arg(host->port()).arg(path));
        if (!token.isEmpty())
            url.setQuery(QStringLiteral("token=") + QString::fromUtf8(token));
        return url;
    }

    QUrl http(const QString& path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(host->port()).arg(path));
    }

    QByteArray token(const QString& subject, Role role, const QString& tenant = {},
                     std::chrono::seconds ttl = std::chrono::seconds(3600)) const
    {
        Identity identity;
        identity.subject = subject;
        identity.role = role;
        identity.tenant = tenant;
        return m_verifier.issue(identity, ttl);
    }

    struct Reply {
        int status = 0;
        QByteArray body;
        QNetworkReply::NetworkError error = QNetworkReply::NoError;
        QList<QNetworkReply::RawHeaderPair> headers;
        QByteArray header(const QByteArray& name) const
        {
            for (const auto& [key, value] : headers) {
                if (key.compare(name, Qt::CaseInsensitive) == 0)
                    return value;
            }
            return {};
        }
    };

    // A real HTTP request over a real socket; waits for the reply.
    Reply send(const QByteArray& method, const QString& path, const QByteArray& body = {},
               const QByteArray& bearer = {},
               const QList<QPair<QByteArray, QByteArray>>& headers = {})
    {
        QNetworkRequest request(http(path));
        if (!bearer.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + bearer);
        if (!body.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader,
                              QByteArrayLiteral("application/json"));
        for (const auto& [name, value] : headers)
            request.setRawHeader(name, value);
        QNetworkReply* reply = m_network.sendCustomRequest(request, method, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(10000);
        Reply result;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = reply->readAll();
        result.error = reply->error();
        result.headers = reply->rawHeaderPairs();
        reply->deleteLater();
        return result;
    }

    std::unique_ptr<HubHost> host;
    std::optional<QString> startError;

private:
    TokenVerifier m_verifier;
    QNetworkAccessManager m_network;
};

} // namespace switchboard::test
