#pragma once

// What operators look at (SPEC §13), for the console and the web dashboard alike: the time
// series behind the charts, the topics, their last events, alert rules and alerts, who the
// caller is, and one connection in detail. The JSON each route answers is built by the
// functions below, which the console's commands (HubHost) call too, so both show the same.

#include "../config/HubConfig.h"
#include "../series/SeriesStore.h"
#include "../wire/Codes.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <variant>

namespace switchboard {

class AlertCenter;
class Endpoints;
class Hub;
class HttpRouter;
class HubMonitor;
class SeriesSampler;
class Subscriber;
class Subscribers;
class TopicPolicy;
struct Identity;

struct OperatorContext {
    AuthMode authMode;
    const Hub& hub;
    Subscribers& subscribers;
    const TopicPolicy& policy;
    const Endpoints& endpoints;
    const HubMonitor& monitor;
    const SeriesStore& series;
    const SeriesSampler& sampler;
    AlertCenter& alerts;
    // The dialect of each encoder ("native", ...), for subscribers per dialect.
    const QHash<const void*, QString>& dialects;
};

// GET /api/v1/series: {name: [[unix_ms, value], ...]}; `names` empty means every series
// `identity` may read. A name it may not read is PERMISSION_DENIED, an unknown one
// INVALID_MESSAGE.
std::variant<QJsonObject, Error> seriesJson(const OperatorContext& context,
                                            const Identity& identity, QStringList names,
                                            const QString& range, qint64 nowMs);
// GET /api/v1/series/names: every series with its unit, summary and whether `identity` may
// read it.
QJsonArray seriesCatalog(const OperatorContext& context, const Identity& identity);
// GET /api/v1/topics: every topic, by name.
QJsonArray topicsJson(const OperatorContext& context, qint64 nowMs);
// GET /api/v1/topics/{name}/events: the last `limit` events of the topic's history, newest
// last.
std::variant<QJsonArray, Error> topicEventsJson(const OperatorContext& context,
                                                const Identity& identity, const QString& topic,
                                                int limit);
// GET /api/v1/ws/connections/{id}
QJsonObject connectionJson(const OperatorContext& context, const Subscriber& subscriber);
// GET /api/v1/me
QJsonObject whoAmIJson(const OperatorContext& context, const Identity& identity);

// The largest `limit` of a topic's events: the most history keeps by default.
inline constexpr int maxTopicEvents = 1000;

void addOperatorRoutes(HttpRouter& router, const OperatorContext& context);

} // namespace switchboard
