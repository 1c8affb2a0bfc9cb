// The entity watcher as SPEC §6.1 promises it, end to end: the real hub on port 0 with its
// entities dir in a temporary folder, a native client subscribed to "entities" over a real
// WebSocket, and real files created, edited, renamed and deleted. Waits are signal-driven.

#include "TestClient.h"
#include "TestHub.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using namespace switchboard;
using namespace switchboard::test;

namespace {

const QByteArray Grant = "type: grant\nname: Research grant\nstart_date: 2025-03-01\n"
                         "amount: 50000\n";
const QByteArray Tool = "type: software\nname: CI minutes\nstart_date: 2025-01-01\n"
                        "monthly: 300\n";

} // namespace

class tst_EntityWatcher : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void createsTheDirectoryAndListsItAtStartUp();
    void startUpScanListsEveryEntityAndError();
    void createdModifiedDeleted();
    void unchangedContentsSendNothing();
    void renameIsDeleteThenCreate();
    void newSubfoldersAreWatched();
    void folderMovedInAndOutOfTheTree();
    void brokenYamlGivesValidationErrorWithLineAndColumn();
    void invalidEntityGivesValidationErrorWithSuggestion();
    void burstOfWritesIsOneEvent();
    void demoFillsAnEmptyDirectoryWithSamples();
    void demoLeavesAFilledDirectoryAlone();
    void unusableDirectoryIsAStartError();

private:
    // Starts the hub on the entities dir and subscribes a client from the topic's first event.
    void startHub(bool demo = false,
                  std::chrono::milliseconds debounce = std::chrono::milliseconds(50));
    QString path(const QString& relative) const { return m_root + u'/' + relative; }
    void write(const QString& relative, const QByteArray& contents);
    // The data of the next `event` on "entities" after those already seen, matching `match`.
    QJsonObject next(const QString& event,
                     const std::function<bool(const QJsonObject&)>& match = {},
                     int timeoutMs = 5000);
    QJsonObject nextChange(const QString& eventType, const QString& filePath);
    // Every "entities" event seen so far (event name, data).
    QList<std::pair<QString, QJsonObject>> events() const;

    std::unique_ptr<QTemporaryDir> m_temp;
    QString m_root; // the entities dir: made by the hub unless a test makes it first
    std::unique_ptr<TestHub> m_hub;
    std::unique_ptr<TestClient> m_client;
    qsizetype m_seen = 0; // messages of m_client already returned by next()
};

void tst_EntityWatcher::init()
{
    QTest::failOnWarning(QRegularExpression(u".*"_s));
    m_temp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_temp->isValid());
    m_root = m_temp->filePath(u"entities"_s);
    m_seen = 0;
}

void tst_EntityWatcher::cleanup()
{
    m_client.reset();
    m_hub.reset();
    m_temp.reset();
}

void tst_EntityWatcher::startHub(bool demo, std::chrono::milliseconds debounce)
{
    HubConfig config = testConfig();
    config.dataDir = m_temp->filePath(u"data"_s);
    config.entitiesDir = m_root;
    config.entitiesDebounce = debounce;
    config.demo = demo;
    m_hub = std::make_unique<TestHub>(config);
    QVERIFY2(!m_hub->startError, qPrintable(m_hub->startError.value_or(QString())));

    m_client = std::make_unique<TestClient>();
    QVERIFY(m_client->open(m_hub->ws(u"/ws/v1"_s, m_hub->token(u"alice"_s, Role::User))));
    const QJsonObject ack = m_client->request(
        u"subscribe"_s, u"sub"_s,
        {{u"topics"_s, QJsonArray{u"entities"_s}}, {u"since"_s, QJsonObject{{u"entities"_s, 0}}}});
    QCOMPARE(ack.value(u"type"_s).toString(), u"ack"_s);
}

void tst_EntityWatcher::write(const QString& relative, const QByteArray& contents)
{
    const QString file = path(relative);
    QVERIFY(QDir().mkpath(QFileInfo(file).absolutePath()));
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(out.write(contents), contents.size());
    out.close();
}

