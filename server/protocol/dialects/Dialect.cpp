#include "Dialect.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QMutex>

namespace switchboard {

namespace {

Q_LOGGING_CATEGORY(dialectLog, "switchboard.dialect")

QMutex unlistedMutex;
QStringList unlisted; // guarded by unlistedMutex

} // namespace

const ServerMessage* Dialect::serverMessage(QAnyStringView type) const
{
    for (const ServerMessage& message : serverMessages()) {
        if (QAnyStringView(message.type) == type)
            return &message;
    }
    return nullptr;
}

bool Dialect::carriesEvent(QAnyStringView type) const
{
    const ServerMessage* message = serverMessage(type);
    return message && message->fromEvents;
}

bool Dialect::passesEvent(QAnyStringView type) const
{
    if (const ServerMessage* message = serverMessage(type))
        return message->fromEvents;
    return carriesEvent(anyType);
}

QByteArray Dialect::encodeReplyJson(const ClientMessage& request, const QByteArray& data) const
{
    return encodeReply(request, QJsonDocument::fromJson(data).object());
}

void Dialect::checkListed(QAnyStringView type) const
{
    if (serverMessage(type))
        return;
    const QString entry = QString(name()) + u'/' + type.toString();
    qCCritical(dialectLog).noquote() << "dialect" << name() << "sent" << type.toString()
                                     << "which its serverMessages() table does not list";
    const QMutexLocker lock(&unlistedMutex);
    if (!unlisted.contains(entry))
        unlisted.append(entry);
}

QStringList Dialect::unlistedMessages()
{
    const QMutexLocker lock(&unlistedMutex);
    return unlisted;
}

} // namespace switchboard
