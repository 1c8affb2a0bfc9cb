// Document 004's uploads (SPEC §2.1) over real sockets: a raw client spreads the body over
// several writes and the uploader's 004 sessions hear file_upload_progress before the last
// byte is sent; refusals come before the body; a body that ends early stores nothing.

#include "CollabClient.h"
#include "HttpExchange.h"
#include "RawClient.h"
#include "http/Upload.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QJsonDocument>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace switchboard;
using namespace switchboard::test;

namespace {

QJsonObject json(const QByteArray& body)
{
    return QJsonDocument::fromJson(body).object();
}

QByteArray pattern(qsizetype size, int seed = 0)
{
    QByteArray bytes(size, '\0');
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char((i * 7919 + seed) % 251);
    return bytes;
}

// Hands every byte to the kernel before returning.
bool writeAll(QTcpSocket& socket, const QByteArray& bytes)
{
    socket.write(bytes);
    QDeadlineTimer deadline(10000);
    while (socket.bytesToWrite() > 0 && !deadline.hasExpired()) {
        if (!socket.waitForBytesWritten(int(deadline.remainingTime())))
            break;
    }
    return socket.bytesToWrite() == 0;
}

QByteArray uploadHead(const QString& fileId, qint64 length, const QByteArray& token,
                      const QByteArray& extra = {})
{
    QByteArray head = "PUT /api/v1/uploads/" + fileId.toUtf8() +
                      "?filename=data.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "Content-Type: application/octet-stream\r\n";
    if (length >= 0)
        head += "Content-Length: " + QByteArray::number(length) + "\r\n";
    if (!token.isEmpty())
        head += "Authorization: Bearer " + token + "\r\n";
    return head + extra + "\r\n";
}

// Reads one HTTP response from `socket` (plain or TLS).
RawResponse readResponse(QTcpSocket& socket)
{
    return ResponseReader(socket).read(false, 10000);
}

HubConfig uploadConfig(qint64 cap)
{
    HubConfig config = testConfig();
    config.maxUploadBytes = cap;
    return config;
}

// Files left in the uploads folder whose name starts with `fileId`.
QStringList storedFiles(const TestHub& hub, const QString& fileId)
{
    return QDir(QDir(hub.dataDir()).filePath(QStringLiteral("uploads")))
        .entryList({fileId + u'*'}, QDir::Files | QDir::Hidden);
}

} // namespace

