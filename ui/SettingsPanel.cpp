#include "SettingsPanel.h"

#include "HubHost.h"
#include "SettingsFile.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QTime>
#include <QVBoxLayout>

#include <utility>

namespace switchboard {

namespace {
// A locked keychain asks the operator for its password: give them time to type it.
constexpr std::chrono::minutes UnlockTimeout{2};
} // namespace

SettingsPanel::SettingsPanel(HubHost& host, QWidget* parent)
    : QWidget(parent)
    , m_host(host)
    , m_bind(new QLineEdit)
    , m_port(new QLineEdit)
    , m_auth(new QComboBox)
    , m_maxConnections(new QSpinBox)
    , m_maxMessageKiB(new QSpinBox)
    , m_maxJobs(new QSpinBox)
    , m_entitiesDir(new QLineEdit)
    , m_tlsCertificate(new QLineEdit)
    , m_tlsKey(new QLineEdit)
    , m_redis(new QLineEdit)
    , m_nodeName(new QLineEdit)
    , m_language(new QComboBox)
    , m_result(new QLabel)
    , m_rotate(new QPushButton(tr("Rotate token secret…")))
    , m_rotateStatus(new QLabel)
{
    setObjectName(QStringLiteral("settingsPanel"));
    setWindowTitle(tr("Settings"));

    m_auth->addItem(tr("Required: every client needs a token"), QStringLiteral("required"));
    m_auth->addItem(tr("Optional: anonymous clients may read public feeds"),
                    QStringLiteral("optional"));
    m_auth->addItem(tr("Off: no authentication"), QStringLiteral("off"));
    m_maxConnections->setRange(1, 1'000'000);
    m_maxConnections->setGroupSeparatorShown(true);
    m_maxMessageKiB->setRange(1, 64 * 1024);
    m_maxMessageKiB->setSuffix(tr(" KiB"));
    m_maxMessageKiB->setGroupSeparatorShown(true);
    m_maxJobs->setRange(1, 64);
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    m_entitiesDir->setPlaceholderText(tr("<data folder>/entities"));

    auto* content = new QWidget;
    auto* form = new QFormLayout(content);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);

    auto* hubTitle = new QLabel(tr("<b>Hub</b>"));
    form->addRow(hubTitle);
    addField(form, QStringLiteral("bind"), tr("Listen address:"), m_bind,
             tr("0.0.0.0 for every interface, 127.0.0.1 for this computer only."));
    addField(form, QStringLiteral("port"), tr("Port:"), m_port,
             tr("1–65535; 0 picks a free port."));
    m_tlsCertificate->setObjectName(QStringLiteral("setting_tlsCertificate"));
    m_tlsKey->setObjectName(QStringLiteral("setting_tlsKey"));
    m_tlsCertificate->setPlaceholderText(tr("none: plain ws:// and http://"));
    addField(form, QStringLiteral("tlsCertificate"), tr("TLS certificate:"),
             withBrowse(m_tlsCertificate, false, tr("TLS certificate (PEM)")),
             tr("With a certificate and its key the hub serves wss:// and https://."));
    addField(form, QStringLiteral("tlsKey"), tr("TLS key:"),
             withBrowse(m_tlsKey, false, tr("TLS private key (PEM)")));
    addField(form, QStringLiteral("auth"), tr("Authentication:"), m_auth);
    form->addRow(tr("Token secret:"), secretRow());
    addField(form, QStringLiteral("maxConnections"), tr("Max connections:"), m_maxConnections);
    addField(form, QStringLiteral("maxMessage"), tr("Max message size:"), m_maxMessageKiB);
    addField(form, QStringLiteral("maxJobs"), tr("Jobs at once:"), m_maxJobs);

    m_entitiesDir->setObjectName(QStringLiteral("entitiesDirEdit"));
    addField(form, QStringLiteral("entitiesDir"), tr("Entities folder:"),
             withBrowse(m_entitiesDir, true, tr("Entities folder")));

