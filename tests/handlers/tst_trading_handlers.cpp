// Document 001's connection hooks (handlers/trading/) through the real MessageDispatcher,
// with clients held in memory: `connection_established` on open, `trading` and `logs` without
// asking (for anyone when authentication is optional), and nothing to send but ping. The
// dialect over real sockets is tst_dialect_trading's.

#include "HandlerFixture.h"
#include "JsonMessage.h"

#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

QJsonObject only(const QList<QJsonObject>& messages)
{
    return messages.size() == 1 ? messages.first() : QJsonObject();
}

HubConfig withAuth(AuthMode mode)
{
    HubConfig config = testConfig();
    config.authMode = mode;
    return config;
}

} // namespace

class tst_TradingHandlers : public QObject {
    Q_OBJECT

private slots:
    void cleanup();
    void welcomeAndTheFeeds();
    void feedsArePublicWhenAuthenticationIsOptional();
    void feedsAreSkippedForAnonymousWhenRequired();
    void clientsOnlyPing();
};

void tst_TradingHandlers::cleanup()
{
    const QStringList unlisted = Dialect::unlistedMessages();
    QVERIFY2(unlisted.isEmpty(), qPrintable(unlisted.join(u' ')));
}

void tst_TradingHandlers::welcomeAndTheFeeds()
{
    HandlerFixture fixture;
    auto alice =
        fixture.connect(QStringLiteral("/ws"), HandlerFixture::user(QStringLiteral("alice")));
    const QJsonObject welcome = only(alice->take());
    QCOMPARE(typeOf(welcome), QStringLiteral("connection_established"));
    QCOMPARE(welcome.value(QStringLiteral("message")).toString(),
             QStringLiteral("Connected to Switchboard WebSocket server"));
    QVERIFY(isIsoTimestamp(welcome.value(QStringLiteral("timestamp"))));
    QCOMPARE(alice->topics(), (QStringList{QStringLiteral("trading"), QStringLiteral("logs")}));

    const QJsonObject equity{{QStringLiteral("total_equity"), 10250.5}};
    fixture.hub.publish(QStringLiteral("trading"), QStringLiteral("equity_update"), equity);
    const QJsonObject update = only(alice->take());
    QCOMPARE(typeOf(update), QStringLiteral("equity_update"));
    QCOMPARE(dataOf(update), equity);
}

void tst_TradingHandlers::feedsArePublicWhenAuthenticationIsOptional()
{
    HandlerFixture fixture(withAuth(AuthMode::Optional));
    auto anonymous = fixture.connect(QStringLiteral("/ws"));
    QCOMPARE(typeOf(only(anonymous->take())), QStringLiteral("connection_established"));
    QCOMPARE(anonymous->topics(), (QStringList{QStringLiteral("trading"), QStringLiteral("logs")}));
}

// The upgrade closes such a client with 1008 before the hook runs (tst_dialect_trading); the
// hook itself subscribes nothing it may not read.
void tst_TradingHandlers::feedsAreSkippedForAnonymousWhenRequired()
{
    HandlerFixture fixture(withAuth(AuthMode::Required));
    auto anonymous = fixture.connect(QStringLiteral("/ws"));
    QVERIFY(anonymous->topics().isEmpty());
}

void tst_TradingHandlers::clientsOnlyPing()
{
    HandlerFixture fixture;
    auto alice =
        fixture.connect(QStringLiteral("/ws"), HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();
    const QJsonObject pong = only(alice->exchange(message(QStringLiteral("ping"))));
    QCOMPARE(typeOf(pong), QStringLiteral("pong"));
    QVERIFY(!pong.contains(QStringLiteral("data")));
    QCOMPARE(
        codeOf(only(alice->exchange(message(QStringLiteral("subscribe"),
                                            {{QStringLiteral("topic"), QStringLiteral("jobs")}})))),
        QStringLiteral("UNKNOWN_MESSAGE_TYPE"));
    QCOMPARE(alice->topics(), (QStringList{QStringLiteral("trading"), QStringLiteral("logs")}));
}

QTEST_GUILESS_MAIN(tst_TradingHandlers)
#include "tst_trading_handlers.moc"
