// `report_generation {format, months?, scenario?}`: writes a forecast report (html, csv or
// json) into <data-dir>/reports, downloadable at GET /api/v1/reports/{name} (SPEC §5.1).
// Only the newest reports are kept, as many as the finished jobs the hub keeps.

#include "../../entities/EntityLoader.h"
#include "../../finance/Forecast.h"
#include "../JobParams.h"
#include "JobTypesCommon.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>

namespace switchboard {
namespace {

const QStringList formats = {QStringLiteral("html"), QStringLiteral("csv"), QStringLiteral("json")};

QJsonObject schema()
{
    return QJsonObject{
        {QLatin1String("type"), QLatin1String("object")},
        {QLatin1String("required"), QJsonArray{QLatin1String("format")}},
        {QLatin1String("properties"),
         QJsonObject{{QLatin1String("format"), JobSchema::choice(formats, formats.first())},
                     {QLatin1String("months"), JobSchema::integer(1, MaxJobMonths, 12)},
                     {QLatin1String("scenario"), JobSchema::scenario()}}}};
}

CheckedParams check(const QJsonObject& params)
{
    JobParams fields(
        params, {QStringLiteral("format"), QStringLiteral("months"), QStringLiteral("scenario")});
    fields.choice(QStringLiteral("format"), formats, std::nullopt);
    fields.integer(QStringLiteral("months"), 1, MaxJobMonths, 12);
    fields.choice(QStringLiteral("scenario"), scenarioNames(), QStringLiteral("baseline"));
    return fields.result();
}

QString money(double value)
{
    return QString::number(value, 'f', 2);
}

QString runwayText(const ForecastResult& forecast)
{
    return forecast.runwayMonths
               ? QStringLiteral("%1 months").arg(QString::number(*forecast.runwayMonths, 'f', 1))
               : QStringLiteral("cash never runs out");
}

QByteArray html(const ForecastResult& forecast, Scenario scenario, const QString& generated)
{
    QString page;
    page += QStringLiteral("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                           "<title>Cash forecast (%1)</title>\n<style>\n"
                           "body{font:14px system-ui,sans-serif;margin:2rem;color:#1d2330}\n"
                           "table{border-collapse:collapse}th,td{padding:.3rem .8rem;"
                           "border-bottom:1px solid #d8dde6}\n"
                           "td{text-align:right;font-variant-numeric:tabular-nums}"
                           "td:first-child{text-align:left}\n.negative{color:#b3261e}\n"
                           "</style>\n</head>\n<body>\n<h1>Cash forecast</h1>\n")
                .arg(scenarioName(scenario));
    page += QStringLiteral("<p>Scenario: <strong>%1</strong>. Generated %2.</p>\n")
                .arg(scenarioName(scenario), generated.toHtmlEscaped());
    page += QStringLiteral("<ul>\n<li>Opening cash: %1</li>\n<li>Ending cash: %2</li>\n"
                           "<li>Burn rate: %3 a month</li>\n<li>Runway: %4</li>\n</ul>\n")
                .arg(money(forecast.openingCash), money(forecast.endingCash()),
                     money(forecast.burnRate), runwayText(forecast));
    page += QStringLiteral("<table>\n<thead><tr><th>Month</th><th>Revenue</th><th>Expenses</th>"
                           "<th>Net</th><th>Cash balance</th></tr></thead>\n<tbody>\n");
    for (const ForecastMonth& month : forecast.months) {
        const QString balanceClass =
            month.cashBalance < 0 ? QStringLiteral(" class=\"negative\"") : QString();
        page += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td%5>%6</td>"
                               "</tr>\n")
                    .arg(month.month.toString(QStringLiteral("yyyy-MM")), money(month.revenue),
                         money(month.expenses), money(month.net), balanceClass,
                         money(month.cashBalance));
    }
    page += QStringLiteral("</tbody>\n</table>\n</body>\n</html>\n");
    return page.toUtf8();
}

QByteArray csv(const ForecastResult& forecast)
{
    QByteArray text = "month,revenue,expenses,net,cash_balance\n";
    for (const ForecastMonth& month : forecast.months) {
        text += month.month.toString(QStringLiteral("yyyy-MM")).toUtf8() + ',' +
                money(month.revenue).toUtf8() + ',' + money(month.expenses).toUtf8() + ',' +
                money(month.net).toUtf8() + ',' + money(month.cashBalance).toUtf8() + '\n';
    }
    return text;
}

// Keeps the newest `keep` reports, `written` (the one just made) among them whatever the
// clock's resolution says.
void pruneReports(const QString& folder, int keep, const QString& written)
{
    QFileInfoList reports =
        QDir(folder).entryInfoList({QStringLiteral("forecast-*")}, QDir::Files, QDir::Time);
    reports.removeIf([&written](const QFileInfo& file) { return file.fileName() == written; });
    for (qsizetype i = std::max(0, keep - 1); i < reports.size(); ++i)
        QFile::remove(reports[i].filePath());
}

JobOutcome run(JobContext& context)
{
    const QString format = context.params().value(QLatin1String("format")).toString();
    const int months = context.params().value(QLatin1String("months")).toInt();
    const Scenario scenario =
        *scenarioFromName(context.params().value(QLatin1String("scenario")).toString());

    context.progress(5, QStringLiteral("reading the entity files"));
    const EntitySet entities = loadEntities(context.environment().entitiesDir);
    if (context.isCancelled())
        return JobOutcome::cancel();
    context.progress(40, QStringLiteral("forecasting %1 months").arg(months));
    const ForecastResult forecast =
        computeForecast(entities.entities, currentMonth(), months, scenario);
    if (context.isCancelled())
        return JobOutcome::cancel();

    context.progress(70, QStringLiteral("writing the %1 report").arg(format));
    const QDateTime generated = QDateTime::currentDateTimeUtc();
    QByteArray content;
    if (format == QLatin1String("html")) {
        content = html(forecast, scenario, generated.toString(Qt::ISODate));
    } else if (format == QLatin1String("csv")) {
        content = csv(forecast);
    } else {
        QJsonObject json = forecast.toJson();
        json.insert(QLatin1String("scenario"), scenarioName(scenario));
        json.insert(QLatin1String("generated_at"), generated.toString(Qt::ISODate));
        content = QJsonDocument(json).toJson(QJsonDocument::Indented);
    }

    const QString folder = context.environment().reportsDir;
    if (!QDir().mkpath(folder))
        return JobOutcome::failure(
            QStringLiteral("cannot create the reports folder %1").arg(folder));
    // Unique by time and job; only characters GET /api/v1/reports/{name} accepts.
    const QString name =
        QStringLiteral("forecast-%1-%2-%3.%4")
            .arg(scenarioName(scenario), generated.toString(QStringLiteral("yyyyMMdd-HHmmss")),
                 context.jobId().left(8), format);
    // Written whole or not at all: a download never sees half a report.
    QSaveFile file(QDir(folder).filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size() || !file.commit())
        return JobOutcome::failure(
            QStringLiteral("cannot write the report %1: %2").arg(name, file.errorString()));
    pruneReports(folder, context.environment().keepReports, name);

    return JobOutcome::success(QJsonObject{
        {QLatin1String("name"), name},
        {QLatin1String("format"), format},
        {QLatin1String("url"), QString(QStringLiteral("/api/v1/reports/") + name)},
        {QLatin1String("bytes"), content.size()},
        {QLatin1String("months"), months},
        {QLatin1String("scenario"), scenarioName(scenario)},
        {QLatin1String("opening_cash"), forecast.openingCash},
        {QLatin1String("ending_cash"), forecast.endingCash()},
        {QLatin1String("runway_months"), forecast.runwayMonths ? QJsonValue(*forecast.runwayMonths)
                                                               : QJsonValue(QJsonValue::Null)}});
}

} // namespace

SWITCHBOARD_REGISTER_JOB_TYPE(QLatin1String("report_generation"),
                              QLatin1String("Write a forecast report (html, csv or json), "
                                            "downloadable at /api/v1/reports/{name}"),
                              JobKind::Task, &schema, &check, &run)

} // namespace switchboard