QJsonObject tst_EntityWatcher::next(const QString& event,
                                    const std::function<bool(const QJsonObject&)>& match,
                                    int timeoutMs)
{
    const QJsonObject message = m_client->waitFor(
        [&](const QJsonObject& m) {
            return m.value(u"type"_s).toString() == "event"_L1 &&
                   m.value(u"topic"_s).toString() == "entities"_L1 &&
                   m.value(u"event"_s).toString() == event &&
                   (!match || match(m.value(u"data"_s).toObject()));
        },
        timeoutMs, m_seen);
    const qsizetype index = m_client->messages.indexOf(message, m_seen);
    if (index >= 0)
        m_seen = index + 1;
    return message.value(u"data"_s).toObject();
}

QJsonObject tst_EntityWatcher::nextChange(const QString& eventType, const QString& filePath)
{
    return next(u"entity_change"_s, [&](const QJsonObject& data) {
        return data.value(u"event_type"_s).toString() == eventType &&
               data.value(u"file_path"_s).toString() == filePath;
    });
}

QList<std::pair<QString, QJsonObject>> tst_EntityWatcher::events() const
{
    QList<std::pair<QString, QJsonObject>> result;
    for (const QJsonObject& m : std::as_const(m_client->messages)) {
        if (m.value(u"type"_s).toString() == "event"_L1 &&
            m.value(u"topic"_s).toString() == "entities"_L1)
            result.append({m.value(u"event"_s).toString(), m.value(u"data"_s).toObject()});
    }
    return result;
}

void tst_EntityWatcher::createsTheDirectoryAndListsItAtStartUp()
{
    QVERIFY(!QFileInfo::exists(m_root));
    startHub();
    QVERIFY(QFileInfo(m_root).isDir());
    const QJsonObject list = next(u"entity_list_update"_s);
    QCOMPARE(list.value(u"count"_s).toInt(), 0);
    QCOMPARE(list.value(u"entities"_s).toArray().size(), 0);
    QCOMPARE(list.value(u"errors"_s).toArray().size(), 0);
}

void tst_EntityWatcher::startUpScanListsEveryEntityAndError()
{
    write(u"revenue/grants/research.yaml"_s, Grant);
    write(u"expenses/tools/ci.yml"_s, Tool);
    write(u"expenses/bad.yaml"_s, "type: employe\nname: X\nstart_date: 2025-01-01\n"
                                  "salary: 1\n");
    write(u"notes.txt"_s, "ignored");
    write(u"zz/research.yaml"_s, Grant); // the id "research" is taken
    startHub();

    const QJsonObject list = next(u"entity_list_update"_s);
    QCOMPARE(list.value(u"count"_s).toInt(), 2);
    const QJsonArray entities = list.value(u"entities"_s).toArray();
    QCOMPARE(entities.size(), 2);
    QCOMPARE(entities[0].toObject().value(u"file_path"_s).toString(), u"expenses/tools/ci.yml"_s);
    QCOMPARE(entities[0].toObject().value(u"id"_s).toString(), u"ci"_s);
    QCOMPARE(entities[1].toObject().value(u"id"_s).toString(), u"research"_s);
    QCOMPARE(entities[1].toObject().value(u"amount"_s).toDouble(), 50000.0);
    const QJsonArray errors = list.value(u"errors"_s).toArray();
    QCOMPARE(errors.size(), 2);
    QCOMPARE(errors[0].toObject().value(u"file_path"_s).toString(), u"expenses/bad.yaml"_s);
    QCOMPARE(errors[1].toObject().value(u"file_path"_s).toString(), u"zz/research.yaml"_s);
    QVERIFY(errors[1].toObject().value(u"message"_s).toString().contains(u"is taken"_s));

    // The invalid file is also reported on its own, as a change would be.
    const QJsonObject error = next(u"validation_error"_s);
    QCOMPARE(error.value(u"file_path"_s).toString(), u"expenses/bad.yaml"_s);
    QCOMPARE(error.value(u"field"_s).toString(), u"type"_s);
    QCOMPARE(error.value(u"suggestion"_s).toString(), u"did you mean 'employee'?"_s);
}

