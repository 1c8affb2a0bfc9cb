// Document 001 (Stable Cash & Carry) over real sockets on /ws: the welcome, the trading and log
// feeds in the document's layout, refused connections closed with 1008; and its codec
// (TradingDialect) on its own.

#include "DialectTesting.h"
#include "protocol/dialects/TradingDialect.h"

#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

class tst_DialectTrading : public QObject {
    Q_OBJECT

private slots:
    // Every message a dialect built in these tests is in its table (Dialect::checkListed).
    void cleanup();
    void tradingWelcomeAndFeedsWithoutToken();
    void tradingRefusedConnectionIsClosedWith1008();
    // --- the codec, without a server ----------------------------------------------------
    void decodeReadsTheEnvelope();
    void eventsKeepTheirNameAndData();
    void ownTypesNeverComeFromEvents();
    void pongErrorAndResync();
    void welcomeIsFlat();
};

void tst_DialectTrading::cleanup()
{
    const QStringList unlisted = Dialect::unlistedMessages();
    QVERIFY2(unlisted.isEmpty(), qPrintable(unlisted.join(u' ')));
}

// 001: the document's clients connect to /ws (a token is optional in its MVP) and receive
// trading and log messages as {"type", "timestamp", "data"}.
void tst_DialectTrading::tradingWelcomeAndFeedsWithoutToken()
{
    TestHub hub(configWith(AuthMode::Optional));
    QVERIFY(!hub.startError);
    TestClient client;
    QVERIFY(client.open(hub.ws(QStringLiteral("/ws"))));
    const QJsonObject welcome = client.waitForType(QStringLiteral("connection_established"));
    QVERIFY(!welcome.value(QStringLiteral("message")).toString().isEmpty());
    QVERIFY(welcome.value(QStringLiteral("timestamp")).toString().endsWith(u'Z'));

    const QJsonObject equity{{QStringLiteral("total_equity"), 10250.5},
                             {QStringLiteral("peak_equity"), 10400.0},
                             {QStringLiteral("current_equity"), 10250.5}};
    QCOMPARE(publish(hub, QStringLiteral("trading"), QStringLiteral("equity_update"), equity), 200);
    const QJsonObject update = client.waitForType(QStringLiteral("equity_update"));
    QCOMPARE(dataOf(update), equity);
    QVERIFY(update.value(QStringLiteral("timestamp")).toString().endsWith(u'Z'));

    const QJsonObject log{
        {QStringLiteral("level"), QStringLiteral("INFO")},
        {QStringLiteral("module"), QStringLiteral("executor")},
        {QStringLiteral("message"), QStringLiteral("Position opened successfully")},
        {QStringLiteral("timestamp"), QStringLiteral("2024-01-15T10:30:00.000Z")}};
    QCOMPARE(publish(hub, QStringLiteral("logs"), QStringLiteral("system_log"), log), 200);
    QCOMPARE(dataOf(client.waitForType(QStringLiteral("system_log"))), log);

    // The document's own position_update and risk_status_update payloads, as published by
    // its services to `trading`.
    const QJsonObject position{{QStringLiteral("position_id"), QStringLiteral("uuid-here")},
                               {QStringLiteral("symbol"), QStringLiteral("BTC/USDT")},
                               {QStringLiteral("status"), QStringLiteral("open")},
                               {QStringLiteral("spot_entry_price"), QStringLiteral("45000.00")},
                               {QStringLiteral("perp_entry_price"), QStringLiteral("45010.00")},
                               {QStringLiteral("spot_quantity"), QStringLiteral("0.1")},
                               {QStringLiteral("perp_quantity"), QStringLiteral("0.1")},
                               {QStringLiteral("unrealized_pnl"), QStringLiteral("50.25")},
                               {QStringLiteral("funding_collected"), QStringLiteral("12.50")}};
    QCOMPARE(publish(hub, QStringLiteral("trading"), QStringLiteral("position_update"), position),
             200);
    const QJsonObject positionUpdate = client.waitForType(QStringLiteral("position_update"));
    QCOMPARE(dataOf(positionUpdate), position);
    QVERIFY(positionUpdate.value(QStringLiteral("timestamp")).toString().endsWith(u'Z'));

    const QJsonObject risk{
        {QStringLiteral("status"), QStringLiteral("soft_pause")},
        {QStringLiteral("message"),
         QStringLiteral("New position openings stopped. Existing positions remain open.")},
        {QStringLiteral("drawdown_pct"), QStringLiteral("0.04")},
        {QStringLiteral("daily_loss_pct"), QStringLiteral("0.03")}};
    QCOMPARE(publish(hub, QStringLiteral("trading"), QStringLiteral("risk_status_update"), risk),
             200);
    const QJsonObject riskUpdate = client.waitForType(QStringLiteral("risk_status_update"));
    QCOMPARE(dataOf(riskUpdate), risk);
    QVERIFY(riskUpdate.value(QStringLiteral("timestamp")).toString().endsWith(u'Z'));

    // A service's own event type on the feed reaches 001's clients too, in 001's layout
    // (SPEC §2.2: an event published once reaches every subscriber, whatever its dialect).
    const QJsonObject book{{QStringLiteral("symbol"), QStringLiteral("BTC/USDT")}};
    QCOMPARE(publish(hub, QStringLiteral("trading"), QStringLiteral("order_book_snapshot"), book),
             200);
    const QJsonObject snapshot = client.waitForType(QStringLiteral("order_book_snapshot"));
    QCOMPARE(dataOf(snapshot), book);
    QVERIFY(snapshot.value(QStringLiteral("timestamp")).toString().endsWith(u'Z'));

    // A type 001 builds itself never comes from an event.
    QCOMPARE(
        publish(hub, QStringLiteral("trading"), QStringLiteral("connection_established"), book),
        200);
    client.socket.sendTextMessage(QStringLiteral(R"({"type":"ping"})"));
    QVERIFY(!client.waitForType(QStringLiteral("pong")).isEmpty());
    QCOMPARE(client.messagesOfType(QStringLiteral("connection_established")).size(), 1);
}

