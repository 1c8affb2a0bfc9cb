#pragma once

// Alert rules and the alerts they raised, in SQLite (tables alert_rules and alert_history), so
// that rules, firing alerts, acknowledgements and the recent history survive a restart. Rules
// are replaced as a whole (PUT /api/v1/alerts/rules) in one transaction; an alert's row is
// written whenever it changes, and the newest `keepAlerts` are kept.

#include <QJsonObject>
#include <QList>
#include <QString>

#include <future>
#include <variant>

namespace switchboard {

class Database;

class AlertStore {
public:
    static constexpr int keepAlerts = 500;

    struct Loaded {
        QList<QJsonObject> rules;  // in their order
        QList<QJsonObject> alerts; // newest first
    };

    explicit AlertStore(Database& database);

    // Start-up: creates the tables if needed and reads them. Blocks until done.
    std::variant<Loaded, QString> load();
    // The future becomes true once the new rule set is committed.
    std::future<bool> saveRules(const QList<QJsonObject>& rules);
    void saveAlert(const QJsonObject& alert);

private:
    Database& m_database;
};

} // namespace switchboard