class UploadsTest : public QObject {
    Q_OBJECT

private slots:
    void progressArrivesWhileTheBodyDoes()
    {
        HubConfig config = uploadConfig(2 * 1024 * 1024);
        // The body is not held as one message: a cap on messages does not bound uploads.
        config.maxMessageBytes = 64 * 1024;
        TestHub hub(config);
        QVERIFY(!hub.startError);
        const QByteArray token =
            hub.token(QStringLiteral("user_1"), Role::User, QStringLiteral("acme"));
        CollabClient tab1;
        CollabClient tab2;
        CollabClient colleague; // same tenant, another user
        CollabClient stranger;  // another tenant
        QVERIFY(tab1.connectAs(hub, QStringLiteral("user_1")));
        QVERIFY(tab2.connectAs(hub, QStringLiteral("user_1")));
        QVERIFY(colleague.connectAs(hub, QStringLiteral("user_2")));
        QVERIFY(stranger.connectAs(hub, QStringLiteral("user_1x"), QStringLiteral("globex")));
        for (CollabClient* client : {&tab1, &tab2, &colleague, &stranger})
            QVERIFY(client->sync());
        const qsizetype from1 = tab1.mark();
        const qsizetype from2 = tab2.mark();
        const qsizetype fromColleague = colleague.mark();
        const qsizetype fromStranger = stranger.mark();

        const QByteArray body = pattern(1024 * 1024);
        RawClient raw;
        QVERIFY(raw.connectTo(hub.host->port()));
        const qsizetype firstPart = body.size() * 3 / 10;
        QVERIFY(writeAll(raw.socket, uploadHead(QStringLiteral("report.bin"), body.size(), token) +
                                         body.left(firstPart)));

        // Progress while 70 % of the body has not even been sent.
        const QJsonObject early = tab1.next(QStringLiteral("file_upload_progress"), from1);
        QVERIFY2(!early.isEmpty(), "no progress before the last byte was sent");
        QVERIFY(early.value(QLatin1String("bytes_uploaded")).toDouble() > 0);
        QVERIFY(early.value(QLatin1String("bytes_uploaded")).toDouble() <= double(firstPart));
        QCOMPARE(early.value(QLatin1String("total_bytes")).toDouble(), double(body.size()));
        QCOMPARE(early.value(QLatin1String("file_id")).toString(), QStringLiteral("report.bin"));
        QCOMPARE(early.value(QLatin1String("filename")).toString(), QStringLiteral("data.bin"));
        QCOMPARE(early.value(QLatin1String("user_id")).toString(), QStringLiteral("user_1"));
        QVERIFY(early.value(QLatin1String("percentage")).toDouble() < 100.0);
        QVERIFY(!tab2.next(QStringLiteral("file_upload_progress"), from2).isEmpty());
        QCOMPARE(raw.socket.bytesAvailable(), 0); // not answered yet

        // The rest in several writes.
        for (qsizetype at = firstPart; at < body.size(); at += 200 * 1024)
            QVERIFY(writeAll(raw.socket, body.mid(at, 200 * 1024)));
        const RawResponse response = readResponse(raw.socket);
        QCOMPARE(response.status, 201);
        const QJsonObject answer = json(response.body);
        QCOMPARE(answer.value(QLatin1String("size")).toDouble(), double(body.size()));

        const QJsonObject complete = tab1.next(QStringLiteral("file_upload_complete"), from1);
        QCOMPARE(complete.value(QLatin1String("file_id")).toString(), QStringLiteral("report.bin"));
        QCOMPARE(complete.value(QLatin1String("url")).toString(),
                 answer.value(QLatin1String("url")).toString());
        QVERIFY(!tab2.next(QStringLiteral("file_upload_complete"), from2).isEmpty());
        const QList<QJsonObject> progress =
            tab1.since(from1, QStringLiteral("file_upload_progress"));
        QVERIFY(progress.size() <= Upload::progressSteps); // the final 100 % among them
        double last = 0;
        for (const QJsonObject& step : progress) {
            QVERIFY(step.value(QLatin1String("bytes_uploaded")).toDouble() > last);
            last = step.value(QLatin1String("bytes_uploaded")).toDouble();
            QCOMPARE(step.value(QLatin1String("total_bytes")).toDouble(), double(body.size()));
        }
        QCOMPARE(last, double(body.size()));
        QCOMPARE(progress.last().value(QLatin1String("percentage")).toDouble(), 100.0);

        const QUrl url(complete.value(QLatin1String("url")).toString());
        QCOMPARE(url.path(), QStringLiteral("/api/v1/uploads/report.bin"));
        const auto download = hub.send("GET", url.path(), {}, token);
        QCOMPARE(download.status, 200);
        QVERIFY(download.body == body);
        QCOMPARE(storedFiles(hub, QStringLiteral("report.bin")),
                 QStringList({QStringLiteral("report.bin"), QStringLiteral("report.bin.json")}));

        // Nobody else heard of it.
        QVERIFY(colleague.sync());
        QVERIFY(stranger.sync());
        for (const QString& type :
             {QStringLiteral("file_upload_progress"), QStringLiteral("file_upload_complete")}) {
            QVERIFY(colleague.since(fromColleague, type).isEmpty());
            QVERIFY(stranger.since(fromStranger, type).isEmpty());
        }
    }

