// The native protocol's codec (SPEC §3, NativeDialect) without a server: the envelope a client
// sends, and the events, acks, errors, resyncs and welcome the hub sends. The protocol over
// real sockets is tst_native_protocol's.

#include "JsonMessage.h"
#include "protocol/dialects/NativeDialect.h"
#include "wire/WebSocketFrame.h"

#include <QJsonArray>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

const qint64 eventTimeMs = 1700000000000;
const QString eventTime = QStringLiteral("2023-11-14T22:13:20.000Z");

} // namespace

class tst_DialectNative : public QObject {
    Q_OBJECT

private slots:
    // Every message the dialect built in these tests is in its table (Dialect::checkListed).
    void cleanup();
    void decodeReadsTheEnvelope();
    void decodeTurnsNumericIdsIntoText();
    void decodeRefusesWhatIsNotAMessage();
    void decodeReadsAPublishWithoutBuildingItsData();
    void decodeLeavesEveryOtherPublishToTheGeneralPath_data();
    void decodeLeavesEveryOtherPublishToTheGeneralPath();
    void eventsCarryTopicSeqNameTimeAndData();
    void repliesCarryTheRequestId();
    void eventsAndAcksAreFramedInTheirOwnBuffer();
    void errorsCarryCodeTextAndId();
    void resyncAndWelcome();
    void tableAndConnectionRules();
};

void tst_DialectNative::cleanup()
{
    const QStringList unlisted = Dialect::unlistedMessages();
    QVERIFY2(unlisted.isEmpty(), qPrintable(unlisted.join(u' ')));
}

void tst_DialectNative::decodeReadsTheEnvelope()
{
    const NativeDialect dialect;
    ClientMessage message;
    QVERIFY(!dialect.decode(
        R"({"type":"subscribe","id":"1","data":{"topics":["jobs"],"since":{"jobs":41}}})",
        message));
    QCOMPARE(message.type, QStringLiteral("subscribe"));
    QCOMPARE(message.id, QStringLiteral("1"));
    QCOMPARE(message.data.value(QStringLiteral("topics")).toArray(),
             QJsonArray{QStringLiteral("jobs")});
    QCOMPARE(message.data.value(QStringLiteral("since")).toObject(),
             QJsonObject({{QStringLiteral("jobs"), 41}}));

    // Fields outside `data` are not parameters; id and data may be left out or null.
    ClientMessage bare;
    QVERIFY(!dialect.decode(R"({"type":"ping","topics":["x"],"id":null,"data":null})", bare));
    QVERIFY(bare.id.isEmpty());
    QVERIFY(bare.data.isEmpty());
    // An id is kept to 128 characters.
    ClientMessage longId;
    const QByteArray longText = "{\"type\":\"ping\",\"id\":\"" + QByteArray(300, 'i') + "\"}";
    QVERIFY(!dialect.decode(longText, longId));
    QCOMPARE(longId.id, QString(128, u'i'));
}

void tst_DialectNative::decodeTurnsNumericIdsIntoText()
{
    const NativeDialect dialect;
    ClientMessage integer;
    QVERIFY(!dialect.decode(R"({"type":"ping","id":42})", integer));
    QCOMPARE(integer.id, QStringLiteral("42"));
    ClientMessage fraction;
    QVERIFY(!dialect.decode(R"({"type":"ping","id":1.5})", fraction));
    QCOMPARE(fraction.id, QStringLiteral("1.5"));
}

void tst_DialectNative::decodeRefusesWhatIsNotAMessage()
{
    const NativeDialect dialect;
    const auto refusal = [&dialect](const QByteArray& text, ClientMessage* message = nullptr) {
        ClientMessage scratch;
        const std::optional<Error> error = dialect.decode(text, message ? *message : scratch);
        return error ? *error : Error{ErrorCode::InternalError, QStringLiteral("accepted")};
    };
    const Error invalidJson = refusal("{\"type\":");
    QCOMPARE(invalidJson.code, ErrorCode::InvalidJson);
    QVERIFY(invalidJson.message.startsWith(QStringLiteral("invalid JSON at offset")));
    QCOMPARE(refusal("[\"ping\"]").code, ErrorCode::InvalidMessage);
    QCOMPARE(refusal(R"({"type":"ping","id":{"a":1}})").message,
             QStringLiteral("id must be a string"));
    QCOMPARE(refusal(R"({"type":"subscribe","data":[1]})").message,
             QStringLiteral("data must be an object"));
    QCOMPARE(refusal(R"({"type":7})").message, QStringLiteral("type is required"));
    // The id is read before the type, so that the error reply can carry it.
    ClientMessage untyped;
    QCOMPARE(refusal(R"({"id":"r9"})", &untyped).code, ErrorCode::InvalidMessage);
    QCOMPARE(untyped.id, QStringLiteral("r9"));
}

