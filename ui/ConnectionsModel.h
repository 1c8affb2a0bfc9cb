#pragma once

// The hub's client connections as a table, kept current by applying each snapshot's delta
// (rows upserted, ids removed, or everything replaced) with one batch of model signals.

#include "monitor/HubSnapshot.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include <string_view>

namespace switchboard {

class ConnectionsModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        IdColumn,
        UserColumn,
        RoleColumn,
        TenantColumn,
        RemoteAddressColumn,
        EndpointColumn,
        SinceColumn,
        MessagesInColumn,
        MessagesOutColumn,
        BytesInColumn,
        BytesOutColumn,
        QueueColumn, // outbound bytes waiting: sorted descending, the slowest consumers first
        TopicsColumn,
        ColumnCount
    };

    enum Role {
        SortRole = Qt::UserRole + 1, // raw values: numbers sort as numbers, times as times
        IdRole,
    };

    explicit ConnectionsModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // What the User column shows for a connection without a user.
    const QString& anonymousName() const { return m_anonymous; }

    const ConnectionInfo& connection(int row) const { return m_rows.at(row); }
    int rowOf(const QString& connectionId) const { return m_rowById.value(connectionId, -1); }

    // Whether `text` appears in any column of the row, ignoring case; `digits` is the text as
    // a number (or empty) and is looked for in the counters. Formats nothing, so filtering
    // 20,000 rows stays cheap.
    bool rowMatches(int row, QStringView text, std::string_view digits) const;

public slots:
    void applySnapshot(const switchboard::HubSnapshot& snapshot);

private:
    void replaceAll(const QList<ConnectionInfo>& connections);
    void upsert(const QList<ConnectionInfo>& connections);
    void remove(const QStringList& connectionIds);
    void reindexFrom(int firstRow);
    void emitRowsChanged(QList<int> rows);

    QVariant displayData(const ConnectionInfo& connection, int column) const;
    QVariant sortData(const ConnectionInfo& connection, int column) const;
    QVariant toolTipData(const ConnectionInfo& connection, int column) const;

    QString m_anonymous;          // shown for connections without a user
    QList<ConnectionInfo> m_rows; // in the order the hub first reported them
    QHash<QString, int> m_rowById;
};

} // namespace switchboard
