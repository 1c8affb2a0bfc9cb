#include "ConnectionDetail.h"

#include "DisplayFormat.h"
#include "HubHost.h"

#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace switchboard {

ConnectionDetail::ConnectionDetail(HubHost& host, QWidget* parent)
    : QWidget(parent)
    , m_host(host)
    , m_title(new QLabel(this))
    , m_queue(new QProgressBar(this))
    , m_disconnect(new QPushButton(tr("&Disconnect"), this))
{
    setObjectName(QStringLiteral("connectionDetail"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_user = addValue(form, tr("User"), QStringLiteral("detailUser"));
    m_dialect = addValue(form, tr("Dialect and endpoint"), QStringLiteral("detailDialect"));
    m_address = addValue(form, tr("Remote address"), QStringLiteral("detailAddress"));
    m_since = addValue(form, tr("Connected"), QStringLiteral("detailSince"));
    m_expiry = addValue(form, tr("Token expires"), QStringLiteral("detailExpiry"));
    m_rates = addValue(form, tr("Messages"), QStringLiteral("detailRates"));
    m_topics = addValue(form, tr("Topics"), QStringLiteral("detailTopics"));
    m_topics->setWordWrap(true);
    m_queue->setObjectName(QStringLiteral("detailQueue"));
    m_queue->setRange(0, 1000);
    m_queue->setTextVisible(true);
    form->addRow(tr("Outbound queue"), m_queue);
    m_disconnect->setObjectName(QStringLiteral("detailDisconnect"));
    m_disconnect->setToolTip(tr("Close this connection (close code 1008)"));
    connect(m_disconnect, &QPushButton::clicked, this, [this] {
        if (!m_current.id.isEmpty())
            m_host.disconnectClient(m_current.id);
    });
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    auto* head = new QHBoxLayout;
    head->addWidget(m_title, 1);
    head->addWidget(m_disconnect);
    layout->addLayout(head);
    layout->addLayout(form);
    layout->addStretch(1);
    clear();
}

QLabel* ConnectionDetail::addValue(QFormLayout* form, const QString& label, const QString& name)
{
    auto* value = new QLabel(this);
    value->setObjectName(name);
    value->setTextFormat(Qt::PlainText);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(label, value);
    return value;
}

QString ConnectionDetail::text(const QString& field) const
{
    const auto* label = findChild<QLabel*>(field);
    return label ? label->text() : QString();
}

void ConnectionDetail::clear()
{
    m_current = {};
    m_title->setText(tr("Select a connection to see it in detail."));
    for (QLabel* value : {m_user, m_dialect, m_address, m_since, m_expiry, m_rates, m_topics})
        value->setText(DisplayFormat::placeholder());
    m_queue->setValue(0);
    m_queue->setFormat(DisplayFormat::placeholder());
    m_disconnect->setEnabled(false);
}

void ConnectionDetail::showConnection(const ConnectionInfo& connection)
{
    const bool same = connection.id == m_current.id;
    fill(connection, same);
}

void ConnectionDetail::applySnapshot(const HubSnapshot& snapshot)
{
    if (m_current.id.isEmpty())
        return;
    if (snapshot.removed.contains(m_current.id)) {
        m_title->setText(tr("Connection %1 closed").arg(m_current.id));
        m_disconnect->setEnabled(false);
        return;
    }
    for (const ConnectionInfo& connection : snapshot.upserted) {
        if (connection.id == m_current.id) {
            fill(connection, true);
            return;
        }
    }
}

void ConnectionDetail::fill(const ConnectionInfo& connection, bool sameConnection)
{
    const QLocale locale;
    if (sameConnection && m_sinceLast.isValid() && m_sinceLast.elapsed() > 200) {
        const double seconds = double(m_sinceLast.elapsed()) / 1000.0;
        const double in =
            double(connection.messagesIn - std::min(connection.messagesIn, m_current.messagesIn)) /
            seconds;
        const double out = double(connection.messagesOut -
                                  std::min(connection.messagesOut, m_current.messagesOut)) /
                           seconds;
        m_rates->setText(tr("%1 in, %2 out (%3/s in, %4/s out)")
                             .arg(DisplayFormat::count(connection.messagesIn),
                                  DisplayFormat::count(connection.messagesOut),
                                  locale.toString(in, 'f', 1), locale.toString(out, 'f', 1)));
    } else if (!sameConnection) {
        m_rates->setText(tr("%1 in, %2 out")
                             .arg(DisplayFormat::count(connection.messagesIn),
                                  DisplayFormat::count(connection.messagesOut)));
    }
    if (!sameConnection || m_sinceLast.elapsed() > 200) {
        m_current = connection;
        m_sinceLast.restart();
    }
    m_current.outboundBytes = connection.outboundBytes;
    m_current.topics = connection.topics;
    m_title->setText(tr("Connection %1").arg(connection.id));
    m_user->setText(connection.user.isEmpty()
                        ? tr("anonymous")
                        : QStringLiteral("%1 (%2%3)")
                              .arg(connection.user, connection.role,
                                   connection.tenant.isEmpty()
                                       ? QString()
                                       : QStringLiteral(", ") + connection.tenant));
    m_dialect->setText(QStringLiteral("%1 · %2").arg(
        connection.dialect.isEmpty() ? DisplayFormat::placeholder() : connection.dialect,
        connection.endpoint));
    m_address->setText(connection.remoteAddress);
    m_since->setText(DisplayFormat::timestamp(connection.since));
    m_expiry->setText(
        connection.tokenExpiresAt > 0
            ? DisplayFormat::timestamp(QDateTime::fromMSecsSinceEpoch(connection.tokenExpiresAt))
            : tr("no token"));
    m_topics->setText(connection.topics.isEmpty() ? tr("none")
                                                  : connection.topics.join(QStringLiteral(", ")));
    const double fraction = connection.outboundCap > 0
                                ? double(connection.outboundBytes) / double(connection.outboundCap)
                                : 0.0;
    m_queue->setValue(int(std::clamp(fraction, 0.0, 1.0) * 1000));
    m_queue->setFormat(tr("%1 of %2 (%3 %)")
                           .arg(DisplayFormat::bytes(quint64(connection.outboundBytes)),
                                DisplayFormat::bytes(quint64(connection.outboundCap)),
                                locale.toString(fraction * 100.0, 'f', 1)));
    m_disconnect->setEnabled(true);
}

} // namespace switchboard
