#pragma once

// The Prometheus text exposition format (version 0.0.4), read strictly: HELP and TYPE before
// a family's samples, a family's samples together, names and labels well-formed, counters
// non-negative and named *_total, histogram buckets increasing and cumulative with a +Inf
// bucket equal to _count. What a scraper would reject, this reports in Exposition::error.

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QString>

#include <cmath>
#include <optional>

namespace switchboard::test {

struct MetricSample {
    QByteArray name;
    QMap<QByteArray, QByteArray> labels;
    double value = 0;
};

struct MetricFamily {
    QByteArray type;
    QByteArray help;
    QList<MetricSample> samples;
};

struct Exposition {
    QMap<QByteArray, MetricFamily> families;
    QString error; // empty when the text is well-formed

    bool has(const QByteArray& name) const { return families.contains(name); }
    QByteArray type(const QByteArray& name) const { return families.value(name).type; }

    // The value of the sample called `name` (a family's own sample, or a histogram's _count
    // and _sum); NaN when there is none.
    double value(const QByteArray& name) const
    {
        for (const MetricFamily& family : families) {
            for (const MetricSample& sample : family.samples) {
                if (sample.name == name && sample.labels.isEmpty())
                    return sample.value;
            }
        }
        return std::nan("");
    }
};

inline bool isMetricName(const QByteArray& name)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-zA-Z_:][a-zA-Z0-9_:]*$"));
    return pattern.match(QString::fromLatin1(name)).hasMatch();
}

inline std::optional<double> parseValue(const QByteArray& text)
{
    if (text == "+Inf")
        return HUGE_VAL;
    if (text == "-Inf")
        return -HUGE_VAL;
    if (text == "NaN")
        return std::nan("");
    bool ok = false;
    const double value = text.toDouble(&ok);
    return ok ? std::optional<double>(value) : std::nullopt;
}

// `{a="1",b="x\"y"}` -> labels; false when malformed.
inline bool parseLabels(const QByteArray& text, QMap<QByteArray, QByteArray>* labels)
{
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype equals = text.indexOf('=', i);
        if (equals < 0 || equals + 1 >= text.size() || text[equals + 1] != '"')
            return false;
        const QByteArray name = text.mid(i, equals - i).trimmed();
        if (!isMetricName(name) || name.contains(':'))
            return false;
        QByteArray value;
        qsizetype j = equals + 2;
        for (; j < text.size() && text[j] != '"'; ++j) {
            if (text[j] == '\\' && j + 1 < text.size())
                ++j;
            value += text[j];
        }
        if (j >= text.size())
            return false;
        labels->insert(name, value);
        i = j + 1;
        if (i < text.size()) {
            if (text[i] != ',')
                return false;
            ++i;
        }
    }
    return true;
}

// The family a sample belongs to: its own name, or a histogram's name for _bucket/_sum/_count.
inline QByteArray familyOf(const QByteArray& sampleName,
                           const QMap<QByteArray, MetricFamily>& families)
{
    if (families.contains(sampleName))
        return sampleName;
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        if (sampleName.endsWith(suffix)) {
            const QByteArray base = sampleName.chopped(qsizetype(qstrlen(suffix)));
            if (families.value(base).type == "histogram")
                return base;
        }
    }
    return {};
}

inline QString checkHistogram(const QByteArray& name, const MetricFamily& family)
{
    const QString label = QString::fromLatin1(name);
    double previousBound = -HUGE_VAL;
    double previousCount = 0;
    double infinityCount = -1;
    double count = -1;
    bool hasSum = false;
    for (const MetricSample& sample : family.samples) {
        if (sample.name == name + "_bucket") {
            const std::optional<double> bound = parseValue(sample.labels.value("le"));
            if (!bound)
                return QStringLiteral("%1: a bucket without a valid le label").arg(label);
            if (*bound <= previousBound)
                return QStringLiteral("%1: bucket bounds are not increasing").arg(label);
            if (sample.value < previousCount)
                return QStringLiteral("%1: buckets are not cumulative").arg(label);
            previousBound = *bound;
            previousCount = sample.value;
            if (std::isinf(*bound))
                infinityCount = sample.value;
        } else if (sample.name == name + "_count") {
            count = sample.value;
        } else if (sample.name == name + "_sum") {
            hasSum = true;
        } else {
            return QStringLiteral("%1: unexpected sample %2")
                .arg(label, QString::fromLatin1(sample.name));
        }
    }
    if (infinityCount < 0)
        return QStringLiteral("%1: no le=\"+Inf\" bucket").arg(label);
    if (count < 0 || !hasSum)
        return QStringLiteral("%1: _count or _sum missing").arg(label);
    if (count != infinityCount)
        return QStringLiteral("%1: _count differs from the +Inf bucket").arg(label);
    return {};
}

