// SPEC §5 and §8 against the real switchboard-server: nothing acknowledged is lost when the
// process is killed (kill -9), and jobs that were running or queued at that moment come back
// as `interrupted` when the next process starts on the same data dir.

#include "ServerProgram.h"
#include "auth/TokenVerifier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#ifndef SWITCHBOARD_SERVER_PATH
#error "SWITCHBOARD_SERVER_PATH names the program under test (tests/jobs/CMakeLists.txt)"
#endif

using namespace switchboard;
using namespace switchboard::test;

namespace {

const QByteArray secret = "crash-test-secret-0123456789abcdef0123";

class Http {
public:
    explicit Http(quint16 port)
        : m_port(port)
    {}

    std::pair<int, QJsonObject> send(const QByteArray& method, const QString& path,
                                     const QJsonObject& body, const QByteArray& token)
    {
        QNetworkRequest request(
            QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path)));
        request.setRawHeader("Authorization", "Bearer " + token);
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
        const QByteArray payload =
            body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
        QNetworkReply* reply = m_network.sendCustomRequest(request, method, payload);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(10000);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
        reply->deleteLater();
        return {status, json};
    }

private:
    quint16 m_port;
    QNetworkAccessManager m_network;
};

QByteArray token(const QString& subject, Role role)
{
    Identity identity;
    identity.subject = subject;
    identity.role = role;
    return TokenVerifier(secret).issue(identity, std::chrono::hours(1));
}

} // namespace

class tst_JobCrash : public QObject {
    Q_OBJECT

private slots:
    void acknowledgedJobsSurviveKillMinusNine();
};

void tst_JobCrash::acknowledgedJobsSurviveKillMinusNine()
{
    QTemporaryDir dataDir;
    QVERIFY(dataDir.isValid());
    const QByteArray user = token(QStringLiteral("alice"), Role::User);
    const QByteArray service = token(QStringLiteral("tenderbot"), Role::Service);

    QString external;
    QString finished;
    QStringList acknowledged;
    {
        ServerProgram server(dataDir.path(), secret);
        const quint16 port = server.start();
        QVERIFY(port != 0);
        Http http(port);

        // A job that finished before the crash.
        auto [status, job] = http.send("POST", QStringLiteral("/api/jobs/forecast"),
                                       {{QStringLiteral("months"), 12}}, user);
        QCOMPARE(status, 202);
        finished = job.value(QLatin1String("job_id")).toString();
        QTRY_COMPARE(http.send("GET", QStringLiteral("/api/jobs/") + finished, {}, user)
                         .second.value(QLatin1String("status"))
                         .toString(),
                     QStringLiteral("completed"));

        // A job a service is running elsewhere, half done.
        std::tie(status, job) = http.send("POST", QStringLiteral("/api/v1/jobs/external"),
                                          {{QStringLiteral("type"), QStringLiteral("rc_analysis")},
                                           {QStringLiteral("title"), QStringLiteral("Analyse")}},
                                          service);
        QCOMPARE(status, 201);
        external = job.value(QLatin1String("job_id")).toString();
        QCOMPARE(http.send("POST", QStringLiteral("/api/v1/jobs/%1/progress").arg(external),
                           {{QStringLiteral("progress"), 55},
                            {QStringLiteral("message"), QStringLiteral("half way")}},
                           service)
                     .first,
                 200);

        // More work than the pool holds, killed the instant the last one is acknowledged.
        for (int i = 0; i < 7; ++i) {
            std::tie(status, job) = http.send("POST", QStringLiteral("/api/jobs/monte_carlo"),
                                              {{QStringLiteral("iterations"), 1000000},
                                               {QStringLiteral("months"), 120},
                                               {QStringLiteral("seed"), i}},
                                              user);
            QCOMPARE(status, 202);
            acknowledged.append(job.value(QLatin1String("job_id")).toString());
        }
        QVERIFY(server.killHard());
    }

    ServerProgram server(dataDir.path(), secret);
    const quint16 port = server.start();
    QVERIFY(port != 0);
    Http http(port);
    const auto [status, listing] = http.send("GET", QStringLiteral("/api/jobs"), {}, user);
    QCOMPARE(status, 200);
    QHash<QString, QJsonObject> jobs;
    const QJsonArray list = listing.value(QLatin1String("jobs")).toArray();
    for (const QJsonValue& job : list)
        jobs.insert(job.toObject().value(QLatin1String("job_id")).toString(), job.toObject());

    QCOMPARE(jobs.value(finished).value(QLatin1String("status")).toString(),
             QStringLiteral("completed"));
    QVERIFY(jobs.value(finished).value(QLatin1String("result")).isObject());

    const QJsonObject interrupted = jobs.value(external);
    QCOMPARE(interrupted.value(QLatin1String("status")).toString(), QStringLiteral("interrupted"));
    QCOMPARE(interrupted.value(QLatin1String("progress")).toInt(), 55); // acknowledged, kept
    QCOMPARE(interrupted.value(QLatin1String("title")).toString(), QStringLiteral("Analyse"));
    QVERIFY(interrupted.value(QLatin1String("completed_at")).isString());

    int stillUnfinished = 0;
    for (const QString& id : std::as_const(acknowledged)) {
        QVERIFY2(jobs.contains(id), qPrintable(id + QStringLiteral(" was acknowledged but lost")));
        const QString state = jobs.value(id).value(QLatin1String("status")).toString();
        QVERIFY2(state == QLatin1String("interrupted") || state == QLatin1String("completed"),
                 qPrintable(state));
        stillUnfinished += state == QLatin1String("interrupted") ? 1 : 0;
    }
    // Seven million-iteration simulations on five threads: some were queued at the kill.
    QVERIFY(stillUnfinished >= 2);
    QCOMPARE(http.send("GET", QStringLiteral("/api/jobs?status=running"), {}, user)
                 .second.value(QLatin1String("count"))
                 .toInt(),
             0);
}

QTEST_MAIN(tst_JobCrash)
#include "tst_job_crash.moc"
