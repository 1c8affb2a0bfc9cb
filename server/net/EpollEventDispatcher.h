#pragma once

// The hub thread's event dispatcher on Linux: socket notifiers in an epoll set instead of a
// poll() over every descriptor on every pass of the event loop.
//
// Qt 6.4's UNIX dispatcher builds a pollfd array of every enabled socket notifier and calls
// poll() each pass; with a thousand idle subscribers that was ~20 % of the hub thread's time
// at a light publish rate (perf: sock_poll, tcp_poll, fdget under do_sys_poll), and it grows
// with every connection whether it is busy or not. epoll hands back only the ready ones. Qt
// offers no epoll dispatcher of its own, hence this one. Timers are kept in a short list
// (the hub thread has a handful), with millisecond precision as epoll_wait allows.

#include <QAbstractEventDispatcher>
#include <QHash>

#include <atomic>
#include <chrono>
#include <vector>

#include <sys/epoll.h>

namespace switchboard {

class EpollEventDispatcher final : public QAbstractEventDispatcher {
    Q_OBJECT

public:
    explicit EpollEventDispatcher(QObject* parent = nullptr);
    ~EpollEventDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier* notifier) override;
    void unregisterSocketNotifier(QSocketNotifier* notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject* object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject* object) override;
    QList<TimerInfo> registeredTimers(QObject* object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    using Clock = std::chrono::steady_clock;

    struct Watch {
        QSocketNotifier* read = nullptr;
        QSocketNotifier* write = nullptr;
        QSocketNotifier* exception = nullptr;
        quint32 events() const;
    };
    struct Timer {
        int id;
        qint64 intervalMs;
        Qt::TimerType type;
        QObject* object;
        Clock::time_point due;
        bool firing = false; // inside its own timer event: not activated again meanwhile
    };

    void updateWatch(int descriptor, const Watch& watch, bool existed);
    // Sends SockAct to the notifiers of one ready descriptor; returns how many.
    int activateSocketNotifiers(const epoll_event& event);
    int activateTimers();
    // Milliseconds until the next timer is due (0 when one is due, -1 when there is none).
    int timeUntilNextTimer() const;
    Timer* findTimer(int timerId);

    int m_epoll = -1;
    int m_wakeFd = -1; // an eventfd: wakeUp() from any thread
    QHash<int, Watch> m_watches;
    std::vector<Timer> m_timers;
    std::vector<epoll_event> m_ready;
    std::atomic<bool> m_interrupted{false};
};

} // namespace switchboard
