// The wire's JSON helpers (wire/Json.h) write what Qt writes: string literals as
// QJsonDocument escapes them, and timestamps as QDateTime's ISO 8601 with milliseconds; and
// memberText finds a member's value in JSON text exactly where Qt's parser found it.

#include "wire/Json.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <limits>

using namespace switchboard;
using namespace Qt::StringLiterals;

namespace {

QByteArray qtQuoted(const QString& text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

QString qtTimestamp(qint64 msecs)
{
    return QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC).toString(Qt::ISODateWithMs);
}

// A random JSON value, nested up to `depth`, with strings that hold what a scanner could
// take for structure: quotes, backslashes, brackets, commas, colons, spaces and non-ASCII.
const QStringList& pieces()
{
    static const QStringList all{u"a"_s, u"\""_s, u"\\"_s, u"{"_s,  u"}"_s, u"["_s, u"]"_s,
                                 u","_s, u":"_s,  u" "_s,  u"\n"_s, u"é"_s, u"😀"_s, u"data"_s};
    return all;
}

QJsonObject randomObject(QRandomGenerator& random, int depth, int most);

QJsonValue randomValue(QRandomGenerator& random, int depth)
{
    switch (random.bounded(depth > 0 ? 7 : 5)) {
    case 0:
        return QJsonValue::Null;
    case 1:
        return random.bounded(2) == 1;
    case 2:
        return random.bounded(2e6) - 1e6;
    case 3:
        return qint64(random.bounded(2000)) - 1000;
    case 4: {
        QString text;
        for (int i = random.bounded(6); i > 0; --i)
            text += pieces()[random.bounded(pieces().size())];
        return text;
    }
    case 5: {
        QJsonArray array;
        for (int i = random.bounded(4); i > 0; --i)
            array.append(randomValue(random, depth - 1));
        return array;
    }
    default:
        return randomObject(random, depth - 1, 4);
    }
}

QJsonObject randomObject(QRandomGenerator& random, int depth, int most)
{
    QJsonObject object;
    for (int i = random.bounded(most); i > 0; --i)
        object.insert(pieces()[random.bounded(pieces().size())] + QString::number(i),
                      randomValue(random, depth));
    return object;
}

// The value that `text` holds, read by Qt.
QJsonValue parsedValue(QByteArrayView text)
{
    const QJsonDocument document = QJsonDocument::fromJson("[" + text.toByteArray() + "]");
    return document.isArray() && document.array().size() == 1 ? document.array().first()
                                                              : QJsonValue(QJsonValue::Undefined);
}

} // namespace

class tst_WireJson : public QObject {
    Q_OBJECT

private slots:
    void quotedEscapesAsQtDoes();
    void timestampsReadAsQtWritesThem();
    void appendsWriteTheSameAfterWhatIsThere();
    void memberTextFindsTheValueAsWritten_data();
    void memberTextFindsTheValueAsWritten();
    void memberTextAgreesWithQtOnRandomObjects();
};

void tst_WireJson::quotedEscapesAsQtDoes()
{
    const QStringList samples{
        QString(),
        QStringLiteral("room:lobby"),
        QStringLiteral("user:42/jobs"),
        QStringLiteral("say \"hi\""),
        QStringLiteral("back\\slash"),
        QStringLiteral("line\nbreak\ttab\rreturn\bbell\fform"),
        QString(QChar(0x01)) + QChar(0x1f) + QChar(0x7f),
        QStringLiteral("Grüße, 東京 ✓"),
        QString::fromUtf16(u"\U0001F600 emoji"),
        QStringLiteral("</script>"),
    };
    for (const QString& sample : samples)
        QCOMPARE(Json::quoted(sample), qtQuoted(sample));
    // Every character below 0x100 alone, and a thousand random strings of them.
    for (char16_t unit = 0; unit < 0x100; ++unit) {
        const QString one(QChar{unit});
        QCOMPARE(Json::quoted(one), qtQuoted(one));
    }
    QRandomGenerator random(20261206);
    for (int i = 0; i < 1000; ++i) {
        QString text;
        const int length = random.bounded(12);
        for (int k = 0; k < length; ++k)
            text += QChar(char16_t(random.bounded(0x180)));
        QCOMPARE(Json::quoted(text), qtQuoted(text));
    }
}