    // Uploads have their own cap (--max-upload-bytes, 100 MiB by default), not the 1 MiB of a
    // message: the 2 MiB CSV of a new user is taken; a body over the cap is refused with 413
    // from its head alone.
    void uploadsHaveTheirOwnCap()
    {
        HubConfig config = testConfig();
        QCOMPARE(config.maxUploadBytes, qint64(100) * 1024 * 1024);
        QCOMPARE(config.maxMessageBytes, qint64(1024) * 1024);
        TestHub hub(config);
        QVERIFY(!hub.startError);
        const QByteArray token =
            hub.token(QStringLiteral("user_1"), Role::User, QStringLiteral("acme"));
        QByteArray csv;
        while (csv.size() < 2 * 1024 * 1024)
            csv += "2024-01-15,revenue,12345.67,acme,\"a quoted, comma\"\n";
        RawClient raw;
        QVERIFY(raw.connectTo(hub.host->port()));
        QVERIFY(
            writeAll(raw.socket, uploadHead(QStringLiteral("big.csv"), csv.size(), token) + csv));
        const RawResponse stored = readResponse(raw.socket);
        QCOMPARE(stored.status, 201);
        QCOMPARE(json(stored.body).value(QLatin1String("size")).toDouble(), double(csv.size()));
        QVERIFY(hub.send("GET", QStringLiteral("/api/v1/uploads/big.csv"), {}, token).body == csv);

        RawClient over;
        QVERIFY(over.connectTo(hub.host->port()));
        QVERIFY(
            writeAll(over.socket, uploadHead(QStringLiteral("huge.csv"), config.maxUploadBytes + 1,
                                             token, "Expect: 100-continue\r\n")));
        const RawResponse refused = readResponse(over.socket);
        QCOMPARE(refused.status, 413);
        QCOMPARE(json(refused.body).value(QLatin1String("code")).toString(),
                 QStringLiteral("MESSAGE_TOO_LARGE"));
        QVERIFY(storedFiles(hub, QStringLiteral("huge.csv")).isEmpty());
    }

