#include "CellRange.h"

#include <QStringList>

#include <algorithm>

namespace switchboard {

std::optional<CellAddress> parseCellAddress(const QString& name)
{
    CellAddress address;
    qsizetype i = 0;
    for (; i < name.size() && name[i].isLetter() && name[i].unicode() < 128; ++i) {
        address.column = address.column * 26 + (name[i].toUpper().unicode() - 'A' + 1);
        if (address.column > 18'278) // "ZZZ"
            return std::nullopt;
    }
    if (i == 0 || i == name.size())
        return std::nullopt;
    bool ok = false;
    const QString digits = name.mid(i);
    if (!std::all_of(digits.cbegin(), digits.cend(), [](QChar c) { return c.isDigit(); }))
        return std::nullopt;
    address.row = digits.toInt(&ok);
    if (!ok || address.row < 1 || address.row > 10'000'000)
        return std::nullopt;
    return address;
}

std::optional<CellRange> parseCellRange(const QString& text)
{
    const QStringList corners = text.trimmed().split(u':');
    if (corners.size() > 2)
        return std::nullopt;
    const std::optional<CellAddress> a = parseCellAddress(corners.first().trimmed());
    const std::optional<CellAddress> b = parseCellAddress(corners.last().trimmed());
    if (!a || !b)
        return std::nullopt;
    return CellRange{{std::min(a->column, b->column), std::min(a->row, b->row)},
                     {std::max(a->column, b->column), std::max(a->row, b->row)}};
}

} // namespace switchboard
