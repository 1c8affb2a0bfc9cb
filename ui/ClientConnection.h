#pragma once

// The Client panel's WebSocket, on a thread of its own: the GUI thread touches no socket.
// The panel talks to it only through queued calls and signals.

#include <QObject>
#include <QString>
#include <QUrl>

class QThread;
class QWebSocket;

namespace switchboard {

class ClientConnection : public QObject {
    Q_OBJECT

public:
    // Starts its own thread and lives there.
    ClientConnection();
    // Closes the socket and stops the thread. Call from the thread that created it.
    void shutdown();

    // Queued into the worker thread.
    void open(const QUrl& url, const QString& token);
    void close();
    void send(const QString& text);

signals:
    void connected();
    void disconnected(int closeCode, const QString& reason);
    void failed(const QString& error);
    void received(const QString& text);
    void sent(const QString& text);

private:
    void openHere(const QUrl& url, const QString& token);

    QThread* m_thread = nullptr;
    QWebSocket* m_socket = nullptr; // lives in m_thread
};

} // namespace switchboard