void tst_EntityWatcher::createdModifiedDeleted()
{
    startHub();
    next(u"entity_list_update"_s);

    write(u"research.yaml"_s, Grant);
    const QJsonObject created = nextChange(u"created"_s, u"research.yaml"_s);
    QVERIFY2(!created.isEmpty(), "no entity_change created");
    QCOMPARE(created.value(u"entity_type"_s).toString(), u"grant"_s);
    QCOMPARE(created.value(u"entity_id"_s).toString(), u"research"_s);
    const QJsonObject data = created.value(u"entity_data"_s).toObject();
    QCOMPARE(data.value(u"name"_s).toString(), u"Research grant"_s);
    QCOMPARE(data.value(u"start_date"_s).toString(), u"2025-03-01"_s);
    QCOMPARE(data.value(u"amount"_s).toDouble(), 50000.0);

    write(u"research.yaml"_s, QByteArray(Grant).replace("50000", "65000"));
    const QJsonObject modified = nextChange(u"modified"_s, u"research.yaml"_s);
    QVERIFY2(!modified.isEmpty(), "no entity_change modified");
    QCOMPARE(modified.value(u"entity_data"_s).toObject().value(u"amount"_s).toDouble(), 65000.0);

    QVERIFY(QFile::remove(path(u"research.yaml"_s)));
    const QJsonObject deleted = nextChange(u"deleted"_s, u"research.yaml"_s);
    QVERIFY2(!deleted.isEmpty(), "no entity_change deleted");
    QCOMPARE(deleted.value(u"entity_id"_s).toString(), u"research"_s);
    QCOMPARE(deleted.value(u"entity_type"_s).toString(), u"grant"_s);
    QVERIFY(deleted.value(u"entity_data"_s).isNull());
}

void tst_EntityWatcher::unchangedContentsSendNothing()
{
    write(u"research.yaml"_s, Grant);
    startHub();
    next(u"entity_list_update"_s);

    // The same bytes again (an editor saving without changes), then a marker file.
    write(u"research.yaml"_s, Grant);
    write(u"marker.yaml"_s, Tool);
    QVERIFY(!nextChange(u"created"_s, u"marker.yaml"_s).isEmpty());
    for (const auto& [event, data] : events())
        QVERIFY2(data.value(u"file_path"_s).toString() != "research.yaml"_L1, qPrintable(event));
}

void tst_EntityWatcher::renameIsDeleteThenCreate()
{
    write(u"old_name.yaml"_s, Grant);
    startHub();
    next(u"entity_list_update"_s);

    QVERIFY(QFile::rename(path(u"old_name.yaml"_s), path(u"new_name.yaml"_s)));
    const QJsonObject deleted = nextChange(u"deleted"_s, u"old_name.yaml"_s);
    QCOMPARE(deleted.value(u"entity_id"_s).toString(), u"old_name"_s);
    m_seen = 0; // the two events of one rename come in either order
    const QJsonObject created = nextChange(u"created"_s, u"new_name.yaml"_s);
    QCOMPARE(created.value(u"entity_id"_s).toString(), u"new_name"_s);
    QCOMPARE(created.value(u"entity_data"_s).toObject().value(u"name"_s).toString(),
             u"Research grant"_s);

    // Renamed again, now into a sub-folder that exists already.
    QVERIFY(QDir().mkpath(path(u"archive"_s)));
    // Seen by the watcher before the move: otherwise the move is just part of a new folder.
    write(u"archive/placeholder.yaml"_s, Tool);
    QVERIFY(!nextChange(u"created"_s, u"archive/placeholder.yaml"_s).isEmpty());
    QVERIFY(QFile::rename(path(u"new_name.yaml"_s), path(u"archive/new_name.yaml"_s)));
    const qsizetype before = m_seen;
    QVERIFY(!nextChange(u"deleted"_s, u"new_name.yaml"_s).isEmpty());
    m_seen = before;
    QVERIFY(!nextChange(u"created"_s, u"archive/new_name.yaml"_s).isEmpty());
}

