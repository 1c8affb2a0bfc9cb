#pragma once

// Spreadsheet cell names ("B12") and ranges ("A1:Z100"), for picking the cells an
// ai_request analyses.

#include <QString>

#include <optional>

namespace switchboard {

struct CellAddress {
    int column = 0; // 1 = A
    int row = 0;    // 1-based
};

// "B12" -> {2, 12}; nullopt for anything else.
std::optional<CellAddress> parseCellAddress(const QString& name);

struct CellRange {
    CellAddress first;
    CellAddress last;

    bool contains(const CellAddress& cell) const
    {
        return cell.column >= first.column && cell.column <= last.column && cell.row >= first.row &&
               cell.row <= last.row;
    }
};

// "A1:Z100" (either corner first) or a single cell "C3"; nullopt when malformed.
std::optional<CellRange> parseCellRange(const QString& text);

} // namespace switchboard
