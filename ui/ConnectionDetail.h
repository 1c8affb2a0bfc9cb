#pragma once

// The detail of one connection (SPEC §13), under the Connections table: who and how it is
// connected (user, role, tenant, dialect, endpoint, address, since, when its token expires),
// its topics, its message rates, and its outbound queue against the cap past which it is cut
// off (1013), with Disconnect. Kept current from the snapshots; rates are the difference of
// its counters between two of them.

#include "monitor/HubSnapshot.h"

#include <QElapsedTimer>
#include <QWidget>

class QFormLayout;
class QLabel;
class QProgressBar;
class QPushButton;

namespace switchboard {

class HubHost;

class ConnectionDetail : public QWidget {
    Q_OBJECT

public:
    explicit ConnectionDetail(HubHost& host, QWidget* parent = nullptr);

    QString connectionId() const { return m_current.id; }
    void showConnection(const ConnectionInfo& connection);
    void clear();
    void applySnapshot(const HubSnapshot& snapshot);
    QString text(const QString& field) const; // a value's text by its objectName, for tests

private:
    QLabel* addValue(QFormLayout* form, const QString& label, const QString& name);
    void fill(const ConnectionInfo& connection, bool sameConnection);

    HubHost& m_host;
    ConnectionInfo m_current;
    QElapsedTimer m_sinceLast;
    QLabel* m_title = nullptr;
    QLabel* m_user = nullptr;
    QLabel* m_dialect = nullptr;
    QLabel* m_address = nullptr;
    QLabel* m_since = nullptr;
    QLabel* m_expiry = nullptr;
    QLabel* m_rates = nullptr;
    QLabel* m_topics = nullptr;
    QProgressBar* m_queue = nullptr;
    QPushButton* m_disconnect = nullptr;
};

} // namespace switchboard
