#include "WebhookSender.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace switchboard {

namespace {

Q_LOGGING_CATEGORY(lcWebhooks, "switchboard.alerts", QtInfoMsg)

} // namespace

WebhookSender::WebhookSender(Options options, QObject* parent)
    : QObject(parent)
    , m_options(options)
    , m_network(this)
{
    m_network.setAutoDeleteReplies(true);
}

QString WebhookSender::loggable(const QUrl& url)
{
    return url.toString(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery |
                        QUrl::RemoveFragment);
}

bool WebhookSender::post(const QUrl& url, const QJsonObject& body)
{
    if (m_pending >= m_options.maxPending) {
        qCWarning(lcWebhooks, "webhook %s: notification dropped, %d already waiting",
                  qUtf8Printable(loggable(url)), m_pending);
        return false;
    }
    ++m_pending;
    attempt(url, QJsonDocument(body).toJson(QJsonDocument::Compact), 1);
    return true;
}

void WebhookSender::attempt(const QUrl& url, const QByteArray& body, int number)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QByteArrayLiteral("Switchboard/" SWITCHBOARD_VERSION));
    request.setTransferTimeout(int(m_options.timeout.count()));
    QNetworkReply* reply = m_network.post(request, body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, url, body, number] {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() == QNetworkReply::NoError && status >= 200 && status < 300) {
            --m_pending;
            emit delivered(url, number, status);
            return;
        }
        const QString why =
            status > 0 ? QStringLiteral("HTTP %1").arg(status) : reply->errorString();
        if (number >= m_options.maxAttempts) {
            --m_pending;
            qCWarning(lcWebhooks, "webhook %s: gave up after %d attempts (%s)",
                      qUtf8Printable(loggable(url)), number, qUtf8Printable(why));
            emit failed(url, number, why);
            return;
        }
        const auto delay = m_options.firstRetry * (1 << std::min(number - 1, 10));
        QTimer::singleShot(delay, this,
                           [this, url, body, number] { attempt(url, body, number + 1); });
    });
}

} // namespace switchboard
