#pragma once

// The Logs dock (topic `logs`): the hub's own log, newest at the bottom, with a minimum level,
// a search over module and message, filters by user, connection and topic (the fields the
// hub's lines carry), CSV export, and Pause, which holds new lines back (up to the row
// limit) until resumed so the operator can read.

#include "monitor/HubSnapshot.h"

#include <QAbstractTableModel>
#include <QList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace switchboard {

class HubHost;

class LogModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { TimeColumn, LevelColumn, ModuleColumn, MessageColumn, ColumnCount };
    enum Role { SeverityRole = Qt::UserRole + 1, UserRole, ConnectionRole, TopicRole };
    struct Line {
        QDateTime time;
        QString level;
        int severity = 0; // 0 info, 1 warning, 2 error/critical
        QString module;
        QString message;
        QString user; // what the line is about, when the hub said (log fields)
        QString connection;
        QString topic;
    };

    static constexpr int maxLines = 5000;

    explicit LogModel(QObject* parent = nullptr);
    void append(const QList<Line>& lines);
    void clear();
    static int severityOf(const QString& level);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<Line> m_lines;
};

class LogsPanel : public QWidget {
    Q_OBJECT

public:
    explicit LogsPanel(HubHost& host, QWidget* parent = nullptr);
    ~LogsPanel() override;

    int shownLines() const;
    int heldLines() const { return int(m_held.size()); }

public slots:
    void applySnapshot(const switchboard::HubSnapshot& snapshot);
    void setPaused(bool paused);

private:
    void updateSummary();

    HubHost& m_host;
    LogModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_view = nullptr;
    QComboBox* m_level = nullptr;
    QLineEdit* m_search = nullptr;
    QLineEdit* m_user = nullptr;
    QLineEdit* m_connection = nullptr;
    QLineEdit* m_topic = nullptr;
    QCheckBox* m_pause = nullptr;
    QLabel* m_summary = nullptr;
    QList<LogModel::Line> m_held;
};

} // namespace switchboard
