#include "Dialect.h"

#include "../../auth/TopicPolicy.h"
#include "../../hub/Hub.h"
#include "../../net/Session.h"

namespace switchboard {

void subscribeAutoTopics(Session& session, Hub& hub, const TopicPolicy& policy)
{
    const QStringList topics =
        session.dialect()->autoTopics(session.identity(), session.endpoint());
    for (const QString& topic : topics) {
        if (session.isSubscribed(topic) || !policy.canSubscribe(session.identity(), topic))
            continue;
        hub.subscribe(&session, topic);
        session.noteSubscribed(topic);
    }
}

} // namespace switchboard
