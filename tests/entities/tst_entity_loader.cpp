// Entity files as SPEC §6.1 describes them: what validates, and for each mistake a user can
// make, the error with its field, place and fix suggestion. Real files in a temporary dir.

#include "config/HubConfig.h"
#include "entities/EntityLoader.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace switchboard;

class tst_EntityLoader : public QObject {
    Q_OBJECT

private slots:
    void init();

    void validEntityHasEveryField();
    void everyTypeIsRevenueOrExpense();
    void optionalFieldsMayBeNull();
    void numbersQuotedOrNotAreHandledByKind();

    void mistakesAreErrorsWithFieldAndSuggestion_data();
    void mistakesAreErrorsWithFieldAndSuggestion();
    void brokenYamlHasLineAndColumn();
    void fieldErrorsPointAtTheValue();
    void everyMistakeIsReportedAtOnce();
    void aliasBombIsRefused();

    void loadEntitiesWalksSubfoldersInPathOrder();
    void loadEntitiesSkipsHiddenAndOtherFiles();
    void duplicateIdsAreAnError();
    void entitiesDirDefaultsToDataDir();

private:
    QString write(const QString& relative, const QByteArray& contents);
    EntityParse parse(const QByteArray& contents, const QString& relative = u"x/thing.yaml"_s);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_EntityLoader::init()
{
    QTest::failOnWarning(QRegularExpression(u".*"_s));
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString tst_EntityLoader::write(const QString& relative, const QByteArray& contents)
{
    const QString path = m_dir->filePath(relative);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(contents);
    return path;
}

EntityParse tst_EntityLoader::parse(const QByteArray& contents, const QString& relative)
{
    return parseEntityFile(m_dir->path(), write(relative, contents));
}

void tst_EntityLoader::validEntityHasEveryField()
{
    const EntityParse result = parse("type: employee\n"
                                     "name: Senior engineer\n"
                                     "start_date: 2025-02-01\n"
                                     "end_date: 2026-01-31\n"
                                     "salary: 150000\n"
                                     "amount: 5000 # signing bonus\n"
                                     "team: platform\n",
                                     u"expenses/employees/senior_engineer.yaml"_s);
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.value(0).message));
    QVERIFY(result.entity);
    const Entity& entity = *result.entity;
    QCOMPARE(entity.id, u"senior_engineer"_s);
    QCOMPARE(entity.filePath, u"expenses/employees/senior_engineer.yaml"_s);
    QCOMPARE(entity.type, u"employee"_s);
    QCOMPARE(entity.name, u"Senior engineer"_s);
    QCOMPARE(entity.startDate, QDate(2025, 2, 1));
    QCOMPARE(entity.endDate, std::optional<QDate>(QDate(2026, 1, 31)));
    QCOMPARE(entity.salary, std::optional<double>(150000));
    QCOMPARE(entity.amount, std::optional<double>(5000));
    QVERIFY(!entity.monthly);
    QVERIFY(!entity.isRevenue());
    // Fields the hub does not use are kept.
    QCOMPARE(entity.raw.value(u"team"_s).toString(), u"platform"_s);

    const QJsonObject json = entity.toJson();
    QCOMPARE(json.value(u"id"_s).toString(), u"senior_engineer"_s);
    QCOMPARE(json.value(u"file_path"_s).toString(), u"expenses/employees/senior_engineer.yaml"_s);
    QCOMPARE(json.value(u"salary"_s).toDouble(), 150000.0);
    QCOMPARE(json.value(u"start_date"_s).toString(), u"2025-02-01"_s);
    QCOMPARE(json.value(u"team"_s).toString(), u"platform"_s);
}

void tst_EntityLoader::everyTypeIsRevenueOrExpense()
{
    for (const QString& type : {u"grant"_s, u"investment"_s, u"sale"_s, u"service"_s}) {
        const EntityParse result =
            parse("type: " + type.toUtf8() + "\nname: X\nstart_date: 2025-01-01\namount: 1\n");
        QVERIFY2(result.entity, qPrintable(type));
        QVERIFY(result.entity->isRevenue());
    }
    for (const QString& type : {u"employee"_s, u"facility"_s, u"software"_s, u"equipment"_s}) {
        const EntityParse result =
            parse("type: " + type.toUtf8() + "\nname: X\nstart_date: 2025-01-01\nmonthly: 1\n");
        QVERIFY2(result.entity, qPrintable(type));
        QVERIFY(!result.entity->isRevenue());
    }
    QCOMPARE(entityTypes().size(), 8);
}

