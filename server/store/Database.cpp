#include "Database.h"

#include <QDir>
#include <QFileInfo>
#include <QMetaObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUuid>

namespace switchboard {

Database::Database()
    : m_thread(new QThread)
    , m_worker(new QObject)
    // Qt keeps connections in a process-wide table by name: each store needs its own.
    , m_connectionName(QStringLiteral("switchboard-") + QUuid::createUuid().toString(QUuid::Id128))
{
    m_thread->setObjectName(QStringLiteral("store"));
    m_worker->moveToThread(m_thread);
    m_thread->start();
}

Database::~Database()
{
    // Queued after every request posted so far, so all of them run (and commit) first.
    QMetaObject::invokeMethod(
        m_worker,
        [this] {
            if (m_connection.isValid())
                m_connection.close();
            m_connection = QSqlDatabase();
            QSqlDatabase::removeDatabase(m_connectionName);
        },
        Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_worker;
    delete m_thread;
}

std::optional<QString> Database::open(const QString& path)
{
    Q_ASSERT(!m_open);
    const QFileInfo file(path);
    if (!QDir().mkpath(file.absolutePath()))
        return QStringLiteral("cannot create the folder %1").arg(file.absolutePath());

    std::optional<QString> error;
    QMetaObject::invokeMethod(
        m_worker,
        [this, &error, path] {
            m_connection = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
            if (!m_connection.isValid()) {
                error = QStringLiteral("the Qt SQLite driver (QSQLITE) is not available");
                return;
            }
            m_connection.setDatabaseName(path);
            m_connection.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
            if (!m_connection.open()) {
                error =
                    QStringLiteral("cannot open %1: %2").arg(path, m_connection.lastError().text());
                return;
            }
            QSqlQuery query(m_connection);
            if (!query.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !query.next() ||
                query.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
                error = QStringLiteral("cannot switch %1 to WAL mode: %2")
                            .arg(path, query.lastError().text());
                return;
            }
            // In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit is
            // still durable against a killed process, which is what the spec asks.
            for (const char* pragma : {"PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
                if (!query.exec(QLatin1String(pragma))) {
                    error = QStringLiteral("%1 failed on %2: %3")
                                .arg(QLatin1String(pragma), path, query.lastError().text());
                    return;
                }
            }
        },
        Qt::BlockingQueuedConnection);
    if (error)
        return error; // the destructor closes and removes the connection
    m_path = path;
    m_open = true;
    return std::nullopt;
}

void Database::post(std::function<void(QSqlDatabase& connection)> work)
{
    QMetaObject::invokeMethod(m_worker, [this, work = std::move(work)] { work(m_connection); });
}

} // namespace switchboard
