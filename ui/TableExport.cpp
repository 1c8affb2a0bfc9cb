#include "TableExport.h"

#include <QAbstractItemModel>
#include <QBoxLayout>
#include <QCoreApplication>
#include <QFile>
#include <QFileDialog>
#include <QGridLayout>
#include <QTableView>
#include <QTableWidget>
#include <QToolButton>

namespace switchboard {

namespace {

QString field(const QString& text)
{
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n') &&
        !text.contains(u'\r'))
        return text;
    QString quoted = text;
    quoted.replace(u'"', QStringLiteral("\"\""));
    return u'"' + quoted + u'"';
}

QToolButton* exportButton(QWidget* parent, QTableView* view, const QString& suggestedName)
{
    auto* button = new QToolButton(parent);
    button->setObjectName(QStringLiteral("exportCsvButton"));
    button->setText(QCoreApplication::translate("TableExport", "Export CSV…"));
    button->setToolTip(
        QCoreApplication::translate("TableExport", "Save the rows shown as a CSV file"));
    QObject::connect(button, &QToolButton::clicked, view, [view, suggestedName] {
        TableExport::exportWithDialog(view, *view->model(), suggestedName);
    });
    return button;
}

} // namespace

QString TableExport::csv(const QAbstractItemModel& model)
{
    QStringList lines;
    QStringList header;
    for (int column = 0; column < model.columnCount(); ++column)
        header.append(field(model.headerData(column, Qt::Horizontal).toString()));
    lines.append(header.join(u','));
    for (int row = 0; row < model.rowCount(); ++row) {
        QStringList cells;
        for (int column = 0; column < model.columnCount(); ++column)
            cells.append(field(model.index(row, column).data(Qt::DisplayRole).toString()));
        lines.append(cells.join(u','));
    }
    return lines.join(QStringLiteral("\r\n")) + QStringLiteral("\r\n");
}

bool TableExport::write(const QAbstractItemModel& model, QIODevice& out)
{
    const QByteArray bytes = csv(model).toUtf8();
    return out.write(bytes) == bytes.size();
}

void TableExport::exportWithDialog(QWidget* parent, const QAbstractItemModel& model,
                                   const QString& suggestedName)
{
    const QString path = QFileDialog::getSaveFileName(
        parent, QCoreApplication::translate("TableExport", "Export CSV"), suggestedName,
        QCoreApplication::translate("TableExport", "CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        write(model, file);
}

QToolButton* addExportButton(QBoxLayout* bar, QTableView* view, const QString& suggestedName)
{
    QToolButton* button = exportButton(view->parentWidget(), view, suggestedName);
    bar->addWidget(button);
    return button;
}

QToolButton* addExportButton(QGridLayout* grid, QTableWidget* table, const QString& suggestedName)
{
    QToolButton* button = exportButton(table->parentWidget(), table, suggestedName);
    grid->addWidget(button, 0, grid->columnCount());
    return button;
}

} // namespace switchboard
