#include "JobsPanel.h"

#include "DisplayFormat.h"
#include "HubHost.h"
#include "JobsModel.h"
#include "SubmitJobDialog.h"
#include "TableExport.h"

#include <QApplication>
#include <QDesktopServices>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

#include <cmath>

namespace switchboard {

namespace {

// Draws the Progress column as a progress bar in the platform's style.
class ProgressDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override
    {
        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(3, 3, -3, -3);
        // Tenths of a percent, so that a service's 45.5 is drawn (and written) as 45.5.
        const double progress = index.data(JobsModel::ProgressRole).toDouble();
        bar.minimum = 0;
        bar.maximum = 1000;
        bar.progress = int(std::lround(progress * 10.0));
        bar.text = DisplayFormat::percent(progress);
        bar.textVisible = true;
        bar.state = option.state | QStyle::State_Horizontal;
        if (option.state & QStyle::State_Selected)
            painter->fillRect(option.rect, option.palette.highlight());
        const QWidget* widget = option.widget;
        QStyle* style = widget ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
    }

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        size.setWidth(std::max(size.width(), 120));
        return size;
    }
};

QString formatValue(const QJsonValue& value)
{
    const QLocale locale;
    if (value.isDouble()) {
        const double number = value.toDouble();
        if (std::abs(number) < 1.0 && number != 0.0)
            return locale.toString(number, 'f', 4);
        return locale.toString(number, 'f', number == std::floor(number) ? 0 : 2);
    }
    if (value.isBool())
        return value.toBool() ? JobsPanel::tr("yes") : JobsPanel::tr("no");
    if (value.isNull() || value.isUndefined())
        return QStringLiteral("—");
    if (value.isString())
        return value.toString().toHtmlEscaped();
    const QString json = QString::fromUtf8(
        value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                        : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    return (json.size() > 200 ? json.left(200) + QStringLiteral("…") : json).toHtmlEscaped();
}

} // namespace

JobsPanel::JobsPanel(HubHost& host, QWidget* parent)
    : QWidget(parent)
    , m_host(host)
    , m_model(new JobsModel(this))
    , m_view(new QTableView(this))
    , m_submit(new QPushButton(tr("&Submit…"), this))
    , m_cancel(new QPushButton(tr("&Cancel job"), this))
    , m_message(new QLabel(this))
    , m_result(new QTextBrowser(this))
{
    setObjectName(QStringLiteral("jobsPanel"));
    setWindowTitle(tr("Jobs"));
    m_view->setObjectName(QStringLiteral("jobsView"));
    m_submit->setObjectName(QStringLiteral("submitJobButton"));
    m_cancel->setObjectName(QStringLiteral("cancelJobButton"));
    m_message->setObjectName(QStringLiteral("jobsMessage"));
    m_result->setObjectName(QStringLiteral("jobResult"));

    m_view->setModel(m_model);
    m_view->setItemDelegateForColumn(JobsModel::ProgressColumn, new ProgressDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(JobsModel::MessageColumn,
                                                     QHeaderView::Stretch);
    m_view->setColumnWidth(JobsModel::TypeColumn, 150);
    m_view->setColumnWidth(JobsModel::StatusColumn, 100);
    m_view->setColumnWidth(JobsModel::ProgressColumn, 130);
    m_view->setColumnWidth(JobsModel::CreatedColumn, 150);
    m_view->setColumnHidden(JobsModel::IdColumn, true);

    m_result->setOpenLinks(false);
    m_result->setPlaceholderText(tr("Select a job to see its parameters and result."));
    connect(m_result, &QTextBrowser::anchorClicked, this,
            [](const QUrl& url) { QDesktopServices::openUrl(url); });

    m_message->setWordWrap(true);
    m_message->hide();
    m_cancel->setEnabled(false);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_submit);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_message, 1);
    addExportButton(buttons, m_view, QStringLiteral("jobs.csv"));

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(m_result);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(splitter);

    connect(m_submit, &QPushButton::clicked, this, &JobsPanel::openSubmitDialog);
    connect(m_cancel, &QPushButton::clicked, this, &JobsPanel::cancelSelected);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const QModelIndexList rows = m_view->selectionModel()->selectedRows();
        m_selectedId = rows.isEmpty() ? QString() : rows.first().data(JobsModel::IdRole).toString();
        updateSelection();
    });
    // A reset (a job added or dropped) keeps the selected job selected.
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        const QString id = m_selectedId;
        if (!id.isEmpty())
            selectJob(id);
        updateSelection();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, &JobsPanel::updateSelection);
    connect(&host, &HubHost::snapshotReady, this, &JobsPanel::applySnapshot);
}

