#pragma once

// The Jobs dock: every job the hub runs or has kept, with a progress bar per row; Submit
// opens a form per job type; Cancel asks the hub to stop the selected job; the result view
// shows the selected job's numbers, and a link to the file a report job wrote.

#include "HubHost.h"
#include "monitor/HubSnapshot.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace switchboard {

class HubHost;
class JobsModel;

class JobsPanel : public QWidget {
    Q_OBJECT

public:
    explicit JobsPanel(HubHost& host, QWidget* parent = nullptr);

    JobsModel* model() const { return m_model; }
    QString selectedJobId() const;
    void selectJob(const QString& id);
    void submit(const QString& type, const QJsonObject& params);
    void cancelSelected();
    QString lastError() const;

    // The result view's text for a job (numbers formatted for the reader).
    static QString describeResult(const JobRecord& job, const QString& reportsDir);

public slots:
    void applySnapshot(const switchboard::HubSnapshot& snapshot);
    void openSubmitDialog();

signals:
    void jobSubmitted(const QString& jobId);

private:
    void onSubmitted(const CommandResult& result);
    void updateSelection();
    void showMessage(const QString& text, bool error);

    HubHost& m_host;
    JobsModel* m_model = nullptr;
    QTableView* m_view = nullptr;
    QPushButton* m_submit = nullptr;
    QPushButton* m_cancel = nullptr;
    QLabel* m_message = nullptr;
    QTextBrowser* m_result = nullptr;
    QString m_selectedId;
};

} // namespace switchboard
