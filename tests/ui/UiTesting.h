#pragma once

// Shared by the console's tests: hand-made hub snapshots (a few lines build exactly the delta
// or full picture a test needs) and the English catalogue the shipped console would load.

#include "monitor/HubSnapshot.h"

#include <QCoreApplication>
#include <QList>
#include <QLocale>
#include <QString>
#include <QStringList>
#include <QTranslator>

namespace switchboard::testing {

inline ConnectionInfo connection(const QString& id, const QString& user = {},
                                 const QString& tenant = {}, quint64 messagesIn = 0)
{
    ConnectionInfo info;
    info.id = id;
    info.user = user;
    info.role = user.isEmpty() ? QString() : QStringLiteral("user");
    info.tenant = tenant;
    info.remoteAddress = QStringLiteral("10.0.0.%1:5%1000").arg(id.size());
    info.endpoint = QStringLiteral("/ws/v1");
    info.since = QDateTime::currentDateTimeUtc().addSecs(-120);
    info.messagesIn = messagesIn;
    return info;
}

inline HubSnapshot fullSnapshot(const QList<ConnectionInfo>& connections)
{
    HubSnapshot snapshot;
    snapshot.full = true;
    snapshot.upserted = connections;
    snapshot.activeConnections = static_cast<int>(connections.size());
    return snapshot;
}

inline HubSnapshot delta(const QList<ConnectionInfo>& upserted, const QStringList& removed = {})
{
    HubSnapshot snapshot;
    snapshot.upserted = upserted;
    snapshot.removed = removed;
    return snapshot;
}

// US English numbers ("1,234") and the English catalogue, which holds the plural forms
// ("1 connection", "2 connections"). Returns false when the catalogue is not embedded.
inline bool useEnglish()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    static QTranslator translator;
    if (!translator.load(QStringLiteral(":/i18n/switchboard_en.qm")))
        return false;
    return QCoreApplication::installTranslator(&translator);
}

} // namespace switchboard::testing