    // The document's client announces the file over the WebSocket (file_upload_start with its
    // filename), then sends it: the announced name is the file's name in the progress and
    // completion messages, the answer and the download, unless the PUT names one itself.
    void theAnnouncedFilenameIsTheFilesName()
    {
        TestHub hub(uploadConfig(1024 * 1024));
        const QByteArray token =
            hub.token(QStringLiteral("user_1"), Role::User, QStringLiteral("acme"));
        CollabClient tab;
        CollabClient other; // the same user's other tab hears the announcement relayed
        QVERIFY(tab.connectAs(hub, QStringLiteral("user_1")));
        QVERIFY(other.connectAs(hub, QStringLiteral("user_1")));
        QVERIFY(other.sync());
        const qsizetype fromOther = other.mark();
        const QByteArray csv = "date,amount\n2024-01-15,12.5\n";
        tab.exchange(message(QStringLiteral("file_upload_start"),
                             {{QStringLiteral("file_id"), QStringLiteral("file_123")},
                              {QStringLiteral("filename"), QStringLiteral("data.csv")},
                              {QStringLiteral("file_size"), csv.size()},
                              {QStringLiteral("mime_type"), QStringLiteral("text/csv")}}));
        QCOMPARE(other.next(QStringLiteral("file_upload_start"), fromOther)
                     .value(QLatin1String("filename"))
                     .toString(),
                 QStringLiteral("data.csv"));
        const qsizetype from = tab.mark();

        // No ?filename=, no X-Filename, no Content-Type: what was announced.
        RawClient raw;
        QVERIFY(raw.connectTo(hub.host->port()));
        QVERIFY(writeAll(raw.socket, "PUT /api/v1/uploads/file_123 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                     "Content-Length: " +
                                         QByteArray::number(csv.size()) +
                                         "\r\nAuthorization: Bearer " + token + "\r\n\r\n" + csv));
        const RawResponse response = readResponse(raw.socket);
        QCOMPARE(response.status, 201);
        QCOMPARE(json(response.body).value(QLatin1String("filename")).toString(),
                 QStringLiteral("data.csv"));
        const QJsonObject progress = tab.next(QStringLiteral("file_upload_progress"), from);
        QCOMPARE(progress.value(QLatin1String("filename")).toString(), QStringLiteral("data.csv"));
        const QJsonObject complete = tab.next(QStringLiteral("file_upload_complete"), from);
        QCOMPARE(complete.value(QLatin1String("file_id")).toString(), QStringLiteral("file_123"));
        QCOMPARE(complete.value(QLatin1String("filename")).toString(), QStringLiteral("data.csv"));
        QCOMPARE(complete.value(QLatin1String("mime_type")).toString(), QStringLiteral("text/csv"));
        const auto download =
            hub.send("GET", QStringLiteral("/api/v1/uploads/file_123"), {}, token);
        QCOMPARE(download.status, 200);
        QVERIFY(download.body == csv);
        QCOMPARE(download.header("Content-Disposition"),
                 QByteArray("attachment; filename=\"data.csv\""));
        QVERIFY(download.header("Content-Type").startsWith("text/csv"));

        // A name in the PUT wins over the announced one.
        tab.exchange(message(QStringLiteral("file_upload_start"),
                             {{QStringLiteral("file_id"), QStringLiteral("file_124")},
                              {QStringLiteral("filename"), QStringLiteral("announced.csv")}}));
        RawClient named;
        QVERIFY(named.connectTo(hub.host->port()));
        QVERIFY(writeAll(named.socket,
                         uploadHead(QStringLiteral("file_124"), csv.size(), token) + csv));
        QCOMPARE(json(readResponse(named.socket).body).value(QLatin1String("filename")).toString(),
                 QStringLiteral("data.bin"));

        // Another user's announcement of the same file id names nothing of this one's.
        CollabClient bob;
        QVERIFY(bob.connectAs(hub, QStringLiteral("bob")));
        bob.exchange(message(QStringLiteral("file_upload_start"),
                             {{QStringLiteral("file_id"), QStringLiteral("file_125")},
                              {QStringLiteral("filename"), QStringLiteral("bobs.csv")}}));
        RawClient mine;
        QVERIFY(mine.connectTo(hub.host->port()));
        QVERIFY(writeAll(mine.socket, "PUT /api/v1/uploads/file_125 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                      "Content-Length: 2\r\nAuthorization: Bearer " +
                                          token + "\r\n\r\nok"));
        QCOMPARE(json(readResponse(mine.socket).body).value(QLatin1String("filename")).toString(),
                 QStringLiteral("file_125"));
    }

    void anExpectingClientIsAskedForTheBody()
    {
        TestHub hub(uploadConfig(1024 * 1024));
        const QByteArray token =
            hub.token(QStringLiteral("user_1"), Role::User, QStringLiteral("acme"));
        const QByteArray body = pattern(100 * 1024, 3);
        RawClient raw;
        QVERIFY(raw.connectTo(hub.host->port()));
        QVERIFY(writeAll(raw.socket, uploadHead(QStringLiteral("asked"), body.size(), token,
                                                "Expect: 100-continue\r\n")));
        const RawResponse interim = readResponse(raw.socket);
        QCOMPARE(interim.status, 100);
        QVERIFY(writeAll(raw.socket, body));
        QCOMPARE(readResponse(raw.socket).status, 201);
        QVERIFY(hub.send("GET", QStringLiteral("/api/v1/uploads/asked"), {}, token).body == body);
    }

    void anEmptyFileIsStored()
    {
        TestHub hub(uploadConfig(1024));
        const QByteArray token =
            hub.token(QStringLiteral("user_1"), Role::User, QStringLiteral("acme"));
        CollabClient tab;
        QVERIFY(tab.connectAs(hub, QStringLiteral("user_1")));
        QVERIFY(tab.sync());
        const qsizetype from = tab.mark();
        RawClient raw;
        QVERIFY(raw.connectTo(hub.host->port()));
        QVERIFY(writeAll(raw.socket, uploadHead(QStringLiteral("empty"), 0, token)));
        QCOMPARE(readResponse(raw.socket).status, 201);
        const QJsonObject progress = tab.next(QStringLiteral("file_upload_progress"), from);
        QCOMPARE(progress.value(QLatin1String("total_bytes")).toDouble(), 0.0);
        QCOMPARE(progress.value(QLatin1String("percentage")).toDouble(), 100.0);
        QVERIFY(!tab.next(QStringLiteral("file_upload_complete"), from).isEmpty());
        const auto download = hub.send("GET", QStringLiteral("/api/v1/uploads/empty"), {}, token);
        QCOMPARE(download.status, 200);
        QVERIFY(download.body.isEmpty());
    }