    form->addRow(new QLabel(tr("<b>Cluster</b>")));
    m_redis->setPlaceholderText(tr("none: this hub on its own"));
    addField(form, QStringLiteral("redis"), tr("Redis:"), m_redis,
             tr("redis://[user:password@]host[:port][/db]. Hubs given the same Redis act as one: "
                "events, history, rooms and jobs are shared. Several URLs, separated by commas, "
                "spread the topics over several Redis servers (write a comma in a password as "
                "%2C)."));
    addField(form, QStringLiteral("nodeName"), tr("Node name:"), m_nodeName,
             tr("How the other nodes and Overview name this one; empty: host name and port."));

    form->addRow(new QLabel(tr("<b>Console</b>")));
    addField(form, QStringLiteral("language"), tr("Language:"), m_language,
             tr("Takes effect the next time the console starts."));

    m_apply = new QPushButton(tr("&Apply and restart the hub"));
    m_apply->setObjectName(QStringLiteral("settingsApply"));
    auto* revert = new QPushButton(tr("&Revert"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_apply);
    buttons->addWidget(revert);
    auto* exportButton = new QPushButton(tr("E&xport…"));
    exportButton->setObjectName(QStringLiteral("settingsExport"));
    exportButton->setToolTip(tr("Save these settings as a file --config reads"));
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export settings"),
                                                          QStringLiteral("switchboard.conf"),
                                                          tr("Settings (*.conf *.ini)"));
        if (!path.isEmpty())
            exportTo(path);
    });
    auto* importButton = new QPushButton(tr("I&mport…"));
    importButton->setObjectName(QStringLiteral("settingsImport"));
    importButton->setToolTip(tr("Fill the form from a settings file"));
    connect(importButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Import settings"), {},
                                                          tr("Settings (*.conf *.ini)"));
        if (!path.isEmpty())
            importFrom(path);
    });
    buttons->addWidget(exportButton);
    buttons->addWidget(importButton);
    buttons->addStretch();
    form->addRow(buttons);
    m_result->setObjectName(QStringLiteral("settingsResult"));
    m_result->setWordWrap(true);
    form->addRow(m_result);

    auto* scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);

    connect(m_apply, &QPushButton::clicked, this, &SettingsPanel::apply);
    connect(&host, &HubHost::restartFinished, this, &SettingsPanel::hubRestartFinished);
    connect(&host, &HubHost::secretRotationFinished, this, &SettingsPanel::secretRotated);
    connect(revert, &QPushButton::clicked, this, &SettingsPanel::loadFromHub);
    connect(&host, &HubHost::restarted, this, &SettingsPanel::loadFromHub);
    connect(m_rotate, &QPushButton::clicked, this, &SettingsPanel::confirmSecretRotation);
    // The console builds its panels before the hub starts and reads the keychain's secret.
    connect(&host, &HubHost::started, this, &SettingsPanel::updateActions);
    loadFromHub();
}

QWidget* SettingsPanel::secretRow()
{
    m_rotate->setObjectName(QStringLiteral("rotateSecret"));
    m_rotateStatus->setObjectName(QStringLiteral("rotateSecretStatus"));
    m_rotateStatus->setWordWrap(true);
    m_rotateStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* cell = new QWidget;
    auto* column = new QVBoxLayout(cell);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    // The line under the button, not beside it: a word-wrapped label in a row is cut short.
    column->addWidget(m_rotate, 0, Qt::AlignLeft);
    column->addWidget(m_rotateStatus);
    auto* hint = new QLabel(tr("Signs and verifies the hub's tokens; kept in the system's "
                               "keychain. A new one makes every earlier token invalid."));
    hint->setWordWrap(true);
    hint->setEnabled(false);
    column->addWidget(hint);
    return cell;
}

QString SettingsPanel::rotationBlockedReason() const
{
    const HubConfig& config = m_host.config();
    if (!config.jwtPublicKey.isEmpty())
        return tr("Tokens are verified with an RS256 public key (--jwt-public-key); the console "
                  "holds no secret to rotate.");
    if (config.authMode == AuthMode::Off)
        return tr("Authentication is off, so no token secret is in use.");
    if (!config.jwtSecretInKeychain && !config.jwtSecret.isEmpty())
        return tr("The secret comes from JWT_SECRET_KEY, which overrides the keychain: change it "
                  "there and restart.");
    if (!config.jwtSecretInKeychain)
        return tr("No keychain can be reached to keep a new secret.");
    return {};
}

QString SettingsPanel::rotationStatus() const
{
    return m_rotateStatus->text();
}