void tst_EntityLoader::optionalFieldsMayBeNull()
{
    // CashCow files spell "no end" as an empty or null end_date.
    const EntityParse result = parse("type: software\nname: CI\nstart_date: 2025-01-01\n"
                                     "end_date:\nmonthly: 300\namount: null\n");
    QVERIFY2(result.entity, qPrintable(result.errors.value(0).message));
    QVERIFY(!result.entity->endDate);
    QVERIFY(!result.entity->amount);
    QCOMPARE(result.entity->monthly, std::optional<double>(300));
}

void tst_EntityLoader::numbersQuotedOrNotAreHandledByKind()
{
    // A quoted number is text, so it is the wrong kind for a money field.
    const EntityParse quoted =
        parse("type: grant\nname: '2025'\nstart_date: '2025-01-01'\namount: \"5000\"\n");
    QCOMPARE(quoted.errors.size(), 1);
    QCOMPARE(quoted.errors[0].field, u"amount"_s);
    QVERIFY2(quoted.errors[0].message.contains(u"must be a number"_s),
             qPrintable(quoted.errors[0].message));

    // Unquoted numbers in any YAML notation; a numeric name is still a name.
    const EntityParse plain = parse("type: grant\nname: 2025\nstart_date: 2025-01-01\n"
                                    "amount: 1.5e3\nmonthly: 0x10\n");
    QVERIFY2(plain.entity, qPrintable(plain.errors.value(0).message));
    QCOMPARE(plain.entity->name, u"2025"_s);
    QCOMPARE(plain.entity->amount, std::optional<double>(1500));
    QCOMPARE(plain.entity->monthly, std::optional<double>(16));
}

