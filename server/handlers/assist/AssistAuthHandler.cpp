// 002 `auth {token}`: signs in a connection that connected without ?token=, answers with a new
// `connection` message, and joins the user's own rooms. A bad token closes the connection
// (1008): "invalid tokens result in immediate disconnection". The document's own client sends
// its query token again in an `auth` message on open: an `auth` for the identity the
// connection already has is acknowledged quietly (no second `connection`; an `ack` when it
// carries an id); one for another identity is refused and changes nothing.

#include "../../auth/TokenVerifier.h"
#include "../../config/HubConfig.h"
#include "../../hub/Hub.h"
#include "../../hub/Subscriber.h"
#include "../../protocol/Fields.h"
#include "../HandlerRegistry.h"
#include "AssistConnection.h"

#include <QJsonArray>

namespace switchboard {
namespace {

QJsonObject schema()
{
    return QJsonObject{
        {QLatin1String("type"), QLatin1String("object")},
        {QLatin1String("required"), QJsonArray{QLatin1String("token")}},
        {QLatin1String("properties"),
         QJsonObject{{QLatin1String("token"),
                      QJsonObject{{QLatin1String("type"), QLatin1String("string")}}}}}};
}

bool sameIdentity(const Identity& a, const Identity& b)
{
    return a.subject == b.subject && a.role == b.role && a.tenant == b.tenant;
}

void refuseAndClose(HandlerContext& context, const QString& reason)
{
    context.fail(ErrorCode::AuthenticationFailed, reason);
    context.subscriber.close(CloseCode::Policy, QStringLiteral("invalid token"));
}

void handle(HandlerContext& context)
{
    Subscriber& subscriber = context.subscriber;
    const bool signingIn = !subscriber.identity().isAuthenticated();
    Fields fields(context.message.data, QString());
    const QString token = fields.requiredString(QStringLiteral("token"), 8192);
    if (!fields.ok()) {
        // Under required auth nothing but a valid auth is served before sign-in.
        if (signingIn && context.services.config.authMode == AuthMode::Required)
            return refuseAndClose(context, fields.error()->message);
        return context.fail(*fields.error());
    }
    auto verified = context.services.tokens.verify(token.toUtf8());
    if (auto* reason = std::get_if<QString>(&verified))
        return refuseAndClose(context, *reason);
    const Identity& identity = std::get<Identity>(verified);
    if (!signingIn) {
        if (sameIdentity(identity, subscriber.identity()))
            return; // the document's client: ?token= and the same token in an auth message
        return context.fail(ErrorCode::AuthenticationFailed,
                            QStringLiteral("this connection is signed in as \"%1\"; another "
                                           "identity needs a connection of its own")
                                .arg(subscriber.identity().subject.left(128)));
    }
    if (context.refuseIfBlocked(identity))
        return;
    subscriber.setIdentity(identity);
    QJsonObject reply = assist::connectionData(subscriber);
    reply.insert(QLatin1String("type"), QLatin1String("connection"));
    context.reply(reply);
    subscribeAutoTopics(context);
    assist::announceActivity(subscriber, context.services.hub, QStringLiteral("connected"));
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(
    QLatin1String("assist"), QLatin1String("auth"), Access::Anyone,
    QLatin1String("Sign in with a JWT: {\"type\":\"auth\",\"token\"}; under --auth required the "
                  "first message of a connection without ?token="),
    &schema, &handle)

} // namespace switchboard
