// The Overview panel shows the hub's identity, uptime and counters from each snapshot, and
// keeps a one-minute sparkline of the message rates.

#include "HubHost.h"
#include "OverviewPanel.h"
#include "Sparkline.h"
#include "UiTesting.h"

#include <QLabel>
#include <QLocale>
#include <QTest>

using namespace switchboard;
using namespace switchboard::testing;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class tst_OverviewPanel : public QObject {
    Q_OBJECT

private:
    static QString value(const OverviewPanel& panel, const QString& name)
    {
        const auto* label = panel.findChild<QLabel*>(name);
        return label ? label->text() : u"<no label %1>"_s.arg(name);
    }

    static HubSnapshot busyHub()
    {
        HubSnapshot snapshot;
        snapshot.startedAt = QDateTime::currentDateTimeUtc().addSecs(-3725);
        snapshot.listenAddress = u"0.0.0.0:8000"_s;
        snapshot.tls = false;
        snapshot.authMode = u"required"_s;
        snapshot.activeConnections = 12345;
        snapshot.topics = 7;
        snapshot.counters.connectionsTotal = 20001;
        snapshot.counters.rejectedConnections = 3;
        snapshot.counters.droppedSlowConsumers = 2;
        snapshot.counters.messagesIn = 1234567;
        snapshot.counters.messagesOut = 98765432;
        snapshot.counters.bytesIn = 1536 * 1024;
        snapshot.counters.bytesOut = 3ull * 1024 * 1024 * 1024;
        snapshot.counters.published = 4321;
        snapshot.messagesInPerSecond = 2.5;
        snapshot.messagesOutPerSecond = 1234.4;
        return snapshot;
    }

private slots:
    void initTestCase() { QVERIFY(useEnglish()); }

    void showsPlaceholdersBeforeTheFirstSnapshot()
    {
        HubHost host{HubConfig{}};
        OverviewPanel panel(host);
        QCOMPARE(value(panel, u"listenAddressValue"_s), u"—"_s);
        QCOMPARE(value(panel, u"activeConnectionsValue"_s), u"—"_s);
    }

    void showsTheNumbers()
    {
        HubHost host{HubConfig{}};
        OverviewPanel panel(host);
        panel.applySnapshot(busyHub());

        QCOMPARE(value(panel, u"listenAddressValue"_s), u"0.0.0.0:8000"_s);
        QCOMPARE(value(panel, u"tlsValue"_s), u"Off (ws://, http://)"_s);
        QCOMPARE(value(panel, u"authModeValue"_s), u"Required"_s);
        QCOMPARE(value(panel, u"uptimeValue"_s), u"1 h 2 min"_s);
        QCOMPARE(value(panel, u"activeConnectionsValue"_s), u"12,345"_s);
        QCOMPARE(value(panel, u"acceptedConnectionsValue"_s), u"20,001"_s);
        QCOMPARE(value(panel, u"rejectedConnectionsValue"_s), u"3"_s);
        QCOMPARE(value(panel, u"droppedConnectionsValue"_s), u"2"_s);
        QCOMPARE(value(panel, u"messagesInValue"_s), u"1,234,567"_s);
        QCOMPARE(value(panel, u"messagesOutValue"_s), u"98,765,432"_s);
        QCOMPARE(value(panel, u"bytesInValue"_s), u"1.5 MiB"_s);
        QCOMPARE(value(panel, u"bytesOutValue"_s), u"3.0 GiB"_s);
        QCOMPARE(value(panel, u"publishedValue"_s), u"4,321"_s);
        QCOMPARE(value(panel, u"topicsValue"_s), u"7"_s);
        QCOMPARE(value(panel, u"rateInValue"_s), u"2.5/s"_s);
        QCOMPARE(value(panel, u"rateOutValue"_s), u"1,234/s"_s);
    }

    void followsLaterSnapshots()
    {
        HubHost host{HubConfig{}};
        OverviewPanel panel(host);
        HubSnapshot snapshot = busyHub();
        panel.applySnapshot(snapshot);
        snapshot.tls = true;
        snapshot.authMode = u"off"_s;
        snapshot.activeConnections = 0;
        panel.applySnapshot(snapshot);

        QCOMPARE(value(panel, u"tlsValue"_s), u"On (wss://, https://)"_s);
        QCOMPARE(value(panel, u"authModeValue"_s), u"Off (no tokens checked)"_s);
        QCOMPARE(value(panel, u"activeConnectionsValue"_s), u"0"_s);
    }

    void sparklinesGetOneSamplePerSnapshot()
    {
        HubHost host{HubConfig{}};
        OverviewPanel panel(host);
        auto* in = panel.findChild<Sparkline*>(u"rateInChart"_s);
        auto* out = panel.findChild<Sparkline*>(u"rateOutChart"_s);
        QVERIFY(in && out);
        HubSnapshot snapshot = busyHub();
        for (double rate : {5.0, 50.0, 20.0}) {
            snapshot.messagesInPerSecond = rate;
            panel.applySnapshot(snapshot);
        }
        QCOMPARE(in->sampleCount(), 3);
        QCOMPARE(in->peak(), 50.0);
        QCOMPARE(out->sampleCount(), 3);
    }

    void sparklineKeepsTheLastMinute()
    {
        Sparkline sparkline;
        const Sparkline::Clock::time_point start{};
        for (auto at : {0s, 30s, 61s, 62s})
            sparkline.addSample(1, start + at);
        // The sample before the window stays so the line reaches the left edge.
        QCOMPARE(sparkline.sampleCount(), 4);
        sparkline.addSample(7, start + 95s);
        QCOMPARE(sparkline.sampleCount(), 4);
        QCOMPARE(sparkline.peak(), 7.0);
    }
};

QTEST_MAIN(tst_OverviewPanel)
#include "tst_overview_panel.moc"
