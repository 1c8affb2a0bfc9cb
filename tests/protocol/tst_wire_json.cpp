// The wire's JSON helpers (wire/Json.h) write what Qt writes: string literals as
// QJsonDocument escapes them, and timestamps as QDateTime's ISO 8601 with milliseconds.

#include "wire/Json.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace switchboard;

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

} // namespace

class tst_WireJson : public QObject {
    Q_OBJECT

private slots:
    void quotedEscapesAsQtDoes();
    void timestampsReadAsQtWritesThem();
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

QTEST_GUILESS_MAIN(tst_WireJson)
#include "tst_wire_json.moc"