void tst_DialectNative::decodeReadsAPublishWithoutBuildingItsData()
{
    const NativeDialect dialect;
    ClientMessage message;
    QVERIFY(!dialect.decode(R"({"type":"publish","id":"p1","data":{"topic":"tr\u0061des",)"
                            R"("event":"fill","data":{"qty":2,"note":"a \"b\""}}})",
                            message));
    QCOMPARE(message.type, QStringLiteral("publish"));
    QCOMPARE(message.id, QStringLiteral("p1"));
    QVERIFY(message.data.isEmpty());
    QVERIFY(message.publication.has_value());
    QCOMPARE(message.publication->topic, QStringLiteral("trades"));
    QCOMPARE(message.publication->event, QStringLiteral("fill"));
    QCOMPARE(message.publication->data, QByteArray(R"({"qty":2,"note":"a \"b\""})"));

    // No data, or null: none. Members the protocol does not name are ignored, as elsewhere.
    for (const QByteArray& text :
         {QByteArray(R"({"type":"publish","data":{"topic":"t","event":"e"},"x":1})"),
          QByteArray(
              R"({"id":null,"type":"publish","data":{"data":null,"event":"e","topic":"t"}})")}) {
        ClientMessage bare;
        QVERIFY(!dialect.decode(text, bare));
        QVERIFY2(bare.publication.has_value(), text.constData());
        QVERIFY(bare.id.isEmpty());
        QCOMPARE(bare.publication->topic, QStringLiteral("t"));
        QVERIFY(bare.publication->data.isEmpty());
    }
}

void tst_DialectNative::decodeLeavesEveryOtherPublishToTheGeneralPath_data()
{
    QTest::addColumn<QByteArray>("text");
    const QByteArray topic = R"("topic":"t","event":"e")";
    QTest::newRow("numeric id") << QByteArray(R"({"type":"publish","id":7,"data":{)" + topic +
                                              "}}");
    QTest::newRow("topic twice") << QByteArray(R"({"type":"publish","data":{)" + topic +
                                               R"(,"topic":"u"}})");
    QTest::newRow("type twice") << QByteArray(R"({"type":"publish","type":"ping","data":{)" +
                                              topic + "}}");
    QTest::newRow("topic not a string")
        << QByteArray(R"({"type":"publish","data":{"topic":1,"event":"e"}})");
    QTest::newRow("no event") << QByteArray(R"({"type":"publish","data":{"topic":"t"}})");
    QTest::newRow("data an array")
        << QByteArray(R"({"type":"publish","data":{)" + topic + R"(,"data":[1]}})");
    QTest::newRow("data with spaces")
        << QByteArray(R"({"type":"publish","data":{)" + topic + R"(,"data":{"a": 1}}})");
    QTest::newRow("over 64 KiB") << QByteArray(R"({"type":"publish","data":{)" + topic +
                                               R"(,"data":{"pad":")" + QByteArray(64 * 1024, 'x') +
                                               R"("}}})");
    QTest::newRow("not a publish") << QByteArray(R"({"type":"ping","data":{)" + topic + "}}");
}

// Whatever readPublication() does not take is decoded as before, into `data`.
void tst_DialectNative::decodeLeavesEveryOtherPublishToTheGeneralPath()
{
    QFETCH(QByteArray, text);
    const NativeDialect dialect;
    ClientMessage message;
    const std::optional<Error> error = dialect.decode(text, message);
    QVERIFY2(!error, error ? qPrintable(error->message) : "");
    QVERIFY(!message.publication.has_value());
    QVERIFY(!message.data.isEmpty());
}

