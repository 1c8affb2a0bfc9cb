#pragma once

// Turns raw hub figures into the short, localised text the console shows: counts with
// thousands separators, human-readable byte sizes, rates, durations and relative times.

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

namespace switchboard {

class DisplayFormat {
    Q_DECLARE_TR_FUNCTIONS(switchboard::DisplayFormat)

public:
    static QString count(quint64 value);
    static QString bytes(quint64 value);
    static QString exactBytes(quint64 value);
    static QString rate(double perSecond);
    // A job's progress: "45.5%", "40%" (one decimal, none when it is whole).
    static QString percent(double value);
    static QString duration(qint64 seconds);
    static QString relativeTime(const QDateTime& then, const QDateTime& now);
    static QString timestamp(const QDateTime& moment);
    static QString placeholder();
};

} // namespace switchboard
