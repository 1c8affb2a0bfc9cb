#pragma once

// The Connections dock: every client connection in a sortable, filterable table, with a
// Disconnect action that asks the hub to close the selected connections.

#include "monitor/HubSnapshot.h"

#include <QStringList>
#include <QTimer>
#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QTableView;

namespace switchboard {

class ConnectionsFilterModel;
class ConnectionsModel;
class HubHost;

class ConnectionsPanel : public QWidget {
    Q_OBJECT

public:
    explicit ConnectionsPanel(HubHost& host, QWidget* parent = nullptr);

    QStringList selectedConnectionIds() const;

public slots:
    void applySnapshot(const switchboard::HubSnapshot& snapshot);

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void sizeColumns();
    void disconnectSelected();
    void updateActions();
    void updateSummary();

    HubHost& m_host;
    ConnectionsModel* m_model = nullptr;
    ConnectionsFilterModel* m_proxy = nullptr;
    QTableView* m_view = nullptr;
    QLineEdit* m_filter = nullptr;
    QLabel* m_summary = nullptr;
    QAction* m_disconnectAction = nullptr;
    QTimer m_relativeTimeRefresh;
};

} // namespace switchboard
