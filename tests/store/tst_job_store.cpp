// The jobs table (SPEC §5, §8) on a real SQLite file: WAL mode, rows read back after the
// store is reopened, unfinished jobs turned into `interrupted`, only the newest finished
// jobs kept, and clear errors when the file cannot be used.

#include "store/Database.h"
#include "store/JobStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace switchboard;

namespace {

JobRecord record(const QString& id, JobStatus status, qint64 created)
{
    JobRecord job;
    job.id = id;
    job.type = QStringLiteral("forecast");
    job.status = status;
    job.createdAt = created;
    if (status != JobStatus::Queued)
        job.startedAt = created + 1;
    if (isFinished(status))
        job.completedAt = created + 2;
    return job;
}

QList<JobRecord> recover(JobStore& store)
{
    auto recovered = store.recover();
    if (auto* error = std::get_if<QString>(&recovered)) {
        qWarning("recover: %s", qPrintable(*error));
        return {};
    }
    return std::get<QList<JobRecord>>(recovered);
}

// A second, independent connection to the file, as another process would open it.
QVariant pragma(const QString& path, const QString& name)
{
    QVariant value;
    {
        QSqlDatabase probe =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("probe"));
        probe.setDatabaseName(path);
        if (probe.open()) {
            QSqlQuery query(probe);
            if (query.exec(QStringLiteral("PRAGMA ") + name) && query.next())
                value = query.value(0);
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("probe"));
    return value;
}

// Every job id in the file, newest first, read by a connection of its own.
QStringList ids(const QString& path)
{
    QStringList result;
    {
        QSqlDatabase probe =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("ids"));
        probe.setDatabaseName(path);
        if (probe.open()) {
            QSqlQuery query(probe);
            query.exec(QStringLiteral("SELECT id FROM jobs ORDER BY created_at DESC"));
            while (query.next())
                result.append(query.value(0).toString());
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("ids"));
    return result;
}

} // namespace

class tst_JobStore : public QObject {
    Q_OBJECT

private slots:
    void init();

    void theDatabaseIsInWalMode();
    void jobsAreReadBackAfterReopening();
    void unfinishedJobsComeBackInterrupted();
    void onlyTheNewestFinishedJobsAreKept();
    void aSaveCommitsBeforeItsFutureIsReady();
    void anUnusablePathIsAnError();
    void aNewerSchemaIsRefused();
    void fractionalProgressIsKept();
    void aDatabaseOfTheFirstReleaseKeepsFractions();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void tst_JobStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("nested/folder/switchboard.db"));
}

void tst_JobStore::theDatabaseIsInWalMode()
{
    Database database;
    QCOMPARE(database.open(m_path), std::nullopt);
    JobStore store(database, 100);
    QVERIFY(recover(store).isEmpty());
    QVERIFY(store.save(record(QStringLiteral("a"), JobStatus::Queued, 1000)).get());
    QCOMPARE(pragma(m_path, QStringLiteral("journal_mode")).toString(), QStringLiteral("wal"));
    QVERIFY(QFile::exists(m_path + QStringLiteral("-wal")));
}

void tst_JobStore::jobsAreReadBackAfterReopening()
{
    JobRecord job = record(QStringLiteral("job-1"), JobStatus::Completed, 5000);
    job.title = QStringLiteral("Quarterly forecast");
    job.progress = 100;
    job.message = QStringLiteral("completed");
    job.params = {{QStringLiteral("months"), 24},
                  {QStringLiteral("scenario"), QStringLiteral("optimistic")}};
    job.result = QJsonObject{{QStringLiteral("ending_cash"), 1234.5}};
    job.projectId = QStringLiteral("p-1");
    job.owner = QStringLiteral("alice");
    JobRecord failed = record(QStringLiteral("job-2"), JobStatus::Failed, 6000);
    failed.error = QStringLiteral("no entities");
    failed.external = true;
    {
        Database database;
        QCOMPARE(database.open(m_path), std::nullopt);
        JobStore store(database, 100);
        recover(store);
        store.save(job);
        store.save(failed); // not waited for: the database finishes it before closing
    }
    Database database;
    QCOMPARE(database.open(m_path), std::nullopt);
    JobStore store(database, 100);
    const QList<JobRecord> jobs = recover(store);
    QCOMPARE(jobs.size(), 2);
    QCOMPARE(jobs[0].id, QStringLiteral("job-2")); // newest first
    QCOMPARE(jobs[0].error, QStringLiteral("no entities"));
    QCOMPARE(jobs[0].external, true);
    QCOMPARE(jobs[0].result, std::nullopt);
    const JobRecord& read = jobs[1];
    QCOMPARE(read.toJson(), job.toJson());
    QCOMPARE(read.startedAt, job.startedAt);
    QCOMPARE(read.completedAt, job.completedAt);
}

