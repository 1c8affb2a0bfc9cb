<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Console</name>
    <message>
        <source>Switchboard</source>
        <translation>Switchboard</translation>
    </message>
    <message>
        <source>The Switchboard desktop console with its built-in hub.</source>
        <translation>Die Switchboard-Desktopkonsole mit eingebautem Hub.</translation>
    </message>
    <message>
        <source>The hub could not start: %1</source>
        <translation>Der Hub konnte nicht gestartet werden: %1</translation>
    </message>
</context>
<context>
    <name>SettingsFile</name>
    <message>
        <source>%1 could not be written.</source>
        <translation>%1 konnte nicht geschrieben werden.</translation>
    </message>
    <message>
        <source>%1 cannot be read.</source>
        <translation>%1 kann nicht gelesen werden.</translation>
    </message>
</context>
<context>
    <name>TableExport</name>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <source>Save the rows shown as a CSV file</source>
        <translation>Die angezeigten Zeilen als CSV-Datei speichern</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSV exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
</context>
<context>
    <name>switchboard::AlertsPanel</name>
    <message>
        <source>&amp;Acknowledge</source>
        <translation>&amp;Bestätigen</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <source>Fired</source>
        <translation>Ausgelöst</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>Bestätigt</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Series</source>
        <translation>Messreihe</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>Op</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>Schwelle</translation>
    </message>
    <message>
        <source>For (s)</source>
        <translation>Dauer (s)</translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation>Webhook</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>Series: connections, messages_in, messages_out, slow_consumer_drops, job_failures, cpu, memory, disk, equity, … Op: &gt; &gt;= &lt; &lt;= == !=. Severity: info, warning, critical.</source>
        <translation>Messreihe: connections, messages_in, messages_out, slow_consumer_drops, job_failures, cpu, memory, disk, equity, … Op: &gt; &gt;= &lt; &lt;= == !=. Schweregrad: info, warning, critical.</translation>
    </message>
    <message>
        <source>A&amp;dd rule</source>
        <translation>Regel &amp;hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Remove rule</source>
        <translation>Regel &amp;entfernen</translation>
    </message>
    <message>
        <source>&amp;Save rules</source>
        <translation>Regeln &amp;speichern</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>&amp;Verwerfen</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>Regeln</translation>
    </message>
    <message>
        <source>firing</source>
        <translation>ausgelöst</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>behoben</translation>
    </message>
    <message numerus="yes">
        <source>%n alert(s) firing</source>
        <translation>
            <numerusform>%n Alarm ausgelöst</numerusform>
            <numerusform>%n Alarme ausgelöst</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n in the history</source>
        <translation>
            <numerusform>%n im Verlauf</numerusform>
            <numerusform>%n im Verlauf</numerusform>
        </translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Nicht gespeichert: %1</translation>
    </message>
</context>
<context>
    <name>switchboard::ClientConnection</name>
    <message>
        <source>Not connected.</source>
        <translation>Nicht verbunden.</translation>
    </message>
</context>
<context>
    <name>switchboard::ClientPanel</name>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>S&amp;end</source>
        <translation>&amp;Senden</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>JWT (optional when the hub allows anonymous clients)</source>
        <translation>JWT (optional, wenn der Hub anonyme Clients zulässt)</translation>
    </message>
    <message>
        <source>Filter messages</source>
        <translation>Nachrichten filtern</translation>
    </message>
    <message>
        <source>URL:</source>
        <translation>URL:</translation>
    </message>
    <message>
        <source>Token:</source>
        <translation>Token:</translation>
    </message>
    <message>
        <source>Template:</source>
        <translation>Vorlage:</translation>
    </message>
    <message>
        <source>Connected.</source>
        <translation>Verbunden.</translation>
    </message>
    <message>
        <source>Disconnected (close code %1).</source>
        <translation>Getrennt (Close-Code %1).</translation>
    </message>
    <message>
        <source>Disconnected (close code %1: %2).</source>
        <translation>Getrennt (Close-Code %1: %2).</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation>Nicht verbunden.</translation>
    </message>
    <message>
        <source>Enter a ws:// or wss:// URL.</source>
        <translation>Geben Sie eine ws://- oder wss://-URL ein.</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinde …</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Trennen</translation>
    </message>
    <message>
        <source>Not valid JSON: %1 (at character %2).</source>
        <translation>Kein gültiges JSON: %1 (bei Zeichen %2).</translation>
    </message>
    <message>
        <source>A message is a JSON object.</source>
        <translation>Eine Nachricht ist ein JSON-Objekt.</translation>
    </message>
    <message>
        <source>&quot;type&quot; must be a string.</source>
        <translation>„type“ muss ein String sein.</translation>
    </message>
    <message>
        <source>The %1 dialect has no message type &quot;%2&quot;.</source>
        <translation>Der Dialekt %1 kennt den Nachrichtentyp „%2“ nicht.</translation>
    </message>
    <message>
        <source>&quot;data&quot; must be an object.</source>
        <translation>„data“ muss ein Objekt sein.</translation>
    </message>
    <message>
        <source>&quot;id&quot; must be a string.</source>
        <translation>„id“ muss ein String sein.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is required.</source>
        <translation>„%1“ ist erforderlich.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; must be of type %2.</source>
        <translation>„%1“ muss vom Typ %2 sein.</translation>
    </message>
    <message>
        <source>Connect first.</source>
        <translation>Zuerst verbinden.</translation>
    </message>
