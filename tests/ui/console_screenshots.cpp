// Screenshots of every console dock for the documentation (not a test):
//   QT_QPA_PLATFORM=offscreen build/tests/ui/switchboard-console-screenshots docs/screenshots
//   [seconds] [redis://… to show Overview as a node of a cluster]
// Starts the hub with the demo feed, two clients, an alert rule, a Monte Carlo and a forecast
// job, lets the series fill for `seconds` (default 90), then grabs the window and each dock.

#include "HubHost.h"
#include "LogsPanel.h"
#include "MainWindow.h"
#include "TopicsPanel.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QJsonArray>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QTranslator>
#include <QWebSocket>

using namespace switchboard;
using namespace Qt::StringLiterals;

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"SwitchboardScreenshots"_s);
    QTranslator english; // the plural forms ("2 alerts firing")
    if (english.load(u":/i18n/switchboard_en.qm"_s))
        QApplication::installTranslator(&english);
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : u"docs/screenshots"_s;
    const int seconds = argc > 2 ? QString::fromLocal8Bit(argv[2]).toInt() : 90;
    QDir().mkpath(out);
    QTemporaryDir data;
    HubConfig config;
    config.bindAddress = QHostAddress::LocalHost;
    config.port = 0;
    config.authMode = AuthMode::Off;
    config.demo = true;
    config.demoSeed = 7;
    config.dataDir = data.path();
    if (argc > 3) {
        auto redis = RedisUrl::parseList(QString::fromLocal8Bit(argv[3]));
        if (const QString* problem = std::get_if<QString>(&redis)) {
            qCritical("%s", qPrintable(*problem));
            return 2;
        }
        config.redis = std::get<std::vector<RedisUrl>>(redis);
        config.nodeName = u"console"_s;
    }
    HubHost host(config);
    MainWindow window(host);
    if (auto error = host.start()) {
        qCritical("%s", qPrintable(*error));
        return 1;
    }
    window.resetLayout(); // not the layout a previous run left floating
    window.resize(1500, 920);
    window.show();

    QList<QWebSocket*> clients;
    for (const QString& path : {u"/ws/v1"_s, u"/ws/status"_s, u"/ws"_s}) {
        auto* client = new QWebSocket;
        client->open(QUrl(u"ws://127.0.0.1:%1%2"_s.arg(host.port()).arg(path)));
        QObject::connect(client, &QWebSocket::connected, client, [client] {
            client->sendTextMessage(
                uR"({"type":"subscribe","id":"1","data":{"topics":["trading","jobs","logs"]}})"_s);
        });
        clients.append(client);
    }
    host.setAlertRules(QJsonArray{QJsonObject{{u"id"_s, u"busy-hub"_s},
                                              {u"metric"_s, u"connections"_s},
                                              {u"op"_s, u">="_s},
                                              {u"threshold"_s, 3},
                                              {u"for_seconds"_s, 10},
                                              {u"severity"_s, u"warning"_s},
                                              {u"summary"_s, u"Three or more clients"_s}},
                                  QJsonObject{{u"id"_s, u"cpu-high"_s},
                                              {u"metric"_s, u"cpu"_s},
                                              {u"op"_s, u">"_s},
                                              {u"threshold"_s, 90},
                                              {u"for_seconds"_s, 60},
                                              {u"severity"_s, u"critical"_s}}},
                       {});
    QTimer::singleShot(2000, [&host] {
        host.submitJob(u"monte_carlo"_s, {{u"iterations"_s, 20000}, {u"months"_s, 24}});
        host.submitJob(u"forecast"_s, {{u"months"_s, 24}, {u"scenario"_s, u"optimistic"_s}});
    });
    QTimer::singleShot(seconds * 1000 / 2, [&host] {
        host.submitJob(u"forecast"_s, {{u"months"_s, 12}});
        host.publish(u"orders"_s, u"order_placed"_s,
                     {{u"symbol"_s, u"BTC/USDT"_s}, {u"side"_s, u"buy"_s}, {u"quantity"_s, 0.25}});
    });
    QTimer::singleShot(seconds * 1000, [&] {
        window.grab().save(out + u"/console.png"_s);
        // Floating the docks offscreen makes the platform warn; the log keeps the hub's story.
        if (auto* logs = window.findChild<LogsPanel*>())
            logs->setPaused(true);
        if (auto* topics = window.findChild<TopicsPanel*>())
            topics->selectTopic(u"trading"_s);
        if (auto* connections = window.findChild<QTableView*>(u"connectionsView"_s))
            connections->selectRow(0);
        const QList<QDockWidget*> docks = window.findChildren<QDockWidget*>();
        for (QDockWidget* dock : docks) {
            dock->setFloating(true);
            dock->resize(1000, 680);
            dock->show();
            dock->raise();
        }
        QTimer::singleShot(1500, [&] {
            for (QDockWidget* dock : window.findChildren<QDockWidget*>()) {
                QString name = dock->objectName();
                name.remove(u"PanelDock"_s);
                dock->widget()->grab().save(out + u"/console-"_s + name + u".png"_s);
            }
            qDeleteAll(clients);
            window.close();
            app.quit();
        });
    });
    return app.exec();
}
