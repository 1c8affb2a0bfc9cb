#pragma once

// What document 002's connections share beyond single messages: the `connection` message,
// the `admin` room's user_activity, and the document's special rooms and the topics behind
// them.

#include <QJsonObject>
#include <QString>

namespace switchboard {

class Hub;
class Subscriber;

namespace assist {

// The `data` of the `connection` message, sent on open and again after a successful auth
// message: {status, connection_id, authenticated, user_id, role}.
QJsonObject connectionData(const Subscriber& subscriber);
// Tells the `admin` room that a user connected or disconnected (user_activity).
void announceActivity(const Subscriber& subscriber, Hub& hub, const QString& action);
// The topic of a room the document names: system_monitoring -> system_metrics,
// background_jobs -> jobs, admin and the document_updates rooms as they are, any other room
// -> room:{name}.
QString topicOfRoom(const QString& room);

} // namespace assist
} // namespace switchboard
