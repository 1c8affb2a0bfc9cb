#include "ConnectionsModel.h"

#include "DisplayFormat.h"

#include <QSet>

#include <algorithm>
#include <array>
#include <charconv>

namespace switchboard {

namespace {

// Past this many separate row ranges, one reset is cheaper for the model, the proxy and the
// view than a removal signal per range (a mass disconnect scatters removals everywhere).
constexpr int kMaxRemovalRanges = 32;
// Past this many separate changed ranges, one dataChanged spanning them all is cheaper.
constexpr int kMaxChangedRanges = 32;

struct RowRange {
    int first;
    int last;
};

// Sorted rows -> contiguous ranges.
QList<RowRange> rangesOf(const QList<int>& sortedRows)
{
    QList<RowRange> ranges;
    for (int row : sortedRows) {
        if (!ranges.isEmpty() && ranges.last().last + 1 == row)
            ranges.last().last = row;
        else
            ranges.append({row, row});
    }
    return ranges;
}

bool digitsContain(quint64 value, std::string_view digits)
{
    std::array<char, 24> buffer{};
    const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value).ptr;
    return std::string_view(buffer.data(), static_cast<std::size_t>(end - buffer.data()))
               .find(digits) != std::string_view::npos;
}

QString orPlaceholder(const QString& text)
{
    return text.isEmpty() ? DisplayFormat::placeholder() : text;
}

} // namespace

ConnectionsModel::ConnectionsModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_anonymous(tr("anonymous"))
{}

int ConnectionsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ConnectionsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConnectionsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ConnectionInfo& connection = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(connection, index.column());
    case SortRole:
        return sortData(connection, index.column());
    case Qt::ToolTipRole:
        return toolTipData(connection, index.column());
    case IdRole:
        return connection.id;
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case MessagesInColumn:
        case MessagesOutColumn:
        case BytesInColumn:
        case BytesOutColumn:
        case QueueColumn:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
        }
    default:
        return {};
    }
}

QVariant ConnectionsModel::displayData(const ConnectionInfo& connection, int column) const
{
    switch (column) {
    case IdColumn:
        return connection.id;
    case UserColumn:
        return connection.user.isEmpty() ? m_anonymous : connection.user;
    case RoleColumn:
        return orPlaceholder(connection.role);
    case TenantColumn:
        return orPlaceholder(connection.tenant);
    case RemoteAddressColumn:
        return connection.remoteAddress;
    case EndpointColumn:
        return connection.endpoint;
    case SinceColumn:
        // Computed when painted, so only visible rows pay for it and the text stays current
        // without touching the model every second.
        return DisplayFormat::relativeTime(connection.since, QDateTime::currentDateTimeUtc());
    case MessagesInColumn:
        return DisplayFormat::count(connection.messagesIn);
    case MessagesOutColumn:
        return DisplayFormat::count(connection.messagesOut);
    case BytesInColumn:
        return DisplayFormat::bytes(connection.bytesIn);
    case BytesOutColumn:
        return DisplayFormat::bytes(connection.bytesOut);
    case QueueColumn:
        return connection.outboundCap > 0
                   ? QStringLiteral("%1 (%2 %)")
                         .arg(DisplayFormat::bytes(quint64(connection.outboundBytes)))
                         .arg(QString::number(100.0 * double(connection.outboundBytes) /
                                                  double(connection.outboundCap),
                                              'f', 0))
                   : DisplayFormat::bytes(quint64(connection.outboundBytes));
    case TopicsColumn:
        return connection.topics.join(QStringLiteral(", "));
    default:
        return {};
    }
}

QVariant ConnectionsModel::sortData(const ConnectionInfo& connection, int column) const
{
    switch (column) {
    case SinceColumn:
        return connection.since;
    case MessagesInColumn:
        return connection.messagesIn;
    case MessagesOutColumn:
        return connection.messagesOut;
    case BytesInColumn:
        return connection.bytesIn;
    case BytesOutColumn:
        return connection.bytesOut;
    case QueueColumn:
        return connection.outboundBytes;
    case TopicsColumn:
        return static_cast<int>(connection.topics.size());
    default:
        return displayData(connection, column);
    }
}

QVariant ConnectionsModel::toolTipData(const ConnectionInfo& connection, int column) const
{
    switch (column) {
    case SinceColumn:
        return DisplayFormat::timestamp(connection.since);
    case BytesInColumn:
        return DisplayFormat::exactBytes(connection.bytesIn);
    case BytesOutColumn:
        return DisplayFormat::exactBytes(connection.bytesOut);
    case QueueColumn:
        return tr("Waiting to be sent; the connection is closed (1013) past %1")
            .arg(DisplayFormat::bytes(quint64(connection.outboundCap)));
    case TopicsColumn:
        return connection.topics.isEmpty() ? tr("No subscriptions")
                                           : connection.topics.join(QLatin1Char('\n'));
    default:
        return {};
    }
}