void tst_EntityLoader::mistakesAreErrorsWithFieldAndSuggestion_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("message");    // contained in the error's message
    QTest::addColumn<QString>("suggestion"); // contained in the error's suggestion

    const QByteArray rest = "name: X\nstart_date: 2025-01-01\nmonthly: 100\n";
    // clang-format off
    QTest::newRow("near-miss type") << "type: employe\n" + rest << u"type"_s << u"unknown type 'employe'"_s << u"did you mean 'employee'?"_s;
    QTest::newRow("capitalised type") << "type: Grant\n" + rest << u"type"_s << u"unknown type 'Grant'"_s << u"did you mean 'grant'?"_s;
    QTest::newRow("type as prefix") << "type: invest\n" + rest << u"type"_s << u"unknown type"_s << u"did you mean 'investment'?"_s;
    QTest::newRow("far-off type") << "type: spaceship\n" + rest << u"type"_s << u"unknown type 'spaceship'"_s << u"use one of: grant, investment, sale, service, employee, facility, software, equipment"_s;
    QTest::newRow("type is a list") << "type: [grant]\n" + rest << u"type"_s << u"type must be a single word, not a list"_s << u"use one of"_s;
    QTest::newRow("missing type") << rest << u"type"_s << u"missing field 'type'"_s << u"add \"type: ...\""_s;
    QTest::newRow("misspelt type key") << "tpye: grant\n" + rest << u"type"_s << u"missing field 'type'"_s << u"did you mean 'type' instead of 'tpye'?"_s;
    QTest::newRow("missing name") << QByteArray("type: grant\nstart_date: 2025-01-01\namount: 5\n") << u"name"_s << u"missing field 'name'"_s << u"name: ..."_s;
    QTest::newRow("empty name") << QByteArray("type: grant\nname: ''\nstart_date: 2025-01-01\namount: 5\n") << u"name"_s << u"name is empty"_s << u"short description"_s;
    QTest::newRow("name is a mapping") << QByteArray("type: grant\nname: {a: 1}\nstart_date: 2025-01-01\namount: 5\n") << u"name"_s << u"name must be text, not a mapping"_s << u"one line"_s;
    QTest::newRow("missing start") << QByteArray("type: grant\nname: X\namount: 5\n") << u"start_date"_s << u"missing field 'start_date'"_s << u"YYYY-MM-DD"_s;
    QTest::newRow("start with dash") << QByteArray("type: grant\nname: X\nstart-date: 2025-01-01\namount: 5\n") << u"start-date"_s << u"unknown field 'start-date'"_s << u"did you mean 'start_date'?"_s;
    QTest::newRow("start with no value") << QByteArray("type: grant\nname: X\nstart_date:\namount: 5\n") << u"start_date"_s << u"'start_date' has no value"_s << u"YYYY-MM-DD"_s;
    QTest::newRow("bad date format") << QByteArray("type: grant\nname: X\nstart_date: 01/02/2025\namount: 5\n") << u"start_date"_s << u"must be a date written YYYY-MM-DD, not '01/02/2025'"_s << u"for example 2025-01-31"_s;
    QTest::newRow("unpadded date") << QByteArray("type: grant\nname: X\nstart_date: 2025-1-5\namount: 5\n") << u"start_date"_s << u"YYYY-MM-DD"_s << u"write it as 2025-01-05"_s;
    QTest::newRow("impossible date") << QByteArray("type: grant\nname: X\nstart_date: 2025-02-30\namount: 5\n") << u"start_date"_s << u"'2025-02-30' is not a date in the calendar"_s << u"month (01-12)"_s;
    QTest::newRow("month 13") << QByteArray("type: grant\nname: X\nstart_date: 2025-13-01\namount: 5\n") << u"start_date"_s << u"not a date in the calendar"_s << u"month"_s;
    QTest::newRow("date is a number") << QByteArray("type: grant\nname: X\nstart_date: 20250101\namount: 5\n") << u"start_date"_s << u"must be a date written YYYY-MM-DD"_s << u"YYYY-MM-DD"_s;
    QTest::newRow("bad end date") << QByteArray("type: grant\nname: X\nstart_date: 2025-01-01\nend_date: soon\namount: 5\n") << u"end_date"_s << u"end_date must be a date"_s << u"YYYY-MM-DD"_s;
    QTest::newRow("end before start") << QByteArray("type: service\nname: X\nstart_date: 2025-06-01\nend_date: 2025-05-31\nmonthly: 5\n") << u"end_date"_s << u"end_date 2025-05-31 is before start_date 2025-06-01"_s << u"on or after start_date"_s;
    QTest::newRow("no amount at all") << QByteArray("type: grant\nname: X\nstart_date: 2025-01-01\n") << u"amount"_s << u"needs amount (one-off), monthly (recurring) or salary"_s << u"add \"amount: ...\""_s;
    QTest::newRow("employee without pay") << QByteArray("type: employee\nname: X\nstart_date: 2025-01-01\n") << u"amount"_s << u"needs amount"_s << u"add \"salary: ...\" (annual)"_s;
    QTest::newRow("misspelt monthly") << QByteArray("type: software\nname: X\nstart_date: 2025-01-01\nmonthy: 5\n") << u"monthy"_s << u"unknown field 'monthy'"_s << u"did you mean 'monthly'?"_s;
    QTest::newRow("negative amount") << QByteArray("type: equipment\nname: X\nstart_date: 2025-01-01\namount: -300\n") << u"amount"_s << u"amount must not be negative (-300)"_s << u"positive number"_s;
    QTest::newRow("negative salary") << QByteArray("type: employee\nname: X\nstart_date: 2025-01-01\nsalary: -1\n") << u"salary"_s << u"must not be negative"_s << u"positive number"_s;
    QTest::newRow("amount is text") << QByteArray("type: grant\nname: X\nstart_date: 2025-01-01\namount: lots\n") << u"amount"_s << u"amount must be a number, not 'lots'"_s << u"plain number, such as 5000"_s;
    QTest::newRow("amount with separators") << QByteArray("type: grant\nname: X\nstart_date: 2025-01-01\namount: 120,000\n") << u"amount"_s << u"must be a number"_s << u"write it as a plain number: 120000"_s;
    QTest::newRow("amount with currency") << QByteArray("type: grant\nname: X\nstart_date: 2025-01-01\namount: $5000\n") << u"amount"_s << u"must be a number"_s << u"plain number: 5000"_s;
    QTest::newRow("amount is a list") << QByteArray("type: grant\nname: X\nstart_date: 2025-01-01\namount: [1, 2]\n") << u"amount"_s << u"amount must be a number, not a list"_s << u"plain number"_s;
    QTest::newRow("amount is infinite") << QByteArray("type: grant\nname: X\nstart_date: 2025-01-01\namount: .inf\n") << u"amount"_s << u"must be a number"_s << u"plain number"_s;
    QTest::newRow("salary for a facility") << QByteArray("type: facility\nname: X\nstart_date: 2025-01-01\nsalary: 1000\n") << u"salary"_s << u"salary is for employees, not a facility"_s << u"use monthly"_s;
    QTest::newRow("duplicate field") << QByteArray("type: grant\nname: X\nname: Y\nstart_date: 2025-01-01\namount: 1\n") << u"name"_s << u"'name' appears twice"_s << u"keep one"_s;
    QTest::newRow("not a mapping") << QByteArray("- type: grant\n- name: X\n") << QString() << u"mapping of fields"_s << u"type: grant"_s;
    QTest::newRow("plain text") << QByteArray("just some words\n") << QString() << u"not a single value"_s << u"for example"_s;
    QTest::newRow("empty file") << QByteArray() << QString() << u"the file is empty"_s << u"start_date: 2025-01-01"_s;
    QTest::newRow("only a comment") << QByteArray("# nothing yet\n") << QString() << u"the file is empty"_s << u"for example"_s;
    // clang-format on
}

