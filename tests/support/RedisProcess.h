#pragma once

// A real redis-server (Debian's) for one test: started on a free loopback port with a data
// directory of its own, stopped, restarted on the same port, or killed when the test says so.
// Persistence is off unless asked for (`appendOnly`), as a cache-only deployment would run it.

#include <QByteArray>
#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

namespace switchboard::test {

class RedisProcess {
public:
    struct Options {
        bool appendOnly = false;
    };

    RedisProcess()
        : RedisProcess(Options{})
    {}
    explicit RedisProcess(Options options)
        : m_options(options)
    {
        QTcpServer probe;
        if (probe.listen(QHostAddress::LocalHost, 0))
            m_port = probe.serverPort();
    }

    ~RedisProcess() { kill(); }

    RedisProcess(const RedisProcess&) = delete;
    RedisProcess& operator=(const RedisProcess&) = delete;

    static QString program()
    {
        return QStandardPaths::findExecutable(QStringLiteral("redis-server"));
    }

    quint16 port() const { return m_port; }
    QString url(int db = 0) const
    {
        return QStringLiteral("redis://127.0.0.1:%1/%2").arg(m_port).arg(db);
    }

    // Starts it and waits until it accepts connections; false (with the reason in `log()`) if
    // it did not within `timeoutMs`.
    bool start(int timeoutMs = 10000)
    {
        if (!m_dir.isValid() || m_port == 0 || program().isEmpty())
            return false;
        m_output.clear();
        m_process.setProgram(program());
        QStringList arguments{QStringLiteral("--port"), QString::number(m_port),
                              QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                              QStringLiteral("--dir"), m_dir.path(), QStringLiteral("--save"),
                              QString(), QStringLiteral("--appendonly"),
                              m_options.appendOnly ? QStringLiteral("yes") : QStringLiteral("no"),
                              // DEBUG SLEEP makes a slow Redis (off by default since 7).
                              QStringLiteral("--enable-debug-command"), QStringLiteral("local"),
                              QStringLiteral("--daemonize"), QStringLiteral("no"),
                              QStringLiteral("--loglevel"), QStringLiteral("notice")};
        m_process.setArguments(arguments);
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start();
        if (!m_process.waitForStarted(timeoutMs))
            return false;
        QElapsedTimer clock;
        clock.start();
        while (!m_output.contains("Ready to accept connections")) {
            if (m_process.state() == QProcess::NotRunning || clock.elapsed() > timeoutMs)
                return false;
            m_process.waitForReadyRead(100);
            m_output += m_process.readAll();
        }
        return true;
    }

    // A clean shutdown (SIGTERM): with appendOnly the data survives a later start().
    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            kill();
    }

    void kill()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.kill();
        m_process.waitForFinished(5000);
    }

    bool isRunning() const { return m_process.state() == QProcess::Running; }

    // One command through redis-cli, for faults and checks (FLUSHALL, DEBUG SLEEP 2, XLEN …);
    // its reply as redis-cli prints it, trimmed.
    QByteArray command(const QStringList& words, int timeoutMs = 10000) const
    {
        QProcess cli;
        QStringList arguments{QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
                              QStringLiteral("-p"), QString::number(m_port)};
        cli.start(QStringLiteral("redis-cli"), arguments + words);
        if (!cli.waitForFinished(timeoutMs))
            return {};
        return cli.readAllStandardOutput().trimmed();
    }

    QByteArray log() { return m_output += m_process.readAll(); }

private:
    Options m_options;
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    QProcess m_process;
    QByteArray m_output;
};

} // namespace switchboard::test
