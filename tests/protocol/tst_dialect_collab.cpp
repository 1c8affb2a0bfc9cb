// Document 004's codec (CollabDialect, /api/v1/ws) without a server: flat messages with their
// fields next to `type`, events passed on under their own name, whole replies built by the
// handlers, errors with the document's fields. The dialect over real sockets is
// tests/collab/tst_collab_dialect's.

#include "JsonMessage.h"
#include "protocol/dialects/CollabDialect.h"

#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

const qint64 eventTimeMs = 1700000000000;

Event eventOf(const QString& name, const QJsonObject& data)
{
    return Event{QStringLiteral("room:workspace_123"), 1, name, eventTimeMs, 0, data, {}};
}

} // namespace

class tst_DialectCollab : public QObject {
    Q_OBJECT

private slots:
    // Every message the dialect built in these tests is in its table (Dialect::checkListed).
    void cleanup();
    void decodeKeepsTheWholeMessage();
    void decodeRefusesWhatIsNotAMessage();
    void eventsAreFlatUnderTheirName();
    void ownTypesNeverComeFromEvents();
    void repliesAreWholeMessages();
    void errorsCarryTheDocumentsFields();
    void resyncAndOwnMessages();
};

void tst_DialectCollab::cleanup()
{
    const QStringList unlisted = Dialect::unlistedMessages();
    QVERIFY2(unlisted.isEmpty(), qPrintable(unlisted.join(u' ')));
}

// The handlers read a message's fields where the document puts them: next to `type`. 004 has
// no request ids: an "id" is one more field.
void tst_DialectCollab::decodeKeepsTheWholeMessage()
{
    const CollabDialect dialect;
    const QByteArray text =
        R"({"type":"cell_update","sheet_id":"s1","cell_id":"A1","value":"42","version":3,"id":"x"})";
    ClientMessage message;
    QVERIFY(!dialect.decode(text, message));
    QCOMPARE(message.type, QStringLiteral("cell_update"));
    QVERIFY(message.id.isEmpty());
    QCOMPARE(message.data, parsed(text));
    QVERIFY(dialect.fieldsAtTopLevel());
    QVERIFY(!dialect.acceptsAuthMessage());
    QVERIFY(!dialect.closesRefusedConnections());
    QCOMPARE(QString(dialect.name()), QStringLiteral("collab"));
}

void tst_DialectCollab::decodeRefusesWhatIsNotAMessage()
{
    const CollabDialect dialect;
    ClientMessage message;
    QCOMPARE(dialect.decode("{oops", message)->code, ErrorCode::InvalidJson);
    QCOMPARE(dialect.decode("[]", message)->code, ErrorCode::InvalidMessage);
    const std::optional<Error> untyped = dialect.decode(R"({"room_id":"r"})", message);
    QVERIFY(untyped);
    QCOMPARE(untyped->code, ErrorCode::InvalidMessage);
    QCOMPARE(untyped->message, QStringLiteral("type is required"));
}

// {"type": event name, ...event data}: the event's name wins over a `type` in its data.
void tst_DialectCollab::eventsAreFlatUnderTheirName()
{
    const CollabDialect dialect;
    const QJsonObject cell{{QStringLiteral("sheet_id"), QStringLiteral("s1")},
                           {QStringLiteral("cell_id"), QStringLiteral("A1")},
                           {QStringLiteral("version"), 2},
                           {QStringLiteral("type"), QStringLiteral("stale")}};
    QJsonObject expected = cell;
    expected.insert(QStringLiteral("type"), QStringLiteral("cell_updated"));
    QCOMPARE(parsed(dialect.encodeEvent(eventOf(QStringLiteral("cell_updated"), cell))), expected);
    // The admin API's and services' own types go out as they are (room_broadcast, ...).
    const QJsonObject broadcast{{QStringLiteral("message"), QStringLiteral("hi")}};
    QCOMPARE(parsed(dialect.encodeEvent(eventOf(QStringLiteral("room_broadcast"), broadcast))),
             QJsonObject({{QStringLiteral("type"), QStringLiteral("room_broadcast")},
                          {QStringLiteral("message"), QStringLiteral("hi")}}));
}

