#pragma once

// Every table of the console exports to CSV (SPEC §13): what the view shows, in its order and
// filtering, with its column titles, as RFC 4180 CSV (UTF-8, quoted where needed).

#include <QString>

class QAbstractItemModel;
class QBoxLayout;
class QGridLayout;
class QIODevice;
class QTableView;
class QTableWidget;
class QToolButton;
class QWidget;

namespace switchboard {

class TableExport {
public:
    static QString csv(const QAbstractItemModel& model);
    static bool write(const QAbstractItemModel& model, QIODevice& out);
    // Asks where to save (starting with `suggestedName`) and writes the file.
    static void exportWithDialog(QWidget* parent, const QAbstractItemModel& model,
                                 const QString& suggestedName);
};

// An "Export CSV…" button at the end of `bar` that exports what `view` shows.
QToolButton* addExportButton(QBoxLayout* bar, QTableView* view, const QString& suggestedName);
QToolButton* addExportButton(QGridLayout* grid, QTableWidget* table, const QString& suggestedName);

} // namespace switchboard