void JobsPanel::applySnapshot(const HubSnapshot& snapshot)
{
    if (snapshot.jobsChanged)
        m_model->setJobs(snapshot.jobs);
}

QString JobsPanel::selectedJobId() const
{
    return m_selectedId;
}

void JobsPanel::selectJob(const QString& id)
{
    const int row = m_model->rowOf(id);
    if (row >= 0)
        m_view->selectRow(row);
    else
        m_view->clearSelection();
    m_selectedId = row >= 0 ? id : QString();
}

QString JobsPanel::lastError() const
{
    return m_message->property("error").toBool() ? m_message->text() : QString();
}

void JobsPanel::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setProperty("error", error);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
    m_message->setVisible(!text.isEmpty());
}

void JobsPanel::openSubmitDialog()
{
    SubmitJobDialog dialog(HubHost::jobTypes(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (const std::optional<QJsonObject> params = dialog.params())
        submit(dialog.jobType(), *params);
}

void JobsPanel::submit(const QString& type, const QJsonObject& params)
{
    // The reply comes later: the panel may be gone by then.
    m_host.submitJob(type, params, [self = QPointer<JobsPanel>(this)](const CommandResult& result) {
        if (self)
            self->onSubmitted(result);
    });
}

void JobsPanel::onSubmitted(const CommandResult& result)
{
    if (!result.ok) {
        showMessage(tr("The hub refused the job: %1").arg(result.error), true);
        return;
    }
    showMessage(tr("Job %1 submitted.").arg(result.value), false);
    m_selectedId = result.value;
    selectJob(result.value);
    emit jobSubmitted(result.value);
}

void JobsPanel::cancelSelected()
{
    const QString id = selectedJobId();
    if (id.isEmpty())
        return;
    m_host.cancelJob(id, [self = QPointer<JobsPanel>(this)](const CommandResult& result) {
        if (!self)
            return;
        if (!result.ok)
            self->showMessage(tr("Could not cancel the job: %1").arg(result.error), true);
        else
            self->showMessage(tr("Cancelling the job…"), false);
    });
}

QString JobsPanel::describeResult(const JobRecord& job, const QString& reportsDir)
{
    QString html = QStringLiteral("<h3>%1 <small>%2</small></h3>")
                       .arg(JobsModel::typeText(job.type).toHtmlEscaped(), job.id.toHtmlEscaped());
    html +=
        QStringLiteral("<p><b>%1</b> %2</p>")
            .arg(JobsModel::statusText(job.status).toHtmlEscaped(), job.message.toHtmlEscaped());
    if (!job.error.isEmpty())
        html += QStringLiteral("<p style='color:#c62828'>%1</p>").arg(job.error.toHtmlEscaped());
    const auto table = [](const QJsonObject& object) {
        QString rows;
        for (auto it = object.begin(); it != object.end(); ++it)
            rows += QStringLiteral("<tr><td>%1</td><td align='right'>%2</td></tr>")
                        .arg(it.key().toHtmlEscaped(), formatValue(it.value()));
        return QStringLiteral("<table cellspacing='6'>%1</table>").arg(rows);
    };
    if (!job.params.isEmpty())
        html += QStringLiteral("<h4>%1</h4>").arg(tr("Parameters")) + table(job.params);
    if (job.result) {
        const QJsonObject& result = *job.result;
        if (job.type == QLatin1String("report_generation") &&
            result.contains(QLatin1String("name"))) {
            const QString file =
                QDir(reportsDir).filePath(result.value(QLatin1String("name")).toString());
            html += QStringLiteral("<p><a href='%1'>%2</a></p>")
                        .arg(QUrl::fromLocalFile(file).toString().toHtmlEscaped(),
                             tr("Open the report").toHtmlEscaped());
        }
        html += QStringLiteral("<h4>%1</h4>").arg(tr("Result")) + table(result);
    }
    return html;
}

void JobsPanel::updateSelection()
{
    const JobRecord* job = m_selectedId.isEmpty() ? nullptr : m_model->find(m_selectedId);
    m_cancel->setEnabled(job && !isFinished(job->status));
    if (!job) {
        m_result->clear();
        return;
    }
    const QString reportsDir = QDir(m_host.config().dataDir).filePath(QStringLiteral("reports"));
    const QString html = describeResult(*job, reportsDir);
    if (m_result->property("shown").toString() != html) {
        m_result->setHtml(html);
        m_result->setProperty("shown", html);
    }
}

} // namespace switchboard