void SettingsPanel::updateActions()
{
    const bool busy = m_rotating || m_restart != Restart::None;
    m_apply->setEnabled(!busy);
    const QString reason = m_rotating ? QString() : rotationBlockedReason();
    m_rotate->setEnabled(!busy && reason.isEmpty());
    if (!reason.isEmpty()) {
        m_rotateStatus->setText(reason);
        m_rotateStatus->setStyleSheet(QString());
        m_rotateStatusIsReason = true;
    } else if (m_rotateStatusIsReason) {
        m_rotateStatus->clear();
        m_rotateStatusIsReason = false;
    }
}

void SettingsPanel::showRotationResult(const QString& text, bool failed)
{
    m_rotateStatus->setText(text);
    m_rotateStatus->setStyleSheet(failed ? QStringLiteral("color: #c62828;") : QString());
    m_rotateStatusIsReason = false;
}

void SettingsPanel::confirmSecretRotation()
{
    if (m_rotating || !rotationBlockedReason().isEmpty())
        return;
    auto* box = new QMessageBox(this);
    box->setObjectName(QStringLiteral("rotateSecretConfirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setIcon(QMessageBox::Warning);
    box->setWindowTitle(tr("Rotate token secret"));
    box->setText(tr("Replace the token secret with a new one?"));
    box->setInformativeText(
        tr("Every token issued so far stops working, including tokens given to other people "
           "and services. The hub restarts: connected clients are disconnected, and those "
           "signed with the old secret need new tokens to connect again."));
    QPushButton* rotate = box->addButton(tr("Rotate secret"), QMessageBox::DestructiveRole);
    rotate->setObjectName(QStringLiteral("rotateSecretConfirm"));
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::buttonClicked, this, [this, rotate](QAbstractButton* clicked) {
        if (clicked == rotate)
            rotateSecret();
    });
    box->open();
}

void SettingsPanel::rotateSecret()
{
    if (m_rotating || m_restart != Restart::None || !rotationBlockedReason().isEmpty())
        return;
    m_rotating = true;
    updateActions();
    showRotationResult(tr("Storing a new secret in the keychain (the system may ask you to unlock "
                          "it), then restarting the hub with it…"),
                       false);
    m_host.rotateSecret(UnlockTimeout);
}

void SettingsPanel::secretRotated(const SecretRotation& rotation)
{
    m_rotating = false;
    updateActions();
    switch (rotation.outcome) {
    case SecretRotation::Outcome::KeychainRefused:
        showRotationResult(tr("Not rotated: the keychain did not take the new secret (%1). "
                              "Every token keeps working.")
                               .arg(rotation.error),
                           true);
        break;
    case SecretRotation::Outcome::Rotated:
        showRotationResult(
            tr("Rotated at %1: tokens issued before then are refused, and clients that were "
               "connected need new tokens (see Tokens).")
                .arg(QLocale().toString(QTime::currentTime(), QLocale::ShortFormat)),
            false);
        break;
    case SecretRotation::Outcome::RestartFailed:
        if (!rotation.restoreError.isEmpty())
            showRotationResult(tr("Not rotated: the hub could not restart with the new secret (%1) "
                                  "and still uses the old one, but the keychain kept the new one "
                                  "(%2): tokens issued now stop working at the next start.")
                                   .arg(rotation.error, rotation.restoreError),
                               true);
        else
            showRotationResult(tr("Not rotated: the hub could not restart with the new "
                                  "secret (%1). The old secret is still in use and "
                                  "back in the keychain.")
                                   .arg(rotation.error),
                               true);
        break;
    }
    emit secretRotationFinished(rotation.outcome == SecretRotation::Outcome::Rotated);
}

void SettingsPanel::hubRestartFinished(const QString& error)
{
    const Restart restart = std::exchange(m_restart, Restart::None);
    updateActions(); // before anyone hears the outcome
    switch (restart) {
    case Restart::Settings:
        settingsRestartFinished(error);
        break;
    case Restart::None: // someone else's restart
        break;
    }
}

QWidget* SettingsPanel::withBrowse(QLineEdit* edit, bool folder, const QString& title)
{
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    auto* browse = new QPushButton(tr("Browse…"));
    layout->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this, edit, folder, title] {
        const QString chosen = folder ? QFileDialog::getExistingDirectory(this, title, edit->text())
                                      : QFileDialog::getOpenFileName(this, title, edit->text());
        if (!chosen.isEmpty())
            edit->setText(QDir::toNativeSeparators(chosen));
    });
    return row;
}

