#include "ClientPanel.h"

#include "ClientConnection.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QUrl>
#include <QVBoxLayout>

namespace switchboard {

namespace {

constexpr int maxEntries = 500;
const QLatin1String nativeDialect("native");

} // namespace

ClientPanel::ClientPanel(HubHost& host, QWidget* parent)
    : QWidget(parent)
    , m_host(host)
    , m_connection(new ClientConnection)
    , m_types(HubHost::messageTypes())
    , m_url(new QLineEdit(this))
    , m_token(new QLineEdit(this))
    , m_connect(new QPushButton(tr("&Connect"), this))
    , m_status(new QLabel(this))
    , m_dialect(new QComboBox(this))
    , m_type(new QComboBox(this))
    , m_composer(new QPlainTextEdit(this))
    , m_validation(new QLabel(this))
    , m_send(new QPushButton(tr("S&end"), this))
    , m_filter(new QLineEdit(this))
    , m_log(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("clientPanel"));
    setWindowTitle(tr("Client"));
    m_url->setObjectName(QStringLiteral("clientUrl"));
    m_token->setObjectName(QStringLiteral("clientToken"));
    m_connect->setObjectName(QStringLiteral("clientConnect"));
    m_status->setObjectName(QStringLiteral("clientStatus"));
    m_dialect->setObjectName(QStringLiteral("clientDialect"));
    m_type->setObjectName(QStringLiteral("clientMessageType"));
    m_composer->setObjectName(QStringLiteral("clientComposer"));
    m_validation->setObjectName(QStringLiteral("clientValidation"));
    m_send->setObjectName(QStringLiteral("clientSend"));
    m_filter->setObjectName(QStringLiteral("clientFilter"));
    m_log->setObjectName(QStringLiteral("clientLog"));

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_composer->setFont(mono);
    m_log->setFont(mono);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(20000);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("JWT (optional when the hub allows anonymous clients)"));
    m_filter->setPlaceholderText(tr("Filter messages"));
    m_filter->setClearButtonEnabled(true);
    m_validation->setWordWrap(true);
    m_send->setEnabled(false);
    m_url->setText(defaultUrl());

    auto* form = new QFormLayout;
    form->addRow(tr("URL:"), m_url);
    form->addRow(tr("Token:"), m_token);
    auto* connectRow = new QHBoxLayout;
    connectRow->addWidget(m_connect);
    connectRow->addWidget(m_status, 1);
    form->addRow(connectRow);

    auto* composerBox = new QWidget(this);
    auto* composerLayout = new QVBoxLayout(composerBox);
    composerLayout->setContentsMargins(0, 0, 0, 0);
    auto* typeRow = new QHBoxLayout;
    typeRow->addWidget(new QLabel(tr("Template:"), composerBox));
    typeRow->addWidget(m_dialect);
    typeRow->addWidget(m_type, 1);
    composerLayout->addLayout(typeRow);
    composerLayout->addWidget(m_composer, 1);
    auto* sendRow = new QHBoxLayout;
    sendRow->addWidget(m_validation, 1);
    sendRow->addWidget(m_send);
    composerLayout->addLayout(sendRow);

    auto* logBox = new QWidget(this);
    auto* logLayout = new QVBoxLayout(logBox);
    logLayout->setContentsMargins(0, 0, 0, 0);
    logLayout->addWidget(m_filter);
    logLayout->addWidget(m_log, 1);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(composerBox);
    splitter->addWidget(logBox);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(splitter, 1);

    QStringList dialects;
    for (const MessageTypeInfo& type : std::as_const(m_types)) {
        if (!dialects.contains(type.dialect))
            dialects.append(type.dialect);
    }
    dialects.sort();
    if (dialects.removeOne(nativeDialect))
        dialects.prepend(nativeDialect);
    m_dialect->addItems(dialects);
    fillTypes();

    connect(m_dialect, &QComboBox::currentIndexChanged, this, &ClientPanel::fillTypes);
    connect(m_type, &QComboBox::currentIndexChanged, this, &ClientPanel::applyTemplate);
    connect(m_url, &QLineEdit::textEdited, this, [this] { m_urlEdited = true; });
    connect(m_connect, &QPushButton::clicked, this, [this] {
        if (m_connected)
            disconnectFromHub();
        else
            connectToHub();
    });
    connect(m_send, &QPushButton::clicked, this, &ClientPanel::sendComposed);
    connect(m_composer, &QPlainTextEdit::textChanged, this, [this] {
        const QString problem = validate(m_composer->toPlainText());
        m_validation->setText(problem);
        m_validation->setStyleSheet(problem.isEmpty() ? QString()
                                                      : QStringLiteral("color: #c62828;"));
    });
    connect(m_filter, &QLineEdit::textChanged, this, &ClientPanel::renderLog);
    // The hub's port changes with Settings → Apply; an untouched URL follows it.
    connect(&host, &HubHost::restarted, this, [this] {
        if (!m_urlEdited)
            m_url->setText(defaultUrl());
    });
    connect(&host, &HubHost::snapshotReady, this, [this] {
        if (!m_urlEdited && m_url->text() != defaultUrl())
            m_url->setText(defaultUrl());
    });

    connect(m_connection, &ClientConnection::connected, this,
            [this] { setConnected(true, tr("Connected.")); });
    connect(m_connection, &ClientConnection::disconnected, this,
            [this](int code, const QString& reason) {
                setConnected(false,
                             reason.isEmpty()
                                 ? tr("Disconnected (close code %1).").arg(code)
                                 : tr("Disconnected (close code %1: %2).").arg(code).arg(reason));
            });
    connect(m_connection, &ClientConnection::failed, this,
            [this](const QString& error) { m_status->setText(tr("Error: %1").arg(error)); });
    connect(m_connection, &ClientConnection::received, this, [this](const QString& text) {
        addEntry(true, text);
        emit messageReceived(text);
    });
    connect(m_connection, &ClientConnection::sent, this,
            [this](const QString& text) { addEntry(false, text); });
    setConnected(false, tr("Not connected."));
}