void tst_EntityLoader::mistakesAreErrorsWithFieldAndSuggestion()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, field);
    QFETCH(QString, message);
    QFETCH(QString, suggestion);

    const EntityParse result = parse(contents, u"revenue/item.yaml"_s);
    QVERIFY(!result.entity);
    QVERIFY(!result.errors.isEmpty());
    const auto matching =
        std::find_if(result.errors.cbegin(), result.errors.cend(),
                     [&](const EntityError& error) { return error.message.contains(message); });
    QString all;
    for (const EntityError& error : result.errors)
        all += u"\n  ["_s + error.field + u"] "_s + error.message + u" -- "_s + error.suggestion;
    QVERIFY2(matching != result.errors.cend(), qPrintable(all));
    QCOMPARE(matching->field, field);
    QVERIFY2(matching->suggestion.contains(suggestion), qPrintable(matching->suggestion));
    QCOMPARE(matching->filePath, u"revenue/item.yaml"_s);

    const QJsonObject json = matching->toJson();
    QCOMPARE(json.value(u"file_path"_s).toString(), u"revenue/item.yaml"_s);
    QCOMPARE(json.value(u"field"_s).toString(), field);
    QCOMPARE(json.value(u"message"_s).toString(), matching->message);
    QCOMPARE(json.value(u"suggestion"_s).toString(), matching->suggestion);
    QVERIFY(json.contains(u"line"_s) && json.contains(u"column"_s));
}

void tst_EntityLoader::brokenYamlHasLineAndColumn()
{
    // Line 3 opens a flow sequence that never closes; an unclosed quote on line 2 below.
    const EntityParse unclosed = parse("type: grant\nname: X\nstart_date: [2025-01-01\n"
                                       "amount: 5\n");
    QCOMPARE(unclosed.errors.size(), 1);
    const EntityError& error = unclosed.errors[0];
    QVERIFY(error.field.isEmpty());
    QVERIFY2(error.message.startsWith(u"not valid YAML: "_s), qPrintable(error.message));
    QVERIFY2(error.line >= 3, qPrintable(QString::number(error.line)));
    QVERIFY(error.column >= 1);
    QVERIFY2(error.suggestion.contains(u"around line %1"_s.arg(error.line)),
             qPrintable(error.suggestion));

    // A mapping value indented under a scalar: yaml-cpp's mark is the ':' at line 3, col 9.
    const EntityParse indented = parse("type: grant\nname: X\n  nested: 1\n");
    QCOMPARE(indented.errors.size(), 1);
    QCOMPARE(indented.errors[0].line, 3);
    QCOMPARE(indented.errors[0].column, 9);
    QVERIFY2(indented.errors[0].message.contains(u"illegal map value"_s),
             qPrintable(indented.errors[0].message));

    // A tab used for indentation.
    const EntityParse tab = parse("type: grant\nextra:\n\t- 1\n");
    QCOMPARE(tab.errors.size(), 1);
    QCOMPARE(tab.errors[0].line, 3);
}

void tst_EntityLoader::fieldErrorsPointAtTheValue()
{
    const EntityParse result = parse("type: grant\n"
                                     "name: X\n"
                                     "start_date: 2025-01-01\n"
                                     "amount:   -5\n");
    QCOMPARE(result.errors.size(), 1);
    QCOMPARE(result.errors[0].line, 4);
    QCOMPARE(result.errors[0].column, 11);

    // A missing field has no place in the file.
    const EntityParse missing = parse("type: grant\nstart_date: 2025-01-01\namount: 5\n");
    QCOMPARE(missing.errors.size(), 1);
    QCOMPARE(missing.errors[0].line, 0);
    QCOMPARE(missing.errors[0].column, 0);
}

void tst_EntityLoader::everyMistakeIsReportedAtOnce()
{
    const EntityParse result = parse("type: employe\nstart_date: 2025-02-30\nsalary: lots\n");
    QStringList fields;
    for (const EntityError& error : result.errors)
        fields.append(error.field);
    fields.sort();
    QCOMPARE(fields, (QStringList{u"name"_s, u"salary"_s, u"start_date"_s, u"type"_s}));
}