    void aPageOfAnAllowedOriginMayReadTheAnswer()
    {
        HubConfig config = uploadConfig(1024);
        config.allowedOrigins = {QStringLiteral("https://app.example")};
        TestHub hub(config);
        const QByteArray token =
            hub.token(QStringLiteral("user_1"), Role::User, QStringLiteral("acme"));
        for (const QByteArray& origin :
             {QByteArray("https://app.example"), QByteArray("https://elsewhere.example")}) {
            RawClient raw;
            QVERIFY(raw.connectTo(hub.host->port()));
            QVERIFY(writeAll(raw.socket, uploadHead(QStringLiteral("cors.txt"), 2, token,
                                                    "Origin: " + origin + "\r\n") +
                                             "ok"));
            const RawResponse response = readResponse(raw.socket);
            QCOMPARE(response.status, 201);
            QCOMPARE(response.header("Vary"), QByteArray("Origin"));
            QCOMPARE(response.header("Access-Control-Allow-Origin"),
                     origin == "https://app.example" ? origin : QByteArray());
        }
    }

    void aRebindingPageCannotUpload()
    {
        // Without required authentication the Host header is what stands between a page
        // whose name resolves to the hub and the hub.
        HubConfig config = uploadConfig(1024);
        config.authMode = AuthMode::Optional;
        TestHub hub(config);
        RawClient raw;
        QVERIFY(raw.connectTo(hub.host->port()));
        QByteArray head = uploadHead(QStringLiteral("rebound"), 2, {});
        head.replace("Host: 127.0.0.1", "Host: rebound.example");
        QVERIFY(writeAll(raw.socket, head + "ok"));
        const RawResponse response = readResponse(raw.socket);
        QCOMPARE(response.status, 403);
        QCOMPARE(json(response.body).value(QLatin1String("code")).toString(),
                 QStringLiteral("PERMISSION_DENIED"));
        QVERIFY(storedFiles(hub, QStringLiteral("rebound")).isEmpty());
        // The same upload by address is taken (anonymously: auth is optional).
        RawClient direct;
        QVERIFY(direct.connectTo(hub.host->port()));
        QVERIFY(writeAll(direct.socket, uploadHead(QStringLiteral("rebound"), 2, {}) + "ok"));
        QCOMPARE(readResponse(direct.socket).status, 201);
    }

    void refusalsComeBeforeTheBody_data()
    {
        QTest::addColumn<QString>("fileId");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("tenant");
        QTest::addColumn<qint64>("length");
        QTest::addColumn<QByteArray>("extra");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");

        const qint64 cap = 256 * 1024;
        QTest::newRow("over the cap")
            << "big"
            << "user_1"
            << "acme" << cap + 1 << QByteArray() << 413 << "MESSAGE_TOO_LARGE";
        QTest::newRow("over the cap, expecting 100-continue")
            << "big"
            << "user_1"
            << "acme" << cap + 1 << QByteArray("Expect: 100-continue\r\n") << 413
            << "MESSAGE_TOO_LARGE";
        QTest::newRow("no token") << "mine"
                                  << ""
                                  << "" << qint64(1000) << QByteArray() << 401
                                  << "AUTHENTICATION_FAILED";
        QTest::newRow("bad token")
            << "mine"
            << ""
            << "" << qint64(1000) << QByteArray("Authorization: Bearer not-a-token\r\n") << 401
            << "AUTHENTICATION_FAILED";
        QTest::newRow("someone else's file, same tenant")
            << "owned"
            << "user_2"
            << "acme" << qint64(1000) << QByteArray() << 403 << "PERMISSION_DENIED";
        QTest::newRow("someone else's file, other tenant")
            << "owned"
            << "eve"
            << "globex" << qint64(1000) << QByteArray() << 403 << "PERMISSION_DENIED";
        QTest::newRow("bad file id")
            << "..hidden"
            << "user_1"
            << "acme" << qint64(1000) << QByteArray() << 400 << "INVALID_MESSAGE";
        QTest::newRow("no length")
            << "mine"
            << "user_1"
            << "acme" << qint64(-1) << QByteArray() << 411 << "INVALID_MESSAGE";
        QTest::newRow("chunked") << "mine"
                                 << "user_1"
                                 << "acme" << qint64(-1)
                                 << QByteArray("Transfer-Encoding: chunked\r\n") << 411
                                 << "INVALID_MESSAGE";
        QTest::newRow("two lengths")
            << "mine"
            << "user_1"
            << "acme" << qint64(1000) << QByteArray("Content-Length: 999\r\n") << 400
            << "INVALID_MESSAGE";
    }