QString SettingsPanel::languageKey()
{
    return QStringLiteral("console/language");
}

QWidget* SettingsPanel::addField(QFormLayout* form, const QString& name, const QString& label,
                                 QWidget* editor, const QString& help)
{
    if (editor->objectName().isEmpty())
        editor->setObjectName(QStringLiteral("setting_") + name);
    auto* cell = new QWidget;
    auto* layout = new QVBoxLayout(cell);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(editor);
    if (!help.isEmpty()) {
        auto* hint = new QLabel(help);
        hint->setWordWrap(true);
        hint->setEnabled(false);
        layout->addWidget(hint);
    }
    auto* error = new QLabel;
    error->setObjectName(name + QStringLiteral("Error"));
    error->setStyleSheet(QStringLiteral("color: #c62828;"));
    error->setWordWrap(true);
    error->hide();
    layout->addWidget(error);
    m_errors.insert(name, error);
    form->addRow(label, cell);
    return cell;
}

void SettingsPanel::setError(const QString& field, const QString& error)
{
    QLabel* label = m_errors.value(field);
    if (!label)
        return;
    label->setText(error);
    label->setVisible(!error.isEmpty());
}

QString SettingsPanel::errorFor(const QString& field) const
{
    const QLabel* label = m_errors.value(field);
    return label && !label->isHidden() ? label->text() : QString();
}

QString SettingsPanel::resultText() const
{
    return m_result->text();
}

void SettingsPanel::loadFromHub()
{
    loadFrom(m_host.config());
}

bool SettingsPanel::exportTo(const QString& path)
{
    const std::optional<HubConfig> config = formConfig();
    if (!config)
        return false;
    if (auto error = SettingsFile::write(*config, path)) {
        m_result->setText(*error);
        return false;
    }
    m_result->setText(tr("Settings written to %1.").arg(QDir::toNativeSeparators(path)));
    return true;
}

bool SettingsPanel::importFrom(const QString& path)
{
    auto read = SettingsFile::read(path, m_host.config());
    if (auto* error = std::get_if<QString>(&read)) {
        m_result->setText(tr("Not imported: %1").arg(*error));
        return false;
    }
    loadFrom(std::get<HubConfig>(read));
    m_result->setText(tr("Settings read from %1; Apply restarts the hub with them.")
                          .arg(QDir::toNativeSeparators(path)));
    return true;
}

void SettingsPanel::loadFrom(const HubConfig& config)
{
    m_bind->setText(config.bindAddress.toString());
    m_port->setText(QString::number(config.port));
    m_auth->setCurrentIndex(m_auth->findData(authModeName(config.authMode)));
    m_maxConnections->setValue(config.maxConnections);
    m_maxMessageKiB->setValue(int(std::max<qint64>(1, config.maxMessageBytes / 1024)));
    m_maxJobs->setValue(config.maxJobs);
    m_entitiesDir->setText(QDir::toNativeSeparators(config.entitiesDir));
    m_tlsCertificate->setText(QDir::toNativeSeparators(config.tlsCertificateFile));
    m_tlsKey->setText(QDir::toNativeSeparators(config.tlsKeyFile));
    QStringList redis;
    for (const RedisUrl& url : config.redis)
        redis.append(url.toString());
    m_redis->setText(redis.join(QStringLiteral(", ")));
    m_nodeName->setText(config.nodeName);
    m_language->setCurrentIndex(
        std::max(0, m_language->findData(QSettings().value(languageKey()).toString())));
    for (auto it = m_errors.cbegin(); it != m_errors.cend(); ++it)
        setError(it.key(), {});
    updateActions();
}