void tst_EntityLoader::aliasBombIsRefused()
{
    // Each level doubles the previous one: 2^30 values once expanded.
    QByteArray bomb = "a0: &a0 [x, x]\n";
    for (int i = 1; i <= 30; ++i)
        bomb += "a" + QByteArray::number(i) + ": &a" + QByteArray::number(i) + " [*a" +
                QByteArray::number(i - 1) + ", *a" + QByteArray::number(i - 1) + "]\n";
    const EntityParse result = parse(bomb);
    QCOMPARE(result.errors.size(), 1);
    QVERIFY2(result.errors[0].message.contains(u"too many values"_s),
             qPrintable(result.errors[0].message));
}

void tst_EntityLoader::loadEntitiesWalksSubfoldersInPathOrder()
{
    write(u"revenue/grants/b_grant.yaml"_s,
          "type: grant\nname: B\nstart_date: 2025-01-01\namount: 2\n");
    write(u"revenue/grants/a_grant.yml"_s,
          "type: grant\nname: A\nstart_date: 2025-01-01\namount: 1\n");
    write(u"expenses/deep/er/tool.yaml"_s,
          "type: software\nname: T\nstart_date: 2025-01-01\nmonthly: 3\n");
    write(u"expenses/broken.yaml"_s, "type: rocket\n");

    const EntitySet set = loadEntities(m_dir->path());
    QStringList paths;
    for (const Entity& entity : set.entities)
        paths.append(entity.filePath);
    QCOMPARE(paths, (QStringList{u"expenses/deep/er/tool.yaml"_s, u"revenue/grants/a_grant.yml"_s,
                                 u"revenue/grants/b_grant.yaml"_s}));
    QVERIFY(!set.errors.isEmpty());
    for (const EntityError& error : set.errors)
        QCOMPARE(error.filePath, u"expenses/broken.yaml"_s);
}

void tst_EntityLoader::loadEntitiesSkipsHiddenAndOtherFiles()
{
    const QByteArray valid = "type: grant\nname: A\nstart_date: 2025-01-01\namount: 1\n";
    write(u"grant.yaml"_s, valid);
    write(u".hidden.yaml"_s, valid);
    write(u".git/objects/x.yaml"_s, valid);
    write(u"notes.txt"_s, "not an entity");
    write(u"grant.yaml~"_s, valid);
    QVERIFY(isEntityFileName(u"A.YAML"_s));
    QVERIFY(!isEntityFileName(u".#grant.yaml"_s));

    const EntitySet set = loadEntities(m_dir->path());
    QCOMPARE(set.entities.size(), 1);
    QCOMPARE(set.entities[0].filePath, u"grant.yaml"_s);
    QVERIFY(set.errors.isEmpty());
}

void tst_EntityLoader::duplicateIdsAreAnError()
{
    const QByteArray valid = "type: grant\nname: A\nstart_date: 2025-01-01\namount: 1\n";
    write(u"a/same.yaml"_s, valid);
    write(u"b/same.yaml"_s, valid);
    const EntitySet set = loadEntities(m_dir->path());
    QCOMPARE(set.entities.size(), 1);
    QCOMPARE(set.entities[0].filePath, u"a/same.yaml"_s);
    QCOMPARE(set.errors.size(), 1);
    QCOMPARE(set.errors[0].filePath, u"b/same.yaml"_s);
    QVERIFY(set.errors[0].message.contains(u"a/same.yaml"_s));
    QVERIFY(set.errors[0].suggestion.contains(u"rename"_s));
}

void tst_EntityLoader::entitiesDirDefaultsToDataDir()
{
    HubConfig config;
    config.dataDir = u"/srv/switchboard"_s;
    QCOMPARE(withResolvedDirectories(config).entitiesDir, u"/srv/switchboard/entities"_s);
    config.entitiesDir = u"/srv/plans"_s;
    QCOMPARE(withResolvedDirectories(config).entitiesDir, u"/srv/plans"_s);
    // With no data dir at all, both land in the platform's application data folder.
    const HubConfig defaults = withResolvedDirectories(HubConfig{});
    QCOMPARE(defaults.dataDir, QStandardPaths::writableLocation(QStandardPaths::AppDataLocation));
    QCOMPARE(defaults.entitiesDir, QDir(defaults.dataDir).filePath(u"entities"_s));
}

QTEST_GUILESS_MAIN(tst_EntityLoader)
#include "tst_entity_loader.moc"
