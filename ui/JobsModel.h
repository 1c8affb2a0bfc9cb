#pragma once

// The jobs the hub knows (active and recently finished, newest first), as a table model fed
// from the job list in the hub's snapshots. Rows are matched by job id, so a progress update
// changes cells in place and the selection stays where it was.

#include "monitor/HubSnapshot.h"

#include <QAbstractTableModel>
#include <QList>

namespace switchboard {

class JobsModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        TypeColumn,
        StatusColumn,
        ProgressColumn,
        MessageColumn,
        CreatedColumn,
        IdColumn,
        ColumnCount
    };
    enum Role { IdRole = Qt::UserRole + 1, StatusRole, ProgressRole };

    explicit JobsModel(QObject* parent = nullptr);

    void setJobs(const QList<JobRecord>& jobs);
    const QList<JobRecord>& jobs() const { return m_jobs; }
    const JobRecord* find(const QString& id) const;
    int rowOf(const QString& id) const;

    static QString statusText(JobStatus status);
    static QString typeText(const QString& type);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<JobRecord> m_jobs;
};

} // namespace switchboard