inline Exposition parseExposition(const QByteArray& text)
{
    Exposition result;
    const auto fail = [&result](int lineNumber, const QString& why) {
        if (result.error.isEmpty())
            result.error = QStringLiteral("line %1: %2").arg(lineNumber).arg(why);
    };
    if (!text.endsWith('\n'))
        fail(0, QStringLiteral("the text does not end with a line feed"));
    QByteArray current; // the family whose samples are being read
    QSet<QByteArray> finished;
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype index = 0; index < lines.size(); ++index) {
        const QByteArray& line = lines[index];
        const int lineNumber = int(index + 1);
        if (line.trimmed().isEmpty())
            continue;
        if (line.startsWith('#')) {
            const QList<QByteArray> words = line.split(' ');
            if (words.size() < 3 || (words[1] != "HELP" && words[1] != "TYPE"))
                continue; // an ordinary comment
            const QByteArray& name = words[2];
            if (!isMetricName(name)) {
                fail(lineNumber, QStringLiteral("bad metric name"));
                continue;
            }
            MetricFamily& family = result.families[name];
            if (!family.samples.isEmpty() || finished.contains(name))
                fail(lineNumber, QStringLiteral("HELP/TYPE after the samples of its family"));
            if (words[1] == "HELP") {
                if (!family.help.isEmpty())
                    fail(lineNumber, QStringLiteral("a second HELP"));
                family.help = line.mid(7 + name.size() + 1);
            } else {
                static const QList<QByteArray> types{"counter", "gauge", "histogram", "summary",
                                                     "untyped"};
                if (words.size() != 4 || !types.contains(words[3]))
                    fail(lineNumber, QStringLiteral("bad TYPE line"));
                else if (!family.type.isEmpty())
                    fail(lineNumber, QStringLiteral("a second TYPE"));
                else
                    family.type = words[3];
            }
            continue;
        }

        MetricSample sample;
        qsizetype nameEnd = 0;
        while (nameEnd < line.size() && line[nameEnd] != '{' && line[nameEnd] != ' ')
            ++nameEnd;
        sample.name = line.left(nameEnd);
        QByteArray rest = line.mid(nameEnd);
        if (rest.startsWith('{')) {
            const qsizetype close = rest.lastIndexOf('}');
            if (close < 0 || !parseLabels(rest.mid(1, close - 1), &sample.labels)) {
                fail(lineNumber, QStringLiteral("bad labels"));
                continue;
            }
            rest = rest.mid(close + 1);
        }
        const QList<QByteArray> fields = rest.trimmed().split(' ');
        const std::optional<double> value = parseValue(fields.value(0));
        if (!isMetricName(sample.name) || !rest.startsWith(' ') || !value || fields.size() > 2) {
            fail(lineNumber, QStringLiteral("not a valid sample line"));
            continue;
        }
        sample.value = *value;
        const QByteArray family = familyOf(sample.name, result.families);
        if (family.isEmpty()) {
            fail(lineNumber, QStringLiteral("sample %1 before its HELP and TYPE")
                                 .arg(QString::fromLatin1(sample.name)));
            continue;
        }
        if (family != current) {
            if (finished.contains(family))
                fail(lineNumber, QStringLiteral("the samples of %1 are not together")
                                     .arg(QString::fromLatin1(family)));
            if (!current.isEmpty())
                finished.insert(current);
            current = family;
        }
        result.families[family].samples.append(sample);
    }

    for (auto it = result.families.cbegin(); it != result.families.cend(); ++it) {
        const QString name = QString::fromLatin1(it.key());
        if (it->help.isEmpty() || it->type.isEmpty())
            fail(0, name + QStringLiteral(" lacks HELP or TYPE"));
        if (it->samples.isEmpty())
            fail(0, name + QStringLiteral(" has no samples"));
        if (it->type == "counter") {
            if (!it.key().endsWith("_total"))
                fail(0, name + QStringLiteral(": a counter's name should end in _total"));
            for (const MetricSample& sample : it->samples) {
                if (sample.value < 0)
                    fail(0, name + QStringLiteral(": a negative counter"));
            }
        }
        if (it->type == "histogram") {
            const QString problem = checkHistogram(it.key(), *it);
            if (!problem.isEmpty())
                fail(0, problem);
        }
    }
    return result;
}

} // namespace switchboard::test
