// The hub thread's epoll event dispatcher on its own, in a thread of its own: timers (order,
// intervals, removal while others fire), posted events from other threads, and sockets. The
// whole suite runs every hub on it as well.

#include "net/EpollEventDispatcher.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <memory>

using namespace switchboard;

namespace {

// A thread running an event loop on an EpollEventDispatcher; `run` executes code inside it.
class DispatcherThread {
public:
    DispatcherThread()
    {
        thread.setEventDispatcher(new EpollEventDispatcher);
        thread.start();
        anchor.moveToThread(&thread);
    }
    ~DispatcherThread()
    {
        QMetaObject::invokeMethod(
            &anchor, [this] { anchor.moveToThread(mainThread); }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
    }
    template <typename F> void run(F&& code)
    {
        QMetaObject::invokeMethod(&anchor, std::forward<F>(code), Qt::BlockingQueuedConnection);
    }

    QThread thread;
    QObject anchor;
    QThread* mainThread = QThread::currentThread();
};

// The size of a list the worker's timers append to, read under the lock they append under.
qsizetype lockedSize(const QList<int>& list, QMutex& mutex)
{
    QMutexLocker lock(&mutex);
    return list.size();
}

} // namespace

class tst_EpollDispatcher : public QObject {
    Q_OBJECT

private slots:
    void isTheThreadsDispatcher();
    void timersFireInOrderAndOnTime();
    void timersDueTogetherFireInDeadlineOrder();
    void repeatingTimerKeepsItsInterval();
    void timerStoppedByAnotherDoesNotFire();
    void postedEventsFromOtherThreadsWakeIt();
    void postStormsLoseNoWakeUp();
    void socketsAreServed();
};

void tst_EpollDispatcher::isTheThreadsDispatcher()
{
    DispatcherThread worker;
    bool epoll = false;
    worker.run([&] {
        epoll =
            qobject_cast<EpollEventDispatcher*>(QAbstractEventDispatcher::instance()) != nullptr;
    });
    QVERIFY(epoll);
}

void tst_EpollDispatcher::timersFireInOrderAndOnTime()
{
    DispatcherThread worker;
    QList<int> fired;
    QList<qint64> at;
    QElapsedTimer clock;
    QMutex mutex;
    worker.run([&] {
        clock.start();
        for (const int ms : {80, 20, 50}) {
            QTimer::singleShot(ms, &worker.anchor, [&, ms] {
                QMutexLocker lock(&mutex);
                fired.append(ms);
                at.append(clock.elapsed());
            });
        }
    });
    QTRY_COMPARE_WITH_TIMEOUT(lockedSize(fired, mutex), 3, 5000);
    QMutexLocker lock(&mutex);
    QCOMPARE(fired, (QList<int>{20, 50, 80}));
    for (int i = 0; i < 3; ++i)
        QVERIFY2(at[i] >= fired[i],
                 qPrintable(QStringLiteral("%1 ms timer fired at %2 ms").arg(fired[i]).arg(at[i])));
}

// A thread held busy past several deadlines fires those timers in deadline order, not in the
// order they were started (a loaded machine made the test above see 80, 20, 50).
void tst_EpollDispatcher::timersDueTogetherFireInDeadlineOrder()
{
    DispatcherThread worker;
    QList<int> fired;
    QMutex mutex;
    worker.run([&] {
        QElapsedTimer busy;
        busy.start();
        for (const int ms : {30, 10, 20}) {
            QTimer::singleShot(ms, &worker.anchor, [&, ms] {
                QMutexLocker lock(&mutex);
                fired.append(ms);
            });
        }
        while (busy.elapsed() < 60) {
            // The loop's thread works past every deadline before it looks at its timers.
        }
    });
    QTRY_COMPARE_WITH_TIMEOUT(lockedSize(fired, mutex), 3, 5000);
    QMutexLocker lock(&mutex);
    QCOMPARE(fired, (QList<int>{10, 20, 30}));
}

void tst_EpollDispatcher::repeatingTimerKeepsItsInterval()
{
    DispatcherThread worker;
    std::atomic<int> ticks{0};
    int remaining = -2;
    std::unique_ptr<QTimer> timer;
    QElapsedTimer clock;
    worker.run([&] {
        timer = std::make_unique<QTimer>();
        timer->setTimerType(Qt::PreciseTimer);
        QObject::connect(timer.get(), &QTimer::timeout, [&] { ++ticks; });
        timer->start(10);
        remaining = timer->remainingTime();
        clock.start();
    });
    QVERIFY(remaining > 0 && remaining <= 10);
    QTRY_VERIFY_WITH_TIMEOUT(ticks >= 10, 5000);
    qint64 elapsed = 0;
    worker.run([&] {
        elapsed = clock.elapsed();
        timer.reset(); // stopped and destroyed in its thread
    });
    QVERIFY2(elapsed >= 95, qPrintable(QStringLiteral("10 ticks after %1 ms").arg(elapsed)));
}

void tst_EpollDispatcher::timerStoppedByAnotherDoesNotFire()
{
    DispatcherThread worker;
    std::atomic<bool> secondFired{false};
    std::atomic<bool> firstFired{false};
    QTimer* second = nullptr;
    worker.run([&] {
        auto* first = new QTimer(&worker.anchor);
        second = new QTimer(&worker.anchor);
        first->setSingleShot(true);
        second->setSingleShot(true);
        first->setTimerType(Qt::PreciseTimer);
        second->setTimerType(Qt::PreciseTimer);
        QObject::connect(first, &QTimer::timeout, [&] {
            firstFired = true;
            second->stop();
        });
        QObject::connect(second, &QTimer::timeout, [&] { secondFired = true; });
        // Both due in the same pass: the blocking call below keeps the thread busy past it.
        first->start(5);
        second->start(6);
        QThread::msleep(30);
    });
    QTRY_VERIFY(firstFired);
    // A third timer, later than both, proves the thread went on past the second's time.
    std::atomic<bool> later{false};
    worker.run([&] { QTimer::singleShot(20, &worker.anchor, [&] { later = true; }); });
    QTRY_VERIFY(later);
    QVERIFY(!secondFired);
}

void tst_EpollDispatcher::postedEventsFromOtherThreadsWakeIt()
{
    DispatcherThread worker;
    // The worker is idle in epoll_wait with no timer: only wakeUp() can end the wait.
    for (int i = 0; i < 20; ++i) {
        std::atomic<bool> ran{false};
        QMetaObject::invokeMethod(
            &worker.anchor, [&] { ran = true; }, Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(ran, 2000);
    }
}

void tst_EpollDispatcher::postStormsLoseNoWakeUp()
{
    DispatcherThread worker;
    // Posts from four threads at once, and from the loop's own handlers, must all run, and a
    // post after the storm, with the loop idle again, must still wake it.
    constexpr int threads = 4;
    constexpr int postsEach = 5000;
    std::atomic<int> outer{0};
    std::atomic<int> inner{0};
    std::vector<std::unique_ptr<QThread>> posters;
    for (int t = 0; t < threads; ++t) {
        posters.emplace_back(QThread::create([&] {
            for (int i = 0; i < postsEach; ++i) {
                QMetaObject::invokeMethod(
                    &worker.anchor,
                    [&] {
                        if (++outer % 100 == 0) // and a post from inside the loop
                            QMetaObject::invokeMethod(
                                &worker.anchor, [&] { ++inner; }, Qt::QueuedConnection);
                    },
                    Qt::QueuedConnection);
            }
        }));
        posters.back()->start();
    }
    for (const auto& poster : posters)
        QVERIFY(poster->wait(10000));
    QTRY_COMPARE_WITH_TIMEOUT(outer.load(), threads * postsEach, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(inner.load(), threads * postsEach / 100, 10000);
    for (int i = 0; i < 20; ++i) {
        std::atomic<bool> late{false};
        QMetaObject::invokeMethod(
            &worker.anchor, [&] { late = true; }, Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(late, 2000);
    }
}

void tst_EpollDispatcher::socketsAreServed()
{
    DispatcherThread worker;
    std::unique_ptr<QTcpServer> server;
    quint16 port = 0;
    worker.run([&] {
        server = std::make_unique<QTcpServer>();
        QObject::connect(server.get(), &QTcpServer::newConnection, server.get(), [&] {
            QTcpSocket* socket = server->nextPendingConnection();
            QObject::connect(socket, &QTcpSocket::readyRead, socket,
                             [socket] { socket->write(socket->readAll().toUpper()); });
            QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        });
        if (server->listen(QHostAddress::LocalHost))
            port = server->serverPort();
    });
    QVERIFY(port != 0);
    for (int client = 0; client < 3; ++client) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(socket.waitForConnected(5000));
        QByteArray echoed;
        for (const QByteArray& word : {QByteArray("epoll"), QByteArray("dispatcher")}) {
            socket.write(word);
            while (echoed.size() < word.size() && socket.waitForReadyRead(5000))
                echoed += socket.readAll();
            QCOMPARE(echoed, word.toUpper());
            echoed.clear();
        }
    }
    worker.run([&] { server.reset(); });
}

QTEST_GUILESS_MAIN(tst_EpollDispatcher)
#include "tst_epoll_dispatcher.moc"
