#pragma once

// Document 003 (RFP assistant): `/ws/projects/{project_id}?token=` and
// `/ws/notifications?token=`. No welcome; the client is subscribed to `project:{id}` or to
// its own `user:{sub}`. Server messages are flat: {"type", ...fields, "timestamp"}
// (rc_analysis_progress, matching_progress, generation_progress,
// document_generation_progress, error, completion). The keep-alive is a text frame "ping"
// answered with "pong". A connection without a valid token, or from another tenant than
// the project's, is accepted and closed with 1008 before any data, as the document does.

#include "Dialect.h"

namespace switchboard {

class ProjectsDialect final : public Dialect {
public:
    static QStringList paths();

    QLatin1String name() const override { return QLatin1String("projects"); }
    std::optional<Error> decode(const QByteArray& text, ClientMessage& message) const override;
    QByteArray encodeEvent(const Event& event) const override;
    QByteArray encodeReply(const ClientMessage& request, const QJsonObject& data) const override;
    QByteArray encodeError(const QString& requestId, const Error& error) const override;
    QByteArray encodeResync(const QString& topic) const override;
    QByteArray encodeMessage(QLatin1String type, const QJsonObject& fields) const override;
    const QList<ServerMessage>& serverMessages() const override;
    bool closesRefusedConnections() const override { return true; }
};

} // namespace switchboard