void tst_DialectTrading::tradingRefusedConnectionIsClosedWith1008()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    TestClient anonymous;
    QVERIFY(anonymous.open(hub.ws(QStringLiteral("/ws"))));
    QVERIFY(anonymous.waitClosed());
    QCOMPARE(anonymous.closeCode, 1008);
    QVERIFY(anonymous.messages.isEmpty());

    TestClient forged;
    QVERIFY(forged.open(hub.ws(QStringLiteral("/ws"), "not.a.token")));
    QVERIFY(forged.waitClosed());
    QCOMPARE(forged.closeCode, 1008);

    TestClient alice;
    QVERIFY(
        alice.open(hub.ws(QStringLiteral("/ws"), hub.token(QStringLiteral("alice"), Role::User))));
    QVERIFY(!alice.waitForType(QStringLiteral("connection_established")).isEmpty());
}

namespace {

const qint64 eventTimeMs = 1700000000000;
const QString eventTime = QStringLiteral("2023-11-14T22:13:20.000Z");

} // namespace

void tst_DialectTrading::decodeReadsTheEnvelope()
{
    const TradingDialect dialect;
    ClientMessage ping;
    QVERIFY(!dialect.decode(R"({"type":"ping","id":"p1"})", ping));
    QCOMPARE(ping.type, QStringLiteral("ping"));
    QCOMPARE(ping.id, QStringLiteral("p1"));
    ClientMessage bad;
    QCOMPARE(dialect.decode("ping", bad)->code, ErrorCode::InvalidJson);
    QCOMPARE(QString(dialect.name()), QStringLiteral("trading"));
    // The document's production example accepts a refused client and closes it with 1008.
    QVERIFY(dialect.closesRefusedConnections());
    QVERIFY(!dialect.acceptsAuthMessage());
    QVERIFY(!dialect.keepAlive());
}

