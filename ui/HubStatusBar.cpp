#include "HubStatusBar.h"

#include "HubHost.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace switchboard {

HubStatusBar::HubStatusBar(HubHost& host, QWidget* parent)
    : QStatusBar(parent)
    , m_address(new QLabel(tr("Starting the hub…"), this))
    , m_error(new QWidget(this))
    , m_errorText(new QLabel(m_error))
{
    setObjectName(QStringLiteral("hubStatusBar"));
    m_address->setObjectName(QStringLiteral("statusAddress"));
    m_address->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_address->setContentsMargins(4, 0, 4, 0);
    addWidget(m_address);

    auto* icon = new QLabel(m_error);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(iconSize));
    m_errorText->setObjectName(QStringLiteral("statusError"));
    m_errorText->setTextFormat(Qt::PlainText);
    m_errorText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette errorPalette = m_errorText->palette();
    errorPalette.setColor(QPalette::WindowText, QColor(0xb3, 0x26, 0x1e));
    m_errorText->setPalette(errorPalette);
    auto* dismiss = new QToolButton(m_error);
    dismiss->setAutoRaise(true);
    dismiss->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    dismiss->setToolTip(tr("Dismiss this error"));
    connect(dismiss, &QToolButton::clicked, this, &HubStatusBar::clearError);
    auto* errorLayout = new QHBoxLayout(m_error);
    errorLayout->setContentsMargins(0, 0, 0, 0);
    errorLayout->addWidget(icon);
    errorLayout->addWidget(m_errorText);
    errorLayout->addWidget(dismiss);
    m_error->hide();
    addPermanentWidget(m_error);

    connect(&host, &HubHost::snapshotReady, this, &HubStatusBar::applySnapshot);
}

void HubStatusBar::applySnapshot(const HubSnapshot& snapshot)
{
    const QString scheme = snapshot.tls ? QStringLiteral("wss") : QStringLiteral("ws");
    m_address->setText(tr("Listening on %1://%2").arg(scheme, snapshot.listenAddress));
}

void HubStatusBar::showError(const QString& message)
{
    m_errorText->setText(message);
    m_error->show();
}

void HubStatusBar::clearError()
{
    m_errorText->clear();
    m_error->hide();
}

QString HubStatusBar::errorText() const
{
    return m_errorText->text();
}

} // namespace switchboard
