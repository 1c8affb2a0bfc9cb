// 000 connections on `/ws/calculations`, `/ws/entities` and `/ws/status`: subscribed to the
// topic the path names and greeted with `connected {connection_id, topic,
// heartbeat_interval, message}`.

#include "../../hub/Subscriber.h"
#include "../../protocol/dialects/CalculationsDialect.h"
#include "../HandlerRegistry.h"

namespace switchboard {
namespace {

QStringList autoTopics(const Identity& /*identity*/, const QString& path)
{
    const QString topic = CalculationsDialect::topicOfPath(path);
    return topic.isEmpty() ? QStringList() : QStringList{topic};
}

void opened(HandlerContext& context)
{
    const QString topic = CalculationsDialect::topicOfPath(context.subscriber.endpoint());
    const auto keepAlive = context.dialect.keepAlive();
    context.send(
        QLatin1String("connected"),
        {{QLatin1String("connection_id"), context.subscriber.id()},
         {QLatin1String("topic"), topic},
         {QLatin1String("heartbeat_interval"),
          keepAlive ? double(keepAlive->interval.count()) / 1000.0 : 0.0},
         {QLatin1String("message"), QStringLiteral("Connected to %1 updates").arg(topic)}});
}

} // namespace

SWITCHBOARD_REGISTER_CONNECTION_HOOKS(.dialect = QLatin1String("calculations"),
                                      .autoTopics = &autoTopics, .opened = &opened)

} // namespace switchboard
