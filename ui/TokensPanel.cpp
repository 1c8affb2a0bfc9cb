#include "TokensPanel.h"

#include "HubHost.h"

#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

namespace switchboard {

TokensPanel::TokensPanel(HubHost& host, QWidget* parent)
    : QWidget(parent)
    , m_host(host)
    , m_subject(new QLineEdit(this))
    , m_role(new QComboBox(this))
    , m_tenant(new QLineEdit(this))
    , m_ttlHours(new QSpinBox(this))
    , m_token(new QPlainTextEdit(this))
    , m_copy(new QPushButton(tr("&Copy"), this))
    , m_open(new QPushButton(tr("Open the &web dashboard"), this))
    , m_issue(new QPushButton(tr("&Issue token"), this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("tokensPanel"));
    setWindowTitle(tr("Tokens"));
    m_subject->setObjectName(QStringLiteral("tokenSubject"));
    m_role->setObjectName(QStringLiteral("tokenRole"));
    m_tenant->setObjectName(QStringLiteral("tokenTenant"));
    m_ttlHours->setObjectName(QStringLiteral("tokenTtl"));
    m_token->setObjectName(QStringLiteral("tokenText"));
    m_copy->setObjectName(QStringLiteral("tokenCopy"));
    m_open->setObjectName(QStringLiteral("tokenOpenDashboard"));
    m_status->setObjectName(QStringLiteral("tokenStatus"));

    m_subject->setText(QStringLiteral("operator"));
    m_role->addItem(tr("Admin"), QStringLiteral("admin"));
    m_role->addItem(tr("User"), QStringLiteral("user"));
    m_role->addItem(tr("Service"), QStringLiteral("service"));
    m_tenant->setPlaceholderText(tr("optional"));
    m_ttlHours->setRange(1, 24 * 365);
    m_ttlHours->setValue(24);
    m_ttlHours->setSuffix(tr(" h"));
    m_token->setReadOnly(true);
    m_token->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_token->setPlaceholderText(tr("The issued token appears here."));
    m_token->setMaximumHeight(110);
    m_status->setWordWrap(true);
    m_copy->setEnabled(false);
    m_open->setEnabled(false);

    m_issue->setObjectName(QStringLiteral("tokenIssue"));
    auto* form = new QFormLayout;
    form->addRow(tr("User (sub):"), m_subject);
    form->addRow(tr("Role:"), m_role);
    form->addRow(tr("Tenant:"), m_tenant);
    form->addRow(tr("Valid for:"), m_ttlHours);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_copy);
    buttons->addWidget(m_open);
    buttons->addStretch();

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_issue, 0, Qt::AlignLeft);
    layout->addWidget(m_token);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    layout->addStretch();

    connect(m_issue, &QPushButton::clicked, this, &TokensPanel::issue);
    connect(m_copy, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(token());
        m_status->setText(tr("Copied to the clipboard."));
    });
    connect(m_open, &QPushButton::clicked, this, [this] {
        if (!QDesktopServices::openUrl(dashboardUrl()))
            m_status->setText(tr("No web browser could be opened."));
    });
    connect(&host, &HubHost::started, this, &TokensPanel::updateIssuing);
    updateIssuing();
}

QString TokensPanel::issueBlockedReason() const
{
    const HubConfig& config = m_host.config();
    if (!config.jwtPublicKey.isEmpty())
        return tr("This hub verifies RS256 tokens with a public key (--jwt-public-key) and "
                  "holds no private key: issue tokens where that key is kept.");
    // HubHost reads the keychain's secret when it starts with authentication on.
    if (config.jwtSecret.isEmpty() && config.authMode == AuthMode::Off)
        return tr("Authentication is off, so the hub has no secret to sign tokens with.");
    return {};
}

QString TokensPanel::statusText() const
{
    return m_status->text();
}

void TokensPanel::updateIssuing()
{
    const QString reason = issueBlockedReason();
    m_issue->setEnabled(reason.isEmpty());
    if (!token().isEmpty() && m_issuedWith != m_host.config().jwtSecret) {
        m_token->clear();
        m_copy->setEnabled(false);
        m_open->setEnabled(false);
        m_status->setText(tr("The token secret changed, so the token shown before no longer "
                             "works: issue a new one."));
        m_statusIsReason = false;
    }
    if (!reason.isEmpty()) {
        m_status->setText(reason);
        m_statusIsReason = true;
    } else if (m_statusIsReason) {
        m_status->clear();
        m_statusIsReason = false;
    }
}

QString TokensPanel::token() const
{
    return m_token->toPlainText();
}

QUrl TokensPanel::dashboardUrl() const
{
    const bool tls = !m_host.config().tlsCertificateFile.isEmpty();
    QUrl url(QStringLiteral("%1://127.0.0.1:%2/").arg(tls ? u"https" : u"http").arg(m_host.port()));
    if (!token().isEmpty())
        url.setFragment(QStringLiteral("token=") + token());
    return url;
}

void TokensPanel::issue()
{
    if (const QString reason = issueBlockedReason(); !reason.isEmpty()) {
        m_status->setText(reason);
        return;
    }
    m_statusIsReason = false;
    const QString subject = m_subject->text().trimmed();
    if (subject.isEmpty()) {
        m_status->setText(tr("Enter the user the token is for."));
        return;
    }
    m_host.issueToken(subject, m_role->currentData().toString(), m_tenant->text().trimmed(),
                      std::chrono::hours(m_ttlHours->value()),
                      [this, self = QPointer<TokensPanel>(this)](const CommandResult& result) {
                          if (!self)
                              return;
                          if (!result.ok) {
                              m_status->setText(tr("No token: %1").arg(result.error));
                              return;
                          }
                          m_token->setPlainText(result.value);
                          m_issuedWith = m_host.config().jwtSecret;
                          m_copy->setEnabled(true);
                          m_open->setEnabled(true);
                          m_status->setText(
                              tr("Valid for %n hour(s).", nullptr, m_ttlHours->value()));
                          emit tokenIssued(result.value);
                      });
}

} // namespace switchboard
