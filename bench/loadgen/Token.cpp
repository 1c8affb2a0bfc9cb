#include "Token.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

namespace loadgen {

namespace {

QByteArray base64Url(QByteArrayView bytes)
{
    return bytes.toByteArray().toBase64(QByteArray::Base64UrlEncoding |
                                        QByteArray::OmitTrailingEquals);
}

} // namespace

std::string signHs256(std::string_view payloadJson, const QByteArray& secret)
{
    static const QByteArray header = base64Url(R"({"alg":"HS256","typ":"JWT"})");
    QByteArray signingInput = header;
    signingInput += '.';
    signingInput += base64Url(QByteArrayView(payloadJson.data(), qsizetype(payloadJson.size())));
    const QByteArray signature =
        QMessageAuthenticationCode::hash(signingInput, secret, QCryptographicHash::Sha256);
    signingInput += '.';
    signingInput += base64Url(signature);
    return signingInput.toStdString();
}

std::string benchToken(const QByteArray& secret, std::string_view subject, std::string_view role,
                       int64_t nowSeconds, int64_t ttlSeconds)
{
    std::string claims = R"({"sub":")";
    claims += subject;
    claims += R"(","role":")";
    claims += role;
    claims += R"(","iat":)";
    claims += std::to_string(nowSeconds);
    claims += R"(,"exp":)";
    claims += std::to_string(nowSeconds + ttlSeconds);
    claims += '}';
    return signHs256(claims, secret);
}

} // namespace loadgen