void tst_EntityWatcher::newSubfoldersAreWatched()
{
    startHub();
    next(u"entity_list_update"_s);

    // A new folder two levels deep with a file in it.
    write(u"revenue/grants/nsf.yaml"_s, Grant);
    const QJsonObject created = nextChange(u"created"_s, u"revenue/grants/nsf.yaml"_s);
    QVERIFY2(!created.isEmpty(), "no created event for a file in a new folder");
    QCOMPARE(created.value(u"entity_id"_s).toString(), u"nsf"_s);

    // The new folders are watched themselves: a file added there, then edited.
    write(u"revenue/grants/state.yaml"_s, Grant);
    QVERIFY(!nextChange(u"created"_s, u"revenue/grants/state.yaml"_s).isEmpty());
    write(u"revenue/grants/nsf.yaml"_s, QByteArray(Grant).replace("Research", "NSF"));
    const QJsonObject modified = nextChange(u"modified"_s, u"revenue/grants/nsf.yaml"_s);
    QCOMPARE(modified.value(u"entity_data"_s).toObject().value(u"name"_s).toString(),
             u"NSF grant"_s);

    // Removing a folder deletes everything in it.
    QVERIFY(QDir(path(u"revenue"_s)).removeRecursively());
    const qsizetype before = m_seen;
    QVERIFY(!nextChange(u"deleted"_s, u"revenue/grants/nsf.yaml"_s).isEmpty());
    m_seen = before;
    QVERIFY(!nextChange(u"deleted"_s, u"revenue/grants/state.yaml"_s).isEmpty());

    // The same folder made again is watched again.
    write(u"revenue/grants/again.yaml"_s, Grant);
    QVERIFY(!nextChange(u"created"_s, u"revenue/grants/again.yaml"_s).isEmpty());
    write(u"revenue/grants/again.yaml"_s, Tool);
    QCOMPARE(nextChange(u"modified"_s, u"revenue/grants/again.yaml"_s)
                 .value(u"entity_type"_s)
                 .toString(),
             u"software"_s);
}

void tst_EntityWatcher::folderMovedInAndOutOfTheTree()
{
    startHub();
    next(u"entity_list_update"_s);

    // A folder prepared elsewhere, then moved in whole (as a file manager or git would).
    const QString outside = m_temp->filePath(u"staging"_s);
    QVERIFY(QDir().mkpath(outside + u"/team"_s));
    for (const auto& [name, contents] :
         {std::pair{u"team/cto.yaml"_s, QByteArray("type: employee\nname: CTO\nstart_date: "
                                                   "2025-01-01\nsalary: 160000\n")},
          std::pair{u"office.yaml"_s, QByteArray("type: facility\nname: Office\nstart_date: "
                                                 "2025-01-01\nmonthly: 9000\n")}}) {
        QFile out(outside + u'/' + name);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(contents);
    }
    QVERIFY(QDir().rename(outside, path(u"expenses"_s)));
    const qsizetype before = m_seen;
    const QJsonObject cto = nextChange(u"created"_s, u"expenses/team/cto.yaml"_s);
    QCOMPARE(cto.value(u"entity_type"_s).toString(), u"employee"_s);
    m_seen = before;
    QVERIFY(!nextChange(u"created"_s, u"expenses/office.yaml"_s).isEmpty());

    // ... and moved out again.
    QVERIFY(QDir().rename(path(u"expenses"_s), outside));
    const qsizetype after = m_seen;
    QVERIFY(!nextChange(u"deleted"_s, u"expenses/team/cto.yaml"_s).isEmpty());
    m_seen = after;
    QVERIFY(!nextChange(u"deleted"_s, u"expenses/office.yaml"_s).isEmpty());
}

void tst_EntityWatcher::brokenYamlGivesValidationErrorWithLineAndColumn()
{
    startHub();
    next(u"entity_list_update"_s);

    write(u"broken.yaml"_s, "type: grant\nname: X\n  nested: 1\n");
    const QJsonObject error = next(u"validation_error"_s);
    QVERIFY2(!error.isEmpty(), "no validation_error");
    QCOMPARE(error.value(u"file_path"_s).toString(), u"broken.yaml"_s);
    QCOMPARE(error.value(u"entity_id"_s).toString(), u"broken"_s);
    QCOMPARE(error.value(u"event_type"_s).toString(), u"created"_s);
    QCOMPARE(error.value(u"line"_s).toInt(), 3);
    QCOMPARE(error.value(u"column"_s).toInt(), 9);
    QVERIFY(error.value(u"message"_s).toString().startsWith(u"not valid YAML"_s));
    QVERIFY(!error.value(u"suggestion"_s).toString().isEmpty());
    QCOMPARE(error.value(u"errors"_s).toArray().size(), 1);

    // Fixed: the entity appears, as a modification of the file the hub already knew.
    write(u"broken.yaml"_s, Grant);
    const QJsonObject fixed = nextChange(u"modified"_s, u"broken.yaml"_s);
    QVERIFY2(!fixed.isEmpty(), "no entity_change after the fix");
    QCOMPARE(fixed.value(u"entity_type"_s).toString(), u"grant"_s);
}