void tst_JobStore::unfinishedJobsComeBackInterrupted()
{
    {
        Database database;
        QCOMPARE(database.open(m_path), std::nullopt);
        JobStore store(database, 100);
        recover(store);
        JobRecord running = record(QStringLiteral("running"), JobStatus::Running, 1000);
        running.progress = 40;
        QVERIFY(store.save(running).get());
        QVERIFY(store.save(record(QStringLiteral("queued"), JobStatus::Queued, 2000)).get());
        QVERIFY(store.save(record(QStringLiteral("done"), JobStatus::Completed, 500)).get());
    }
    Database database;
    QCOMPARE(database.open(m_path), std::nullopt);
    JobStore store(database, 100);
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const QList<JobRecord> jobs = recover(store);
    QCOMPARE(jobs.size(), 3);
    for (const JobRecord& job : jobs) {
        if (job.id == QLatin1String("done")) {
            QCOMPARE(job.status, JobStatus::Completed);
            continue;
        }
        QCOMPARE(job.status, JobStatus::Interrupted);
        QVERIFY(job.completedAt >= before);
        QVERIFY(job.message.startsWith(QLatin1String("interrupted")));
        if (job.id == QLatin1String("running"))
            QCOMPARE(job.progress, 40.0);
    }
}

void tst_JobStore::onlyTheNewestFinishedJobsAreKept()
{
    Database database;
    QCOMPARE(database.open(m_path), std::nullopt);
    JobStore store(database, 3);
    recover(store);
    QVERIFY(store.save(record(QStringLiteral("active"), JobStatus::Running, 1)).get());
    for (int i = 0; i < 6; ++i)
        QVERIFY(
            store.save(record(QStringLiteral("f%1").arg(i), JobStatus::Completed, 100 + i)).get());
    // Unfinished jobs are never pruned; of the finished, the three newest stay.
    QCOMPARE(ids(m_path), (QStringList{QStringLiteral("f5"), QStringLiteral("f4"),
                                       QStringLiteral("f3"), QStringLiteral("active")}));
    // At start-up the unfinished one is finished (interrupted, just now): the newest.
    recover(store);
    QCOMPARE(ids(m_path),
             (QStringList{QStringLiteral("f5"), QStringLiteral("f4"), QStringLiteral("active")}));
}

void tst_JobStore::aSaveCommitsBeforeItsFutureIsReady()
{
    Database database;
    QCOMPARE(database.open(m_path), std::nullopt);
    JobStore store(database, 100);
    recover(store);
    std::future<bool> saved = store.save(record(QStringLiteral("x"), JobStatus::Queued, 1));
    QVERIFY(saved.get());
    // Another connection sees it at once: committed, not waiting in a transaction.
    QSqlDatabase probe =
        QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("reader"));
    probe.setDatabaseName(m_path);
    QVERIFY(probe.open());
    {
        QSqlQuery query(probe);
        QVERIFY(query.exec(QStringLiteral("SELECT status FROM jobs WHERE id = 'x'")));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toString(), QStringLiteral("queued"));
    }
    probe.close();
    probe = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("reader"));
    QVERIFY(store.remove(QStringLiteral("x")).get());
    QVERIFY(recover(store).isEmpty());
}