QVariant ConnectionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole) {
        const bool numeric = section >= MessagesInColumn && section <= QueueColumn;
        return QVariant::fromValue((numeric ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn:
        return tr("ID");
    case UserColumn:
        return tr("User");
    case RoleColumn:
        return tr("Role");
    case TenantColumn:
        return tr("Tenant");
    case RemoteAddressColumn:
        return tr("Remote address");
    case EndpointColumn:
        return tr("Endpoint");
    case SinceColumn:
        return tr("Since");
    case MessagesInColumn:
        return tr("Msgs in");
    case MessagesOutColumn:
        return tr("Msgs out");
    case BytesInColumn:
        return tr("Bytes in");
    case BytesOutColumn:
        return tr("Bytes out");
    case QueueColumn:
        return tr("Queue");
    case TopicsColumn:
        return tr("Topics");
    default:
        return {};
    }
}

bool ConnectionsModel::rowMatches(int row, QStringView text, std::string_view digits) const
{
    const ConnectionInfo& connection = m_rows.at(row);
    auto has = [text](QStringView field) { return field.contains(text, Qt::CaseInsensitive); };
    if (has(connection.id) || has(connection.user.isEmpty() ? m_anonymous : connection.user) ||
        has(connection.role) || has(connection.tenant) || has(connection.remoteAddress) ||
        has(connection.endpoint))
        return true;
    for (const QString& topic : connection.topics) {
        if (has(topic))
            return true;
    }
    // "Since" is left out: its text is relative and changes while you look at it.
    if (digits.empty())
        return false;
    return std::ranges::any_of(std::array{connection.messagesIn, connection.messagesOut,
                                          connection.bytesIn, connection.bytesOut},
                               [digits](quint64 value) { return digitsContain(value, digits); });
}

void ConnectionsModel::applySnapshot(const HubSnapshot& snapshot)
{
    if (snapshot.full) {
        replaceAll(snapshot.upserted);
        return;
    }
    // Upserts first: a closed connection stays closed even if the same delta still carries
    // its last counters.
    upsert(snapshot.upserted);
    remove(snapshot.removed);
}

void ConnectionsModel::replaceAll(const QList<ConnectionInfo>& connections)
{
    beginResetModel();
    m_rows.clear();
    m_rowById.clear();
    m_rows.reserve(connections.size());
    m_rowById.reserve(connections.size());
    for (const ConnectionInfo& connection : connections) {
        if (const auto existing = m_rowById.constFind(connection.id);
            existing != m_rowById.constEnd()) {
            m_rows[*existing] = connection;
            continue;
        }
        m_rowById.insert(connection.id, static_cast<int>(m_rows.size()));
        m_rows.append(connection);
    }
    endResetModel();
}

void ConnectionsModel::upsert(const QList<ConnectionInfo>& connections)
{
    if (connections.isEmpty())
        return;
    const int existingRows = static_cast<int>(m_rows.size());
    QList<int> changedRows;
    QList<ConnectionInfo> added;
    for (const ConnectionInfo& connection : connections) {
        const auto found = m_rowById.constFind(connection.id);
        if (found == m_rowById.constEnd()) {
            // Indexed now so a repeat of the same id in this delta updates the pending row.
            m_rowById.insert(connection.id, existingRows + static_cast<int>(added.size()));
            added.append(connection);
        } else if (*found >= existingRows) {
            added[*found - existingRows] = connection;
        } else {
            m_rows[*found] = connection;
            changedRows.append(*found);
        }
    }
    emitRowsChanged(std::move(changedRows));
    if (!added.isEmpty()) {
        beginInsertRows({}, existingRows, existingRows + static_cast<int>(added.size()) - 1);
        m_rows.append(added);
        endInsertRows();
    }
}

void ConnectionsModel::remove(const QStringList& connectionIds)
{
    QList<int> rows;
    rows.reserve(connectionIds.size());
    for (const QString& id : connectionIds) {
        if (const auto found = m_rowById.constFind(id); found != m_rowById.constEnd())
            rows.append(*found);
    }
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (int row : std::as_const(rows))
        m_rowById.remove(m_rows.at(row).id);

    const QList<RowRange> ranges = rangesOf(rows);
    if (ranges.size() > kMaxRemovalRanges) {
        beginResetModel();
        const QSet<int> doomed(rows.cbegin(), rows.cend());
        QList<ConnectionInfo> kept;
        kept.reserve(m_rows.size() - rows.size());
        for (int row = 0; row < m_rows.size(); ++row) {
            if (!doomed.contains(row))
                kept.append(std::move(m_rows[row]));
        }
        m_rows = std::move(kept);
        reindexFrom(rows.first());
        endResetModel();
        return;
    }
    // From the back, so the rows of earlier ranges keep their numbers.
    for (auto range = ranges.crbegin(); range != ranges.crend(); ++range) {
        beginRemoveRows({}, range->first, range->last);
        m_rows.remove(range->first, range->last - range->first + 1);
        endRemoveRows();
    }
    reindexFrom(rows.first());
}

void ConnectionsModel::reindexFrom(int firstRow)
{
    for (int row = firstRow; row < m_rows.size(); ++row)
        m_rowById[m_rows.at(row).id] = row;
}

void ConnectionsModel::emitRowsChanged(QList<int> rows)
{
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end());
    const QList<RowRange> ranges = rangesOf(rows);
    const int lastColumn = ColumnCount - 1;
    if (ranges.size() > kMaxChangedRanges) {
        emit dataChanged(index(ranges.first().first, 0), index(ranges.last().last, lastColumn));
        return;
    }
    for (const RowRange& range : ranges)
        emit dataChanged(index(range.first, 0), index(range.last, lastColumn));
}

} // namespace switchboard