// SPEC §3: {"type":"event","topic","seq","event","ts","data"}, built by hand on the fan-out path.
void tst_DialectNative::eventsCarryTopicSeqNameTimeAndData()
{
    const NativeDialect dialect;
    const Event event{QStringLiteral("jobs"),
                      42,
                      QStringLiteral("job_progress"),
                      eventTimeMs,
                      0,
                      {{QStringLiteral("progress"), 45.5}}};
    QCOMPARE(dialect.encodeEvent(event),
             QByteArray(R"({"type":"event","topic":"jobs","seq":42,"event":"job_progress",)"
                        R"("ts":"2023-11-14T22:13:20.000Z","data":{"progress":45.5}})"));
    // Names are escaped as JSON strings.
    const Event odd{
        QStringLiteral("room:\"quoted\"\\"), 7, QStringLiteral("n\u00e4me\n"), eventTimeMs, 0, {}};
    const QJsonObject decoded = parsed(dialect.encodeEvent(odd));
    QCOMPARE(decoded.value(QStringLiteral("topic")).toString(), odd.topic);
    QCOMPARE(decoded.value(QStringLiteral("event")).toString(), odd.name);
    QCOMPARE(decoded.value(QStringLiteral("seq")).toInt(), 7);
    QCOMPARE(decoded.value(QStringLiteral("ts")).toString(), eventTime);
    QCOMPARE(dataOf(decoded), QJsonObject());
}

void tst_DialectNative::repliesCarryTheRequestId()
{
    const NativeDialect dialect;
    const QJsonObject seq{{QStringLiteral("seq"), 1204}, {QStringLiteral("delivered"), 3}};
    QCOMPARE(parsed(dialect.encodeReply({QStringLiteral("publish"), QStringLiteral("2"), {}}, seq)),
             QJsonObject({{QStringLiteral("type"), QStringLiteral("ack")},
                          {QStringLiteral("id"), QStringLiteral("2")},
                          {QStringLiteral("data"), seq}}));
    // A request without an id gets no ack.
    QVERIFY(dialect.encodeReply({QStringLiteral("publish"), {}, {}}, seq).isEmpty());
    // ping always gets its pong, with the id when there is one.
    QCOMPARE(parsed(dialect.encodeReply({QStringLiteral("ping"), QStringLiteral("p"), {}}, {})),
             QJsonObject({{QStringLiteral("type"), QStringLiteral("pong")},
                          {QStringLiteral("id"), QStringLiteral("p")}}));
    QCOMPARE(parsed(dialect.encodeReply({QStringLiteral("ping"), {}, {}}, {})),
             QJsonObject({{QStringLiteral("type"), QStringLiteral("pong")}}));

    // Data already written as JSON (a publish's ack) gives the same bytes as the object,
    // whatever the id holds.
    for (const QString& id : {QStringLiteral("2"), QStringLiteral("quote \" and \\ back"),
                              QStringLiteral("tab\there"), QStringLiteral("Grüße ✓")}) {
        const ClientMessage request{QStringLiteral("publish"), id, {}};
        const QByteArray reply = dialect.encodeReply(request, seq);
        QCOMPARE(dialect.encodeReplyJson(request, R"({"delivered":3,"seq":1204})"), reply);
        QCOMPARE(parsed(reply).value(QStringLiteral("id")).toString(), id);
    }
    QVERIFY(dialect.encodeReplyJson({QStringLiteral("publish"), {}, {}}, "{}").isEmpty());
    // The same bytes QJsonDocument writes (keys in its order), the pong too.
    QCOMPARE(dialect.encodeReply({QStringLiteral("ping"), QStringLiteral("p"), {}}, {}),
             QByteArray(R"({"id":"p","type":"pong"})"));
    QCOMPARE(dialect.encodeReply({QStringLiteral("ping"), {}, {}}, {}),
             QByteArray(R"({"type":"pong"})"));
    QCOMPARE(dialect.encodeReply({QStringLiteral("publish"), QStringLiteral("7"), {}}, seq),
             QByteArray(R"({"data":{"delivered":3,"seq":1204},"id":"7","type":"ack"})"));
}