void tst_WireJson::timestampsReadAsQtWritesThem()
{
    const QList<qint64> samples{
        0,
        1,
        999,
        1700000000000,   // 2023-11-14T22:13:20.000Z
        951782400000,    // 2000-02-29, a leap day
        4102444799999,   // 2099-12-31T23:59:59.999Z
        -1,              // 1969-12-31T23:59:59.999Z
        -62135596800000, // 0001-01-01
        253402300799999, // 9999-12-31T23:59:59.999Z, the last four-digit year
        253402300800000, // 10000-01-01: Qt's own text
        -62167219200000, // 1 BC (no year 0 in Qt): Qt's own text (none)
    };
    for (const qint64 sample : samples)
        QCOMPARE(Json::isoTimestamp(sample), qtTimestamp(sample));
    QRandomGenerator random(20261206);
    for (int i = 0; i < 10000; ++i) {
        const qint64 sample = qint64(random.bounded(4102444800.0) * 1000.0);
        QCOMPARE(Json::isoTimestamp(sample), qtTimestamp(sample));
    }
}

void tst_WireJson::appendsWriteTheSameAfterWhatIsThere()
{
    // An encoder's buffer already holds the message's start; an escaped string (which goes
    // through Qt) must leave it as it was.
    const QByteArray start = R"({"type":"event","topic":)";
    for (const QString& text : {u"room:lobby"_s, u"say \"hi\""_s, u"Grüße ✓"_s, QString()}) {
        QByteArray out = start;
        Json::appendQuoted(out, text);
        QCOMPARE(out, start + qtQuoted(text));
    }
    for (const qint64 msecs : {qint64(1700000000000), qint64(-1), qint64(253402300800000)}) {
        QByteArray out = start;
        Json::appendIsoTimestamp(out, msecs);
        QCOMPARE(out, start + qtTimestamp(msecs).toLatin1());
    }
    for (const qint64 value :
         {qint64(0), qint64(-1), qint64(42), std::numeric_limits<qint64>::min(),
          std::numeric_limits<qint64>::max()}) {
        QByteArray out = start;
        Json::appendNumber(out, value);
        QCOMPARE(out, start + QByteArray::number(value));
    }
    for (const quint64 value :
         {quint64(0), quint64(1) << 63, std::numeric_limits<quint64>::max()}) {
        QByteArray out = start;
        Json::appendNumber(out, value);
        QCOMPARE(out, start + QByteArray::number(value));
    }
}

