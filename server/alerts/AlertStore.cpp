#include "AlertStore.h"

#include "../store/Database.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace switchboard {

namespace {

const char* const createRules = R"(
CREATE TABLE IF NOT EXISTS alert_rules (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    rule TEXT NOT NULL
))";

const char* const createHistory = R"(
CREATE TABLE IF NOT EXISTS alert_history (
    id TEXT PRIMARY KEY,
    started_at INTEGER NOT NULL,
    alert TEXT NOT NULL
))";

QJsonObject objectOf(const QVariant& text)
{
    return QJsonDocument::fromJson(text.toString().toUtf8()).object();
}

QString textOf(const QJsonObject& object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

AlertStore::AlertStore(Database& database)
    : m_database(database)
{}

std::variant<AlertStore::Loaded, QString> AlertStore::load()
{
    using Result = std::variant<Loaded, QString>;
    return m_database
        .call<Result>([](QSqlDatabase& connection) -> Result {
            QSqlQuery query(connection);
            if (!query.exec(QString::fromLatin1(createRules)) ||
                !query.exec(QString::fromLatin1(createHistory)))
                return QStringLiteral("alert tables: ") + query.lastError().text();
            Loaded loaded;
            if (!query.exec(QStringLiteral("SELECT rule FROM alert_rules ORDER BY position")))
                return QStringLiteral("alert rules: ") + query.lastError().text();
            while (query.next())
                loaded.rules.append(objectOf(query.value(0)));
            if (!query.exec(QStringLiteral(
                                "SELECT alert FROM alert_history ORDER BY started_at DESC LIMIT %1")
                                .arg(keepAlerts)))
                return QStringLiteral("alert history: ") + query.lastError().text();
            while (query.next())
                loaded.alerts.append(objectOf(query.value(0)));
            return loaded;
        })
        .get();
}

std::future<bool> AlertStore::saveRules(const QList<QJsonObject>& rules)
{
    return m_database.call<bool>([rules](QSqlDatabase& connection) {
        if (!connection.transaction())
            return false;
        QSqlQuery query(connection);
        bool ok = query.exec(QStringLiteral("DELETE FROM alert_rules"));
        for (qsizetype i = 0; ok && i < rules.size(); ++i) {
            query.prepare(
                QStringLiteral("INSERT INTO alert_rules (id, position, rule) VALUES (?, ?, ?)"));
            query.addBindValue(rules[i].value(QLatin1String("id")).toString());
            query.addBindValue(int(i));
            query.addBindValue(textOf(rules[i]));
            ok = query.exec();
        }
        if (!ok) {
            qWarning("alert rules: %s", qPrintable(query.lastError().text()));
            connection.rollback();
            return false;
        }
        return connection.commit();
    });
}

void AlertStore::saveAlert(const QJsonObject& alert)
{
    m_database.post([alert](QSqlDatabase& connection) {
        QSqlQuery query(connection);
        query.prepare(
            QStringLiteral("INSERT INTO alert_history (id, started_at, alert) VALUES (?, ?, ?) "
                           "ON CONFLICT(id) DO UPDATE SET alert = excluded.alert"));
        query.addBindValue(alert.value(QLatin1String("id")).toString());
        query.addBindValue(qint64(alert.value(QLatin1String("started_ms")).toDouble()));
        query.addBindValue(textOf(alert));
        if (!query.exec()) {
            qWarning("alert history: %s", qPrintable(query.lastError().text()));
            return;
        }
        query.exec(QStringLiteral("DELETE FROM alert_history WHERE id NOT IN (SELECT id FROM "
                                  "alert_history ORDER BY started_at DESC LIMIT %1)")
                       .arg(keepAlerts));
    });
}

} // namespace switchboard