</context>
<context>
    <name>switchboard::ConnectionDetail</name>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Trennen</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Dialect and endpoint</source>
        <translation>Dialekt und Endpunkt</translation>
    </message>
    <message>
        <source>Remote address</source>
        <translation>Remote-Adresse</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <source>Token expires</source>
        <translation>Token läuft ab</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>Topics</source>
        <translation>Themen</translation>
    </message>
    <message>
        <source>Outbound queue</source>
        <translation>Ausgangswarteschlange</translation>
    </message>
    <message>
        <source>Close this connection (close code 1008)</source>
        <translation>Diese Verbindung schließen (Close-Code 1008)</translation>
    </message>
    <message>
        <source>Select a connection to see it in detail.</source>
        <translation>Wählen Sie eine Verbindung, um sie im Detail zu sehen.</translation>
    </message>
    <message>
        <source>Connection %1 closed</source>
        <translation>Verbindung %1 geschlossen</translation>
    </message>
    <message>
        <source>%1 in, %2 out (%3/s in, %4/s out)</source>
        <translation>%1 ein, %2 aus (%3/s ein, %4/s aus)</translation>
    </message>
    <message>
        <source>%1 in, %2 out</source>
        <translation>%1 ein, %2 aus</translation>
    </message>
    <message>
        <source>Connection %1</source>
        <translation>Verbindung %1</translation>
    </message>
    <message>
        <source>anonymous</source>
        <translation>anonym</translation>
    </message>
    <message>
        <source>no token</source>
        <translation>kein Token</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>%1 of %2 (%3 %)</source>
        <translation>%1 von %2 (%3 %)</translation>
    </message>
</context>
<context>
    <name>switchboard::ConnectionsModel</name>
    <message>
        <source>anonymous</source>
        <translation>anonym</translation>
    </message>
    <message>
        <source>No subscriptions</source>
        <translation>Keine Abonnements</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <source>Remote address</source>
        <translation>Remote-Adresse</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Seit</translation>
    </message>
    <message>
        <source>Msgs in</source>
        <translation>Nachr. ein</translation>
    </message>
    <message>
        <source>Msgs out</source>
        <translation>Nachr. aus</translation>
    </message>
    <message>
        <source>Bytes in</source>
        <translation>Bytes ein</translation>
    </message>
    <message>
        <source>Bytes out</source>
        <translation>Bytes aus</translation>
    </message>
    <message>
        <source>Topics</source>
        <translation>Themen</translation>
    </message>
    <message>
        <source>Waiting to be sent; the connection is closed (1013) past %1</source>
        <translation>Wartet auf das Senden; über %1 wird die Verbindung geschlossen (1013)</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Warteschlange</translation>
    </message>
</context>
<context>
    <name>switchboard::ConnectionsPanel</name>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Trennen</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>Filter by user, tenant, address, topic…</source>
        <translation>Nach Benutzer, Mandant, Adresse, Thema filtern…</translation>
    </message>
    <message>
        <source>Close the selected connections (close code 1008)</source>
        <translation>Ausgewählte Verbindungen schließen (Close-Code 1008)</translation>
    </message>
    <message numerus="yes">
        <source>%Ln connection(s)</source>
        <translation>
            <numerusform>%Ln Verbindung</numerusform>
            <numerusform>%Ln Verbindungen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 shown</source>
        <translation>%1 von %2 angezeigt</translation>
    </message>
    <message>
        <source>Slowest first</source>
        <translation>Langsamste zuerst</translation>
    </message>
    <message>
        <source>Sort by outbound queue: the consumers furthest behind at the top</source>
        <translation>Nach Ausgangswarteschlange sortieren: die am weitesten zurückliegenden Empfänger oben</translation>
    </message>
