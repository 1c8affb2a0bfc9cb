#include "EpollEventDispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimerEvent>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <sys/eventfd.h>
#include <unistd.h>

namespace switchboard {

namespace {

constexpr int maxReadyPerPass = 512;

// Which ready events activate which kind of notifier (as Qt's poll() dispatcher does).
constexpr quint32 readable = EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP;
constexpr quint32 writable = EPOLLOUT | EPOLLERR | EPOLLHUP;

} // namespace

quint32 EpollEventDispatcher::Watch::events() const
{
    return (read ? quint32(EPOLLIN) : 0u) | (write ? quint32(EPOLLOUT) : 0u) |
           (exception ? quint32(EPOLLPRI) : 0u);
}

EpollEventDispatcher::EpollEventDispatcher(QObject* parent)
    : QAbstractEventDispatcher(parent)
    , m_epoll(::epoll_create1(EPOLL_CLOEXEC))
    , m_wakeFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
    , m_ready(maxReadyPerPass)
{
    if (m_epoll < 0 || m_wakeFd < 0)
        qFatal("EpollEventDispatcher: cannot create an epoll set or an eventfd: %s",
               strerror(errno));
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.fd = m_wakeFd;
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeFd, &wake);
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    ::close(m_wakeFd);
    ::close(m_epoll);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false, std::memory_order_relaxed);
    emit awake();
    QCoreApplication::sendPostedEvents();

    // An event posted from now on calls wakeUp(), which ends the wait below at once: there
    // is no window in which a posted event waits for the timeout.
    const bool wait = flags.testFlag(QEventLoop::WaitForMoreEvents) &&
                      !m_interrupted.load(std::memory_order_relaxed);
    if (wait)
        emit aboutToBlock();
    if (m_interrupted.load(std::memory_order_relaxed))
        return false;

    const int timeout = wait ? timeUntilNextTimer() : 0;
    int ready = ::epoll_wait(m_epoll, m_ready.data(), int(m_ready.size()), timeout);
    if (ready < 0) {
        if (errno != EINTR)
            qWarning("EpollEventDispatcher: epoll_wait: %s", strerror(errno));
        ready = 0;
    }
    const bool sockets = !flags.testFlag(QEventLoop::ExcludeSocketNotifiers);
    int handled = 0;
    for (int i = 0; i < ready; ++i) {
        const epoll_event& event = m_ready[std::size_t(i)];
        if (event.data.fd == m_wakeFd) {
            eventfd_t value = 0;
            ::eventfd_read(m_wakeFd, &value);
            ++handled;
        } else if (sockets) {
            handled += activateSocketNotifiers(event);
        }
    }
    if (!flags.testFlag(QEventLoop::X11ExcludeTimers))
        handled += activateTimers();
    return handled > 0;
}

int EpollEventDispatcher::activateSocketNotifiers(const epoll_event& event)
{
    static constexpr std::pair<quint32, QSocketNotifier * Watch::*> kinds[] = {
        {readable, &Watch::read},
        {writable, &Watch::write},
        {quint32(EPOLLPRI), &Watch::exception},
    };
    int activated = 0;
    for (const auto& [mask, member] : kinds) {
        if (!(event.events & mask))
            continue;
        // Looked up each time: a notifier activated before (in this pass, on this or another
        // descriptor) may have removed or replaced this one.
        auto it = m_watches.constFind(event.data.fd);
        if (it == m_watches.constEnd() || !(it.value().*member))
            continue;
        QEvent activation(QEvent::SockAct);
        QCoreApplication::sendEvent(it.value().*member, &activation);
        ++activated;
    }
    return activated;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier* notifier)
{
    const int descriptor = int(notifier->socket());
    auto it = m_watches.find(descriptor);
    const bool existed = it != m_watches.end();
    if (!existed)
        it = m_watches.insert(descriptor, Watch{});
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        it->read = notifier;
        break;
    case QSocketNotifier::Write:
        it->write = notifier;
        break;
    case QSocketNotifier::Exception:
        it->exception = notifier;
        break;
    }
    updateWatch(descriptor, *it, existed);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier* notifier)
{
    const int descriptor = int(notifier->socket());
    auto it = m_watches.find(descriptor);
    if (it == m_watches.end())
        return;
    for (QSocketNotifier** slot : {&it->read, &it->write, &it->exception}) {
        if (*slot == notifier)
            *slot = nullptr;
    }
    if (it->events() == 0) {
        m_watches.erase(it);
        // Fails harmlessly when the descriptor was closed first (the kernel dropped it).
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, descriptor, nullptr);
        return;
    }
    updateWatch(descriptor, *it, true);
}

