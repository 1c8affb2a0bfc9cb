// The Connections table model applies the hub's snapshot deltas: a full snapshot replaces
// every row, upserts update rows in place or append them, removals drop them, each batch
// with as few model signals as the change allows.

#include "ConnectionsModel.h"
#include "UiTesting.h"

#include <QLocale>
#include <QSignalSpy>
#include <QTest>

using namespace switchboard;
using namespace switchboard::testing;
using namespace Qt::StringLiterals;

class tst_ConnectionsModel : public QObject {
    Q_OBJECT

private:
    static QStringList ids(const ConnectionsModel& model)
    {
        QStringList result;
        for (int row = 0; row < model.rowCount(); ++row)
            result.append(model.connection(row).id);
        return result;
    }

    static QString text(const ConnectionsModel& model, int row, int column)
    {
        return model.index(row, column).data().toString();
    }

private slots:
    void initTestCase() { QVERIFY(useEnglish()); }

    void fullSnapshotFillsRows()
    {
        ConnectionsModel model;
        ConnectionInfo alice = connection(QStringLiteral("c1"), QStringLiteral("alice"),
                                          QStringLiteral("acme"), 1234567);
        alice.bytesOut = 1536;
        alice.topics = {QStringLiteral("jobs"), QStringLiteral("trading")};
        model.applySnapshot(fullSnapshot({alice, connection(QStringLiteral("c2"))}));

        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), int(ConnectionsModel::ColumnCount));
        QCOMPARE(text(model, 0, ConnectionsModel::IdColumn), QStringLiteral("c1"));
        QCOMPARE(text(model, 0, ConnectionsModel::UserColumn), QStringLiteral("alice"));
        QCOMPARE(text(model, 0, ConnectionsModel::TenantColumn), QStringLiteral("acme"));
        QCOMPARE(text(model, 0, ConnectionsModel::EndpointColumn), QStringLiteral("/ws/v1"));
        QCOMPARE(text(model, 0, ConnectionsModel::MessagesInColumn), QStringLiteral("1,234,567"));
        QCOMPARE(text(model, 0, ConnectionsModel::BytesOutColumn), QStringLiteral("1.5 KiB"));
        QCOMPARE(model.index(0, ConnectionsModel::BytesOutColumn).data(Qt::ToolTipRole),
                 QVariant(QStringLiteral("1,536 bytes")));
        QCOMPARE(text(model, 0, ConnectionsModel::TopicsColumn), QStringLiteral("jobs, trading"));
        QCOMPARE(text(model, 0, ConnectionsModel::SinceColumn), QStringLiteral("2 min ago"));
        QCOMPARE(text(model, 1, ConnectionsModel::UserColumn), QStringLiteral("anonymous"));
        QCOMPARE(model.headerData(ConnectionsModel::RemoteAddressColumn, Qt::Horizontal),
                 QVariant(QStringLiteral("Remote address")));
    }

    void sortRoleGivesRawValues()
    {
        ConnectionsModel model;
        model.applySnapshot(fullSnapshot({connection(QStringLiteral("c1"), {}, {}, 1234567)}));
        const QVariant messages =
            model.index(0, ConnectionsModel::MessagesInColumn).data(ConnectionsModel::SortRole);
        QCOMPARE(messages.toULongLong(), 1234567u);
        QCOMPARE(model.index(0, ConnectionsModel::SinceColumn)
                     .data(ConnectionsModel::SortRole)
                     .metaType(),
                 QMetaType::fromType<QDateTime>());
    }

    void deltaUpdatesAnExistingRowInPlace()
    {
        ConnectionsModel model;
        model.applySnapshot(
            fullSnapshot({connection(QStringLiteral("a")), connection(QStringLiteral("b")),
                          connection(QStringLiteral("c"))}));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

        model.applySnapshot(delta({connection(QStringLiteral("b"), {}, {}, 42)}));

        QCOMPARE(ids(model), (QStringList{u"a"_s, u"b"_s, u"c"_s}));
        QCOMPARE(text(model, 1, ConnectionsModel::MessagesInColumn), QStringLiteral("42"));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 1);
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(reset.size(), 0);
    }

    void adjacentUpdatesShareOneSignal()
    {
        ConnectionsModel model;
        model.applySnapshot(
            fullSnapshot({connection(QStringLiteral("a")), connection(QStringLiteral("b")),
                          connection(QStringLiteral("c")), connection(QStringLiteral("d"))}));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        model.applySnapshot(delta({connection(QStringLiteral("c"), {}, {}, 3),
                                   connection(QStringLiteral("b"), {}, {}, 2)}));

        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 2);
    }

    void deltaAppendsNewRowsInOneBatch()
    {
        ConnectionsModel model;
        model.applySnapshot(fullSnapshot({connection(QStringLiteral("a"))}));
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

        model.applySnapshot(
            delta({connection(QStringLiteral("b")), connection(QStringLiteral("c"))}));

        QCOMPARE(ids(model), (QStringList{u"a"_s, u"b"_s, u"c"_s}));
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 1);
        QCOMPARE(inserted.at(0).at(2).toInt(), 2);
        QCOMPARE(model.rowOf(QStringLiteral("c")), 2);
    }

    void aRepeatedNewIdInOneDeltaMakesOneRow()
    {
        ConnectionsModel model;
        model.applySnapshot(delta({connection(QStringLiteral("a"), {}, {}, 1),
                                   connection(QStringLiteral("a"), {}, {}, 2)}));

        QCOMPARE(ids(model), (QStringList{u"a"_s}));
        QCOMPARE(model.connection(0).messagesIn, 2u);
    }

    void deltaRemovesRows()
    {
        ConnectionsModel model;
        model.applySnapshot(
            fullSnapshot({connection(QStringLiteral("a")), connection(QStringLiteral("b")),
                          connection(QStringLiteral("c")), connection(QStringLiteral("d"))}));
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

        model.applySnapshot(
            delta({}, {QStringLiteral("c"), QStringLiteral("a"), QStringLiteral("unknown")}));

        QCOMPARE(ids(model), (QStringList{u"b"_s, u"d"_s}));
        QCOMPARE(removed.size(), 2);
        QCOMPARE(model.rowOf(QStringLiteral("b")), 0);
        QCOMPARE(model.rowOf(QStringLiteral("d")), 1);
        QCOMPARE(model.rowOf(QStringLiteral("a")), -1);
    }

    void removalWinsOverAnUpsertInTheSameDelta()
    {
        ConnectionsModel model;
        model.applySnapshot(fullSnapshot({connection(QStringLiteral("a"))}));

        model.applySnapshot(
            delta({connection(QStringLiteral("a"), {}, {}, 9), connection(QStringLiteral("b"))},
                  {QStringLiteral("a"), QStringLiteral("b")}));

        QCOMPARE(model.rowCount(), 0);
    }

    void scatteredMassRemovalResetsOnce()
    {
        ConnectionsModel model;
        QList<ConnectionInfo> connections;
        QStringList odd;
        for (int i = 0; i < 1000; ++i) {
            connections.append(connection(QString::number(i)));
            if (i % 2)
                odd.append(QString::number(i));
        }
        model.applySnapshot(fullSnapshot(connections));
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

        model.applySnapshot(delta({}, odd));

        QCOMPARE(model.rowCount(), 500);
        QCOMPARE(reset.size(), 1);
        QCOMPARE(removed.size(), 0);
        for (int row = 0; row < model.rowCount(); ++row) {
            QCOMPARE(model.connection(row).id, QString::number(row * 2));
            QCOMPARE(model.rowOf(QString::number(row * 2)), row);
        }
    }

    void fullSnapshotReplacesEverything()
    {
        ConnectionsModel model;
        model.applySnapshot(
            fullSnapshot({connection(QStringLiteral("a")), connection(QStringLiteral("b"))}));
        model.applySnapshot(delta({connection(QStringLiteral("c"))}));
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

        HubSnapshot full = fullSnapshot({connection(QStringLiteral("x"))});
        full.removed = {QStringLiteral("x")}; // a full snapshot's list is the whole truth
        model.applySnapshot(full);

        QCOMPARE(ids(model), (QStringList{u"x"_s}));
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model.rowOf(QStringLiteral("a")), -1);
    }
};

QTEST_MAIN(tst_ConnectionsModel)
#include "tst_connections_model.moc"