</context>
<context>
    <name>switchboard::DisplayFormat</name>
    <message>
        <source>%1 bytes</source>
        <translation>%1 Bytes</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 T. %2 Std.</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 Std. %2 Min.</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 Min. %2 s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>gerade eben</translation>
    </message>
    <message>
        <source>%1 s ago</source>
        <translation>vor %1 s</translation>
    </message>
    <message>
        <source>%1 min ago</source>
        <translation>vor %1 Min.</translation>
    </message>
    <message>
        <source>%1 h ago</source>
        <translation>vor %1 Std.</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>vor %n Tag</numerusform>
            <numerusform>vor %n Tagen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>switchboard::HistoryChart</name>
    <message>
        <source>15 min</source>
        <translation>15 Min.</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 Stunde</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24 Stunden</translation>
    </message>
    <message>
        <source>Time range: the hub keeps 15 minutes at 1 s and 24 hours at 10 s</source>
        <translation>Zeitraum: Der Hub hält 15 Minuten in 1 s und 24 Stunden in 10 s vor</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Hold the chart still; it catches up when resumed</source>
        <translation>Das Diagramm anhalten; beim Fortsetzen holt es auf</translation>
    </message>
    <message>
        <source>PNG…</source>
        <translation>PNG…</translation>
    </message>
    <message>
        <source>Save the chart as a PNG image</source>
        <translation>Das Diagramm als PNG-Bild speichern</translation>
    </message>
    <message>
        <source>Save chart</source>
        <translation>Diagramm speichern</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
</context>
<context>
    <name>switchboard::HubStatusBar</name>
    <message>
        <source>Starting the hub…</source>
        <translation>Hub wird gestartet…</translation>
    </message>
    <message>
        <source>Dismiss this error</source>
        <translation>Diese Fehlermeldung ausblenden</translation>
    </message>
    <message>
        <source>Listening on %1://%2</source>
        <translation>Erreichbar unter %1://%2</translation>
    </message>
</context>
<context>
    <name>switchboard::JobsModel</name>
    <message>
        <source>Queued</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>Unterbrochen</translation>
    </message>
    <message>
        <source>Forecast</source>
        <translation>Prognose</translation>
    </message>
    <message>
        <source>Monte Carlo</source>
        <translation>Monte Carlo</translation>
    </message>
    <message>
        <source>Entity validation</source>
        <translation>Entitätsprüfung</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Bericht</translation>
    </message>
    <message>
        <source>AI analysis</source>
        <translation>KI-Analyse</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Job</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
</context>
<context>
    <name>switchboard::JobsPanel</name>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>&amp;Submit…</source>
        <translation>&amp;Starten …</translation>
    </message>
    <message>
        <source>&amp;Cancel job</source>
        <translation>Job a&amp;bbrechen</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Jobs</translation>
    </message>
    <message>
        <source>Select a job to see its parameters and result.</source>
        <translation>Wählen Sie einen Job, um seine Parameter und sein Ergebnis zu sehen.</translation>
    </message>
    <message>
        <source>The hub refused the job: %1</source>
        <translation>Der Hub hat den Job abgelehnt: %1</translation>
    </message>
    <message>
        <source>Job %1 submitted.</source>
        <translation>Job %1 gestartet.</translation>
    </message>
    <message>
        <source>Could not cancel the job: %1</source>
        <translation>Der Job konnte nicht abgebrochen werden: %1</translation>
    </message>
    <message>
        <source>Cancelling the job…</source>
        <translation>Der Job wird abgebrochen …</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Open the report</source>
        <translation>Bericht öffnen</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
</context>
<context>
    <name>switchboard::LogModel</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Module</source>
        <translation>Modul</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
</context>
<context>
    <name>switchboard::LogsPanel</name>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>Alle Stufen</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Warnungen und Fehler</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Nur Fehler</translation>
    </message>
    <message>
        <source>Search module or message</source>
        <translation>Modul oder Meldung suchen</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>&amp;Leeren</translation>
    </message>
    <message numerus="yes">
        <source>%Ln line(s) shown</source>
        <translation>
            <numerusform>%Ln Zeile angezeigt</numerusform>
            <numerusform>%Ln Zeilen angezeigt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln new line(s) held while paused</source>
        <translation>
            <numerusform>%Ln neue Zeile während der Pause zurückgehalten</numerusform>
            <numerusform>%Ln neue Zeilen während der Pause zurückgehalten</numerusform>
        </translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Thema</translation>
    </message>
</context>
<context>
    <name>switchboard::MainWindow</name>
    <message>
        <source>Switchboard</source>
        <translation>Switchboard</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Switchboard</source>
        <translation>Ü&amp;ber Switchboard</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>About Switchboard</source>
        <translation>Über Switchboard</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Switchboard %1&lt;/h3&gt;&lt;p&gt;A monitoring console with a built-in WebSocket and HTTP hub.&lt;/p&gt;&lt;p&gt;Built with Qt %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Switchboard %1&lt;/h3&gt;&lt;p&gt;Eine Überwachungskonsole mit eingebautem WebSocket- und HTTP-Hub.&lt;/p&gt;&lt;p&gt;Erstellt mit Qt %2.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation>Anordnung &amp;zurücksetzen</translation>
    </message>