void tst_WireJson::memberTextFindsTheValueAsWritten_data()
{
    QTest::addColumn<QByteArray>("object");
    QTest::addColumn<QByteArray>("expected"); // empty: not found

    QTest::newRow("object") << QByteArray(R"({"data":{"a":1}})") << QByteArray(R"({"a":1})");
    QTest::newRow("after others")
        << QByteArray(R"({"type":"publish","id":"2","data":{"z":[1,{"y":"}"}],"a":null}})")
        << QByteArray(R"({"z":[1,{"y":"}"}],"a":null})");
    QTest::newRow("before others")
        << QByteArray(R"({"data":[1,2],"x":{"data":3}})") << QByteArray("[1,2]");
    QTest::newRow("escaped quotes in strings")
        << QByteArray(R"({"a":"x\"}\\","data":{"s":"a\"b\\"}})") << QByteArray(R"({"s":"a\"b\\"})");
    QTest::newRow("space around the member")
        << QByteArray(" { \"data\" :\t{\"a\":1}\n , \"b\" : 2 } ") << QByteArray(R"({"a":1})");
    QTest::newRow("space inside strings")
        << QByteArray(R"({"data":{"a":"x y"}})") << QByteArray(R"({"a":"x y"})");
    QTest::newRow("number") << QByteArray(R"({"data":-1.5e3,"b":true})") << QByteArray("-1.5e3");
    QTest::newRow("last number") << QByteArray(R"({"b":true,"data":12})") << QByteArray("12");
    QTest::newRow("string") << QByteArray(R"({"b":null,"data":"s"})") << QByteArray(R"("s")");
    QTest::newRow("key as a value") << QByteArray(R"({"x":"data","data":1})") << QByteArray("1");
    QTest::newRow("nested key") << QByteArray(R"({"x":{"data":5},"data":6})") << QByteArray("6");
    QTest::newRow("empty object") << QByteArray(R"({"data":{}})") << QByteArray("{}");

    QTest::newRow("space between tokens") << QByteArray(R"({"data":{"a": 1}})") << QByteArray();
    QTest::newRow("newline in an array") << QByteArray("{\"data\":[1,\n2]}") << QByteArray();
    QTest::newRow("twice") << QByteArray(R"({"data":{},"data":{"a":1}})") << QByteArray();
    QTest::newRow("escaped key") << QByteArray(R"({"d\u0061ta":{"a":2},"data":{"a":1}})")
                                 << QByteArray();
    QTest::newRow("absent") << QByteArray(R"({"date":{"a":1}})") << QByteArray();
    QTest::newRow("not an object") << QByteArray(R"([{"data":1}])") << QByteArray();
    QTest::newRow("empty") << QByteArray() << QByteArray();
}

void tst_WireJson::memberTextFindsTheValueAsWritten()
{
    QFETCH(QByteArray, object);
    QFETCH(QByteArray, expected);
    const QByteArrayView found = Json::memberText(object, "data");
    QCOMPARE(found.toByteArray(), expected);
    if (!expected.isEmpty()) {
        const QJsonObject parsed = QJsonDocument::fromJson(object).object();
        QCOMPARE(parsedValue(found), parsed.value(u"data"_s));
    }
}

// Every member of random compact objects, and of the same objects indented (where only
// scalar members and empty containers are still found: the rest are not compact).
void tst_WireJson::memberTextAgreesWithQtOnRandomObjects()
{
    QRandomGenerator random(20261206);
    int found = 0;
    for (int i = 0; i < 2000; ++i) {
        const QJsonObject object = randomObject(random, 3, 8);
        const QByteArray compact = QJsonDocument(object).toJson(QJsonDocument::Compact);
        const QByteArray indented = QJsonDocument(object).toJson(QJsonDocument::Indented);
        // A key that the text escapes could hide the one asked for: nothing is found then.
        const QStringList keys = object.keys();
        const bool escapedKeys = std::any_of(keys.begin(), keys.end(), [](const QString& key) {
            return key.contains(u'\\') || key.contains(u'"') || key.contains(u'\n');
        });
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QByteArray key = it.key().toUtf8();
            const QByteArrayView inCompact = Json::memberText(compact, key);
            const QByteArrayView inIndented = Json::memberText(indented, key);
            if (escapedKeys) {
                QVERIFY(inCompact.isEmpty());
                QVERIFY(inIndented.isEmpty());
                continue;
            }
            QCOMPARE(parsedValue(inCompact), it.value());
            if (!inIndented.isEmpty()) {
                QCOMPARE(parsedValue(inIndented), it.value());
                ++found;
            }
            const bool container = it.value().isObject() || it.value().isArray();
            if (!container)
                QVERIFY(!inIndented.isEmpty());
        }
    }
    QVERIFY(found > 1000);
}

QTEST_GUILESS_MAIN(tst_WireJson)
#include "tst_wire_json.moc"
