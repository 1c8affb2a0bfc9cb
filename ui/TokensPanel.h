#pragma once

// The Tokens dock: issues a signed token for a user, role, tenant and lifetime, copies it, and
// opens the web dashboard in the browser signed in with it (the token travels in the address's
// fragment, which the browser never sends to the server). A hub that verifies RS256 tokens with
// a public key, or has no secret, cannot sign: the panel then says why instead of issuing.

#include <QByteArray>
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
    // Why the running hub cannot sign tokens, or empty if it can.
    QString issueBlockedReason() const;
    QString statusText() const;

public slots:
    void issue();

signals:
    void tokenIssued(const QString& token);

private:
    void updateIssuing();

    HubHost& m_host;
    QLineEdit* m_subject = nullptr;
    QComboBox* m_role = nullptr;
    QLineEdit* m_tenant = nullptr;
    QSpinBox* m_ttlHours = nullptr;
    QPlainTextEdit* m_token = nullptr;
    QPushButton* m_copy = nullptr;
    QPushButton* m_open = nullptr;
    QPushButton* m_issue = nullptr;
    bool m_statusIsReason = false;
    QByteArray m_issuedWith; // the secret the token shown was signed with
    QLabel* m_status = nullptr;
};

} // namespace switchboard
