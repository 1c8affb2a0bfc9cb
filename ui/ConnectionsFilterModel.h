#pragma once

// Sorts the Connections table by raw value and filters it with a text that may appear in any
// column, without formatting a single cell: with 20,000 busy connections every snapshot
// re-filters every changed row, and formatting them all would eat the GUI thread.

#include <QSortFilterProxyModel>

#include <string>

namespace switchboard {

class ConnectionsModel;

class ConnectionsFilterModel : public QSortFilterProxyModel {
    Q_OBJECT

public:
    explicit ConnectionsFilterModel(ConnectionsModel* source, QObject* parent = nullptr);

    QString filterText() const { return m_filterText; }

public slots:
    void setFilterText(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    const ConnectionsModel* m_source;
    QString m_filterText;
    std::string m_filterDigits; // the text as a number ("1,234" -> "1234"), else empty
};

} // namespace switchboard
