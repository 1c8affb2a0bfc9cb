#pragma once

// One run of the real switchboard-server program (SWITCHBOARD_SERVER_PATH, defined by the test's
// CMakeLists) on a given data dir, with a home of its own (no keychain or settings of the
// machine's), for tests that restart it or kill it with SIGKILL.

#include <QByteArray>
#include <QDeadlineTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStringList>
#include <QTemporaryDir>

namespace switchboard::test {

class ServerProgram {
public:
    ServerProgram(const QString& dataDir, const QByteArray& secret,
                  const QStringList& extraArguments = {})
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("JWT_SECRET_KEY"), QString::fromLatin1(secret));
        environment.insert(QStringLiteral("HOME"), m_home.path());
        environment.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("d")));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("c")));
        m_process.setProcessEnvironment(environment);
        m_process.setProgram(QStringLiteral(SWITCHBOARD_SERVER_PATH));
        m_process.setArguments(QStringList{QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                                           QStringLiteral("--port"), QStringLiteral("0"),
                                           QStringLiteral("--data-dir"), dataDir} +
                               extraArguments);
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                         [this] { m_errors += m_process.readAllStandardError(); });
    }

    ~ServerProgram()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    ServerProgram(const ServerProgram&) = delete;
    ServerProgram& operator=(const ServerProgram&) = delete;

    // Starts the program; returns its port, 0 when it did not come up.
    quint16 start()
    {
        m_process.start();
        static const QRegularExpression listening(
            QStringLiteral("listening on http://[^\\s/]+:(\\d+)"));
        QDeadlineTimer deadline(20000);
        while (!deadline.hasExpired() && m_process.state() != QProcess::NotRunning) {
            const QRegularExpressionMatch match = listening.match(QString::fromUtf8(m_errors));
            if (match.hasMatch())
                return quint16(match.captured(1).toUInt());
            QSignalSpy more(&m_process, &QProcess::readyReadStandardError);
            more.wait(int(qMax<qint64>(1, deadline.remainingTime())));
        }
        qWarning("the server did not start: %s", m_errors.constData());
        return 0;
    }

    // SIGKILL: no shutdown code runs at all. True when it ended that way.
    bool killHard()
    {
        m_process.kill();
        return m_process.waitForFinished(10000) && m_process.exitStatus() == QProcess::CrashExit;
    }

private:
    QTemporaryDir m_home;
    QProcess m_process;
    QByteArray m_errors;
};

} // namespace switchboard::test
