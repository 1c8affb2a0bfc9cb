#pragma once

// "Submit job": one form per job type, built from the type's parameter schema (integers with
// their range and default, choices, sets of options, optional numbers), so every field can
// only hold a value the hub accepts, and a new job type gets its form for free. Fields the
// form cannot know are explained next to them before anything is sent.

#include "HubHost.h"

#include <QDialog>
#include <QJsonObject>
#include <QList>

class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QStackedWidget;

namespace switchboard {

class SubmitJobDialog : public QDialog {
    Q_OBJECT

public:
    explicit SubmitJobDialog(const QList<JobTypeInfo>& types, QWidget* parent = nullptr);

    QString jobType() const;
    void setJobType(const QString& type);
    // The params of the chosen type, or an empty optional after an invalid field was
    // marked (its error is shown next to it).
    std::optional<QJsonObject> params();
    // Sets a field of the current form (tests and presets). Returns false if unknown.
    bool setField(const QString& name, const QVariant& value);

    static QString fieldLabel(const QString& name);

public slots:
    void accept() override;

private:
    struct Field {
        QString name;
        QString kind; // integer, choice, set, optional_integer, text
        QWidget* editor = nullptr;
        QLabel* error = nullptr;
        qint64 minimum = 0;
        qint64 maximum = 0;
    };
    struct Form {
        QString type;
        QList<Field> fields;
    };

    QWidget* buildForm(const JobTypeInfo& type, Form& form);

    QComboBox* m_type = nullptr;
    QLabel* m_summary = nullptr;
    QStackedWidget* m_pages = nullptr;
    QList<Form> m_forms;
    QList<QString> m_summaries;
};

} // namespace switchboard
