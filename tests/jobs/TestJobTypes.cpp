#include "TestJobTypes.h"

#include "jobs/JobParams.h"
#include "jobs/JobType.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonArray>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>

namespace switchboard::test {

namespace {

std::atomic<bool> holdGateOpen{false};

QJsonObject noSchema()
{
    return QJsonObject{{QLatin1String("type"), QLatin1String("object")}};
}

CheckedParams noParams(const QJsonObject& params)
{
    return JobParams(params, {}).result();
}

JobOutcome hold(JobContext& context)
{
    context.progress(10, QStringLiteral("holding"));
    while (!holdGateOpen.load()) {
        if (context.cancellation().waitFor(std::chrono::milliseconds(5)))
            return JobOutcome::cancel();
    }
    return JobOutcome::success(QJsonObject{{QLatin1String("held"), true}});
}

CheckedParams chattyParams(const QJsonObject& params)
{
    JobParams fields(params, {QStringLiteral("reports"), QStringLiteral("milliseconds")});
    fields.integer(QStringLiteral("reports"), 1, 10'000'000, 10'000);
    fields.integer(QStringLiteral("milliseconds"), 0, 60'000, 1000);
    return fields.result();
}

JobOutcome chatty(JobContext& context)
{
    const int reports = context.params().value(QLatin1String("reports")).toInt();
    const int milliseconds = context.params().value(QLatin1String("milliseconds")).toInt();
    QElapsedTimer clock;
    clock.start();
    const int chunk = std::max(1, reports / 100);
    for (int i = 1; i <= reports; ++i) {
        context.progress(100.0 * i / reports,
                         QStringLiteral("report %1 of %2").arg(i).arg(reports));
        if (i % chunk != 0)
            continue;
        // Spread the reports over the time asked; a cancel ends the wait at once.
        const qint64 due = qint64(milliseconds) * i / reports;
        const qint64 wait = due - clock.elapsed();
        if (wait > 0 && context.cancellation().waitFor(std::chrono::milliseconds(wait)))
            return JobOutcome::cancel();
        if (context.isCancelled())
            return JobOutcome::cancel();
    }
    return JobOutcome::success(QJsonObject{{QLatin1String("reports"), reports},
                                           {QLatin1String("series"), QJsonArray{1, 2}}});
}

JobOutcome fail(JobContext&)
{
    return JobOutcome::failure(QStringLiteral("deliberate failure"));
}

JobOutcome throwing(JobContext&)
{
    throw std::runtime_error("thrown on purpose");
}

} // namespace

void openHoldGate()
{
    holdGateOpen.store(true);
}

void closeHoldGate()
{
    holdGateOpen.store(false);
}

SWITCHBOARD_REGISTER_JOB_TYPE(QLatin1String("test_hold"),
                              QLatin1String("Test: holds until released or cancelled"),
                              JobKind::Task, &noSchema, &noParams, &hold)
SWITCHBOARD_REGISTER_JOB_TYPE(QLatin1String("test_chatty"),
                              QLatin1String("Test: reports progress very often"),
                              JobKind::Calculation, &noSchema, &chattyParams, &chatty)
SWITCHBOARD_REGISTER_JOB_TYPE(QLatin1String("test_fail"), QLatin1String("Test: fails"),
                              JobKind::Task, &noSchema, &noParams, &fail)
SWITCHBOARD_REGISTER_JOB_TYPE(QLatin1String("test_throw"), QLatin1String("Test: throws"),
                              JobKind::Task, &noSchema, &noParams, &throwing)

} // namespace switchboard::test