void EpollEventDispatcher::updateWatch(int descriptor, const Watch& watch, bool existed)
{
    epoll_event event{};
    event.events = watch.events();
    event.data.fd = descriptor;
    int result = ::epoll_ctl(m_epoll, existed ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, descriptor, &event);
    // A descriptor closed and reused before its notifiers went: the set's view is stale.
    if (result < 0 && errno == ENOENT)
        result = ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, descriptor, &event);
    else if (result < 0 && errno == EEXIST)
        result = ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, descriptor, &event);
    if (result < 0)
        qWarning("EpollEventDispatcher: cannot watch descriptor %d: %s", descriptor,
                 strerror(errno));
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject* object)
{
    m_timers.push_back(Timer{timerId, interval, timerType, object,
                             Clock::now() + std::chrono::milliseconds(interval)});
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    return std::erase_if(m_timers, [timerId](const Timer& timer) { return timer.id == timerId; }) >
           0;
}

bool EpollEventDispatcher::unregisterTimers(QObject* object)
{
    return std::erase_if(m_timers,
                         [object](const Timer& timer) { return timer.object == object; }) > 0;
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject* object) const
{
    QList<TimerInfo> timers;
    for (const Timer& timer : m_timers) {
        if (timer.object == object)
            timers.append(TimerInfo(timer.id, int(timer.intervalMs), timer.type));
    }
    return timers;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const Timer* timer = findTimer(timerId);
    if (!timer)
        return -1;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(timer->due - Clock::now()).count();
    return int(std::max<qint64>(0, left));
}

EpollEventDispatcher::Timer* EpollEventDispatcher::findTimer(int timerId)
{
    const auto it = std::find_if(m_timers.begin(), m_timers.end(),
                                 [timerId](const Timer& timer) { return timer.id == timerId; });
    return it == m_timers.end() ? nullptr : &*it;
}

int EpollEventDispatcher::timeUntilNextTimer() const
{
    std::optional<Clock::time_point> next;
    for (const Timer& timer : m_timers) {
        if (!timer.firing && (!next || timer.due < *next))
            next = timer.due;
    }
    if (!next)
        return -1;
    const auto wait = *next - Clock::now();
    if (wait <= Clock::duration::zero())
        return 0;
    // Rounded up: waking early would only spin until the timer is due.
    return int(std::chrono::ceil<std::chrono::milliseconds>(wait).count());
}

int EpollEventDispatcher::activateTimers()
{
    const auto now = Clock::now();
    // Timers that came due together (the thread was busy, or they share a deadline) fire in
    // the order of their deadlines, as with Qt's own dispatchers, not in the order they were
    // started.
    std::vector<std::pair<Clock::time_point, int>> due;
    for (const Timer& timer : m_timers) {
        if (!timer.firing && timer.due <= now)
            due.emplace_back(timer.due, timer.id);
    }
    std::stable_sort(due.begin(), due.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    int activated = 0;
    for (const auto& [deadline, id] : due) {
        // The list may have changed in an earlier timer's event: look the timer up again.
        Timer* timer = findTimer(id);
        if (!timer || timer->firing)
            continue;
        const auto interval = std::chrono::milliseconds(timer->intervalMs);
        timer->due += interval;
        if (timer->due <= now)
            timer->due = now + interval; // fell behind: no burst of catch-up events
        timer->firing = true;
        QObject* object = timer->object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        if (Timer* still = findTimer(id))
            still->firing = false;
        ++activated;
    }
    return activated;
}

void EpollEventDispatcher::wakeUp()
{
    ::eventfd_write(m_wakeFd, 1);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.store(true, std::memory_order_relaxed);
    wakeUp();
}

} // namespace switchboard
