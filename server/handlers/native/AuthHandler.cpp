// native `auth {token}`: authenticates (or re-authenticates) the connection with a JWT.

#include "../../auth/TokenVerifier.h"
#include "../../auth/TopicPolicy.h"
#include "../../hub/Hub.h"
#include "../../hub/Subscriber.h"
#include "../../hub/Subscribers.h"
#include "../../protocol/Fields.h"
#include "../HandlerRegistry.h"

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
    Fields fields(context.message.data);
    const QString token = fields.requiredString(QStringLiteral("token"), 8192);
    if (!fields.ok())
        return context.fail(*fields.error());
    auto verified = context.services.tokens.verify(token.toUtf8());
    if (auto* reason = std::get_if<QString>(&verified))
        return context.fail(ErrorCode::AuthenticationFailed, *reason);
    const Identity& identity = std::get<Identity>(verified);
    if (context.refuseIfBlocked(identity))
        return;
    Subscriber& subscriber = context.subscriber;
    subscriber.setIdentity(identity);
    // Re-authenticating as someone else keeps only what the new identity may read.
    // A room's tenant may be known on another node only: its topic goes once that is known.
    Services& services = context.services;
    const QStringList topics = subscriber.topics();
    for (const QString& topic : topics) {
        services.policy.checkSubscribe(identity, {topic},
                                       [&services, id = subscriber.id(), tenant = identity.tenant,
                                        topic](const QString& refused) {
                                           Subscriber* client = services.subscribers.find(id);
                                           // Unless it authenticated again meanwhile, as someone
                                           // else.
                                           if (!refused.isEmpty() && client &&
                                               client->identity().tenant == tenant)
                                               services.hub.unsubscribe(*client, topic);
                                       });
    }
    context.reply({{QLatin1String("user"), identity.subject},
                   {QLatin1String("role"), roleName(identity.role)},
                   {QLatin1String("tenant"), identity.tenant}});
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("native"), QLatin1String("auth"), Access::Anyone,
                             QLatin1String("Authenticate the connection with a JWT"), &schema,
                             &handle)

} // namespace switchboard
