#include "ConnectionsFilterModel.h"

#include "ConnectionsModel.h"

#include <QLocale>

#include <algorithm>

namespace switchboard {

ConnectionsFilterModel::ConnectionsFilterModel(ConnectionsModel* source, QObject* parent)
    : QSortFilterProxyModel(parent)
    , m_source(source)
{
    setSourceModel(source);
    setSortRole(ConnectionsModel::SortRole);
}

void ConnectionsFilterModel::setFilterText(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_filterText)
        return;
    m_filterText = trimmed;
    // Counters are matched by their digits, so "1,234" and "1234" both find 1234 messages.
    m_filterDigits.clear();
    const QString withoutSeparators = QString(trimmed).remove(QLocale().groupSeparator());
    const bool isNumber = !withoutSeparators.isEmpty() &&
                          std::all_of(withoutSeparators.cbegin(), withoutSeparators.cend(),
                                      [](QChar c) { return c.isDigit(); });
    if (isNumber)
        m_filterDigits = withoutSeparators.toStdString();
    // One relayout instead of a removal signal per hidden row: a first keystroke may hide
    // thousands of scattered rows, and views pay for every removal separately.
    invalidate();
}

bool ConnectionsFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex&) const
{
    return m_filterText.isEmpty() || m_source->rowMatches(sourceRow, m_filterText, m_filterDigits);
}

} // namespace switchboard
