#include "TlsFiles.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace switchboard {

std::variant<QSslConfiguration, QString> loadTlsConfiguration(const QString& certificateFile,
                                                              const QString& keyFile)
{
    if (!QSslSocket::supportsSsl())
        return QStringLiteral("--tls-cert: this build of Qt has no TLS backend");
    QFile certificate(certificateFile);
    if (!certificate.open(QIODevice::ReadOnly))
        return QStringLiteral("--tls-cert: \"%1\" cannot be read: %2")
            .arg(certificateFile, certificate.errorString());
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certificate.readAll());
    if (chain.isEmpty() || chain.first().isNull())
        return QStringLiteral("--tls-cert: \"%1\" holds no PEM certificate").arg(certificateFile);

    QFile keyText(keyFile);
    if (!keyText.open(QIODevice::ReadOnly))
        return QStringLiteral("--tls-key: \"%1\" cannot be read: %2")
            .arg(keyFile, keyText.errorString());
    const QByteArray pem = keyText.readAll();
    QSslKey key;
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        key = QSslKey(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull())
        return QStringLiteral("--tls-key: \"%1\" holds no unencrypted PEM private key (RSA, EC "
                              "or DSA)")
            .arg(keyFile);

    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // clients bring tokens, not certs
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    return configuration;
}

std::optional<QString> tlsFilesProblem(const QString& certificateFile, const QString& keyFile)
{
    auto loaded = loadTlsConfiguration(certificateFile, keyFile);
    if (auto* reason = std::get_if<QString>(&loaded))
        return *reason;
    return std::nullopt;
}

} // namespace switchboard
