#pragma once

// The Settings dock: the hub's listener and limits (address, port, TLS certificate and key,
// auth mode, connection and message limits, concurrent jobs, entities folder), the cluster it
// joins (Redis URLs and this node's name) and the console's language. Apply checks every field and
// explains an invalid value next to it; valid settings restart the hub inside the app (clients are
// closed with 1001 and reconnect), the app itself keeps running. The language takes effect at the
// next start. "Rotate token secret…" replaces the HS256 secret kept in the OS keychain with a new
// random one and restarts the hub with it, so every token issued before stops working; it is
// disabled, with the reason under it, when the secret is not the keychain's to replace.

#include "config/HubConfig.h"

#include <QHash>
#include <QWidget>

#include <optional>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace switchboard {

class HubHost;
struct SecretRotation;

class SettingsPanel : public QWidget {
    Q_OBJECT

public:
    explicit SettingsPanel(HubHost& host, QWidget* parent = nullptr);

    // The settings in the form, or nothing when a field is invalid (its error is shown).
    std::optional<HubConfig> formConfig();
    QString errorFor(const QString& field) const;
    QString resultText() const;

    // The QSettings key of the language override ("de", "en" or empty for the system's).
    static QString languageKey();

    // Why the running hub's token secret cannot be rotated from here, or empty if it can.
    QString rotationBlockedReason() const;
    // What the line under "Rotate token secret…" says (a reason or the last rotation's result).
    QString rotationStatus() const;

public slots:
    // Validates, then restarts the hub with the new settings in the background (the window
    // stays responsive while clients are closed); applyFinished() tells the outcome. Returns
    // false if a restart or rotation is already under way, or if a field is invalid (the
    // reasons are shown next to the fields).
    bool apply();
    void loadFromHub();
    // Fills the form with `config` (Apply restarts the hub with it).
    void loadFrom(const HubConfig& config);
    // The form's settings to an INI file and back (the format of --config); false on error,
    // which the result line shows.
    bool exportTo(const QString& path);
    bool importFrom(const QString& path);
    // Asks for confirmation (a window-modal dialog), then rotates the secret.
    void confirmSecretRotation();
    // Rotates without asking: a new random secret into the keychain, then the hub restarted
    // with it. Returns at once; secretRotationFinished() tells the outcome.
    void rotateSecret();

signals:
    void applyFinished(bool restarted);
    void secretRotationFinished(bool rotated);

private:
    QWidget* addField(QFormLayout* form, const QString& name, const QString& label, QWidget* editor,
                      const QString& help = {});
    void setError(const QString& field, const QString& error);
    QWidget* withBrowse(QLineEdit* edit, bool folder, const QString& title);
    QWidget* secretRow();
    // Apply and Rotate: enabled unless one of them is under way; Rotate's blocked reason.
    void updateActions();
    void secretRotated(const SecretRotation& rotation);
    void showRotationResult(const QString& text, bool failed);
    // The hub's background restart is over, for the settings or for a new secret.
    void hubRestartFinished(const QString& error);
    void settingsRestartFinished(const QString& error);

    enum class Restart { None, Settings };

    HubHost& m_host;
    QLineEdit* m_bind = nullptr;
    QLineEdit* m_port = nullptr;
    QComboBox* m_auth = nullptr;
    QSpinBox* m_maxConnections = nullptr;
    QSpinBox* m_maxMessageKiB = nullptr;
    QSpinBox* m_maxJobs = nullptr;
    QLineEdit* m_entitiesDir = nullptr;
    QLineEdit* m_tlsCertificate = nullptr;
    QLineEdit* m_tlsKey = nullptr;
    QLineEdit* m_redis = nullptr;
    QLineEdit* m_nodeName = nullptr;
    QComboBox* m_language = nullptr;
    QLabel* m_result = nullptr;
    QPushButton* m_apply = nullptr;
    QPushButton* m_rotate = nullptr;
    QLabel* m_rotateStatus = nullptr;
    bool m_rotating = false;
    Restart m_restart = Restart::None;
    bool m_rotateStatusIsReason = false;
    QHash<QString, QLabel*> m_errors;
};

} // namespace switchboard
