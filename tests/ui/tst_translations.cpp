// The console ships in English and German: every German message is translated, the English
// catalogue has every plural form, and the embedded German catalogue turns the window German.

#include "ConnectionsPanel.h"
#include "DisplayFormat.h"
#include "HubHost.h"
#include "MainWindow.h"
#include "UiTesting.h"

#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLocale>
#include <QStandardPaths>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

using namespace switchboard;
using namespace switchboard::testing;
using namespace Qt::StringLiterals;

class tst_Translations : public QObject {
    Q_OBJECT

private:
    struct Problem {
        QString source;
        QString why;
    };

    // Every message whose translation is missing, unfinished or obsolete; with
    // `pluralsOnly`, only messages with plural forms must be translated (English: the
    // source text is the translation).
    static QList<Problem> problemsIn(const QString& path, bool pluralsOnly)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {{path, u"cannot be read"_s}};
        QList<Problem> problems;
        QXmlStreamReader xml(&file);
        QString source;
        bool numerus = false;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == u"message") {
                numerus = xml.attributes().value(QLatin1String("numerus")) == u"yes";
            } else if (xml.name() == u"source") {
                source = xml.readElementText();
            } else if (xml.name() == u"translation") {
                const QString type = xml.attributes().value(QLatin1String("type")).toString();
                const bool required = numerus || !pluralsOnly;
                if (type == u"vanished" || type == u"obsolete")
                    problems.append({source, u"is obsolete (run update_translations)"_s});
                else if (required && type == u"unfinished")
                    problems.append({source, u"is unfinished"_s});
                else if (required && !numerus && xml.readElementText().isEmpty())
                    problems.append({source, u"is empty"_s});
            } else if (xml.name() == u"numerusform") {
                if (xml.readElementText().isEmpty())
                    problems.append({source, u"has an empty plural form"_s});
            }
        }
        if (xml.hasError())
            problems.append({path, xml.errorString()});
        return problems;
    }

    static QString describe(const QList<Problem>& problems)
    {
        QStringList lines;
        for (const Problem& problem : problems)
            lines.append(u"\"%1\" %2"_s.arg(problem.source, problem.why));
        return lines.join(u'\n');
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void everyGermanMessageIsTranslated()
    {
        const QList<Problem> problems =
            problemsIn(QStringLiteral(SWITCHBOARD_TRANSLATIONS_DIR "/switchboard_de.ts"), false);
        QVERIFY2(problems.isEmpty(), qPrintable(describe(problems)));
    }

    void everyEnglishPluralIsSpelledOut()
    {
        const QList<Problem> problems =
            problemsIn(QStringLiteral(SWITCHBOARD_TRANSLATIONS_DIR "/switchboard_en.ts"), true);
        QVERIFY2(problems.isEmpty(), qPrintable(describe(problems)));
    }

    void theConsoleSpeaksGerman()
    {
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        QTranslator german;
        QVERIFY(german.load(QLocale(), u"switchboard"_s, u"_"_s, u":/i18n"_s));
        QVERIFY(QCoreApplication::installTranslator(&german));

        HubHost host{HubConfig{}};
        MainWindow window(host);
        QCOMPARE(window.findChild<QDockWidget*>(u"overviewPanelDock"_s)->windowTitle(),
                 u"Übersicht"_s);
        QCOMPARE(window.findChild<QDockWidget*>(u"connectionsPanelDock"_s)->windowTitle(),
                 u"Verbindungen"_s);

        QList<ConnectionInfo> connections;
        for (int i = 0; i < 1234; ++i)
            connections.append(connection(QString::number(i)));
        emit host.snapshotReady(fullSnapshot(connections));
        QCOMPARE(window.findChild<QLabel*>(u"connectionsSummary"_s)->text(),
                 u"1.234 Verbindungen"_s);
        emit host.snapshotReady(fullSnapshot({connection(u"a"_s)}));
        QCOMPARE(window.findChild<QLabel*>(u"connectionsSummary"_s)->text(), u"1 Verbindung"_s);

        const QDateTime now = QDateTime::currentDateTimeUtc();
        QCOMPARE(DisplayFormat::relativeTime(now.addSecs(-300), now), u"vor 5 Min."_s);
        QCOMPARE(DisplayFormat::relativeTime(now.addDays(-3), now), u"vor 3 Tagen"_s);
        QCOMPARE(DisplayFormat::duration(3 * 3600 + 120), u"3 Std. 2 Min."_s);
        QCOMPARE(DisplayFormat::rate(2.5), u"2,5/s"_s);
        QCOMPARE(DisplayFormat::exactBytes(1536), u"1.536 Bytes"_s);

        QCoreApplication::removeTranslator(&german);
    }
};

QTEST_MAIN(tst_Translations)
#include "tst_translations.moc"
