#pragma once

// One entity of the cash model (SPEC §6.1): a revenue source or an expense, read from one
// YAML file in the entities dir. A plain value, safe to copy between threads.

#include <QDate>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace switchboard {

struct Entity {
    QString id;   // the file stem: "nasa_sbir" for revenue/grants/nasa_sbir.yaml
    QString type; // one of entityTypes()
    QString name;
    QDate startDate;
    std::optional<QDate> endDate;  // inclusive; none: open-ended
    std::optional<double> amount;  // one-off, paid in the start month
    std::optional<double> monthly; // recurring, every month from start to end
    std::optional<double> salary;  // annual (employees), a twelfth every month
    QString filePath;              // relative to the entities dir, '/'-separated
    QJsonObject raw;               // every field of the file, including ones the hub does not use

    bool isRevenue() const;
    // The file's fields plus "id" (the stem) and "file_path"; this is `entity_data`.
    QJsonObject toJson() const;
};

// The types an entity file may declare, as written in the file.
const QStringList& revenueTypes(); // grant, investment, sale, service
const QStringList& expenseTypes(); // employee, facility, software, equipment
const QStringList& entityTypes();  // both lists, revenue first
bool isRevenueType(const QString& type);

} // namespace switchboard