void tst_JobStore::anUnusablePathIsAnError()
{
    QFile blocker(m_dir->filePath(QStringLiteral("file")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    Database database;
    const std::optional<QString> error =
        database.open(m_dir->filePath(QStringLiteral("file/switchboard.db")));
    QVERIFY(error);
    QVERIFY2(error->contains(QLatin1String("file")), qPrintable(*error));
    QVERIFY(!database.isOpen());
}

void tst_JobStore::aNewerSchemaIsRefused()
{
    {
        Database database;
        QCOMPARE(database.open(m_path), std::nullopt);
        JobStore store(database, 100);
        recover(store);
    }
    pragma(m_path, QStringLiteral("user_version = 99"));
    Database database;
    QCOMPARE(database.open(m_path), std::nullopt);
    JobStore store(database, 100);
    auto recovered = store.recover();
    QVERIFY(std::holds_alternative<QString>(recovered));
    QVERIFY2(std::get<QString>(recovered).contains(QLatin1String("newer")),
             qPrintable(std::get<QString>(recovered)));
}

// A service's 45.5 % is what comes back after a restart, not 45.
void tst_JobStore::fractionalProgressIsKept()
{
    JobRecord job = record(QStringLiteral("half"), JobStatus::Failed, 1000);
    job.progress = 45.5;
    {
        Database database;
        QCOMPARE(database.open(m_path), std::nullopt);
        JobStore store(database, 100);
        recover(store);
        QVERIFY(store.save(job).get());
    }
    Database database;
    QCOMPARE(database.open(m_path), std::nullopt);
    JobStore store(database, 100);
    const QList<JobRecord> jobs = recover(store);
    QCOMPARE(jobs.size(), 1);
    QCOMPARE(jobs.first().progress, 45.5);
}

// The first releases declared progress INTEGER. Such a file still loads as it is, and (SQLite
// keeps a REAL that is not a whole number as REAL in an INTEGER column) stores fractions too.
void tst_JobStore::aDatabaseOfTheFirstReleaseKeepsFractions()
{
    QVERIFY(QDir().mkpath(QFileInfo(m_path).path()));
    {
        QSqlDatabase old =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("old"));
        old.setDatabaseName(m_path);
        QVERIFY(old.open());
        QSqlQuery query(old);
        QVERIFY(query.exec(QStringLiteral(
            "CREATE TABLE jobs (id TEXT PRIMARY KEY, type TEXT NOT NULL, title TEXT NOT NULL "
            "DEFAULT '', status TEXT NOT NULL, progress INTEGER NOT NULL DEFAULT 0, message TEXT "
            "NOT NULL DEFAULT '', params TEXT NOT NULL DEFAULT '{}', result TEXT, error TEXT NOT "
            "NULL DEFAULT '', project_id TEXT NOT NULL DEFAULT '', owner TEXT NOT NULL DEFAULT '', "
            "external INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, started_at INTEGER, "
            "completed_at INTEGER)")));
        QVERIFY(query.exec(QStringLiteral(
            "INSERT INTO jobs (id, type, status, progress, created_at, completed_at) VALUES "
            "('old', 'forecast', 'completed', 100, 1000, 2000)")));
        QVERIFY(query.exec(QStringLiteral("PRAGMA user_version=1")));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("old"));

    JobRecord job = record(QStringLiteral("new"), JobStatus::Failed, 3000);
    job.progress = 45.5;
    {
        Database database;
        QCOMPARE(database.open(m_path), std::nullopt);
        JobStore store(database, 100);
        const QList<JobRecord> jobs = recover(store);
        QCOMPARE(jobs.size(), 1);
        QCOMPARE(jobs.first().progress, 100.0);
        QVERIFY(store.save(job).get());
    }
    Database database;
    QCOMPARE(database.open(m_path), std::nullopt);
    JobStore store(database, 100);
    const QList<JobRecord> jobs = recover(store);
    QCOMPARE(jobs.size(), 2);
    QCOMPARE(jobs.first().id, QStringLiteral("new"));
    QCOMPARE(jobs.first().progress, 45.5);
    QCOMPARE(jobs.last().progress, 100.0);
}

QTEST_MAIN(tst_JobStore)
#include "tst_job_store.moc"
