#pragma once

// SystemProbe for Linux: /proc/stat, /proc/meminfo and /proc/net/dev. The parsers are
// public so that tests can feed them known text; the root can point at a copy of /proc.

#include "SystemProbe.h"

#include <QByteArray>
#include <QString>

namespace switchboard {

class LinuxSystemProbe : public SystemProbe {
public:
    explicit LinuxSystemProbe(QString procRoot = QStringLiteral("/proc"));

    SystemCounters read() override;

    static std::optional<CpuTimes> parseStat(const QByteArray& text);
    static std::optional<MemoryUsage> parseMeminfo(const QByteArray& text);
    static std::optional<NetworkTotals> parseNetDev(const QByteArray& text);

private:
    QByteArray readFile(const QString& name) const;

    QString m_procRoot;
};

} // namespace switchboard
