#pragma once

// The Settings dock: the hub's listener and limits (address, port, TLS certificate and key,
// auth mode, connection and message limits, concurrent jobs, entities folder) and the console's
// language. Apply checks every field and explains an invalid value next to it; valid settings
// restart the hub inside the app (clients are closed with 1001 and reconnect), the app itself keeps
// running. The language takes effect at the next start.

#include "config/HubConfig.h"

#include <QHash>
#include <QWidget>

#include <optional>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace switchboard {

class HubHost;

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

public slots:
    // Validates, then restarts the hub with the new settings. Returns false if it did not.
    bool apply();
    void loadFromHub();

private:
    QWidget* addField(QFormLayout* form, const QString& name, const QString& label, QWidget* editor,
                      const QString& help = {});
    void setError(const QString& field, const QString& error);
    QWidget* withBrowse(QLineEdit* edit, bool folder, const QString& title);

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
    QComboBox* m_language = nullptr;
    QLabel* m_result = nullptr;
    QHash<QString, QLabel*> m_errors;
};

} // namespace switchboard
