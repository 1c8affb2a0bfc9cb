#include "SubmitJobDialog.h"

#include "JobsModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <limits>

namespace switchboard {

SubmitJobDialog::SubmitJobDialog(const QList<JobTypeInfo>& types, QWidget* parent)
    : QDialog(parent)
    , m_type(new QComboBox(this))
    , m_summary(new QLabel(this))
    , m_pages(new QStackedWidget(this))
{
    setObjectName(QStringLiteral("submitJobDialog"));
    setWindowTitle(tr("Submit job"));
    m_type->setObjectName(QStringLiteral("jobTypeCombo"));
    m_summary->setWordWrap(true);
    m_summary->setObjectName(QStringLiteral("jobTypeSummary"));
    for (const JobTypeInfo& type : types) {
        Form form;
        form.type = type.name;
        m_pages->addWidget(buildForm(type, form));
        m_forms.append(form);
        m_summaries.append(type.summary);
        m_type->addItem(JobsModel::typeText(type.name), type.name);
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Submit"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* top = new QFormLayout;
    top->addRow(tr("Job type:"), m_type);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(m_pages);
    layout->addStretch();
    layout->addWidget(buttons);

    connect(m_type, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_pages->setCurrentIndex(index);
        m_summary->setText(index >= 0 ? m_summaries.value(index) : QString());
    });
    if (!m_forms.isEmpty())
        m_summary->setText(m_summaries.first());
    setMinimumWidth(420);
}

QString SubmitJobDialog::fieldLabel(const QString& name)
{
    if (name == QLatin1String("months"))
        return tr("Months:");
    if (name == QLatin1String("scenario"))
        return tr("Scenario:");
    if (name == QLatin1String("iterations"))
        return tr("Iterations:");
    if (name == QLatin1String("variables"))
        return tr("Random variables:");
    if (name == QLatin1String("seed"))
        return tr("Seed (optional):");
    if (name == QLatin1String("format"))
        return tr("Format:");
    return name + u':';
}

namespace {

QString optionText(const QString& option)
{
    if (option == QLatin1String("baseline"))
        return SubmitJobDialog::tr("Baseline");
    if (option == QLatin1String("optimistic"))
        return SubmitJobDialog::tr("Optimistic");
    if (option == QLatin1String("pessimistic"))
        return SubmitJobDialog::tr("Pessimistic");
    if (option == QLatin1String("revenue_growth"))
        return SubmitJobDialog::tr("Revenue growth");
    if (option == QLatin1String("expense_inflation"))
        return SubmitJobDialog::tr("Expense inflation");
    if (option == QLatin1String("html"))
        return QStringLiteral("HTML");
    if (option == QLatin1String("csv"))
        return QStringLiteral("CSV");
    if (option == QLatin1String("json"))
        return QStringLiteral("JSON");
    return option;
}

} // namespace

QWidget* SubmitJobDialog::buildForm(const JobTypeInfo& type, Form& form)
{
    auto* page = new QWidget;
    page->setObjectName(type.name + QStringLiteral("Form"));
    auto* layout = new QFormLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    const QJsonObject properties = type.schema.value(QLatin1String("properties")).toObject();
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        const QJsonObject schema = it.value().toObject();
        const QString kind = schema.value(QLatin1String("type")).toString();
        Field field;
        field.name = it.key();
        auto* cell = new QWidget(page);
        auto* cellLayout = new QVBoxLayout(cell);
        cellLayout->setContentsMargins(0, 0, 0, 0);
        cellLayout->setSpacing(2);
        if (kind == QLatin1String("integer") && schema.contains(QLatin1String("default")) &&
            schema.value(QLatin1String("maximum")).toDouble() <= std::numeric_limits<int>::max()) {
            auto* spin = new QSpinBox(cell);
            spin->setRange(
                schema.value(QLatin1String("minimum")).toInt(),
                schema.value(QLatin1String("maximum")).toInt(std::numeric_limits<int>::max()));
            spin->setValue(schema.value(QLatin1String("default")).toInt());
            spin->setGroupSeparatorShown(true);
            field.kind = QStringLiteral("integer");
            field.editor = spin;
        } else if (kind == QLatin1String("integer")) {
            auto* edit = new QLineEdit(cell);
            edit->setPlaceholderText(tr("random"));
            field.kind = QStringLiteral("optional_integer");
            field.minimum = qint64(schema.value(QLatin1String("minimum")).toDouble());
            field.maximum = qint64(schema.value(QLatin1String("maximum")).toDouble(9e15));
            field.editor = edit;
        } else if (kind == QLatin1String("string") && schema.contains(QLatin1String("enum"))) {
            auto* combo = new QComboBox(cell);
            for (const QJsonValue& option : schema.value(QLatin1String("enum")).toArray())
                combo->addItem(optionText(option.toString()), option.toString());
            const int current = combo->findData(schema.value(QLatin1String("default")).toString());
            combo->setCurrentIndex(std::max(0, current));
            field.kind = QStringLiteral("choice");
            field.editor = combo;
        } else if (kind == QLatin1String("array")) {
            auto* box = new QWidget(cell);
            auto* boxLayout = new QVBoxLayout(box);
            boxLayout->setContentsMargins(0, 0, 0, 0);
            const QJsonArray defaults = schema.value(QLatin1String("default")).toArray();
            const QJsonArray options = schema.value(QLatin1String("items"))
                                           .toObject()
                                           .value(QLatin1String("enum"))
                                           .toArray();
            for (const QJsonValue& option : options) {
                auto* check = new QCheckBox(optionText(option.toString()), box);
                check->setProperty("option", option.toString());
                check->setChecked(defaults.contains(option));
                boxLayout->addWidget(check);
            }
            field.kind = QStringLiteral("set");
            field.editor = box;
        } else {
            auto* edit = new QLineEdit(cell);
            field.kind = QStringLiteral("text");
            field.editor = edit;
        }
        field.editor->setObjectName(type.name + u'_' + field.name);
        if (schema.contains(QLatin1String("description")))
            field.editor->setToolTip(schema.value(QLatin1String("description")).toString());
        field.error = new QLabel(cell);
        field.error->setObjectName(type.name + u'_' + field.name + QStringLiteral("Error"));
        field.error->setStyleSheet(QStringLiteral("color: #c62828;"));
        field.error->setWordWrap(true);
        field.error->hide();
        cellLayout->addWidget(field.editor);
        cellLayout->addWidget(field.error);
        layout->addRow(fieldLabel(field.name), cell);
        form.fields.append(field);
    }
    if (properties.isEmpty())
        layout->addRow(new QLabel(tr("This job type takes no parameters."), page));
    return page;
}