ClientPanel::~ClientPanel()
{
    m_connection->shutdown();
    delete m_connection;
}

QString ClientPanel::defaultUrl() const
{
    const quint16 port = m_host.port() ? m_host.port() : m_host.config().port;
    const bool tls = !m_host.config().tlsCertificateFile.isEmpty();
    return QStringLiteral("%1://127.0.0.1:%2/ws/v1").arg(tls ? u"wss" : u"ws").arg(port);
}

void ClientPanel::connectToHub()
{
    const QUrl url = QUrl::fromUserInput(m_url->text().trimmed());
    if (!url.isValid() ||
        (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss"))) {
        m_status->setText(tr("Enter a ws:// or wss:// URL."));
        return;
    }
    m_status->setText(tr("Connecting…"));
    m_connection->open(url, m_token->text().trimmed());
}

void ClientPanel::disconnectFromHub()
{
    m_connection->close();
}

void ClientPanel::setConnected(bool connected, const QString& status)
{
    m_connected = connected;
    m_connect->setText(connected ? tr("&Disconnect") : tr("&Connect"));
    m_send->setEnabled(connected);
    m_status->setText(status);
    emit connectionChanged(connected);
}

void ClientPanel::fillTypes()
{
    const QString dialect = m_dialect->currentText();
    const QSignalBlocker blocker(m_type);
    m_type->clear();
    for (const MessageTypeInfo& type : std::as_const(m_types)) {
        if (type.dialect == dialect)
            m_type->addItem(type.type, type.type);
    }
    applyTemplate();
}

const MessageTypeInfo* ClientPanel::currentType() const
{
    const QString dialect = m_dialect->currentText();
    const QString name = m_type->currentData().toString();
    for (const MessageTypeInfo& type : m_types) {
        if (type.dialect == dialect && type.type == name)
            return &type;
    }
    return nullptr;
}

void ClientPanel::chooseTemplate(const QString& dialect, const QString& type)
{
    m_dialect->setCurrentText(dialect);
    m_type->setCurrentIndex(m_type->findData(type));
    applyTemplate();
}

void ClientPanel::applyTemplate()
{
    const MessageTypeInfo* type = currentType();
    if (!type)
        return;
    m_type->setToolTip(type->summary);
    m_composer->setPlainText(templateFor(*type, m_nextId));
}

QJsonValue ClientPanel::exampleOf(const QJsonObject& schema)
{
    if (schema.contains(QLatin1String("default")))
        return schema.value(QLatin1String("default"));
    if (schema.contains(QLatin1String("enum")))
        return schema.value(QLatin1String("enum")).toArray().first();
    const QString type = schema.value(QLatin1String("type")).toString();
    if (type == QLatin1String("object")) {
        QJsonObject object;
        const QJsonObject properties = schema.value(QLatin1String("properties")).toObject();
        for (auto it = properties.begin(); it != properties.end(); ++it)
            object.insert(it.key(), exampleOf(it.value().toObject()));
        return object;
    }
    if (type == QLatin1String("array")) {
        const QJsonObject items = schema.value(QLatin1String("items")).toObject();
        if (items.contains(QLatin1String("enum")))
            return QJsonArray{items.value(QLatin1String("enum")).toArray().first()};
        return QJsonArray{};
    }
    if (type == QLatin1String("integer") || type == QLatin1String("number"))
        return schema.value(QLatin1String("minimum")).toDouble(0);
    if (type == QLatin1String("boolean"))
        return false;
    return QString();
}

QString ClientPanel::templateFor(const MessageTypeInfo& type, int id)
{
    QJsonObject message;
    const QJsonObject data = exampleOf(type.schema).toObject();
    if (type.dialect == nativeDialect) {
        message.insert(QLatin1String("type"), type.type);
        message.insert(QLatin1String("id"), QString::number(id));
        if (!data.isEmpty())
            message.insert(QLatin1String("data"), data);
    } else {
        // Other dialects carry their fields beside the type.
        message = data;
        message.insert(QLatin1String("type"), type.type);
    }
    return QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Indented)).trimmed();
}