void tst_EntityWatcher::invalidEntityGivesValidationErrorWithSuggestion()
{
    write(u"staff/engineer.yaml"_s, "type: employee\nname: Engineer\nstart_date: 2025-01-01\n"
                                    "salary: 120000\n");
    startHub();
    next(u"entity_list_update"_s);

    write(u"staff/engineer.yaml"_s, "type: employe\nname: Engineer\nstart_date: 2025-01-01\n"
                                    "salary: 120000\n");
    const QJsonObject error = next(u"validation_error"_s);
    QCOMPARE(error.value(u"file_path"_s).toString(), u"staff/engineer.yaml"_s);
    QCOMPARE(error.value(u"event_type"_s).toString(), u"modified"_s);
    QCOMPARE(error.value(u"field"_s).toString(), u"type"_s);
    QCOMPARE(error.value(u"line"_s).toInt(), 1);
    QCOMPARE(error.value(u"column"_s).toInt(), 7);
    QCOMPARE(error.value(u"message"_s).toString(), u"unknown type 'employe'"_s);
    QCOMPARE(error.value(u"suggestion"_s).toString(), u"did you mean 'employee'?"_s);
}

void tst_EntityWatcher::burstOfWritesIsOneEvent()
{
    write(u"tool.yaml"_s, Tool);
    startHub(false, std::chrono::milliseconds(300));
    next(u"entity_list_update"_s);

    // Twenty saves in a row, well inside one debounce period.
    for (int i = 1; i <= 20; ++i)
        write(u"tool.yaml"_s, QByteArray(Tool).replace("300", QByteArray::number(1000 + i)));
    const QJsonObject last = next(u"entity_change"_s, [](const QJsonObject& data) {
        return data.value(u"entity_data"_s).toObject().value(u"monthly"_s).toDouble() == 1020;
    });
    QVERIFY2(!last.isEmpty(), "the last contents never arrived");
    int changes = 0;
    for (const auto& [event, data] : events())
        changes += event == "entity_change"_L1;
    QVERIFY2(changes <= 2, qPrintable(QString::number(changes)));
}

void tst_EntityWatcher::demoFillsAnEmptyDirectoryWithSamples()
{
    startHub(true);
    const QJsonObject list = next(u"entity_list_update"_s);
    QVERIFY(list.value(u"count"_s).toInt() >= 12);
    QCOMPARE(list.value(u"errors"_s).toArray().size(), 0);
    QVERIFY(QFileInfo::exists(path(u"revenue/investments/seed_round.yaml"_s)));

    // Moved so that the plan began in the month before this one (UTC, the forecasts' clock):
    // the seed round of January 2025 arrived last month.
    const QDate lastMonth = QDateTime::currentDateTimeUtc().date().addMonths(-1);
    bool seen = false;
    for (const QJsonValue& value : list.value(u"entities"_s).toArray()) {
        const QJsonObject entity = value.toObject();
        if (entity.value(u"id"_s).toString() == "seed_round"_L1) {
            const QDate start =
                QDate::fromString(entity.value(u"start_date"_s).toString(), Qt::ISODate);
            QCOMPARE(start.year(), lastMonth.year());
            QCOMPARE(start.month(), lastMonth.month());
            seen = true;
        }
    }
    QVERIFY(seen);

    // The copies are watched like any file.
    write(u"revenue/investments/seed_round.yaml"_s, Grant);
    QCOMPARE(nextChange(u"modified"_s, u"revenue/investments/seed_round.yaml"_s)
                 .value(u"entity_type"_s)
                 .toString(),
             u"grant"_s);
}

void tst_EntityWatcher::demoLeavesAFilledDirectoryAlone()
{
    write(u"mine.yaml"_s, Grant);
    startHub(true);
    const QJsonObject list = next(u"entity_list_update"_s);
    QCOMPARE(list.value(u"count"_s).toInt(), 1);
    QVERIFY(!QFileInfo::exists(path(u"revenue"_s)));
}

void tst_EntityWatcher::unusableDirectoryIsAStartError()
{
    // A file where the folder should be.
    QFile file(m_temp->filePath(u"not_a_dir"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    HubConfig config = testConfig();
    config.dataDir = m_temp->filePath(u"data"_s);
    config.entitiesDir = m_temp->filePath(u"not_a_dir"_s);
    TestHub hub(config);
    QVERIFY(hub.startError);
    QVERIFY2(hub.startError->startsWith(u"--entities-dir: "_s), qPrintable(*hub.startError));
}

QTEST_GUILESS_MAIN(tst_EntityWatcher)
#include "tst_entity_watcher.moc"
