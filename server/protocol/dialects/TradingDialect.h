#pragma once

// Document 001 (Stable Cash & Carry): `/ws`. A client is greeted with
// `connection_established` and receives every `trading` and `logs` event as
// {"type", "timestamp", "data"}: position_update, equity_update, risk_status_update and
// system_log (INFO and above). A connection the hub must refuse is accepted and closed with
// 1008, as the document's production example does.

#include "Dialect.h"

namespace switchboard {

class TradingDialect final : public Dialect {
public:
    QLatin1String name() const override { return QLatin1String("trading"); }
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
