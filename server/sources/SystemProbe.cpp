#include "SystemProbe.h"

#include "LinuxSystemProbe.h"

namespace switchboard {
#if !defined(Q_OS_LINUX)
namespace {

// A platform without a probe yet: disk use (QStorageInfo) is all SystemMetrics reports.
class UnknownSystemProbe : public SystemProbe {
public:
    SystemCounters read() override { return {}; }
};

} // namespace
#endif

std::unique_ptr<SystemProbe> SystemProbe::forThisPlatform()
{
#if defined(Q_OS_LINUX)
    return std::make_unique<LinuxSystemProbe>();
#else
    return std::make_unique<UnknownSystemProbe>();
#endif
}

} // namespace switchboard
