#include "DisplayFormat.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace switchboard {

QString DisplayFormat::count(quint64 value)
{
    return QLocale().toString(value);
}

QString DisplayFormat::bytes(quint64 value)
{
    // IEC units (KiB, MiB) say exactly what they mean; one decimal is enough on a dashboard.
    return QLocale().formattedDataSize(static_cast<qint64>(value), 1, QLocale::DataSizeIecFormat);
}

QString DisplayFormat::exactBytes(quint64 value)
{
    return tr("%1 bytes").arg(count(value));
}

QString DisplayFormat::rate(double perSecond)
{
    // Small rates keep a decimal so a trickle does not read as zero.
    const int decimals = perSecond > 0 && perSecond < 10 ? 1 : 0;
    return tr("%1/s").arg(QLocale().toString(perSecond, 'f', decimals));
}

QString DisplayFormat::percent(double value)
{
    // Services report fractions (document 002's 45.5): one decimal keeps them readable, and a
    // whole number shows without a trailing ".0".
    const double tenths = std::round(value * 10.0) / 10.0;
    const int decimals = tenths == std::floor(tenths) ? 0 : 1;
    return QLocale().toString(tenths, 'f', decimals) + QLocale().percent();
}

QString DisplayFormat::duration(qint64 seconds)
{
    seconds = std::max<qint64>(seconds, 0);
    const qint64 days = seconds / 86400;
    const qint64 hours = seconds % 86400 / 3600;
    const qint64 minutes = seconds % 3600 / 60;
    const qint64 rest = seconds % 60;
    if (days > 0)
        return tr("%1 d %2 h").arg(days).arg(hours);
    if (hours > 0)
        return tr("%1 h %2 min").arg(hours).arg(minutes);
    if (minutes > 0)
        return tr("%1 min %2 s").arg(minutes).arg(rest);
    return tr("%1 s").arg(rest);
}

QString DisplayFormat::relativeTime(const QDateTime& then, const QDateTime& now)
{
    if (!then.isValid())
        return placeholder();
    const qint64 seconds = std::max<qint64>(then.secsTo(now), 0);
    if (seconds < 5)
        return tr("just now");
    if (seconds < 60)
        return tr("%1 s ago").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min ago").arg(seconds / 60);
    if (seconds < 86400)
        return tr("%1 h ago").arg(seconds / 3600);
    const int days = static_cast<int>(seconds / 86400);
    return tr("%n day(s) ago", nullptr, days);
}

QString DisplayFormat::timestamp(const QDateTime& moment)
{
    if (!moment.isValid())
        return placeholder();
    // ISO order reads the same in every language and sorts in the reader's head.
    return moment.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString DisplayFormat::placeholder()
{
    return QStringLiteral("—");
}

} // namespace switchboard