// {"type", "timestamp", "data"}, the timestamp the event's own.
void tst_DialectTrading::eventsKeepTheirNameAndData()
{
    const TradingDialect dialect;
    const QJsonObject equity{{QStringLiteral("total_equity"), 10250.5},
                             {QStringLiteral("peak_equity"), 10400.0}};
    for (const char* name : {"equity_update", "position_update", "risk_status_update", "system_log",
                             "order_book_snapshot"}) {
        const Event event{
            QStringLiteral("trading"), 1, QLatin1String(name), eventTimeMs, 0, equity};
        QCOMPARE(parsed(dialect.encodeEvent(event)),
                 QJsonObject({{QStringLiteral("type"), QLatin1String(name)},
                              {QStringLiteral("timestamp"), eventTime},
                              {QStringLiteral("data"), equity}}));
    }
}

void tst_DialectTrading::ownTypesNeverComeFromEvents()
{
    const TradingDialect dialect;
    for (const char* name : {"connection_established", "pong", "error", "resync"}) {
        const Event event{QStringLiteral("trading"), 1, QLatin1String(name), eventTimeMs, 0, {}};
        QVERIFY2(dialect.encodeEvent(event).isEmpty(), name);
    }
}

void tst_DialectTrading::pongErrorAndResync()
{
    const TradingDialect dialect;
    const QJsonObject pong = parsed(dialect.encodeReply({QStringLiteral("ping"), {}, {}}, {}));
    QCOMPARE(typeOf(pong), QStringLiteral("pong"));
    QVERIFY(isIsoTimestamp(pong.value(QStringLiteral("timestamp"))));
    QVERIFY(!pong.contains(QStringLiteral("data")));
    QVERIFY(!pong.contains(QStringLiteral("id")));
    const QJsonObject withId = parsed(dialect.encodeReply(
        {QStringLiteral("ping"), QStringLiteral("7"), {}}, {{QStringLiteral("n"), 1}}));
    QCOMPARE(withId.value(QStringLiteral("id")).toString(), QStringLiteral("7"));
    QCOMPARE(dataOf(withId), QJsonObject({{QStringLiteral("n"), 1}}));

    const QJsonObject error = parsed(dialect.encodeError(
        QStringLiteral("3"), Error{ErrorCode::UnknownMessageType, QStringLiteral("no")}));
    QCOMPARE(typeOf(error), QStringLiteral("error"));
    QCOMPARE(error.value(QStringLiteral("code")).toString(),
             QStringLiteral("UNKNOWN_MESSAGE_TYPE"));
    QCOMPARE(error.value(QStringLiteral("message")).toString(), QStringLiteral("no"));
    QCOMPARE(error.value(QStringLiteral("id")).toString(), QStringLiteral("3"));

    const QJsonObject resync = parsed(dialect.encodeResync(QStringLiteral("trading")));
    QCOMPARE(typeOf(resync), QStringLiteral("resync"));
    QCOMPARE(dataOf(resync), QJsonObject({{QStringLiteral("topic"), QStringLiteral("trading")}}));
}

// The document's welcome has its fields next to `type`: {type, timestamp, message}.
void tst_DialectTrading::welcomeIsFlat()
{
    const TradingDialect dialect;
    const QJsonObject welcome = parsed(
        dialect.encodeMessage(QLatin1String("connection_established"),
                              {{QStringLiteral("message"),
                                QStringLiteral("Connected to Switchboard WebSocket server")}}));
    QCOMPARE(typeOf(welcome), QStringLiteral("connection_established"));
    QCOMPARE(welcome.value(QStringLiteral("message")).toString(),
             QStringLiteral("Connected to Switchboard WebSocket server"));
    QVERIFY(isIsoTimestamp(welcome.value(QStringLiteral("timestamp"))));
    QVERIFY(!welcome.contains(QStringLiteral("data")));
    // A timestamp the fields bring is kept.
    QCOMPARE(parsed(dialect.encodeMessage(QLatin1String("connection_established"),
                                          {{QStringLiteral("timestamp"), eventTime}}))
                 .value(QStringLiteral("timestamp"))
                 .toString(),
             eventTime);
}

QTEST_GUILESS_MAIN(tst_DialectTrading)
#include "tst_dialect_trading.moc"