    void refusalsComeBeforeTheBody()
    {
        QFETCH(QString, fileId);
        QFETCH(QString, user);
        QFETCH(QString, tenant);
        QFETCH(qint64, length);
        QFETCH(QByteArray, extra);
        QFETCH(int, status);
        QFETCH(QString, code);

        TestHub hub(uploadConfig(256 * 1024));
        const QByteArray ownerToken =
            hub.token(QStringLiteral("user_1"), Role::User, QStringLiteral("acme"));
        const QByteArray owned = pattern(1000, 1);
        QCOMPARE(hub.send("PUT", QStringLiteral("/api/v1/uploads/owned"), owned, ownerToken).status,
                 201);
        CollabClient owner;
        QVERIFY(owner.connectAs(hub, QStringLiteral("user_1")));
        QVERIFY(owner.sync());
        // A caller other than the owner watches too: nothing reaches either of them.
        const bool otherCaller = !user.isEmpty() && user != QLatin1String("user_1");
        CollabClient caller;
        if (otherCaller) {
            QVERIFY(caller.connectAs(hub, user, tenant));
            QVERIFY(caller.sync());
        }
        const qsizetype fromOwner = owner.mark();
        const qsizetype fromCaller = caller.mark();

        const QByteArray token =
            user.isEmpty() ? QByteArray() : hub.token(user, Role::User, tenant);
        RawClient raw;
        QVERIFY(raw.connectTo(hub.host->port()));
        // The head alone: the answer must not wait for a body.
        QVERIFY(writeAll(raw.socket, uploadHead(fileId, length, token, extra)));
        const RawResponse response = readResponse(raw.socket);
        QCOMPARE(response.status, status);
        QCOMPARE(json(response.body).value(QLatin1String("code")).toString(), code);
        // A client that sends its body anyway is read to the end of it, then let go.
        if (length > 0 && !extra.startsWith("Expect"))
            QVERIFY(writeAll(raw.socket, pattern(length)));
        QVERIFY(raw.waitDropped(5000) >= 0);

        QVERIFY(owner.sync());
        QVERIFY(owner.since(fromOwner, QStringLiteral("file_upload_progress")).isEmpty());
        if (otherCaller) {
            QVERIFY(caller.sync());
            QVERIFY(caller.since(fromCaller, QStringLiteral("file_upload_progress")).isEmpty());
        }
        // Nothing stored, and the owner's file untouched.
        QVERIFY(storedFiles(hub, QStringLiteral("big")).isEmpty());
        QVERIFY(storedFiles(hub, QStringLiteral("mine")).isEmpty());
        QCOMPARE(storedFiles(hub, QStringLiteral("owned")),
                 QStringList({QStringLiteral("owned"), QStringLiteral("owned.json")}));
        QVERIFY(hub.send("GET", QStringLiteral("/api/v1/uploads/owned"), {}, ownerToken).body ==
                owned);
    }