namespace {

bool hasType(const QJsonValue& value, const QString& type)
{
    if (type == QLatin1String("string"))
        return value.isString();
    if (type == QLatin1String("integer"))
        return value.isDouble() && value.toDouble() == std::floor(value.toDouble());
    if (type == QLatin1String("number"))
        return value.isDouble();
    if (type == QLatin1String("boolean"))
        return value.isBool();
    if (type == QLatin1String("array"))
        return value.isArray();
    if (type == QLatin1String("object"))
        return value.isObject();
    return true;
}

} // namespace

QString ClientPanel::validate(const QString& text) const
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return tr("Not valid JSON: %1 (at character %2).")
            .arg(error.errorString())
            .arg(error.offset);
    if (!document.isObject())
        return tr("A message is a JSON object.");
    const QJsonObject message = document.object();
    if (!message.value(QLatin1String("type")).isString())
        return tr("\"type\" must be a string.");
    const QString dialect = m_dialect->currentText();
    const QString name = message.value(QLatin1String("type")).toString();
    const MessageTypeInfo* type = nullptr;
    for (const MessageTypeInfo& candidate : m_types) {
        if (candidate.dialect == dialect && candidate.type == name)
            type = &candidate;
    }
    if (!type)
        return tr("The %1 dialect has no message type \"%2\".").arg(dialect, name);
    QJsonObject fields = message;
    if (dialect == nativeDialect) {
        const QJsonValue value = message.value(QLatin1String("data"));
        if (!value.isUndefined() && !value.isObject())
            return tr("\"data\" must be an object.");
        const QJsonValue id = message.value(QLatin1String("id"));
        if (!id.isUndefined() && !id.isString())
            return tr("\"id\" must be a string.");
        fields = value.toObject();
    }
    for (const QJsonValue& required : type->schema.value(QLatin1String("required")).toArray()) {
        if (!fields.contains(required.toString()))
            return tr("\"%1\" is required.").arg(required.toString());
    }
    const QJsonObject properties = type->schema.value(QLatin1String("properties")).toObject();
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        if (!fields.contains(it.key()))
            continue;
        const QString expected = it.value().toObject().value(QLatin1String("type")).toString();
        if (!expected.isEmpty() && !hasType(fields.value(it.key()), expected))
            return tr("\"%1\" must be of type %2.").arg(it.key(), expected);
    }
    return {};
}

bool ClientPanel::sendComposed()
{
    const QString text = m_composer->toPlainText();
    const QString problem = validate(text);
    if (!problem.isEmpty()) {
        m_validation->setText(problem);
        m_validation->setStyleSheet(QStringLiteral("color: #c62828;"));
        return false;
    }
    if (!m_connected) {
        m_validation->setText(tr("Connect first."));
        return false;
    }
    // Sent compact, one object per frame.
    m_connection->send(
        QString::fromUtf8(QJsonDocument::fromJson(text.toUtf8()).toJson(QJsonDocument::Compact)));
    // The next message gets a fresh id, so replies are easy to match.
    ++m_nextId;
    QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
    if (message.contains(QLatin1String("id"))) {
        message.insert(QLatin1String("id"), QString::number(m_nextId));
        const QSignalBlocker blocker(m_composer);
        m_composer->setPlainText(
            QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Indented)).trimmed());
    }
    return true;
}

void ClientPanel::addEntry(bool incoming, const QString& raw)
{
    const QJsonDocument document = QJsonDocument::fromJson(raw.toUtf8());
    const QString pretty =
        document.isNull() ? raw
                          : QString::fromUtf8(document.toJson(QJsonDocument::Indented)).trimmed();
    m_entries.append({QDateTime::currentDateTime(), incoming, pretty, raw});
    if (m_entries.size() > maxEntries) {
        m_entries.removeFirst();
        // The log widget caps its own blocks; a full re-render only when the filter is on.
    }
    const Entry& entry = m_entries.last();
    if (entryMatches(entry))
        m_log->appendPlainText(QStringLiteral("%1 %2\n%3\n")
                                   .arg(entry.at.toString(QStringLiteral("HH:mm:ss.zzz")),
                                        entry.incoming ? QStringLiteral("⇐") : QStringLiteral("⇒"),
                                        entry.text));
}

bool ClientPanel::entryMatches(const Entry& entry) const
{
    const QString filter = m_filter->text().trimmed();
    return filter.isEmpty() || entry.raw.contains(filter, Qt::CaseInsensitive);
}

void ClientPanel::renderLog()
{
    m_log->clear();
    for (const Entry& entry : std::as_const(m_entries)) {
        if (entryMatches(entry))
            m_log->appendPlainText(
                QStringLiteral("%1 %2\n%3\n")
                    .arg(entry.at.toString(QStringLiteral("HH:mm:ss.zzz")),
                         entry.incoming ? QStringLiteral("⇐") : QStringLiteral("⇒"), entry.text));
    }
}

QStringList ClientPanel::receivedMessages() const
{
    QStringList messages;
    for (const Entry& entry : m_entries) {
        if (entry.incoming)
            messages.append(entry.raw);
    }
    return messages;
}

} // namespace switchboard