</context>
<context>
    <name>switchboard::OverviewPanel</name>
    <message>
        <source>Required</source>
        <translation>Erforderlich</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>Optional</translation>
    </message>
    <message>
        <source>Off (no tokens checked)</source>
        <translation>Aus (keine Token-Prüfung)</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Hub</source>
        <translation>Hub</translation>
    </message>
    <message>
        <source>Listening on</source>
        <translation>Erreichbar unter</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>Authentication</source>
        <translation>Authentifizierung</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Laufzeit</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Accepted since start</source>
        <translation>Angenommen seit Start</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Abgewiesen</translation>
    </message>
    <message>
        <source>Dropped (slow readers)</source>
        <translation>Getrennt (zu langsame Clients)</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>Datenverkehr</translation>
    </message>
    <message>
        <source>Messages in</source>
        <translation>Nachrichten eingehend</translation>
    </message>
    <message>
        <source>Messages out</source>
        <translation>Nachrichten ausgehend</translation>
    </message>
    <message>
        <source>Bytes in</source>
        <translation>Bytes eingehend</translation>
    </message>
    <message>
        <source>Bytes out</source>
        <translation>Bytes ausgehend</translation>
    </message>
    <message>
        <source>Events published</source>
        <translation>Veröffentlichte Ereignisse</translation>
    </message>
    <message>
        <source>Topics</source>
        <translation>Themen</translation>
    </message>
    <message>
        <source>Message rate, last minute</source>
        <translation>Nachrichtenrate, letzte Minute</translation>
    </message>
    <message>
        <source>In</source>
        <translation>Eingehend</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>Ausgehend</translation>
    </message>
    <message>
        <source>Messages per second over the last minute</source>
        <translation>Nachrichten pro Sekunde in der letzten Minute</translation>
    </message>
    <message>
        <source>On (wss://, https://)</source>
        <translation>Ein (wss://, https://)</translation>
    </message>
    <message>
        <source>Off (ws://, http://)</source>
        <translation>Aus (ws://, http://)</translation>
    </message>
    <message>
        <source>Started %1</source>
        <translation>Gestartet: %1</translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>This hub on its own (no Redis)</source>
        <translation>Dieser Hub allein (kein Redis)</translation>
    </message>
    <message>
        <source>Redis</source>
        <translation>Redis</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>In/s</source>
        <translation>Ein/s</translation>
    </message>
    <message>
        <source>Out/s</source>
        <translation>Aus/s</translation>
    </message>
    <message>
        <source>Up for</source>
        <translation>Läuft seit</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Zuletzt gesehen</translation>
    </message>
    <message>
        <source>This node: %1</source>
        <translation>Dieser Knoten: %1</translation>
    </message>
    <message>
        <source>%1: connected</source>
        <translation>%1: verbunden</translation>
    </message>
    <message>
        <source>%1: unreachable (%2); this node serves its own clients alone meanwhile</source>
        <translation>%1: nicht erreichbar (%2); dieser Knoten bedient seine eigenen Clients so lange allein</translation>
    </message>
    <message>
        <source>%1 (this node)</source>
        <translation>%1 (dieser Knoten)</translation>
    </message>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <source>%1; connections in all: %2</source>
        <translation>%1; Verbindungen insgesamt: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n node(s)</source>
        <translation>
            <numerusform>%n Knoten</numerusform>
            <numerusform>%n Knoten</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>switchboard::RoomsPanel</name>
    <message>
        <source>Rooms &amp;&amp; presence</source>
        <translation>Räume &amp;&amp; Anwesenheit</translation>
    </message>
    <message>
        <source>Room / member</source>
        <translation>Raum / Mitglied</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Cursor</source>
        <translation>Cursor</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Zuletzt gesehen</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Raum</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>joined</source>
        <translation>beigetreten</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%Ln member(s))</source>
        <translation>
            <numerusform>%1 (%Ln Mitglied)</numerusform>
            <numerusform>%1 (%Ln Mitglieder)</numerusform>
        </translation>
    </message>
    <message>
        <source>No client is in a room.</source>
        <translation>Kein Client ist in einem Raum.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln room(s) in use</source>
        <translation>
            <numerusform>%Ln Raum belegt</numerusform>
            <numerusform>%Ln Räume belegt</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>switchboard::SettingsPanel</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Required: every client needs a token</source>
        <translation>Erforderlich: jeder Client braucht ein Token</translation>
    </message>
    <message>
        <source>Optional: anonymous clients may read public feeds</source>
        <translation>Optional: anonyme Clients dürfen öffentliche Feeds lesen</translation>
    </message>
    <message>
        <source>Off: no authentication</source>
        <translation>Aus: keine Anmeldung</translation>
    </message>
    <message>
        <source> KiB</source>
        <translation> KiB</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>&lt;data folder&gt;/entities</source>
        <translation>&lt;Datenordner&gt;/entities</translation>
    </message>
    <message>
        <source>&lt;b&gt;Hub&lt;/b&gt;</source>
        <translation>&lt;b&gt;Hub&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Listen address:</source>
        <translation>Adresse:</translation>
    </message>
    <message>
        <source>0.0.0.0 for every interface, 127.0.0.1 for this computer only.</source>
        <translation>0.0.0.0 für alle Schnittstellen, 127.0.0.1 nur für diesen Rechner.</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <source>1–65535; 0 picks a free port.</source>
        <translation>1–65535; 0 wählt einen freien Port.</translation>
    </message>
    <message>
        <source>Authentication:</source>
        <translation>Anmeldung:</translation>
    </message>
    <message>
        <source>Max connections:</source>
        <translation>Max. Verbindungen:</translation>
    </message>
    <message>
        <source>Max message size:</source>
        <translation>Max. Nachrichtengröße:</translation>
    </message>
    <message>
        <source>Jobs at once:</source>
        <translation>Gleichzeitige Jobs:</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen …</translation>
    </message>
    <message>
        <source>Entities folder:</source>
        <translation>Entitätenordner:</translation>
    </message>
    <message>
        <source>&lt;b&gt;Console&lt;/b&gt;</source>
        <translation>&lt;b&gt;Konsole&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Sprache:</translation>
    </message>
    <message>
        <source>Takes effect the next time the console starts.</source>
        <translation>Gilt ab dem nächsten Start der Konsole.</translation>
    </message>
    <message>
        <source>&amp;Apply and restart the hub</source>
        <translation>&amp;Übernehmen und Hub neu starten</translation>
    </message>
    <message>
        <source>&amp;Revert</source>
        <translation>&amp;Zurücksetzen</translation>
    </message>
    <message>
        <source>Entities folder</source>
        <translation>Entitätenordner</translation>
    </message>
    <message>
        <source>Not an IP address (for example 0.0.0.0 or 127.0.0.1).</source>
        <translation>Keine IP-Adresse (zum Beispiel 0.0.0.0 oder 127.0.0.1).</translation>
    </message>
    <message>
        <source>Enter a whole number from 0 to 65535.</source>
        <translation>Geben Sie eine ganze Zahl von 0 bis 65535 ein.</translation>
    </message>
    <message>
        <source>This folder does not exist.</source>
        <translation>Dieser Ordner existiert nicht.</translation>
    </message>
    <message>
        <source>Some settings are not valid; see the notes next to them.</source>
        <translation>Einige Einstellungen sind ungültig; siehe die Hinweise daneben.</translation>
    </message>
    <message>
        <source>Restarting the hub…</source>
        <translation>Der Hub wird neu gestartet …</translation>
    </message>
    <message>
        <source>The hub could not start with these settings: %1</source>
        <translation>Der Hub konnte mit diesen Einstellungen nicht starten: %1</translation>
    </message>
    <message>
        <source>The hub restarted and listens on port %1.</source>
        <translation>Der Hub wurde neu gestartet und lauscht auf Port %1.</translation>
    </message>
    <message>
        <source>none: plain ws:// and http://</source>
        <translation>keins: unverschlüsselt ws:// und http://</translation>
    </message>
    <message>
        <source>TLS certificate:</source>
        <translation>TLS-Zertifikat:</translation>
    </message>
    <message>
        <source>TLS certificate (PEM)</source>
        <translation>TLS-Zertifikat (PEM)</translation>
    </message>
    <message>
        <source>With a certificate and its key the hub serves wss:// and https://.</source>
        <translation>Mit Zertifikat und Schlüssel bedient der Hub wss:// und https://.</translation>
    </message>
    <message>
        <source>TLS key:</source>
        <translation>TLS-Schlüssel:</translation>
    </message>
    <message>
        <source>TLS private key (PEM)</source>
        <translation>Privater TLS-Schlüssel (PEM)</translation>
    </message>
    <message>
        <source>This file does not exist.</source>
        <translation>Diese Datei existiert nicht.</translation>
    </message>
    <message>
        <source>This file cannot be read.</source>
        <translation>Diese Datei kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>A key needs its certificate.</source>
        <translation>Ein Schlüssel braucht sein Zertifikat.</translation>
    </message>
    <message>
        <source>A certificate needs its key.</source>
        <translation>Ein Zertifikat braucht seinen Schlüssel.</translation>
    </message>
    <message>
        <source>Rotate token secret…</source>
        <translation>Token-Geheimnis erneuern…</translation>
    </message>
    <message>
        <source>Token secret:</source>
        <translation>Token-Geheimnis:</translation>
    </message>
    <message>
        <source>Signs and verifies the hub&apos;s tokens; kept in the system&apos;s keychain. A new one makes every earlier token invalid.</source>
        <translation>Signiert und prüft die Tokens des Hubs; liegt im Schlüsselbund des Systems. Ein neues macht jedes frühere Token ungültig.</translation>
    </message>
    <message>
        <source>Tokens are verified with an RS256 public key (--jwt-public-key); the console holds no secret to rotate.</source>
        <translation>Tokens werden mit einem öffentlichen RS256-Schlüssel geprüft (--jwt-public-key); die Konsole hat kein Geheimnis, das sie erneuern könnte.</translation>
    </message>
    <message>
        <source>Authentication is off, so no token secret is in use.</source>
        <translation>Die Authentifizierung ist aus, also wird kein Token-Geheimnis verwendet.</translation>
    </message>
    <message>
        <source>The secret comes from JWT_SECRET_KEY, which overrides the keychain: change it there and restart.</source>
        <translation>Das Geheimnis kommt aus JWT_SECRET_KEY, das Vorrang vor dem Schlüsselbund hat: dort ändern und neu starten.</translation>
    </message>
    <message>
        <source>No keychain can be reached to keep a new secret.</source>
        <translation>Kein Schlüsselbund erreichbar, der ein neues Geheimnis aufbewahren könnte.</translation>
    </message>
    <message>
        <source>Rotate token secret</source>
        <translation>Token-Geheimnis erneuern</translation>
    </message>
    <message>
        <source>Replace the token secret with a new one?</source>
        <translation>Das Token-Geheimnis durch ein neues ersetzen?</translation>
    </message>
    <message>
        <source>Every token issued so far stops working, including tokens given to other people and services. The hub restarts: connected clients are disconnected, and those signed with the old secret need new tokens to connect again.</source>
        <translation>Jedes bisher ausgestellte Token wird ungültig, auch Tokens, die an andere Personen und Dienste weitergegeben wurden. Der Hub startet neu: Verbundene Clients werden getrennt, und wessen Token mit dem alten Geheimnis signiert ist, braucht ein neues, um sich wieder zu verbinden.</translation>
    </message>
    <message>
        <source>Rotate secret</source>
        <translation>Geheimnis erneuern</translation>
    </message>
    <message>
        <source>Not rotated: the keychain did not take the new secret (%1). Every token keeps working.</source>
        <translation>Nicht erneuert: Der Schlüsselbund hat das neue Geheimnis nicht angenommen (%1). Alle Tokens bleiben gültig.</translation>
    </message>
    <message>
        <source>Rotated at %1: tokens issued before then are refused, and clients that were connected need new tokens (see Tokens).</source>
        <translation>Um %1 erneuert: Vorher ausgestellte Tokens werden abgelehnt, und Clients, die verbunden waren, brauchen neue Tokens (siehe Tokens).</translation>
    </message>
    <message>
        <source>Not rotated: the hub could not restart with the new secret (%1) and still uses the old one, but the keychain kept the new one (%2): tokens issued now stop working at the next start.</source>
        <translation>Nicht erneuert: Der Hub konnte mit dem neuen Geheimnis nicht neu starten (%1) und verwendet weiter das alte, aber der Schlüsselbund behielt das neue (%2): Jetzt ausgestellte Tokens werden beim nächsten Start ungültig.</translation>
    </message>
    <message>
        <source>Not rotated: the hub could not restart with the new secret (%1). The old secret is still in use and back in the keychain.</source>
        <translation>Nicht erneuert: Der Hub konnte mit dem neuen Geheimnis nicht neu starten (%1). Das alte Geheimnis ist weiter in Gebrauch und wieder im Schlüsselbund.</translation>
    </message>
    <message>
        <source>Storing a new secret in the keychain (the system may ask you to unlock it), then restarting the hub with it…</source>
        <translation>Ein neues Geheimnis wird im Schlüsselbund gespeichert (das System fragt eventuell nach dem Passwort zum Entsperren), dann startet der Hub damit neu…</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>E&amp;xportieren…</translation>
    </message>
    <message>
        <source>Save these settings as a file --config reads</source>
        <translation>Diese Einstellungen als Datei speichern, die --config liest</translation>
    </message>
    <message>
        <source>Export settings</source>
        <translation>Einstellungen exportieren</translation>
    </message>
    <message>
        <source>Settings (*.conf *.ini)</source>
        <translation>Einstellungen (*.conf *.ini)</translation>
    </message>
    <message>
        <source>I&amp;mport…</source>
        <translation>I&amp;mportieren…</translation>
    </message>
    <message>
        <source>Fill the form from a settings file</source>
        <translation>Das Formular aus einer Einstellungsdatei füllen</translation>
    </message>
    <message>
        <source>Import settings</source>
        <translation>Einstellungen importieren</translation>
    </message>
    <message>
        <source>Settings written to %1.</source>
        <translation>Einstellungen nach %1 geschrieben.</translation>
    </message>
    <message>
        <source>Not imported: %1</source>
        <translation>Nicht importiert: %1</translation>
    </message>
    <message>
        <source>Settings read from %1; Apply restarts the hub with them.</source>
        <translation>Einstellungen aus %1 gelesen; Übernehmen startet den Hub damit neu.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Cluster&lt;/b&gt;</source>
        <translation>&lt;b&gt;Cluster&lt;/b&gt;</translation>
    </message>
    <message>
        <source>none: this hub on its own</source>
        <translation>keins: dieser Hub allein</translation>
    </message>
    <message>
        <source>Redis:</source>
        <translation>Redis:</translation>
    </message>
    <message>
        <source>redis://[user:password@]host[:port][/db]. Hubs given the same Redis act as one: events, history, rooms and jobs are shared. Several URLs, separated by commas, spread the topics over several Redis servers (write a comma in a password as %2C).</source>
        <translation>redis://[user:password@]host[:port][/db]. Hubs mit demselben Redis handeln als einer: Ereignisse, Verlauf, Räume und Jobs werden geteilt. Mehrere URLs, durch Kommas getrennt, verteilen die Themen auf mehrere Redis-Server (ein Komma im Passwort als %2C schreiben).</translation>
    </message>
    <message>
        <source>Node name:</source>
        <translation>Knotenname:</translation>
    </message>
    <message>
        <source>How the other nodes and Overview name this one; empty: host name and port.</source>
        <translation>Wie die anderen Knoten und die Übersicht diesen nennen; leer: Hostname und Port.</translation>
    </message>
</context>
<context>
    <name>switchboard::SubmitJobDialog</name>
    <message>
        <source>Submit job</source>
        <translation>Job starten</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Job type:</source>
        <translation>Jobtyp:</translation>
    </message>
    <message>
        <source>Months:</source>
        <translation>Monate:</translation>
    </message>
    <message>
        <source>Scenario:</source>
        <translation>Szenario:</translation>
    </message>
    <message>
        <source>Iterations:</source>
        <translation>Iterationen:</translation>
    </message>
    <message>
        <source>Random variables:</source>
        <translation>Zufallsgrößen:</translation>
    </message>
    <message>
        <source>Seed (optional):</source>
        <translation>Seed (optional):</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>Basis</translation>
    </message>
    <message>
        <source>Optimistic</source>
        <translation>Optimistisch</translation>
    </message>
    <message>
        <source>Pessimistic</source>
        <translation>Pessimistisch</translation>
    </message>
    <message>
        <source>Revenue growth</source>
        <translation>Umsatzwachstum</translation>
    </message>
    <message>
        <source>Expense inflation</source>
        <translation>Kostensteigerung</translation>
    </message>
    <message>
        <source>random</source>
        <translation>zufällig</translation>
    </message>
    <message>
        <source>This job type takes no parameters.</source>
        <translation>Dieser Jobtyp hat keine Parameter.</translation>
    </message>
    <message>
        <source>Enter a whole number from %1 to %2, or leave it empty.</source>
        <translation>Geben Sie eine ganze Zahl von %1 bis %2 ein oder lassen Sie das Feld leer.</translation>
    </message>
</context>
<context>
    <name>switchboard::SystemPanel</name>
    <message>
        <source>CPU and memory (%)</source>
        <translation>CPU und Speicher (%)</translation>
    </message>
    <message>
        <source>Network (KiB/s)</source>
        <translation>Netzwerk (KiB/s)</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Empfangen</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>Waiting for the first sample…</source>
        <translation>Warte auf den ersten Messwert …</translation>
    </message>
    <message>
        <source>CPU %1 %</source>
        <translation>CPU %1 %</translation>
    </message>
    <message>
        <source>memory %1 of %2</source>
        <translation>Speicher %1 von %2</translation>
    </message>
    <message>
        <source>data disk %1 % used</source>
        <translation>Datenlaufwerk zu %1 % belegt</translation>
    </message>
    <message>
        <source>Disk</source>
        <translation>Laufwerk</translation>
    </message>
</context>
<context>
    <name>switchboard::TokensPanel</name>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Open the &amp;web dashboard</source>
        <translation>&amp;Web-Dashboard öffnen</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>Admin</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Dienst</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>optional</translation>
    </message>
    <message>
        <source> h</source>
        <translation> h</translation>
    </message>
    <message>
        <source>The issued token appears here.</source>
        <translation>Das ausgestellte Token erscheint hier.</translation>
    </message>
    <message>
        <source>&amp;Issue token</source>
        <translation>Token &amp;ausstellen</translation>
    </message>
    <message>
        <source>User (sub):</source>
        <translation>Benutzer (sub):</translation>
    </message>
    <message>
        <source>Role:</source>
        <translation>Rolle:</translation>
    </message>
    <message>
        <source>Tenant:</source>
        <translation>Mandant:</translation>
    </message>
    <message>
        <source>Valid for:</source>
        <translation>Gültig für:</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>In die Zwischenablage kopiert.</translation>
    </message>
    <message>
        <source>No web browser could be opened.</source>
        <translation>Es konnte kein Webbrowser geöffnet werden.</translation>
    </message>
    <message>
        <source>Enter the user the token is for.</source>
        <translation>Geben Sie den Benutzer ein, für den das Token ist.</translation>
    </message>
    <message>
        <source>No token: %1</source>
        <translation>Kein Token: %1</translation>
    </message>
    <message numerus="yes">
        <source>Valid for %n hour(s).</source>
        <translation>
            <numerusform>Gültig für %n Stunde.</numerusform>
            <numerusform>Gültig für %n Stunden.</numerusform>
        </translation>
    </message>
    <message>
        <source>This hub verifies RS256 tokens with a public key (--jwt-public-key) and holds no private key: issue tokens where that key is kept.</source>
        <translation>Dieser Hub prüft RS256-Tokens mit einem öffentlichen Schlüssel (--jwt-public-key) und hat keinen privaten Schlüssel: Tokens dort ausstellen, wo dieser Schlüssel liegt.</translation>
    </message>
    <message>
        <source>Authentication is off, so the hub has no secret to sign tokens with.</source>
        <translation>Die Authentifizierung ist aus, also hat der Hub kein Geheimnis, um Tokens zu signieren.</translation>
    </message>
    <message>
        <source>The token secret changed, so the token shown before no longer works: issue a new one.</source>
        <translation>Das Token-Geheimnis hat sich geändert, das zuvor angezeigte Token gilt nicht mehr: Bitte ein neues ausstellen.</translation>
    </message>
</context>
<context>
    <name>switchboard::TopicsPanel</name>
    <message>
        <source>Topics</source>
        <translation>Themen</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Thema</translation>
    </message>
    <message>
        <source>Subscribers</source>
        <translation>Abonnenten</translation>
    </message>
    <message>
        <source>By dialect</source>
        <translation>Nach Dialekt</translation>
    </message>
    <message>
        <source>Seq</source>
        <translation>Seq</translation>
    </message>
    <message>
        <source>Events/s in</source>
        <translation>Ereignisse/s ein</translation>
    </message>
    <message>
        <source>Deliveries/s out</source>
        <translation>Zustellungen/s aus</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>History age</source>
        <translation>Alter des Verlaufs</translation>
    </message>
    <message>
        <source>Last event</source>
        <translation>Letztes Ereignis</translation>
    </message>
    <message>
        <source>Filter topics…</source>
        <translation>Themen filtern…</translation>
    </message>
    <message>
        <source>Select a topic to see its last events.</source>
        <translation>Wählen Sie ein Thema, um seine letzten Ereignisse zu sehen.</translation>
    </message>
    <message>
        <source>Last events of %1 (newest at the bottom)</source>
        <translation>Letzte Ereignisse von %1 (neueste unten)</translation>
    </message>
</context>
<context>
    <name>switchboard::TradingPanel</name>
    <message>
        <source>Equity</source>
        <translation>Kapital</translation>
    </message>
    <message>
        <source>Trading</source>
        <translation>Handel</translation>
    </message>
    <message>
        <source>Peak equity</source>
        <translation>Höchststand</translation>
    </message>
    <message>
        <source>Equity:</source>
        <translation>Kapital:</translation>
    </message>
    <message>
        <source>Risk:</source>
        <translation>Risiko:</translation>
    </message>
    <message>
        <source>Drawdown:</source>
        <translation>Drawdown:</translation>
    </message>
    <message>
        <source>Daily loss:</source>
        <translation>Tagesverlust:</translation>
    </message>
    <message>
        <source>Symbol</source>
        <translation>Symbol</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Menge</translation>
    </message>
    <message>
        <source>Spot entry</source>
        <translation>Spot-Einstieg</translation>
    </message>
    <message>
        <source>Perp entry</source>
        <translation>Perp-Einstieg</translation>
    </message>
    <message>
        <source>Unrealized P&amp;L</source>
        <translation>Unrealisierter G&amp;V</translation>
    </message>
    <message>
        <source>Funding</source>
        <translation>Funding</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>Soft pause</source>
        <translation>Sanfte Pause</translation>
    </message>
    <message>
        <source>Hard stop</source>
        <translation>Harter Stopp</translation>
    </message>
    <message>
        <source>No data</source>
        <translation>Keine Daten</translation>
    </message>
</context>
<context>
    <name>switchboard::TrafficPanel</name>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>Messages per second</source>
        <translation>Nachrichten pro Sekunde</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Jobs</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>Verkehr</translation>
    </message>
    <message>
        <source>Open connections</source>
        <translation>Offene Verbindungen</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>In</source>
        <translation>Ein</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Laufend</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Failures/s</source>
        <translation>Fehlschläge/s</translation>
    </message>
</context>
<context>
    <name>switchboard::TrayController</name>
    <message>
        <source>Switchboard</source>
        <translation>Switchboard</translation>
    </message>
    <message>
        <source>Show Switchboard</source>
        <translation>Switchboard anzeigen</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>Trading hard stop</source>
        <translation>Harter Handelsstopp</translation>
    </message>
    <message>
        <source>Disk space</source>
        <translation>Speicherplatz</translation>
    </message>
    <message>
        <source>System alert</source>
        <translation>Systemwarnung</translation>
    </message>
    <message>
        <source>Alert: %1</source>
        <translation>Alarm: %1</translation>
    </message>
</context>
</TS>