    void aBodyCutShortStoresNothing()
    {
        TestHub hub(uploadConfig(1024 * 1024));
        const QByteArray token =
            hub.token(QStringLiteral("user_1"), Role::User, QStringLiteral("acme"));
        const QByteArray before = pattern(50 * 1024, 5);
        QCOMPARE(hub.send("PUT", QStringLiteral("/api/v1/uploads/doc.bin"), before, token).status,
                 201);
        CollabClient tab;
        QVERIFY(tab.connectAs(hub, QStringLiteral("user_1")));
        QVERIFY(tab.sync());

        // A new version of a stored file, and a new file: both cut off halfway.
        for (const QString& fileId : {QStringLiteral("doc.bin"), QStringLiteral("fresh.bin")}) {
            const qsizetype from = tab.mark();
            const QByteArray body = pattern(600 * 1024, 9);
            RawClient raw;
            QVERIFY(raw.connectTo(hub.host->port()));
            QVERIFY(writeAll(raw.socket,
                             uploadHead(fileId, body.size(), token) + body.left(body.size() / 2)));
            QVERIFY(!tab.next(QStringLiteral("file_upload_progress"), from).isEmpty());
            raw.socket.abort();

            const QJsonObject failed = tab.next(QStringLiteral("file_upload_failed"), from);
            QCOMPARE(failed.value(QLatin1String("file_id")).toString(), fileId);
            QCOMPARE(failed.value(QLatin1String("reason")).toString(),
                     QStringLiteral("interrupted"));
            QCOMPARE(failed.value(QLatin1String("user_id")).toString(), QStringLiteral("user_1"));
            QCOMPARE(failed.value(QLatin1String("total_bytes")).toDouble(), double(body.size()));
            QVERIFY(failed.value(QLatin1String("bytes_uploaded")).toDouble() < body.size());
            QVERIFY(tab.sync());
            QVERIFY(tab.since(from, QStringLiteral("file_upload_complete")).isEmpty());
        }
        // The stored version is still served whole; no partial file anywhere.
        QVERIFY(hub.send("GET", QStringLiteral("/api/v1/uploads/doc.bin"), {}, token).body ==
                before);
        QCOMPARE(storedFiles(hub, QStringLiteral("doc.bin")),
                 QStringList({QStringLiteral("doc.bin"), QStringLiteral("doc.bin.json")}));
        QCOMPARE(hub.send("GET", QStringLiteral("/api/v1/uploads/fresh.bin"), {}, token).status,
                 404);
        QVERIFY(storedFiles(hub, QStringLiteral("fresh.bin")).isEmpty());
    }

    void aStalledBodyIsDropped()
    {
        HubConfig config = uploadConfig(1024 * 1024);
        config.handshakeTimeout = std::chrono::milliseconds(400);
        TestHub hub(config);
        const QByteArray token =
            hub.token(QStringLiteral("user_1"), Role::User, QStringLiteral("acme"));
        CollabClient tab;
        QVERIFY(tab.connectAs(hub, QStringLiteral("user_1")));
        QVERIFY(tab.sync());
        const qsizetype from = tab.mark();
        RawClient raw;
        QVERIFY(raw.connectTo(hub.host->port()));
        QVERIFY(writeAll(raw.socket, uploadHead(QStringLiteral("stalled"), 400 * 1024, token) +
                                         pattern(100 * 1024)));
        // Then nothing more: the request timeout ends it.
        QVERIFY(raw.waitDropped(5000) >= 0);
        const QJsonObject failed = tab.next(QStringLiteral("file_upload_failed"), from);
        QCOMPARE(failed.value(QLatin1String("reason")).toString(), QStringLiteral("interrupted"));
        QVERIFY(storedFiles(hub, QStringLiteral("stalled")).isEmpty());
    }

