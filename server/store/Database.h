#pragma once

// SQLite on a thread of its own (ARCHITECTURE: the store thread). One connection, opened,
// used and closed only in that thread; requests run one after another in the order they
// were posted. Callers never wait on it, except at start-up (open) and shutdown (the
// destructor finishes every request already posted).
//
// Durability: WAL with synchronous=NORMAL. A committed transaction is in the WAL file before
// the commit returns, so it survives the process being killed (kill -9); only a power loss
// or an OS crash can take back the last transactions (SQLite's documented trade-off).

#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <future>
#include <optional>

class QObject;
class QThread;

namespace switchboard {

class Database {
public:
    Database();
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Opens (creating it and its folder if needed) the SQLite file at `path`, in WAL mode.
    // Blocks until done; returns why it failed.
    std::optional<QString> open(const QString& path);
    bool isOpen() const { return m_open; }
    QString path() const { return m_path; }

    // Runs `work` on the store thread with the open connection.
    void post(std::function<void(QSqlDatabase& connection)> work);

    // Runs `work` on the store thread; the future holds what it returned.
    template <typename T> std::future<T> call(std::function<T(QSqlDatabase& connection)> work)
    {
        auto promise = std::make_shared<std::promise<T>>();
        std::future<T> future = promise->get_future();
        post([promise, work = std::move(work)](QSqlDatabase& connection) {
            promise->set_value(work(connection));
        });
        return future;
    }

private:
    QThread* m_thread;
    QObject* m_worker; // lives in m_thread; receives the posted work
    QString m_connectionName;
    QSqlDatabase m_connection; // touched only in m_thread
    QString m_path;
    bool m_open = false;
};

} // namespace switchboard