std::optional<HubConfig> SettingsPanel::formConfig()
{
    HubConfig config = m_host.config();
    bool valid = true;
    const auto check = [this, &valid](const QString& field, const QString& error) {
        setError(field, error);
        valid = valid && error.isEmpty();
    };

    const QHostAddress address(m_bind->text().trimmed());
    check(QStringLiteral("bind"), address.isNull()
                                      ? tr("Not an IP address (for example 0.0.0.0 or 127.0.0.1).")
                                      : QString());
    bool portOk = false;
    const uint port = m_port->text().trimmed().toUInt(&portOk);
    check(QStringLiteral("port"),
          !portOk || port > 65535 ? tr("Enter a whole number from 0 to 65535.") : QString());
    const QString entities = m_entitiesDir->text().trimmed();
    const QFileInfo entitiesInfo(entities);
    check(QStringLiteral("entitiesDir"), !entities.isEmpty() && !entitiesInfo.isDir()
                                             ? tr("This folder does not exist.")
                                             : QString());
    const QString certificate = m_tlsCertificate->text().trimmed();
    const QString key = m_tlsKey->text().trimmed();
    const auto fileProblem = [](const QString& path) {
        const QFileInfo info(path);
        if (!info.isFile())
            return tr("This file does not exist.");
        if (!info.isReadable())
            return tr("This file cannot be read.");
        return QString();
    };
    check(QStringLiteral("tlsCertificate"),
          certificate.isEmpty() ? (key.isEmpty() ? QString() : tr("A key needs its certificate."))
                                : fileProblem(certificate));
    check(QStringLiteral("tlsKey"),
          key.isEmpty() ? (certificate.isEmpty() ? QString() : tr("A certificate needs its key."))
                        : fileProblem(key));
    auto redis = RedisUrl::parseList(m_redis->text());
    const QString* redisProblem = std::get_if<QString>(&redis);
    check(QStringLiteral("redis"), redisProblem ? *redisProblem : QString());
    const QString nodeName = m_nodeName->text().trimmed();
    check(QStringLiteral("nodeName"),
          nodeName.isEmpty() ? QString() : nodeNameProblem(nodeName).value_or(QString()));
    if (!valid)
        return std::nullopt;

    config.redis = std::move(std::get<std::vector<RedisUrl>>(redis));
    config.nodeName = nodeName;
    config.tlsCertificateFile = certificate;
    config.tlsKeyFile = key;
    config.bindAddress = address;
    config.port = quint16(port);
    const QString auth = m_auth->currentData().toString();
    config.authMode = auth == QLatin1String("off")        ? AuthMode::Off
                      : auth == QLatin1String("optional") ? AuthMode::Optional
                                                          : AuthMode::Required;
    config.maxConnections = m_maxConnections->value();
    config.maxMessageBytes = qint64(m_maxMessageKiB->value()) * 1024;
    config.maxJobs = m_maxJobs->value();
    config.entitiesDir = entities.isEmpty() ? QString() : QDir::cleanPath(entities);
    if (config.entitiesDir.isEmpty())
        config.entitiesDir = QDir(config.dataDir).filePath(QStringLiteral("entities"));
    return config;
}

bool SettingsPanel::apply()
{
    if (m_restart != Restart::None || m_rotating || m_host.isRestarting())
        return false; // the button is disabled meanwhile; nothing in the form changes
    QSettings().setValue(languageKey(), m_language->currentData().toString());
    const std::optional<HubConfig> config = formConfig();
    if (!config) {
        m_result->setText(tr("Some settings are not valid; see the notes next to them."));
        m_result->setStyleSheet(QStringLiteral("color: #c62828;"));
        return false;
    }
    m_result->setText(tr("Restarting the hub…"));
    m_result->setStyleSheet(QString());
    m_restart = Restart::Settings;
    updateActions();
    m_host.restartInBackground(*config);
    return true;
}

void SettingsPanel::settingsRestartFinished(const QString& error)
{
    if (!error.isEmpty()) {
        if (error.startsWith(QLatin1String("--tls-cert")))
            setError(QStringLiteral("tlsCertificate"), error);
        else if (error.startsWith(QLatin1String("--tls-key")))
            setError(QStringLiteral("tlsKey"), error);
        else if (error.contains(QLatin1String("port")))
            setError(QStringLiteral("port"), error);
        m_result->setText(tr("The hub could not start with these settings: %1").arg(error));
        m_result->setStyleSheet(QStringLiteral("color: #c62828;"));
        emit applyFinished(false);
        return;
    }
    m_result->setText(tr("The hub restarted and listens on port %1.").arg(m_host.port()));
    emit applyFinished(true);
}

} // namespace switchboard
