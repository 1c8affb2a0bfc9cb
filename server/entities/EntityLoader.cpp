#include "entities/EntityLoader.h"

#include <yaml-cpp/yaml.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <exception>
#include <string>
#include <utility>
#include <vector>

using namespace Qt::StringLiterals;

namespace switchboard {
namespace {

// The translation context of the loader's messages.
struct EntityLoaderText {
    Q_DECLARE_TR_FUNCTIONS(EntityLoader)
};

// Entity files are a dozen lines; anything this big is not one, and is not worth parsing.
constexpr qint64 MaxFileBytes = 1024 * 1024;
// Aliases let a small file describe a huge (or cyclic) tree; conversion stops at these.
constexpr int MaxDepth = 64;
constexpr int MaxValues = 100'000;

const QString TypeField = u"type"_s;
const QString NameField = u"name"_s;
const QString StartField = u"start_date"_s;
const QString EndField = u"end_date"_s;
const QString AmountField = u"amount"_s;
const QString MonthlyField = u"monthly"_s;
const QString SalaryField = u"salary"_s;

const QStringList& knownFields()
{
    static const QStringList fields = {TypeField,   NameField,    StartField, EndField,
                                       AmountField, MonthlyField, SalaryField};
    return fields;
}

const QString Example = u"for example:\n  type: grant\n  name: Research grant\n"
                        "  start_date: 2025-01-01\n  amount: 50000"_s;

QString quoted(const QString& text)
{
    return u'\'' + text + u'\'';
}

// Edits between two words, a swap of neighbours counting as one ("tpye" -> "type").
int editDistance(const QString& a, const QString& b)
{
    const size_t rows = size_t(a.size()) + 1;
    const size_t columns = size_t(b.size()) + 1;
    std::vector<int> d(rows * columns);
    const auto at = [&d, columns](size_t i, size_t j) -> int& { return d[i * columns + j]; };
    for (size_t i = 0; i < rows; ++i)
        at(i, 0) = int(i);
    for (size_t j = 0; j < columns; ++j)
        at(0, j) = int(j);
    for (size_t i = 1; i < rows; ++i) {
        for (size_t j = 1; j < columns; ++j) {
            const int cost = a[qsizetype(i - 1)] == b[qsizetype(j - 1)] ? 0 : 1;
            at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
            if (i > 1 && j > 1 && a[qsizetype(i - 1)] == b[qsizetype(j - 2)] &&
                a[qsizetype(i - 2)] == b[qsizetype(j - 1)])
                at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
        }
    }
    return at(rows - 1, columns - 1);
}

// How a field name or type is compared for typos: case and separators do not count.
QString normalised(const QString& word)
{
    QString result = word.trimmed().toLower();
    result.replace(u'-', u'_').replace(u' ', u'_');
    return result;
}

// The candidate `word` is most likely a typo of, if any: close in spelling, or a prefix of
// at least four letters ("invest" for "investment").
std::optional<QString> nearMiss(const QString& word, const QStringList& candidates)
{
    const QString typed = normalised(word);
    std::optional<QString> best;
    int bestDistance = 0;
    for (const QString& candidate : candidates) {
        if (typed.size() >= 4 && candidate.startsWith(typed))
            return candidate;
        const int distance = editDistance(typed, candidate);
        const int allowed = std::clamp(int(candidate.size()) / 3, 1, 3);
        if (distance <= allowed && (!best || distance < bestDistance)) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

// A key that is surely a misspelt field rather than a field of the user's own: the same
// once case and separators are ignored, or one letter off a longer name.
std::optional<QString> misspeltField(const QString& key)
{
    if (knownFields().contains(key))
        return std::nullopt;
    const QString typed = normalised(key);
    for (const QString& field : knownFields()) {
        if (typed == field || typed == QString(field).remove(u'_') ||
            (field.size() >= 5 && editDistance(typed, field) <= 1))
            return field;
    }
    return std::nullopt;
}

QString oneOfTypes()
{
    return entityTypes().join(u", "_s);
}

// 1-based positions; 0 for a mark yaml-cpp does not have.
int lineOf(const YAML::Mark& mark)
{
    return mark.is_null() ? 0 : mark.line + 1;
}

int columnOf(const YAML::Mark& mark)
{
    return mark.is_null() ? 0 : mark.column + 1;
}

QString kindName(const YAML::Node& node)
{
    switch (node.Type()) {
    case YAML::NodeType::Sequence:
        return EntityLoaderText::tr("a list");
    case YAML::NodeType::Map:
        return EntityLoaderText::tr("a mapping");
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        return EntityLoaderText::tr("empty");
    case YAML::NodeType::Scalar:
        break;
    }
    return EntityLoaderText::tr("a single value");
}

// A plain (unquoted) scalar resolved by the YAML 1.2 core schema. Dates stay text, as there;
// ".inf" and ".nan" too, since JSON has no such numbers.
QJsonValue plainScalar(const QString& text)
{
    static const QRegularExpression integer(u"^[-+]?[0-9]+$"_s);
    static const QRegularExpression real(
        u"^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"_s);
    if (text.isEmpty() || text == "~"_L1 || text == "null"_L1 || text == "Null"_L1 ||
        text == "NULL"_L1)
        return QJsonValue(QJsonValue::Null);
    if (text == "true"_L1 || text == "True"_L1 || text == "TRUE"_L1)
        return true;
    if (text == "false"_L1 || text == "False"_L1 || text == "FALSE"_L1)
        return false;
    if (integer.match(text).hasMatch() || real.match(text).hasMatch()) {
        bool ok = false;
        const double value = text.toDouble(&ok);
        if (ok)
            return value;
    }
    if (text.startsWith("0x"_L1) || text.startsWith("0o"_L1)) {
        bool ok = false;
        const qlonglong value = text.mid(2).toLongLong(&ok, text.at(1) == u'x' ? 16 : 8);
        if (ok)
            return double(value);
    }
    return text;
}

QJsonValue scalarValue(const YAML::Node& node)
{
    const QString text = QString::fromStdString(node.Scalar());
    const std::string& tag = node.Tag();
    // "!" is a quoted scalar: always text.
    if (tag == "?" || tag.empty())
        return plainScalar(text);
    if (tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" ||
        tag == "tag:yaml.org,2002:bool" || tag == "tag:yaml.org,2002:null") {
        const QJsonValue value = plainScalar(text);
        if (!value.isString())
            return value;
    }
    return text;
}

struct Conversion {
    int values = 0;
    bool tooLarge = false;
};

QJsonValue toJson(const YAML::Node& node, int depth, Conversion& conversion)
{
    if (++conversion.values > MaxValues || depth > MaxDepth) {
        conversion.tooLarge = true;
        return {};
    }
    switch (node.Type()) {
    case YAML::NodeType::Scalar:
        return scalarValue(node);
    case YAML::NodeType::Sequence: {
        QJsonArray array;
        for (const YAML::Node& item : node) {
            array.append(toJson(item, depth + 1, conversion));
            if (conversion.tooLarge)
                return {};
        }
        return array;
    }
    case YAML::NodeType::Map: {
        QJsonObject object;
        for (const auto& item : node) {
            const QString key = item.first.IsScalar()
                                    ? QString::fromStdString(item.first.Scalar())
                                    : QString::fromStdString(YAML::Dump(item.first));
            object.insert(key, toJson(item.second, depth + 1, conversion));
            if (conversion.tooLarge)
                return {};
        }
        return object;
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        break;
    }
    return QJsonValue(QJsonValue::Null);
}

// Validation of one file's fields, collecting every error rather than stopping at the first.
class Validator {
public:
    Validator(QString filePath, QList<EntityError>& errors)
        : m_filePath(std::move(filePath))
        , m_errors(errors)
    {}

    void fail(const YAML::Mark& mark, const QString& field, const QString& message,
              const QString& suggestion)
    {
        m_errors.append({m_filePath, lineOf(mark), columnOf(mark), field, message, suggestion});
    }

    // Reads the top-level fields; false when the file is not a mapping of fields.
    bool read(const YAML::Node& root)
    {
        if (!root.IsMap()) {
            fail(root.Mark(), QString(),
                 EntityLoaderText::tr("an entity file is a mapping of fields (key: value), "
                                      "not %1")
                     .arg(kindName(root)),
                 Example);
            return false;
        }
        for (const auto& item : root) {
            const YAML::Mark keyMark = item.first.Mark();
            if (!item.first.IsScalar()) {
                fail(keyMark, QString(), EntityLoaderText::tr("a field name must be text"),
                     EntityLoaderText::tr("write fields as \"name: value\""));
                continue;
            }
            const QString key = QString::fromStdString(item.first.Scalar());
            if (m_fields.contains(key)) {
                fail(keyMark, key, EntityLoaderText::tr("%1 appears twice").arg(quoted(key)),
                     EntityLoaderText::tr("keep one of them"));
                continue;
            }
            m_fields.insert(key, item.second);
            m_keyMarks.insert(key, keyMark);
            if (const std::optional<QString> field = misspeltField(key)) {
                fail(keyMark, key, EntityLoaderText::tr("unknown field %1").arg(quoted(key)),
                     EntityLoaderText::tr("did you mean %1?").arg(quoted(*field)));
                m_misspelt.insert(*field);
            }
        }
        return true;
    }

    // The field's value node; an absent field and an explicit null are both "not set".
    std::optional<YAML::Node> value(const QString& field) const
    {
        const auto it = m_fields.constFind(field);
        if (it == m_fields.constEnd() || it->IsNull())
            return std::nullopt;
        return *it;
    }

    bool wasMisspelt(const QString& field) const { return m_misspelt.contains(field); }

    // `message` replaces "missing field 'x'" when the field is one of several choices.
    void missing(const QString& field, const QString& suggestion, const QString& message = {})
    {
        // A misspelling was reported already, with its own suggestion.
        if (m_misspelt.contains(field))
            return;
        QString hint = suggestion;
        for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
            if (knownFields().contains(it.key()))
                continue;
            if (nearMiss(it.key(), {field})) {
                hint = EntityLoaderText::tr("did you mean %1 instead of %2?")
                           .arg(quoted(field), quoted(it.key()));
                break;
            }
        }
        const YAML::Mark nowhere = YAML::Mark::null_mark();
        if (m_fields.contains(field)) {
            fail(m_keyMarks.value(field), field,
                 EntityLoaderText::tr("%1 has no value").arg(quoted(field)), hint);
        } else {
            fail(nowhere, field,
                 message.isEmpty() ? EntityLoaderText::tr("missing field %1").arg(quoted(field))
                                   : message,
                 hint);
        }
    }

    std::optional<QString> type()
    {
        const std::optional<YAML::Node> node = value(TypeField);
        if (!node) {
            missing(TypeField,
                    EntityLoaderText::tr("add \"type: ...\" with one of: %1").arg(oneOfTypes()));
            return std::nullopt;
        }
        if (!node->IsScalar()) {
            fail(node->Mark(), TypeField,
                 EntityLoaderText::tr("type must be a single word, not %1").arg(kindName(*node)),
                 EntityLoaderText::tr("use one of: %1").arg(oneOfTypes()));
            return std::nullopt;
        }
        const QString type = QString::fromStdString(node->Scalar());
        if (entityTypes().contains(type))
            return type;
        const std::optional<QString> guess = nearMiss(type, entityTypes());
        fail(node->Mark(), TypeField, EntityLoaderText::tr("unknown type %1").arg(quoted(type)),
             guess ? EntityLoaderText::tr("did you mean %1?").arg(quoted(*guess))
                   : EntityLoaderText::tr("use one of: %1").arg(oneOfTypes()));
        return std::nullopt;
    }

    std::optional<QString> name()
    {
        const std::optional<YAML::Node> node = value(NameField);
        if (!node) {
            missing(NameField, EntityLoaderText::tr("add \"name: ...\" with a short "
                                                    "description"));
            return std::nullopt;
        }
        if (!node->IsScalar()) {
            fail(node->Mark(), NameField,
                 EntityLoaderText::tr("name must be text, not %1").arg(kindName(*node)),
                 EntityLoaderText::tr("write the name on one line after \"name:\""));
            return std::nullopt;
        }
        const QString name = QString::fromStdString(node->Scalar()).trimmed();
        if (name.isEmpty()) {
            fail(node->Mark(), NameField, EntityLoaderText::tr("name is empty"),
                 EntityLoaderText::tr("add a short description after \"name:\""));
            return std::nullopt;
        }
        return name;
    }

    // A date field; `present` tells apart "absent" from "present but wrong".
    std::optional<QDate> date(const QString& field, bool required, bool* present = nullptr)
    {
        const std::optional<YAML::Node> node = value(field);
        if (present)
            *present = node.has_value();
        if (!node) {
            if (required)
                missing(field, EntityLoaderText::tr("add \"%1: YYYY-MM-DD\"").arg(field));
            return std::nullopt;
        }
        static const QRegularExpression isoDate(u"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"_s);
        const QString text =
            node->IsScalar() ? QString::fromStdString(node->Scalar()).trimmed() : QString();
        if (node->IsScalar() && isoDate.match(text).hasMatch()) {
            const QDate date = QDate::fromString(text, u"yyyy-MM-dd"_s);
            if (date.isValid())
                return date;
            fail(node->Mark(), field,
                 EntityLoaderText::tr("%1 is not a date in the calendar").arg(quoted(text)),
                 EntityLoaderText::tr("check the month (01-12) and the day of the month"));
            return std::nullopt;
        }
        // A near miss such as 2025-1-5 gets its proper spelling as the suggestion.
        QString suggestion = EntityLoaderText::tr("write the date as YYYY-MM-DD, for example "
                                                  "2025-01-31");
        const QDate loose = QDate::fromString(text, u"yyyy-M-d"_s);
        if (loose.isValid())
            suggestion = EntityLoaderText::tr("write it as %1").arg(loose.toString(Qt::ISODate));
        fail(node->Mark(), field,
             EntityLoaderText::tr("%1 must be a date written YYYY-MM-DD, not %2")
                 .arg(field, node->IsScalar() ? quoted(text) : kindName(*node)),
             suggestion);
        return std::nullopt;
    }

    // A money field: absent, or a number >= 0. `present` as for date().
    std::optional<double> money(const QString& field, bool* present)
    {
        const std::optional<YAML::Node> node = value(field);
        *present = node.has_value();
        if (!node)
            return std::nullopt;
        const QJsonValue converted = node->IsScalar() ? scalarValue(*node) : QJsonValue();
        if (!converted.isDouble()) {
            const QString text =
                node->IsScalar() ? QString::fromStdString(node->Scalar()) : QString();
            QString suggestion = EntityLoaderText::tr("write a plain number, such as 5000 or "
                                                      "1250.50");
            // "120,000", "120_000", "$5000", "5000 USD": say what the number would be.
            QString digits = text;
            static const QRegularExpression decoration(u"[\\s,_$€£]|USD|EUR|GBP"_s);
            digits.remove(decoration);
            bool ok = false;
            const double guess = digits.toDouble(&ok);
            if (ok && !text.isEmpty() && std::isfinite(guess) && guess >= 0)
                suggestion = EntityLoaderText::tr("write it as a plain number: %1")
                                 .arg(QString::number(guess, 'g', 15));
            const QString what = node->IsScalar() ? quoted(text) : kindName(*node);
            fail(node->Mark(), field,
                 EntityLoaderText::tr("%1 must be a number, not %2").arg(field, what), suggestion);
            return std::nullopt;
        }
        const double amount = converted.toDouble();
        if (amount < 0) {
            fail(node->Mark(), field,
                 EntityLoaderText::tr("%1 must not be negative (%2)")
                     .arg(field, QString::fromStdString(node->Scalar())),
                 EntityLoaderText::tr("write the amount as a positive number: the type (revenue "
                                      "or expense) sets the direction of the cash flow"));
            return std::nullopt;
        }
        return amount;
    }

    YAML::Mark markOf(const QString& field) const
    {
        const auto it = m_fields.constFind(field);
        return it == m_fields.constEnd() ? YAML::Mark::null_mark() : it->Mark();
    }

private:
    QString m_filePath;
    QList<EntityError>& m_errors;
    QHash<QString, YAML::Node> m_fields;
    QHash<QString, YAML::Mark> m_keyMarks;
    QSet<QString> m_misspelt; // fields whose misspelling was already reported
};

QString relativePath(const QString& entitiesDir, const QString& absolutePath)
{
    return QDir::fromNativeSeparators(QDir(entitiesDir).relativeFilePath(absolutePath));
}

void collectFiles(const QString& directory, QStringList& files)
{
    const QFileInfoList entries =
        QDir(directory).entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo& entry : entries) {
        if (entry.isDir()) {
            // Hidden folders (.git) are not entities; a symlinked folder could loop.
            if (!entry.fileName().startsWith(u'.') && !entry.isSymLink())
                collectFiles(entry.absoluteFilePath(), files);
        } else if (isEntityFileName(entry.fileName())) {
            files.append(entry.absoluteFilePath());
        }
    }
}

} // namespace

QJsonObject EntityError::toJson() const
{
    return {{u"file_path"_s, filePath}, {u"line"_s, line},       {u"column"_s, column},
            {u"field"_s, field},        {u"message"_s, message}, {u"suggestion"_s, suggestion}};
}

bool isEntityFileName(const QString& fileName)
{
    return !fileName.startsWith(u'.') && (fileName.endsWith(".yaml"_L1, Qt::CaseInsensitive) ||
                                          fileName.endsWith(".yml"_L1, Qt::CaseInsensitive));
}

EntityParse parseEntityFile(const QString& entitiesDir, const QString& absolutePath)
{
    QFile file(absolutePath);
    if (!file.open(QIODevice::ReadOnly)) {
        EntityParse result;
        result.errors.append(
            {relativePath(entitiesDir, absolutePath), 0, 0, QString(),
             EntityLoaderText::tr("cannot read the file: %1").arg(file.errorString()),
             EntityLoaderText::tr("check that the file exists and is "
                                  "readable")});
        return result;
    }
    return parseEntityText(entitiesDir, absolutePath, file.read(MaxFileBytes + 1));
}

EntityParse parseEntityText(const QString& entitiesDir, const QString& absolutePath,
                            const QByteArray& contents)
{
    EntityParse result;
    const QString path = relativePath(entitiesDir, absolutePath);
    Validator check(path, result.errors);
    const YAML::Mark nowhere = YAML::Mark::null_mark();

    if (contents.size() > MaxFileBytes) {
        check.fail(nowhere, QString(),
                   EntityLoaderText::tr("the file is larger than %1 bytes").arg(MaxFileBytes),
                   EntityLoaderText::tr("an entity file holds one entity; split the file"));
        return result;
    }

    YAML::Node root;
    try {
        root = YAML::Load(contents.toStdString());
    } catch (const YAML::Exception& error) {
        const int line = lineOf(error.mark);
        check.fail(
            error.mark, QString(),
            EntityLoaderText::tr("not valid YAML: %1").arg(QString::fromStdString(error.msg)),
            line > 0 ? EntityLoaderText::tr("check the indentation, colons and quotes "
                                            "around line %1")
                           .arg(line)
                     : EntityLoaderText::tr("check the indentation, colons and quotes"));
        return result;
    } catch (const std::exception& error) {
        check.fail(nowhere, QString(),
                   EntityLoaderText::tr("not valid YAML: %1").arg(QString::fromUtf8(error.what())),
                   EntityLoaderText::tr("check the indentation, colons and quotes"));
        return result;
    }

    if (!root.IsDefined() || root.IsNull()) {
        check.fail(nowhere, QString(), EntityLoaderText::tr("the file is empty"), Example);
        return result;
    }
    Conversion conversion;
    const QJsonValue raw = toJson(root, 0, conversion);
    if (conversion.tooLarge) {
        check.fail(nowhere, QString(),
                   EntityLoaderText::tr("the file nests too deeply or expands to too many values"),
                   EntityLoaderText::tr("an entity is a flat list of fields; remove anchors "
                                        "and aliases"));
        return result;
    }
    if (!check.read(root))
        return result;

    Entity entity;
    entity.id = QFileInfo(absolutePath).completeBaseName();
    entity.filePath = path;
    entity.raw = raw.toObject();

    const std::optional<QString> type = check.type();
    const std::optional<QString> name = check.name();
    const std::optional<QDate> start = check.date(StartField, true);
    bool hasEnd = false;
    const std::optional<QDate> end = check.date(EndField, false, &hasEnd);
    if (start && end && *end < *start) {
        check.fail(check.markOf(EndField), EndField,
                   EntityLoaderText::tr("end_date %1 is before start_date %2")
                       .arg(end->toString(Qt::ISODate), start->toString(Qt::ISODate)),
                   EntityLoaderText::tr("set end_date on or after start_date, or remove it for "
                                        "an entity without an end"));
    }

    bool hasAmount = false, hasMonthly = false, hasSalary = false;
    entity.amount = check.money(AmountField, &hasAmount);
    entity.monthly = check.money(MonthlyField, &hasMonthly);
    entity.salary = check.money(SalaryField, &hasSalary);
    const bool moneyMisspelt = check.wasMisspelt(AmountField) || check.wasMisspelt(MonthlyField) ||
                               check.wasMisspelt(SalaryField);
    if (!hasAmount && !hasMonthly && !hasSalary && !moneyMisspelt) {
        const bool employee = type == u"employee"_s;
        check.missing(AmountField,
                      employee ? EntityLoaderText::tr("add \"salary: ...\" (annual), or "
                                                      "\"monthly: ...\"")
                               : EntityLoaderText::tr("add \"amount: ...\" (one-off) or "
                                                      "\"monthly: ...\" (recurring)"),
                      EntityLoaderText::tr("needs amount (one-off), monthly (recurring) or "
                                           "salary (annual, employees)"));
    }
    if (hasSalary && type && *type != u"employee"_s) {
        check.fail(check.markOf(SalaryField), SalaryField,
                   EntityLoaderText::tr("salary is for employees, not a %1").arg(*type),
                   EntityLoaderText::tr("use monthly for a recurring amount"));
    }

    if (!result.errors.isEmpty())
        return result;
    entity.type = *type;
    entity.name = *name;
    entity.startDate = *start;
    entity.endDate = end;
    result.entity = std::move(entity);
    return result;
}

EntitySet loadEntities(const QString& entitiesDir)
{
    QStringList files;
    collectFiles(entitiesDir, files);
    std::sort(files.begin(), files.end(), [&entitiesDir](const QString& a, const QString& b) {
        return relativePath(entitiesDir, a) < relativePath(entitiesDir, b);
    });
    QList<EntityParse> parses;
    parses.reserve(files.size());
    for (const QString& file : std::as_const(files))
        parses.append(parseEntityFile(entitiesDir, file));
    return entitySetOf(parses);
}

EntitySet entitySetOf(const QList<EntityParse>& parses)
{
    EntitySet set;
    QHash<QString, QString> owners; // id -> the file that has it
    for (const EntityParse& parse : parses) {
        set.errors.append(parse.errors);
        if (!parse.entity)
            continue;
        const auto owner = owners.constFind(parse.entity->id);
        if (owner != owners.constEnd()) {
            set.errors.append({parse.entity->filePath, 0, 0, QString(),
                               EntityLoaderText::tr("the id %1 is taken by %2")
                                   .arg(quoted(parse.entity->id), *owner),
                               EntityLoaderText::tr("rename one of the files: an entity's id "
                                                    "is its file name without .yaml")});
            continue;
        }
        owners.insert(parse.entity->id, parse.entity->filePath);
        set.entities.append(*parse.entity);
    }
    return set;
}

} // namespace switchboard