    void stoppingTheHubMidUploadStoresNothing()
    {
        QTemporaryDir dataDir;
        HubConfig config = uploadConfig(1024 * 1024);
        config.dataDir = dataDir.path();
        auto hub = std::make_unique<TestHub>(config);
        const QByteArray token =
            hub->token(QStringLiteral("user_1"), Role::User, QStringLiteral("acme"));
        CollabClient tab;
        QVERIFY(tab.connectAs(*hub, QStringLiteral("user_1")));
        QVERIFY(tab.sync());
        const qsizetype from = tab.mark();
        RawClient raw;
        QVERIFY(raw.connectTo(hub->host->port()));
        QVERIFY(writeAll(raw.socket, uploadHead(QStringLiteral("midway"), 500 * 1024, token) +
                                         pattern(200 * 1024)));
        QVERIFY(!tab.next(QStringLiteral("file_upload_progress"), from).isEmpty());
        tab.socket.abort(); // the stop need not wait for its close handshake
        hub.reset();
        QVERIFY(raw.waitDropped(5000) >= 0);
        QVERIFY(QDir(QDir(dataDir.path()).filePath(QStringLiteral("uploads")))
                    .entryList({QStringLiteral("midway*")}, QDir::Files | QDir::Hidden)
                    .isEmpty());
    }

    void anUploadOverTlsStreamsToo()
    {
        QVERIFY(QSslSocket::supportsSsl());
        QTemporaryDir keys;
        const QString certificate = keys.filePath(QStringLiteral("cert.pem"));
        const QString key = keys.filePath(QStringLiteral("key.pem"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                       QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
                       QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"),
                       QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                       QStringLiteral("subjectAltName=IP:127.0.0.1"), QStringLiteral("-keyout"),
                       key, QStringLiteral("-out"), certificate});
        QVERIFY(openssl.waitForFinished(30000));
        QCOMPARE(openssl.exitCode(), 0);
        HubConfig config = uploadConfig(1024 * 1024);
        config.tlsCertificateFile = certificate;
        config.tlsKeyFile = key;
        TestHub hub(config);
        QVERIFY2(!hub.startError, qPrintable(hub.startError.value_or(QString())));
        QSslConfiguration trusting = QSslConfiguration::defaultConfiguration();
        trusting.setCaCertificates(QSslCertificate::fromPath(certificate));

        const QByteArray token =
            hub.token(QStringLiteral("user_1"), Role::User, QStringLiteral("acme"));
        CollabClient tab;
        tab.socket.setSslConfiguration(trusting);
        QVERIFY(tab.open(QUrl(QStringLiteral("wss://127.0.0.1:%1/api/v1/ws?token=%2")
                                  .arg(hub.host->port())
                                  .arg(QString::fromLatin1(token)))));
        QVERIFY(tab.sync());
        const qsizetype from = tab.mark();

        const QByteArray body = pattern(500 * 1024, 7);
        QSslSocket raw;
        raw.setSslConfiguration(trusting);
        raw.connectToHostEncrypted(QStringLiteral("127.0.0.1"), hub.host->port());
        QVERIFY(raw.waitForEncrypted(10000));
        QVERIFY(writeAll(raw, uploadHead(QStringLiteral("secure.bin"), body.size(), token) +
                                  body.left(body.size() / 3)));
        QVERIFY(!tab.next(QStringLiteral("file_upload_progress"), from).isEmpty());
        QVERIFY(writeAll(raw, body.mid(body.size() / 3)));
        const RawResponse response = readResponse(raw);
        QCOMPARE(response.status, 201);
        const QUrl url(json(response.body).value(QLatin1String("url")).toString());
        QCOMPARE(url.scheme(), QStringLiteral("https"));
        QCOMPARE(url.path(), QStringLiteral("/api/v1/uploads/secure.bin"));
        QVERIFY(!tab.next(QStringLiteral("file_upload_complete"), from).isEmpty());
        QFile stored(QDir(QDir(hub.dataDir()).filePath(QStringLiteral("uploads")))
                         .filePath(QStringLiteral("secure.bin")));
        QVERIFY(stored.open(QIODevice::ReadOnly));
        QVERIFY(stored.readAll() == body);
    }
};

QTEST_MAIN(UploadsTest)
#include "tst_uploads.moc"
