#include "TokenCommand.h"

#include "SecretStore.h"
#include "TokenVerifier.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QRegularExpression>

#include <optional>

namespace switchboard {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("TokenCommand", text);
}

TokenCommandResult failure(const QString& message)
{
    return {2, QStringLiteral("switchboard-server token: ") + message + u'\n'};
}

// "90", "90s", "30m", "24h", "7d" -> seconds.
std::optional<qint64> parseTtl(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{1,9})([smhd]?)$"));
    const QRegularExpressionMatch match = pattern.match(text.trimmed());
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 amount = match.captured(1).toLongLong();
    const QString unit = match.captured(2);
    const qint64 scale = unit == QLatin1String("m")   ? 60
                         : unit == QLatin1String("h") ? 3600
                         : unit == QLatin1String("d") ? 86400
                                                      : 1;
    const qint64 seconds = amount * scale;
    if (seconds <= 0 || seconds > qint64(10) * 365 * 86400)
        return std::nullopt;
    return seconds;
}

QString usage()
{
    return tr("Usage: switchboard-server token issue --sub ID [--role user|service|admin] "
              "[--tenant T] [--ttl 24h] [--name N] [--email E] [--jwt-private-key FILE]\n"
              "Prints a JWT signed with JWT_SECRET_KEY, else with the secret kept in the OS "
              "keychain (HS256), or with --jwt-private-key (RS256).\n");
}

} // namespace

bool isTokenCommand(const QStringList& arguments)
{
    return arguments.size() >= 2 && arguments.at(1) == QLatin1String("token");
}

TokenCommandResult runTokenCommand(const QStringList& arguments,
                                   const QProcessEnvironment& environment,
                                   const QString& keychainService)
{
    if (arguments.size() >= 3 &&
        (arguments.at(2) == QLatin1String("--help") || arguments.at(2) == QLatin1String("-h")))
        return {0, usage()};
    if (arguments.size() < 3 || arguments.at(2) != QLatin1String("issue"))
        return failure(tr("the only subcommand is \"issue\" (see token --help)"));

    static const QStringList known = {QStringLiteral("sub"),
                                      QStringLiteral("role"),
                                      QStringLiteral("tenant"),
                                      QStringLiteral("ttl"),
                                      QStringLiteral("name"),
                                      QStringLiteral("email"),
                                      QStringLiteral("jwt-private-key")};
    QHash<QString, QString> values;
    for (qsizetype i = 3; i < arguments.size(); ++i) {
        const QString& argument = arguments.at(i);
        if (argument == QLatin1String("--help") || argument == QLatin1String("-h"))
            return {0, usage()};
        if (!argument.startsWith(QLatin1String("--")))
            return failure(tr("\"%1\": unexpected argument").arg(argument));
        const qsizetype equals = argument.indexOf(u'=');
        const QString name = equals < 0 ? argument.mid(2) : argument.mid(2, equals - 2);
        if (!known.contains(name))
            return failure(tr("--%1: unknown option").arg(name));
        if (equals >= 0)
            values.insert(name, argument.mid(equals + 1));
        else if (i + 1 < arguments.size() && !arguments.at(i + 1).startsWith(QLatin1String("--")))
            values.insert(name, arguments.at(++i));
        else
            return failure(tr("--%1: needs a value").arg(name));
    }

    Identity identity;
    identity.subject = values.value(QStringLiteral("sub")).trimmed();
    if (identity.subject.isEmpty())
        return failure(tr("--sub: the user id is required"));
    const QString role = values.value(QStringLiteral("role"), QStringLiteral("user"));
    if (role != QLatin1String("user") && role != QLatin1String("service") &&
        role != QLatin1String("admin"))
        return failure(tr("--role: \"%1\" is not a role (user, service or admin)").arg(role));
    identity.role = roleFromName(role);
    identity.tenant = values.value(QStringLiteral("tenant"));
    identity.name = values.value(QStringLiteral("name"));
    identity.email = values.value(QStringLiteral("email"));
    const std::optional<qint64> ttl =
        parseTtl(values.value(QStringLiteral("ttl"), QStringLiteral("24h")));
    if (!ttl)
        return failure(tr("--ttl: \"%1\" is not a duration (such as 3600, 90s, 30m, 24h or 7d)")
                           .arg(values.value(QStringLiteral("ttl"))));

    std::optional<TokenVerifier> signer;
    if (values.contains(QStringLiteral("jwt-private-key"))) {
        const QString path = values.value(QStringLiteral("jwt-private-key"));
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return failure(
                tr("--jwt-private-key: \"%1\" cannot be read: %2").arg(path, file.errorString()));
        const QByteArray pem = file.read(1024 * 1024);
        if (!pem.contains("PRIVATE KEY-----"))
            return failure(tr("--jwt-private-key: \"%1\" holds no PEM private key").arg(path));
        signer.emplace(TokenAlgorithm::RS256, QByteArray(), pem);
    } else {
        QByteArray secret = environment.value(QStringLiteral("JWT_SECRET_KEY")).toUtf8();
        if (secret.isEmpty()) {
            const SecretStore::Result stored = SecretStore(keychainService).jwtSecret();
            if (stored.secret.isEmpty())
                return failure(tr("JWT_SECRET_KEY is not set and the OS keychain cannot be "
                                  "reached (%1); set JWT_SECRET_KEY to the hub's secret")
                                   .arg(stored.error));
            secret = stored.secret;
        }
        signer.emplace(secret);
    }
    const QByteArray token = signer->issue(identity, std::chrono::seconds(*ttl));
    if (token.isEmpty())
        return failure(tr("the key could not sign the token"));
    return {0, QString::fromLatin1(token) + u'\n'};
}

} // namespace switchboard
