#pragma once

// An EventEncoder for tests of the hub without a dialect: it writes
// {"encoder": tag, "topic", "seq", "event", "data"}, counts its calls, and encodes the events
// it is told to skip as nothing (as a dialect without a message for them does).

#include "hub/EventEncoder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace switchboard::test {

class TaggedEncoder final : public EventEncoder {
public:
    explicit TaggedEncoder(QString tag, QStringList skipped = {})
        : m_tag(std::move(tag))
        , m_skipped(std::move(skipped))
    {}

    QByteArray encodeEvent(const Event& event) const override
    {
        ++m_calls;
        if (m_skipped.contains(event.name))
            return {};
        return QJsonDocument(QJsonObject{{QLatin1String("encoder"), m_tag},
                                         {QLatin1String("topic"), event.topic},
                                         {QLatin1String("seq"), double(event.seq)},
                                         {QLatin1String("event"), event.name},
                                         {QLatin1String("data"), event.data.object()}})
            .toJson(QJsonDocument::Compact);
    }

    QByteArray encodeResync(const QString& topic) const override
    {
        return QJsonDocument(
                   QJsonObject{{QLatin1String("encoder"), m_tag}, {QLatin1String("resync"), topic}})
            .toJson(QJsonDocument::Compact);
    }

    int calls() const { return m_calls; }
    const QString& tag() const { return m_tag; }

private:
    QString m_tag;
    QStringList m_skipped;
    mutable int m_calls = 0;
};

} // namespace switchboard::test