void tst_DialectCollab::ownTypesNeverComeFromEvents()
{
    const CollabDialect dialect;
    for (const char* name : {"pong", "error", "resync"})
        QVERIFY2(dialect.encodeEvent(eventOf(QLatin1String(name), {})).isEmpty(), name);
}

void tst_DialectCollab::repliesAreWholeMessages()
{
    const CollabDialect dialect;
    const QJsonObject pong = parsed(dialect.encodeReply({QStringLiteral("ping"), {}, {}}, {}));
    QCOMPARE(typeOf(pong), QStringLiteral("pong"));
    QVERIFY(isIsoTimestamp(pong.value(QStringLiteral("timestamp"))));
    QCOMPARE(pong.size(), 2);

    const QJsonObject state{{QStringLiteral("type"), QStringLiteral("room_state")},
                            {QStringLiteral("room_id"), QStringLiteral("workspace_123")},
                            {QStringLiteral("total_users"), 1}};
    const ClientMessage join{QStringLiteral("join_room"), {}, {}};
    QCOMPARE(parsed(dialect.encodeReply(join, state)), state);
    // A handler with nothing to say sends nothing.
    QVERIFY(dialect.encodeReply(join, {}).isEmpty());
}

// {type: "error", error, code, timestamp}; VERSION_CONFLICT adds the cell as it is.
void tst_DialectCollab::errorsCarryTheDocumentsFields()
{
    const CollabDialect dialect;
    const QJsonObject error = parsed(
        dialect.encodeError(QStringLiteral("ignored"),
                            Error{ErrorCode::RoomNotFound, QStringLiteral("join a room first")}));
    QCOMPARE(typeOf(error), QStringLiteral("error"));
    QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("ROOM_NOT_FOUND"));
    QCOMPARE(error.value(QStringLiteral("error")).toString(), QStringLiteral("join a room first"));
    QVERIFY(isIsoTimestamp(error.value(QStringLiteral("timestamp"))));
    QCOMPARE(error.size(), 4);

    const QJsonObject conflict = parsed(CollabDialect::encodeError(
        Error{ErrorCode::VersionConflict, QStringLiteral("cell A1 of s1 is at version 5")},
        {{QStringLiteral("cell_id"), QStringLiteral("A1")},
         {QStringLiteral("current_value"), QStringLiteral("42")},
         {QStringLiteral("current_version"), 5},
         {QStringLiteral("code"), QStringLiteral("overridden")}}));
    QCOMPARE(conflict.value(QStringLiteral("code")).toString(), QStringLiteral("VERSION_CONFLICT"));
    QCOMPARE(conflict.value(QStringLiteral("cell_id")).toString(), QStringLiteral("A1"));
    QCOMPARE(conflict.value(QStringLiteral("current_value")).toString(), QStringLiteral("42"));
    QCOMPARE(conflict.value(QStringLiteral("current_version")).toInt(), 5);
    QCOMPARE(typeOf(conflict), QStringLiteral("error"));
}

void tst_DialectCollab::resyncAndOwnMessages()
{
    const CollabDialect dialect;
    QCOMPARE(parsed(dialect.encodeResync(QStringLiteral("room:r"))),
             QJsonObject({{QStringLiteral("type"), QStringLiteral("resync")},
                          {QStringLiteral("topic"), QStringLiteral("room:r")}}));
    QCOMPARE(parsed(dialect.encodeMessage(QLatin1String("room_state"),
                                          {{QStringLiteral("room_id"), QStringLiteral("r")}})),
             QJsonObject({{QStringLiteral("type"), QStringLiteral("room_state")},
                          {QStringLiteral("room_id"), QStringLiteral("r")}}));
}

QTEST_GUILESS_MAIN(tst_DialectCollab)
#include "tst_dialect_collab.moc"
