#pragma once

// The Connections dock: every client connection in a sortable, filterable table, with a
// Disconnect action that asks the hub to close the selected connections, a detail pane for
// the current one, a "Slowest first" sort by outbound queue and CSV export.

#include "monitor/HubSnapshot.h"

#include <QStringList>
#include <QTimer>
#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QTableView;

namespace switchboard {

class ConnectionDetail;
class ConnectionsFilterModel;
class ConnectionsModel;
class HubHost;

class ConnectionsPanel : public QWidget {
    Q_OBJECT

public:
    explicit ConnectionsPanel(HubHost& host, QWidget* parent = nullptr);

    QStringList selectedConnectionIds() const;
    ConnectionDetail* detail() const { return m_detail; }
    // Sorts by outbound queue, longest first: the slowest consumers at the top.
    void sortBySlowest();

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
    ConnectionDetail* m_detail = nullptr;
    QTimer m_relativeTimeRefresh;
};

} // namespace switchboard
