// The sample entities (resources/entities, built in as :/entities): every file validates,
// every type is there, and a first forecast and Monte Carlo run give a company with a runway
// of about two years. --demo copies them with their dates moved so that the plan began in the
// month before: the first forecast opens with cash, and so does one run months later.

#include "entities/EntityLoader.h"
#include "finance/Forecast.h"
#include "finance/MonteCarlo.h"
#include "sources/EntityWatcher.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace switchboard;

class tst_SampleEntities : public QObject {
    Q_OBJECT

private slots:
    void init() { QTest::failOnWarning(QRegularExpression(u".*"_s)); }

    void everySampleValidates();
    void everyTypeHasASample();
    void forecastShowsAboutTwoYearsOfRunway();
    void monteCarloGivesAMeaningfulSpread();
    void copiesBeganTheMonthBefore();
    void monthsLaterTheBookStillOpensWithCash_data();
    void monthsLaterTheBookStillOpensWithCash();
};

void tst_SampleEntities::everySampleValidates()
{
    const EntitySet set = loadEntities(u":/entities"_s);
    for (const EntityError& error : set.errors)
        qWarning("%s: %s", qPrintable(error.filePath), qPrintable(error.message));
    QVERIFY(set.errors.isEmpty());
    int files = 0;
    QDirIterator it(u":/entities"_s, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        ++files;
    }
    QCOMPARE(set.entities.size(), files);
    QVERIFY(files >= 12);
    QVERIFY(set.entities.first().filePath.startsWith(u"expenses/"_s));
}

void tst_SampleEntities::everyTypeHasASample()
{
    QSet<QString> types;
    int grants = 0, employees = 0;
    const QList<Entity> entities = loadEntities(u":/entities"_s).entities;
    for (const Entity& entity : entities) {
        types.insert(entity.type);
        grants += entity.type == "grant"_L1;
        employees += entity.type == "employee"_L1;
    }
    const QStringList all = entityTypes();
    QCOMPARE(types, QSet<QString>(all.cbegin(), all.cend()));
    QVERIFY(grants >= 2);
    QVERIFY(employees >= 3);
}

void tst_SampleEntities::forecastShowsAboutTwoYearsOfRunway()
{
    const QList<Entity> entities = loadEntities(u":/entities"_s).entities;
    const ForecastResult baseline =
        computeForecast(entities, EntityWatcher::SamplesMonth, 24, Scenario::Baseline);
    QVERIFY(baseline.runwayMonths);
    qInfo("runway: baseline %.1f months, burn %.0f a month, ending cash %.0f",
          *baseline.runwayMonths, baseline.burnRate, baseline.endingCash());
    QVERIFY(*baseline.runwayMonths >= 18 && *baseline.runwayMonths <= 30);
    QVERIFY(baseline.burnRate > 10000);

    const ForecastResult optimistic =
        computeForecast(entities, EntityWatcher::SamplesMonth, 24, Scenario::Optimistic);
    const ForecastResult pessimistic =
        computeForecast(entities, EntityWatcher::SamplesMonth, 24, Scenario::Pessimistic);
    QVERIFY(pessimistic.runwayMonths);
    qInfo("runway: optimistic %s, pessimistic %.1f months",
          optimistic.runwayMonths ? qPrintable(QString::number(*optimistic.runwayMonths, 'f', 1))
                                  : "never",
          *pessimistic.runwayMonths);
    QVERIFY(*pessimistic.runwayMonths < *baseline.runwayMonths);
    QVERIFY(!optimistic.runwayMonths || *optimistic.runwayMonths > *baseline.runwayMonths);
}

void tst_SampleEntities::monteCarloGivesAMeaningfulSpread()
{
    const QList<Entity> entities = loadEntities(u":/entities"_s).entities;
    MonteCarloParams params;
    params.iterations = 10000;
    params.months = 24;
    const MonteCarloResult result =
        runMonteCarlo(entities, EntityWatcher::SamplesMonth, params, {});
    qInfo("monte carlo: p5 %.0f, p50 %.0f, p95 %.0f, P(run out) %.3f", result.p5, result.p50,
          result.p95, result.probabilityOfRunningOut);
    QVERIFY(result.p5 < result.p50 && result.p50 < result.p95);
    QVERIFY(result.probabilityOfRunningOut > 0.01 && result.probabilityOfRunningOut < 0.9);
}

