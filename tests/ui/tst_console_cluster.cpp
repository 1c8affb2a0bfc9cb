// The console in a cluster, against a real redis-server and real hubs: Settings refuses a bad
// Redis URL or node name next to the field and keeps the hub as it was; the settings file keeps
// the Redis URLs (passwords and commas included) and the node name; applying a Redis URL joins
// the cluster, and Overview lists every node and shows Redis connected, then unreachable (red)
// when it stops, then connected again.

#include "HubHost.h"
#include "OverviewPanel.h"
#include "RedisProcess.h"
#include "SettingsFile.h"
#include "SettingsPanel.h"
#include "UiTesting.h"

#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace switchboard;
using namespace switchboard::testing;
using switchboard::test::RedisProcess;
using namespace Qt::StringLiterals;

class tst_ConsoleCluster : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dataDir;

    HubConfig config(const QString& dataSubdir) const
    {
        HubConfig config;
        config.bindAddress = QHostAddress::LocalHost;
        config.port = 0;
        config.authMode = AuthMode::Off;
        config.jwtSecret = "console-cluster-test-secret-0123456789abcdef";
        config.dataDir = m_dataDir.filePath(dataSubdir);
        config.metricsInterval = std::chrono::milliseconds(100);
        return config;
    }

    static void start(HubHost& host)
    {
        const std::optional<QString> error = host.start();
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
    }

    static QString text(const QWidget& panel, const QString& name)
    {
        const auto* label = panel.findChild<QLabel*>(name);
        return label ? label->text() : u"<no label %1>"_s.arg(name);
    }

    static QStringList nodeNames(const OverviewPanel& panel)
    {
        QStringList names;
        const auto* table = panel.findChild<QTableWidget*>(u"clusterNodes"_s);
        for (int row = 0; table && row < table->rowCount(); ++row)
            names.append(table->item(row, 0) ? table->item(row, 0)->text() : QString());
        names.sort();
        return names;
    }

    // What went wrong, if anything (QVERIFY2 evaluates its message either way).
    template <typename Value> static QString problem(const std::variant<Value, QString>& result)
    {
        const QString* text = std::get_if<QString>(&result);
        return text ? *text : QString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(useEnglish());
        QVERIFY(m_dataDir.isValid());
        QVERIFY2(!RedisProcess::program().isEmpty(),
                 "redis-server is not installed (scripts/install-deps.sh installs it)");
    }

    void settingsRefuseABadRedisUrlOrNodeName()
    {
        HubHost host(config(u"refuse"_s));
        SettingsPanel panel(host);
        start(host);
        const quint16 port = host.port();
        auto* redis = panel.findChild<QLineEdit*>(u"setting_redis"_s);
        auto* nodeName = panel.findChild<QLineEdit*>(u"setting_nodeName"_s);
        QVERIFY(redis && nodeName);
        QCOMPARE(redis->text(), QString());

        for (const QString& bad : {u"http://127.0.0.1:6379"_s, u"redis://"_s,
                                   u"redis://127.0.0.1:6379, redis://127.0.0.1:6379"_s}) {
            redis->setText(bad);
            QVERIFY(!panel.apply());
            QVERIFY2(!panel.errorFor(u"redis"_s).isEmpty(), qPrintable(bad));
            QVERIFY(!panel.findChild<QLabel*>(u"redisError"_s)->isHidden());
        }
        QCOMPARE(panel.errorFor(u"redis"_s), u"127.0.0.1:6379 is named twice"_s);
        redis->clear();

        nodeName->setText(u"node one"_s);
        QVERIFY(!panel.apply());
        QCOMPARE(panel.errorFor(u"nodeName"_s),
                 u"\"node one\" is not a node name (1 to 100 printable characters, no spaces)"_s);
        QVERIFY(panel.errorFor(u"redis"_s).isEmpty());
        // Nothing was applied: the hub runs on as before, on its own.
        QVERIFY(host.isRunning());
        QCOMPARE(host.port(), port);
    }

    void theSettingsFileKeepsTheRedisUrlsAndTheNodeName()
    {
        HubConfig written = config(u"file"_s);
        auto urls =
            RedisUrl::parseList(u"redis://:p%40ss%2Cword@10.0.0.1:6380/2, redis://10.0.0.2"_s);
        QVERIFY2(!std::holds_alternative<QString>(urls), qPrintable(problem(urls)));
        written.redis = std::get<std::vector<RedisUrl>>(urls);
        QCOMPARE(written.redis.size(), 2u);
        QCOMPARE(written.redis[0].password, u"p@ss,word"_s);
        written.nodeName = u"console-a"_s;

        const QString path = m_dataDir.filePath(u"switchboard.conf"_s);
        const std::optional<QString> error = SettingsFile::write(written, path);
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
        const auto read = SettingsFile::read(path, config(u"file"_s));
        QVERIFY2(!std::holds_alternative<QString>(read), qPrintable(problem(read)));
        const HubConfig& back = std::get<HubConfig>(read);
        QCOMPARE(back.nodeName, u"console-a"_s);
        QVERIFY(back.redis == written.redis);

        // A hub on its own writes no Redis, and reading it back keeps none.
        const QString alone = m_dataDir.filePath(u"alone.conf"_s);
        QVERIFY(!SettingsFile::write(config(u"file"_s), alone));
        const auto aloneBack = SettingsFile::read(alone, config(u"file"_s));
        QVERIFY(std::holds_alternative<HubConfig>(aloneBack));
        QVERIFY(std::get<HubConfig>(aloneBack).redis.empty());
    }

    void applyingARedisUrlJoinsTheClusterAndOverviewShowsIt()
    {
        RedisProcess redis;
        QVERIFY2(redis.start(), redis.log().constData());

        HubHost host(config(u"a"_s));
        SettingsPanel settings(host);
        OverviewPanel overview(host);
        start(host);
        QCOMPARE(text(overview, u"clusterStateValue"_s), u"This hub on its own (no Redis)"_s);
        QVERIFY(overview.findChild<QTableWidget*>(u"clusterNodes"_s)->isHidden());

        QSignalSpy applied(&settings, &SettingsPanel::applyFinished);
        settings.findChild<QLineEdit*>(u"setting_redis"_s)->setText(redis.url());
        settings.findChild<QLineEdit*>(u"setting_nodeName"_s)->setText(u"console-a"_s);
        QVERIFY(settings.apply());
        QVERIFY(applied.wait(20000));
        QCOMPARE(applied.takeFirst().at(0).toBool(), true);
        QCOMPARE(host.config().nodeName, u"console-a"_s);

        HubConfig second = config(u"b"_s);
        second.redis = std::get<std::vector<RedisUrl>>(RedisUrl::parseList(redis.url()));
        second.nodeName = u"console-b"_s;
        HubHost other(second);
        start(other);

        QTRY_COMPARE_WITH_TIMEOUT(nodeNames(overview),
                                  QStringList({u"console-a (this node)"_s, u"console-b"_s}), 15000);
        QVERIFY(
            text(overview, u"clusterStateValue"_s).startsWith(u"2 nodes; connections in all: "_s));
        const QString shard = u"127.0.0.1:%1"_s.arg(redis.port());
        QTRY_COMPARE(text(overview, u"redisStateValue"_s), shard + u": connected"_s);
        QVERIFY(overview.findChild<QLabel*>(u"redisStateValue"_s)->styleSheet().isEmpty());

        // Redis stops: the node says so, in red, and serves its own clients meanwhile.
        redis.stop();
        QTRY_VERIFY_WITH_TIMEOUT(
            text(overview, u"redisStateValue"_s).startsWith(shard + u": unreachable"_s), 15000);
        QVERIFY(!overview.findChild<QLabel*>(u"redisStateValue"_s)->styleSheet().isEmpty());
        QVERIFY(host.isRunning());

        // Back on the same port: healed without the operator doing anything.
        QVERIFY2(redis.start(), redis.log().constData());
        QTRY_COMPARE_WITH_TIMEOUT(text(overview, u"redisStateValue"_s), shard + u": connected"_s,
                                  30000);
        QVERIFY(overview.findChild<QLabel*>(u"redisStateValue"_s)->styleSheet().isEmpty());
    }
};

QTEST_MAIN(tst_ConsoleCluster)
#include "tst_console_cluster.moc"
