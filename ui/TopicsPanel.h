#pragma once

// The Topics dock (GET /api/v1/topics, SPEC §13): every topic with its subscribers per
// dialect, sequence number, events in and deliveries out per second, history depth and age,
// and its last event; selecting one shows its last events pretty-printed, kept current as the
// topic moves. The list rides on the snapshots, once a second, while this panel exists.

#include "monitor/HubSnapshot.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;

namespace switchboard {

class HubHost;

class TopicsPanel : public QWidget {
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        SubscribersColumn,
        DialectsColumn,
        SeqColumn,
        EventsColumn,
        DeliveriesColumn,
        HistoryColumn,
        AgeColumn,
        LastEventColumn,
        ColumnCount
    };

    explicit TopicsPanel(HubHost& host, QWidget* parent = nullptr);
    ~TopicsPanel() override;

    int topicCount() const;
    QString selectedTopic() const { return m_selected; }
    void selectTopic(const QString& topic);
    QString eventsText() const;

public slots:
    void applySnapshot(const switchboard::HubSnapshot& snapshot);

private:
    void applyList(const QJsonArray& topics);
    void loadEvents();
    void showSelectedRow();

    HubHost& m_host;
    QStandardItemModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_view = nullptr;
    QLineEdit* m_filter = nullptr;
    QLabel* m_title = nullptr;
    QPlainTextEdit* m_events = nullptr;
    QString m_selected;
    double m_selectedSeq = -1;
};

} // namespace switchboard