void tst_SampleEntities::copiesBeganTheMonthBefore()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QDate today(2026, 7, 15); // the plan began in June 2026, 17 months after January 2025
    QCOMPARE(EntityWatcher::copySamples(dir.path(), today), std::nullopt);

    const EntitySet copies = loadEntities(dir.path());
    QVERIFY(copies.errors.isEmpty());
    const QList<Entity> originals = loadEntities(u":/entities"_s).entities;
    QCOMPARE(copies.entities.size(), originals.size());
    for (qsizetype i = 0; i < originals.size(); ++i) {
        const Entity& copy = copies.entities[i];
        QCOMPARE(copy.filePath, originals[i].filePath);
        QCOMPARE(copy.startDate, originals[i].startDate.addMonths(17));
        if (originals[i].endDate)
            QCOMPARE(copy.endDate, std::optional<QDate>(originals[i].endDate->addMonths(17)));
        QCOMPARE(copy.name, originals[i].name);
        // Copies are the user's to edit.
        QVERIFY(QFileInfo(dir.filePath(copy.filePath)).isWritable());
    }

    // The same plan seventeen months later: today's forecast is the samples' forecast from
    // their second month, and opens with the seed round in the bank.
    const ForecastResult then = computeForecast(originals, EntityWatcher::SamplesMonth.addMonths(1),
                                                24, Scenario::Baseline);
    const ForecastResult now = computeForecast(copies.entities, today, 24, Scenario::Baseline);
    QVERIFY(std::abs(then.endingCash() - now.endingCash()) < 0.01);
    QVERIFY(std::abs(*then.runwayMonths - *now.runwayMonths) < 1e-9);
    QVERIFY(std::abs(then.openingCash - now.openingCash) < 0.01);
    qInfo("first forecast: opening cash %.0f, runway %.1f months", now.openingCash,
          *now.runwayMonths);
    QVERIFY(now.openingCash > 500000);
}

void tst_SampleEntities::monthsLaterTheBookStillOpensWithCash_data()
{
    // A --demo hub copies the samples once, into an empty folder; its user forecasts later.
    QTest::addColumn<int>("monthsLater");
    QTest::newRow("the same month") << 0;
    QTest::newRow("a month later") << 1;
    QTest::newRow("a year later") << 12;
}

void tst_SampleEntities::monthsLaterTheBookStillOpensWithCash()
{
    QFETCH(int, monthsLater);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // Copied on the last day of a month: a day later is the next month.
    const QDate copied(2026, 1, 31);
    QCOMPARE(EntityWatcher::copySamples(dir.path(), copied), std::nullopt);
    const QList<Entity> entities = loadEntities(dir.path()).entities;
    const QDate later = QDate(2026, 1, 1).addMonths(monthsLater);

    const ForecastResult forecast = computeForecast(entities, later, 24, Scenario::Baseline);
    qInfo("%d months later: opening cash %.0f, runway %.1f months", monthsLater,
          forecast.openingCash, forecast.runwayMonths ? *forecast.runwayMonths : -1.0);
    QVERIFY(forecast.openingCash > 0);
    QVERIFY(forecast.runwayMonths);
    QVERIFY(*forecast.runwayMonths > 3);
    QVERIFY(forecast.burnRate > 0);

    MonteCarloParams params;
    params.iterations = 5000;
    params.months = 24;
    const MonteCarloResult simulation = runMonteCarlo(entities, later, params, {});
    QCOMPARE(simulation.openingCash, forecast.openingCash);
    QVERIFY(simulation.p5 < simulation.p50 && simulation.p50 < simulation.p95);
}

QTEST_GUILESS_MAIN(tst_SampleEntities)
#include "tst_sample_entities.moc"
