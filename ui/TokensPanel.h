#pragma once

// The Tokens dock: issues a signed token for a user, role, tenant and lifetime, copies it, and
// opens the web dashboard in the browser signed in with it (the token travels in the address's
// fragment, which the browser never sends to the server).

#include <QUrl>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace switchboard {

class HubHost;

class TokensPanel : public QWidget {
    Q_OBJECT

public:
    explicit TokensPanel(HubHost& host, QWidget* parent = nullptr);

    QString token() const;
    QUrl dashboardUrl() const;

public slots:
    void issue();

signals:
    void tokenIssued(const QString& token);

private:
    HubHost& m_host;
    QLineEdit* m_subject = nullptr;
    QComboBox* m_role = nullptr;
    QLineEdit* m_tenant = nullptr;
    QSpinBox* m_ttlHours = nullptr;
    QPlainTextEdit* m_token = nullptr;
    QPushButton* m_copy = nullptr;
    QPushButton* m_open = nullptr;
    QLabel* m_status = nullptr;
};

} // namespace switchboard