// An event and an ack are written once per publish: each leaves room for its frame's header,
// so the frame is made without a second buffer, escaped names and long data included.
void tst_DialectNative::eventsAndAcksAreFramedInTheirOwnBuffer()
{
    const NativeDialect dialect;
    QJsonObject large;
    for (int i = 0; i < 200; ++i)
        large.insert(QStringLiteral("field%1").arg(i), QStringLiteral("value %1").arg(i));
    const QList<Event> events{
        {QStringLiteral("jobs"), 42, QStringLiteral("job_progress"), eventTimeMs, 0,
         EventData::fromCompactJson(R"({"progress":45.5})")},
        {QStringLiteral("room:\"quoted\"\\"),
         7,
         QStringLiteral("n\u00e4me\n\u6771\u4eac"),
         eventTimeMs,
         0,
         {}},
        {QStringLiteral("big"), 1, QStringLiteral("snapshot"), eventTimeMs, 0, large},
    };
    QList<QByteArray> payloads;
    for (const Event& event : events)
        payloads.append(dialect.encodeEvent(event));
    for (const QString& id : {QStringLiteral("2"), QStringLiteral("quote \" and \\ back \u00e4")})
        payloads.append(
            dialect.encodeReplyJson({QStringLiteral("publish"), id, {}}, R"({"delivered":3})"));
    for (QByteArray& payload : payloads) {
        const QByteArray expected = WebSocketFrame::encode(WebSocketFrame::Opcode::Text, payload);
        const qsizetype headerBytes = expected.size() - payload.size();
        const char* const text = payload.constData();
        const QByteArray frame = WebSocketFrame::text(std::move(payload));
        QCOMPARE(frame, expected);
        QVERIFY2(frame.constData() + headerBytes == text, expected.left(60).constData());
    }
}

void tst_DialectNative::errorsCarryCodeTextAndId()
{
    const NativeDialect dialect;
    QCOMPARE(parsed(dialect.encodeError(
                 QStringLiteral("5"),
                 Error{ErrorCode::PermissionDenied, QStringLiteral("not allowed to publish")})),
             QJsonObject({{QStringLiteral("type"), QStringLiteral("error")},
                          {QStringLiteral("id"), QStringLiteral("5")},
                          {QStringLiteral("code"), QStringLiteral("PERMISSION_DENIED")},
                          {QStringLiteral("error"), QStringLiteral("not allowed to publish")}}));
    QCOMPARE(parsed(dialect.encodeError({}, Error{ErrorCode::InvalidJson, QStringLiteral("x")})),
             QJsonObject({{QStringLiteral("type"), QStringLiteral("error")},
                          {QStringLiteral("code"), QStringLiteral("INVALID_JSON")},
                          {QStringLiteral("error"), QStringLiteral("x")}}));
}

void tst_DialectNative::resyncAndWelcome()
{
    const NativeDialect dialect;
    QCOMPARE(parsed(dialect.encodeResync(QStringLiteral("jobs"))),
             QJsonObject({{QStringLiteral("type"), QStringLiteral("resync")},
                          {QStringLiteral("data"),
                           QJsonObject{{QStringLiteral("topic"), QStringLiteral("jobs")}}}}));
    const QJsonObject welcome{{QStringLiteral("session_id"), QStringLiteral("s1")},
                              {QStringLiteral("protocol"), NativeDialect::protocolVersion}};
    QCOMPARE(parsed(dialect.encodeMessage(QLatin1String("welcome"), welcome)),
             QJsonObject({{QStringLiteral("type"), QStringLiteral("welcome")},
                          {QStringLiteral("data"), welcome}}));
}

void tst_DialectNative::tableAndConnectionRules()
{
    const NativeDialect dialect;
    QStringList types;
    for (const ServerMessage& row : dialect.serverMessages())
        types.append(QString(row.type));
    QCOMPARE(types, (QStringList{QStringLiteral("welcome"), QStringLiteral("event"),
                                 QStringLiteral("ack"), QStringLiteral("error"),
                                 QStringLiteral("resync"), QStringLiteral("pong")}));
    QVERIFY(dialect.carriesEvent(u"event"));
    QVERIFY(!dialect.carriesEvent(u"ack"));
    QVERIFY(dialect.serverMessage(u"welcome"));
    QVERIFY(!dialect.serverMessage(u"connected"));
    QCOMPARE(QString(dialect.name()), QStringLiteral("native"));
    QCOMPARE(NativeDialect::protocolVersion, 1);
    QVERIFY(dialect.acceptsAuthMessage());
    QVERIFY(!dialect.closesRefusedConnections());
    QVERIFY(!dialect.fieldsAtTopLevel());
    QVERIFY(!dialect.keepAlive());
    QVERIFY(dialect.heartbeatMessage().isEmpty());
}

QTEST_GUILESS_MAIN(tst_DialectNative)
#include "tst_dialect_native.moc"
