#pragma once

// What a connection does beyond answering messages, per dialect: the topics its path
// subscribes it to without asking (SPEC §2.2), what it is told when it opens (a welcome) and
// what happens when it closes (it leaves its rooms), and what the dialect's document sets up
// hub-wide once (taps). Registered like message handlers, from the dialect's own folder, with
// SWITCHBOARD_REGISTER_CONNECTION_HOOKS; every member may be left null.

#include "MessageHandler.h"

#include <QLatin1String>
#include <QString>
#include <QStringList>

namespace switchboard {

struct Identity;

struct ConnectionHooks {
    QLatin1String dialect;
    // For a dialect that authenticates by message, asked again after that message.
    QStringList (*autoTopics)(const Identity& identity, const QString& path) = nullptr;
    // Once the connection is registered, before its automatic subscriptions.
    void (*opened)(HandlerContext& context) = nullptr;
    // Once, when the connection closes, while it still has its identity and topics.
    void (*closed)(HandlerContext& context) = nullptr;
    // Once, when the hub starts.
    void (*install)(Services& services) = nullptr;
    // Under --auth required, a connection that brought no token is served nothing but its
    // `auth` message: anything else is answered AUTHENTICATION_FAILED and closes it (1008).
    // For a document whose tokens are required before anything else (002).
    bool signInFirst = false;
};

// Subscribes the context's client to its path's automatic topics, skipping those its identity
// may not read and those it has.
void subscribeAutoTopics(HandlerContext& context);

} // namespace switchboard
