#include "LinuxSystemProbe.h"

#include <QFile>
#include <QList>

namespace switchboard {
namespace {

QList<QByteArray> fields(const QByteArray& line)
{
    return line.simplified().split(' ');
}

} // namespace

LinuxSystemProbe::LinuxSystemProbe(QString procRoot)
    : m_procRoot(std::move(procRoot))
{}

QByteArray LinuxSystemProbe::readFile(const QString& name) const
{
    // /proc files report a size of 0; readAll() reads them to the end all the same.
    QFile file(m_procRoot + u'/' + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

SystemCounters LinuxSystemProbe::read()
{
    SystemCounters counters;
    counters.cpu = parseStat(readFile(QStringLiteral("stat")));
    counters.memory = parseMeminfo(readFile(QStringLiteral("meminfo")));
    counters.network = parseNetDev(readFile(QStringLiteral("net/dev")));
    return counters;
}

std::optional<CpuTimes> LinuxSystemProbe::parseStat(const QByteArray& text)
{
    // "cpu  user nice system idle iowait irq softirq steal guest guest_nice" (ticks). Guest
    // time is already counted in user and nice, so it is left out of the total.
    const qsizetype end = text.indexOf('\n');
    const QList<QByteArray> parts = fields(text.left(end < 0 ? text.size() : end));
    if (parts.size() < 5 || parts.first() != "cpu")
        return std::nullopt;
    quint64 values[8] = {};
    for (qsizetype i = 1; i < parts.size() && i <= 8; ++i) {
        bool ok = false;
        values[i - 1] = parts.at(i).toULongLong(&ok);
        if (!ok)
            return std::nullopt;
    }
    const quint64 idle = values[3] + values[4]; // idle + iowait
    quint64 total = 0;
    for (const quint64 value : values)
        total += value;
    return CpuTimes{total - idle, total};
}

std::optional<MemoryUsage> LinuxSystemProbe::parseMeminfo(const QByteArray& text)
{
    // "MemTotal:       16318480 kB" ... "MemAvailable:    9876543 kB"
    std::optional<quint64> totalKiB;
    std::optional<quint64> availableKiB;
    const QList<QByteArray> lines = text.split('\n');
    for (const QByteArray& line : lines) {
        const QList<QByteArray> parts = fields(line);
        if (parts.size() < 2)
            continue;
        bool ok = false;
        const quint64 value = parts.at(1).toULongLong(&ok);
        if (!ok)
            continue;
        if (parts.first() == "MemTotal:")
            totalKiB = value;
        else if (parts.first() == "MemAvailable:")
            availableKiB = value;
    }
    if (!totalKiB || !availableKiB || *availableKiB > *totalKiB)
        return std::nullopt;
    return MemoryUsage{(*totalKiB - *availableKiB) * 1024, *totalKiB * 1024};
}

std::optional<NetworkTotals> LinuxSystemProbe::parseNetDev(const QByteArray& text)
{
    // Two header lines, then "  eth0: rxbytes rxpackets ... (8 receive fields) txbytes ...".
    NetworkTotals totals;
    bool any = false;
    const QList<QByteArray> lines = text.split('\n');
    for (const QByteArray& line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray name = line.left(colon).trimmed();
        if (name.isEmpty() || name == "lo")
            continue;
        const QList<QByteArray> parts = fields(line.mid(colon + 1));
        if (parts.size() < 9)
            continue;
        bool receivedOk = false;
        bool sentOk = false;
        const quint64 received = parts.at(0).toULongLong(&receivedOk);
        const quint64 sent = parts.at(8).toULongLong(&sentOk);
        if (!receivedOk || !sentOk)
            continue;
        totals.receivedBytes += received;
        totals.sentBytes += sent;
        any = true;
    }
    if (!any && !text.contains("Inter-|"))
        return std::nullopt;
    return totals; // a machine with only loopback has zero traffic, not an unknown one
}

} // namespace switchboard
