#include "DocsRoutes.h"

#include "../handlers/HandlerRegistry.h"
#include "../protocol/Endpoints.h"
#include "../protocol/dialects/Dialect.h"
#include "HttpRouter.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace switchboard {

namespace {

QString accessName(Access access)
{
    switch (access) {
    case Access::Anyone:
        return QStringLiteral("anyone");
    case Access::Authenticated:
        return QStringLiteral("authenticated");
    case Access::Admin:
        return QStringLiteral("admin");
    }
    return {};
}

QJsonObject clientMessage(const MessageHandler& handler, bool fieldsAtTopLevel)
{
    const QJsonObject string{{QLatin1String("type"), QLatin1String("string")}};
    QJsonObject properties{
        {QLatin1String("type"), QJsonObject{{QLatin1String("const"), QString(handler.type)}}},
        {QLatin1String("id"), string}};
    QJsonArray required{QLatin1String("type")};
    const QJsonObject schema = handler.schema();
    if (fieldsAtTopLevel) {
        const QJsonObject fields = schema.value(QLatin1String("properties")).toObject();
        for (auto it = fields.begin(); it != fields.end(); ++it)
            properties.insert(it.key(), it.value());
        for (const QJsonValue& name : schema.value(QLatin1String("required")).toArray())
            required.append(name);
    } else {
        properties.insert(QLatin1String("data"), schema);
    }
    return QJsonObject{
        {QLatin1String("name"), QString(handler.type)},
        {QLatin1String("summary"), QString(handler.summary)},
        {QLatin1String("x-access"), accessName(handler.access)},
        {QLatin1String("payload"), QJsonObject{{QLatin1String("type"), QLatin1String("object")},
                                               {QLatin1String("required"), required},
                                               {QLatin1String("properties"), properties}}}};
}

// AsyncAPI 2.6, from the client's point of view: clients `publish` the messages the hub
// handles and `subscribe` to what it sends.
QJsonObject asyncApi(const Endpoints& endpoints)
{
    QJsonObject channels;
    for (const Endpoint& endpoint : endpoints.all()) {
        QJsonArray sent;
        for (const MessageHandler& handler :
             HandlerRegistry::builtIn().forDialect(endpoint.dialect->name()))
            sent.append(clientMessage(handler, endpoint.dialect->fieldsAtTopLevel()));
        QJsonArray received;
        for (const ServerMessage& message : endpoint.dialect->serverMessages()) {
            received.append(QJsonObject{{QLatin1String("name"), QString(message.type)},
                                        {QLatin1String("summary"), QString(message.summary)}});
        }
        channels.insert(
            endpoint.path,
            QJsonObject{{QLatin1String("description"),
                         QStringLiteral("Dialect \"%1\"").arg(QString(endpoint.dialect->name()))},
                        {QLatin1String("publish"),
                         QJsonObject{{QLatin1String("message"),
                                      QJsonObject{{QLatin1String("oneOf"), sent}}}}},
                        {QLatin1String("subscribe"),
                         QJsonObject{{QLatin1String("message"),
                                      QJsonObject{{QLatin1String("oneOf"), received}}}}}});
    }
    return QJsonObject{
        {QLatin1String("asyncapi"), QLatin1String("2.6.0")},
        {QLatin1String("info"),
         QJsonObject{{QLatin1String("title"), QLatin1String("Switchboard WebSocket API")},
                     {QLatin1String("version"), QStringLiteral(SWITCHBOARD_VERSION)}}},
        {QLatin1String("defaultContentType"), QLatin1String("application/json")},
        {QLatin1String("channels"), channels}};
}

QByteArray docsPage()
{
    // A dependency-free reader of the two descriptions: the hub must work offline, so no CDN.
    return QByteArrayLiteral(R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchboard API</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:64rem;color:#1d2330}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
.item{border:1px solid #d8dde6;border-radius:6px;margin:.4rem 0;padding:.45rem .8rem}
.tag{display:inline-block;min-width:5rem;font-weight:600;text-transform:uppercase}
.note{color:#8a5a00;font-size:12px;margin-left:.5rem}code{font-size:13px}</style></head>
<body><h1>Switchboard API</h1>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (REST) and
<a href="/asyncapi.json">/asyncapi.json</a> (WebSocket).</p>
<h2>REST</h2><div id="rest"></div><h2>WebSocket</h2><div id="ws"></div>
<script src="/docs.js"></script></body></html>)");
}

QByteArray docsScript()
{
    // Each item carries what it describes in data-* attributes, and the page says when both
    // descriptions are in (body[data-loaded]), so that a browser test can read it back.
    return QByteArrayLiteral(R"(function item(tag, title, summary, note, data) {
  const div = document.createElement('div');
  div.className = 'item';
  Object.assign(div.dataset, data);
  const t = document.createElement('span'); t.className = 'tag'; t.textContent = tag;
  const c = document.createElement('code'); c.textContent = title;
  div.append(t, c);
  if (note) { const n = document.createElement('span'); n.className = 'note'; n.textContent = note; div.append(n); }
  const s = document.createElement('div'); s.textContent = summary || ''; div.append(s);
  return div;
}
const rest = fetch('/openapi.json').then(r => r.json()).then(spec => {
  const root = document.getElementById('rest');
  for (const [path, ops] of Object.entries(spec.paths))
    for (const [method, op] of Object.entries(ops))
      root.append(item(method, path, op.summary, op.security ? 'bearer token' : '',
                       { kind: 'rest', method, path }));
});
const ws = fetch('/asyncapi.json').then(r => r.json()).then(spec => {
  const root = document.getElementById('ws');
  for (const [path, channel] of Object.entries(spec.channels)) {
    for (const m of channel.publish.message.oneOf)
      root.append(item('client', path + ' ' + m.name, m.summary, m['x-access'],
                       { kind: 'ws', channel: path, direction: 'publish', name: m.name }));
    for (const m of channel.subscribe.message.oneOf)
      root.append(item('server', path + ' ' + m.name, m.summary, '',
                       { kind: 'ws', channel: path, direction: 'subscribe', name: m.name }));
  }
});
Promise.all([rest, ws]).then(() => { document.body.dataset.loaded = 'true'; },
                             (error) => { console.error('the API descriptions did not load:', error); });
)");
}

} // namespace

void addDocsRoutes(HttpRouter& router, const Endpoints& endpoints)
{
    using Method = QHttpServerRequest::Method;
    router.add({Method::Get,
                QStringLiteral("/openapi.json"),
                HttpAccess::Public,
                QStringLiteral("OpenAPI 3 description of every REST route"),
                [&router](const HttpCall&) {
                    return HttpResponse::json(router.openApi(QStringLiteral(SWITCHBOARD_VERSION)));
                },
                {}});
    router.add({Method::Get,
                QStringLiteral("/asyncapi.json"),
                HttpAccess::Public,
                QStringLiteral("AsyncAPI description of every WebSocket message"),
                [&endpoints](const HttpCall&) { return HttpResponse::json(asyncApi(endpoints)); },
                {}});
    router.add({Method::Get,
                QStringLiteral("/docs"),
                HttpAccess::Public,
                QStringLiteral("The API documentation for a person"),
                [](const HttpCall&) {
                    return HttpResponse::content(docsPage(), "text/html; charset=utf-8");
                },
                {}});
    router.add({Method::Get,
                QStringLiteral("/docs.js"),
                HttpAccess::Public,
                QStringLiteral("Script of the documentation page"),
                [](const HttpCall&) {
                    return HttpResponse::content(docsScript(), "text/javascript; charset=utf-8");
                },
                {}});
}

} // namespace switchboard
