#include "JobsModel.h"

#include "DisplayFormat.h"

#include <QColor>

namespace switchboard {

JobsModel::JobsModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

void JobsModel::setJobs(const QList<JobRecord>& jobs)
{
    bool sameRows = jobs.size() == m_jobs.size();
    for (qsizetype i = 0; sameRows && i < jobs.size(); ++i)
        sameRows = jobs[i].id == m_jobs[i].id;
    if (!sameRows) {
        beginResetModel();
        m_jobs = jobs;
        endResetModel();
        return;
    }
    m_jobs = jobs;
    if (!m_jobs.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

const JobRecord* JobsModel::find(const QString& id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_jobs[row];
}

int JobsModel::rowOf(const QString& id) const
{
    for (qsizetype i = 0; i < m_jobs.size(); ++i) {
        if (m_jobs[i].id == id)
            return int(i);
    }
    return -1;
}

QString JobsModel::statusText(JobStatus status)
{
    switch (status) {
    case JobStatus::Queued:
        return tr("Queued");
    case JobStatus::Running:
        return tr("Running");
    case JobStatus::Completed:
        return tr("Completed");
    case JobStatus::Failed:
        return tr("Failed");
    case JobStatus::Cancelled:
        return tr("Cancelled");
    case JobStatus::Interrupted:
        return tr("Interrupted");
    }
    return {};
}

QString JobsModel::typeText(const QString& type)
{
    if (type == QLatin1String("forecast"))
        return tr("Forecast");
    if (type == QLatin1String("monte_carlo"))
        return tr("Monte Carlo");
    if (type == QLatin1String("entity_validation"))
        return tr("Entity validation");
    if (type == QLatin1String("report_generation"))
        return tr("Report");
    if (type == QLatin1String("ai_analysis"))
        return tr("AI analysis");
    return type;
}

int JobsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_jobs.size());
}

int JobsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_jobs.size())
        return {};
    const JobRecord& job = m_jobs[index.row()];
    switch (role) {
    case IdRole:
        return job.id;
    case StatusRole:
        return int(job.status);
    case ProgressRole:
        return job.progress;
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn) {
            if (job.status == JobStatus::Failed || job.status == JobStatus::Interrupted)
                return QColor(0xc6, 0x28, 0x28);
            if (job.status == JobStatus::Completed)
                return QColor(0x2e, 0x7d, 0x32);
        }
        return {};
    case Qt::ToolTipRole:
        if (!job.error.isEmpty())
            return job.error;
        return job.message.isEmpty() ? QVariant() : QVariant(job.message);
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case TypeColumn:
            return job.title.isEmpty()
                       ? typeText(job.type)
                       : QStringLiteral("%1 (%2)").arg(job.title, typeText(job.type));
        case StatusColumn:
            return statusText(job.status);
        case ProgressColumn:
            return job.progress;
        case MessageColumn:
            return job.error.isEmpty() ? job.message : job.error;
        case CreatedColumn:
            return DisplayFormat::timestamp(QDateTime::fromMSecsSinceEpoch(job.createdAt));
        case IdColumn:
            return job.id;
        case ColumnCount:
            break;
        }
        return {};
    default:
        return {};
    }
}

QVariant JobsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case TypeColumn:
        return tr("Job");
    case StatusColumn:
        return tr("Status");
    case ProgressColumn:
        return tr("Progress");
    case MessageColumn:
        return tr("Message");
    case CreatedColumn:
        return tr("Created");
    case IdColumn:
        return tr("Id");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace switchboard
