// The seed documents' own example clients, run unchanged against a real hub: document 001's
// Python client (python3-websockets) connects to /ws and prints what it receives.

#include "TestHub.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

// Reads the process's output until it contains `text` or the time is up.
bool waitForOutput(QProcess& process, QByteArray& output, const QByteArray& text, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!output.contains(text)) {
        if (deadline.hasExpired() || process.state() == QProcess::NotRunning)
            return false;
        process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
        output += process.readAllStandardOutput();
    }
    return true;
}

} // namespace

class tst_SeedClients : public QObject {
    Q_OBJECT

private slots:
    void tradingPythonClient();
};

void tst_SeedClients::tradingPythonClient()
{
    HubConfig config = testConfig();
    config.authMode = AuthMode::Optional;
    TestHub hub(config);
    QVERIFY(!hub.startError);

    QProcess client;
    client.setProcessChannelMode(QProcess::SeparateChannels);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(
        QStringLiteral("SEED_CLIENT_URI"),
        hub.ws(QStringLiteral("/ws"), hub.token(QStringLiteral("alice"), Role::User)).toString());
    environment.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
    client.setProcessEnvironment(environment);
    // Debian's interpreter, which python3-websockets is installed for (not some other python3
    // that may come first in PATH).
    client.start(QStringLiteral("/usr/bin/python3"),
                 {QStringLiteral(SEED_CLIENTS_DIR "/001_python_client.py")});
    QVERIFY2(client.waitForStarted(5000), "python3 is missing: run scripts/install-deps.sh");

    QByteArray output;
    const bool welcomed = waitForOutput(client, output, "Received: connection_established", 15000);
    QVERIFY2(welcomed, QByteArray(output + client.readAllStandardError()).constData());

    const QJsonObject equity{{QStringLiteral("total_equity"), 10250.5},
                             {QStringLiteral("peak_equity"), 10400.0}};
    QCOMPARE(hub.send("POST", QStringLiteral("/api/v1/publish"),
                      QJsonDocument(
                          QJsonObject{{QStringLiteral("topic"), QStringLiteral("trading")},
                                      {QStringLiteral("type"), QStringLiteral("equity_update")},
                                      {QStringLiteral("data"), equity}})
                          .toJson(QJsonDocument::Compact),
                      hub.token(QStringLiteral("ops"), Role::Admin))
                 .status,
             200);
    QVERIFY2(waitForOutput(client, output, "Received: equity_update", 10000), output.constData());
    QVERIFY2(waitForOutput(client, output, "'total_equity': 10250.5", 10000), output.constData());

    client.kill();
    client.waitForFinished(5000);
}

QTEST_GUILESS_MAIN(tst_SeedClients)
#include "tst_seed_clients.moc"
