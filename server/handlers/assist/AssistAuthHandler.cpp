// 002 `auth {token}`: authenticates a connection that connected without ?token=, answers
// with a new `connection` message, and joins the user's own rooms. A bad token closes the
// connection (1008), as the document says.

#include "../../auth/TokenVerifier.h"
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

void handle(HandlerContext& context)
{
    Fields fields(context.message.data, QString());
    const QString token = fields.requiredString(QStringLiteral("token"), 8192);
    if (!fields.ok())
        return context.fail(*fields.error());
    Subscriber& subscriber = context.subscriber;
    if (subscriber.identity().isAuthenticated())
        return context.fail(ErrorCode::InvalidMessage,
                            QStringLiteral("this connection is already authenticated"));
    auto verified = context.services.tokens.verify(token.toUtf8());
    if (auto* reason = std::get_if<QString>(&verified)) {
        context.fail(ErrorCode::AuthenticationFailed, *reason);
        subscriber.close(CloseCode::Policy, QStringLiteral("invalid token"));
        return;
    }
    if (context.refuseIfBlocked(std::get<Identity>(verified)))
        return;
    subscriber.setIdentity(std::get<Identity>(verified));
    QJsonObject reply = assist::connectionData(subscriber);
    reply.insert(QLatin1String("type"), QLatin1String("connection"));
    context.reply(reply);
    subscribeAutoTopics(context);
    assist::announceActivity(subscriber, context.services.hub, QStringLiteral("connected"));
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(
    QLatin1String("assist"), QLatin1String("auth"), Access::Anyone,
    QLatin1String("Authenticate with a JWT: {\"type\":\"auth\",\"token\"}"), &schema, &handle)

} // namespace switchboard
