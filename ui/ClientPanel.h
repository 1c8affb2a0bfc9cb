#pragma once

// The Client dock: a WebSocket client for poking at this hub or any other. URL (this hub's
// native endpoint by default) and token, Connect/Disconnect, a JSON composer with a template
// per message type of every dialect the hub knows (from the handlers' schemas), validation
// before sending, and a pretty-printed log of what went out and came in, with a filter. The
// socket lives on a worker thread (ClientConnection).

#include "HubHost.h"

#include <QDateTime>
#include <QList>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace switchboard {

class ClientConnection;

class ClientPanel : public QWidget {
    Q_OBJECT

public:
    explicit ClientPanel(HubHost& host, QWidget* parent = nullptr);
    ~ClientPanel() override;

    bool isConnected() const { return m_connected; }
    QString defaultUrl() const;
    // The composer's text checked against the chosen message type: empty when it may be sent.
    QString validate(const QString& text) const;
    // A template for a message type: {"type", "id", "data"} for the native dialect.
    static QString templateFor(const MessageTypeInfo& type, int id);
    static QJsonValue exampleOf(const QJsonObject& schema);
    QStringList receivedMessages() const;

public slots:
    void connectToHub();
    void disconnectFromHub();
    void chooseTemplate(const QString& dialect, const QString& type);
    bool sendComposed();

signals:
    void messageReceived(const QString& text);
    void connectionChanged(bool connected);

private:
    struct Entry {
        QDateTime at;
        bool incoming = false;
        QString text; // pretty-printed
        QString raw;
    };

    void fillTypes();
    void applyTemplate();
    void addEntry(bool incoming, const QString& text);
    void renderLog();
    bool entryMatches(const Entry& entry) const;
    void setConnected(bool connected, const QString& status);
    const MessageTypeInfo* currentType() const;

    HubHost& m_host;
    ClientConnection* m_connection = nullptr;
    QList<MessageTypeInfo> m_types;
    QLineEdit* m_url = nullptr;
    QLineEdit* m_token = nullptr;
    QPushButton* m_connect = nullptr;
    QLabel* m_status = nullptr;
    QComboBox* m_dialect = nullptr;
    QComboBox* m_type = nullptr;
    QPlainTextEdit* m_composer = nullptr;
    QLabel* m_validation = nullptr;
    QPushButton* m_send = nullptr;
    QLineEdit* m_filter = nullptr;
    QPlainTextEdit* m_log = nullptr;
    QList<Entry> m_entries;
    bool m_connected = false;
    bool m_urlEdited = false;
    int m_nextId = 1;
};

} // namespace switchboard