QString SubmitJobDialog::jobType() const
{
    return m_type->currentData().toString();
}

void SubmitJobDialog::setJobType(const QString& type)
{
    m_type->setCurrentIndex(m_type->findData(type));
}

bool SubmitJobDialog::setField(const QString& name, const QVariant& value)
{
    const int index = m_type->currentIndex();
    if (index < 0)
        return false;
    for (const Field& field : m_forms[index].fields) {
        if (field.name != name)
            continue;
        if (auto* spin = qobject_cast<QSpinBox*>(field.editor))
            spin->setValue(value.toInt());
        else if (auto* edit = qobject_cast<QLineEdit*>(field.editor))
            edit->setText(value.toString());
        else if (auto* combo = qobject_cast<QComboBox*>(field.editor))
            combo->setCurrentIndex(combo->findData(value.toString()));
        else
            return false;
        return true;
    }
    return false;
}

std::optional<QJsonObject> SubmitJobDialog::params()
{
    const int index = m_type->currentIndex();
    if (index < 0)
        return std::nullopt;
    QJsonObject params;
    bool valid = true;
    for (const Field& field : m_forms[index].fields) {
        QString error;
        if (field.kind == QLatin1String("integer")) {
            params.insert(field.name, qobject_cast<QSpinBox*>(field.editor)->value());
        } else if (field.kind == QLatin1String("choice")) {
            params.insert(field.name,
                          qobject_cast<QComboBox*>(field.editor)->currentData().toString());
        } else if (field.kind == QLatin1String("set")) {
            QJsonArray chosen;
            for (const QCheckBox* check : field.editor->findChildren<QCheckBox*>()) {
                if (check->isChecked())
                    chosen.append(check->property("option").toString());
            }
            params.insert(field.name, chosen);
        } else if (field.kind == QLatin1String("optional_integer")) {
            const QString text = qobject_cast<QLineEdit*>(field.editor)->text().trimmed();
            if (!text.isEmpty()) {
                bool ok = false;
                const qint64 value = text.toLongLong(&ok);
                if (!ok || value < field.minimum || value > field.maximum)
                    error = tr("Enter a whole number from %1 to %2, or leave it empty.")
                                .arg(field.minimum)
                                .arg(field.maximum);
                else
                    params.insert(field.name, double(value));
            }
        } else {
            const QString text = qobject_cast<QLineEdit*>(field.editor)->text();
            if (!text.isEmpty())
                params.insert(field.name, text);
        }
        field.error->setText(error);
        field.error->setVisible(!error.isEmpty());
        valid = valid && error.isEmpty();
    }
    if (!valid)
        return std::nullopt;
    return params;
}

void SubmitJobDialog::accept()
{
    if (params())
        QDialog::accept();
}

} // namespace switchboard
