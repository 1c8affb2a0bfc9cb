// Reference server for the bench: the part of Switchboard's native protocol (SPEC §3) that
// switchboard-loadgen uses, on Node's http module and the `ws` library, written the way a Node
// developer would write a fan-out hub: one JSON.stringify per publish, ws.send(string) to
// every subscriber.
//
//   node server.mjs [--bind 127.0.0.1] [--port 8000] [--slow-consumer-bytes N]
//
//   --bind ADDRESS             a 127.0.0.0/8 address (anything else is refused)
//   --port N                   0 picks a free port (printed on start)
//   --slow-consumer-bytes N    close a subscriber with 1013 when more than N bytes wait in its
//                              send buffer (default 0: never, as a plain ws server does)
//
// On /ws/v1 it sends `welcome` on connect and answers
//   subscribe {topics: [..]}          -> ack {seq: {topic: current seq}}
//   publish {topic, event, data}      -> event {topic, seq, event, ts, data} to every
//                                        subscriber of the topic, then ack {seq, delivered}
//   ping                              -> pong
// with the same bytes as Switchboard's NativeDialect (keys of welcome, ack, error, pong and of
// the event's data in sorted order, as QJsonDocument writes them). Anything else gets
// UNKNOWN_MESSAGE_TYPE. GET /health answers {"status":"ok","connections":N}; POST /api/v1/publish
// takes {topic, type, data} or an array of them, as the hub's REST route does (no token needed).
// No authentication, no history, no rooms: it is a bench reference, listening on 127.0.0.0/8 only.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { WebSocketServer } from 'ws';

const wsPath = '/ws/v1';
const heartbeatMs = 25000; // what Switchboard announces by default; this server sends no pings
const maxMessageBytes = 1024 * 1024; // Switchboard's default limit
const maxTopicsPerSession = 256;

function usage(status) {
    const text = readFileSync(new URL(import.meta.url), 'utf8')
        .split('\n')
        .filter((line, index, lines) => lines.slice(0, index + 1).every((l) => l.startsWith('//')))
        .map((line) => line.replace(/^\/\/ ?/, ''))
        .join('\n');
    (status === 0 ? process.stdout : process.stderr).write(`${text}\n`);
    process.exit(status);
}

function fail(message) {
    process.stderr.write(`server.mjs: ${message}\n`);
    process.exit(2);
}

function parseArguments(argv) {
    const options = { bind: '127.0.0.1', port: 8000, slowConsumerBytes: 0 };
    for (let i = 0; i < argv.length; i++) {
        const name = argv[i];
        const value = () => {
            if (i + 1 >= argv.length) fail(`${name} needs a value`);
            return argv[++i];
        };
        switch (name) {
            case '--bind':
                options.bind = value();
                break;
            case '--port':
                options.port = Number(value());
                if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535)
                    fail(`--port must be 0..65535`);
                break;
            case '--slow-consumer-bytes':
                options.slowConsumerBytes = Number(value());
                if (!Number.isInteger(options.slowConsumerBytes) || options.slowConsumerBytes < 0)
                    fail(`--slow-consumer-bytes must be a non-negative integer`);
                break;
            case '-h':
            case '--help':
                usage(0);
                break;
            default:
                fail(`unknown argument ${name} (try --help)`);
        }
    }
    const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(options.bind);
    if (!octets || octets.slice(1).some((octet) => Number(octet) > 255))
        fail(`--bind ${options.bind}: only a 127.0.0.0/8 address is allowed (this is a bench server)`);
    return options;
}

const options = parseArguments(process.argv.slice(2));
const wsVersion = createRequire(import.meta.url)('ws/package.json').version;
const serverVersion = `node-ws-reference (node ${process.versions.node}, ws ${wsVersion})`;

// QJsonDocument writes object keys in sorted order, nested objects included; so does this,
// once per publish, so that the generator parses the same bytes from both servers.
function sortedKeys(value) {
    if (Array.isArray(value)) return value.map(sortedKeys);
    if (value === null || typeof value !== 'object') return value;
    const sorted = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortedKeys(value[key]);
    return sorted;
}

function isPlainObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// TopicPolicy::isValidName: 1..200 characters, no white space, nothing unprintable.
function isValidTopic(topic) {
    return topic.length > 0 && topic.length <= 200 && !/[\s\p{C}]/u.test(topic);
}

class ProtocolError extends Error {
    constructor(code, message) {
        super(message);
        this.code = code;
    }
}

// topic name -> { seq, subscribers: Set<WebSocket> }
const topics = new Map();
let connections = 0;
let nextSessionId = 0;
const sessionPrefix = randomBytes(4).toString('hex');

function topicNamed(name) {
    let topic = topics.get(name);
    if (!topic) {
        topic = { seq: 0, subscribers: new Set() };
        topics.set(name, topic);
    }
    return topic;
}

function ack(id, data) {
    return id === undefined ? null : JSON.stringify({ data, id, type: 'ack' });
}

function requiredString(data, name, maxLength, where = 'data.') {
    const value = data[name];
    if (value === undefined) throw new ProtocolError('INVALID_MESSAGE', `${where}${name} is required`);
    if (typeof value !== 'string' || value.length === 0)
        throw new ProtocolError('INVALID_MESSAGE', `${where}${name} must be a non-empty string`);
    if (value.length > maxLength)
        throw new ProtocolError('INVALID_MESSAGE', `${where}${name} must be at most ${maxLength} characters`);
    return value;
}

function subscribe(ws, id, data) {
    const names = data.topics;
    if (!Array.isArray(names) || names.some((name) => typeof name !== 'string'))
        throw new ProtocolError('INVALID_MESSAGE', 'data.topics must be an array of strings');
    for (const name of names) {
        if (!isValidTopic(name))
            throw new ProtocolError('INVALID_MESSAGE', `data.topics: "${name.slice(0, 64)}" is not a valid topic name`);
    }
    if (ws.topics.size + names.length > maxTopicsPerSession)
        throw new ProtocolError('INVALID_MESSAGE', `data.topics: at most ${maxTopicsPerSession} subscriptions per connection`);
    const seqs = {};
    for (const name of [...names].sort()) {
        const topic = topicNamed(name);
        topic.subscribers.add(ws);
        ws.topics.add(name);
        seqs[name] = topic.seq;
    }
    return ack(id, { seq: seqs });
}

// Checks one publish's fields (the event's name under eventKey: `event` over WebSocket, `type`
// over REST); throws a ProtocolError naming the field.
function checkedPublish(data, eventKey, where) {
    const name = requiredString(data, 'topic', 200, where);
    const event = requiredString(data, eventKey, 100, where);
    const payload = data.data === undefined || data.data === null ? {} : data.data;
    if (!isPlainObject(payload)) throw new ProtocolError('INVALID_MESSAGE', `${where}data must be an object`);
    if (!isValidTopic(name))
        throw new ProtocolError('INVALID_MESSAGE', `${where}topic: "${name.slice(0, 64)}" is not a valid topic name`);
    return { name, event, payload };
}

function publishEvent({ name, event, payload }) {
    const topic = topicNamed(name);
    const seq = ++topic.seq;
    // Serialised once; the same string goes to every subscriber.
    const message =
        `{"type":"event","topic":${JSON.stringify(name)},"seq":${seq},` +
        `"event":${JSON.stringify(event)},"ts":"${new Date().toISOString()}",` +
        `"data":${JSON.stringify(sortedKeys(payload))}}`;
    let delivered = 0;
    for (const subscriber of topic.subscribers) {
        if (subscriber.readyState !== subscriber.OPEN) continue;
        if (options.slowConsumerBytes > 0 && subscriber.bufferedAmount > options.slowConsumerBytes) {
            subscriber.close(1013, 'slow consumer');
            continue;
        }
        subscriber.send(message);
        delivered++;
    }
    return { delivered, seq };
}

function publish(id, data) {
    return ack(id, publishEvent(checkedPublish(data, 'event', 'data.')));
}

// POST /api/v1/publish: one {topic, type, data} or an array of up to 1000, checked whole
// before any is published, as the hub does; the answer has {delivered, seq} per event.
function publishOverHttp(body) {
    let parsed;
    try {
        parsed = JSON.parse(body);
    } catch (error) {
        return [400, { code: 'INVALID_JSON', error: `invalid JSON: ${error.message}` }];
    }
    const batch = Array.isArray(parsed);
    const messages = batch ? parsed : [parsed];
    if (messages.length === 0 || messages.length > 1000 || !messages.every(isPlainObject))
        return [400, { code: 'INVALID_MESSAGE', error: 'body must be a message object or an array of 1 to 1000' }];
    let checked;
    try {
        checked = messages.map((message, index) => checkedPublish(message, 'type', batch ? `[${index}].` : ''));
    } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        return [400, { code: error.code, error: error.message }];
    }
    const results = checked.map(publishEvent);
    return [200, batch ? results : results[0]];
}

function handleMessage(ws, raw) {
    let message;
    try {
        message = JSON.parse(raw);
    } catch (error) {
        throw new ProtocolError('INVALID_JSON', `invalid JSON: ${error.message}`);
    }
    if (!isPlainObject(message)) throw new ProtocolError('INVALID_MESSAGE', 'message must be a JSON object');
    let id = message.id;
    if (typeof id === 'number') id = String(id);
    else if (typeof id === 'string') id = id.slice(0, 128);
    else if (id !== undefined && id !== null) throw new ProtocolError('INVALID_MESSAGE', 'id must be a string');
    else id = undefined;
    ws.requestId = id;
    if (typeof message.type !== 'string' || message.type === '')
        throw new ProtocolError('INVALID_MESSAGE', 'type is required');
    const data = message.data === undefined || message.data === null ? {} : message.data;
    if (!isPlainObject(data)) throw new ProtocolError('INVALID_MESSAGE', 'data must be an object');

    switch (message.type) {
        case 'subscribe':
            return subscribe(ws, id, data);
        case 'publish':
            return publish(id, data);
        case 'ping':
            return JSON.stringify(id === undefined ? { type: 'pong' } : { id, type: 'pong' });
        default:
            throw new ProtocolError('UNKNOWN_MESSAGE_TYPE', `unknown message type "${message.type.slice(0, 64)}"`);
    }
}

const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: maxMessageBytes,
    clientTracking: false,
});

wss.on('connection', (ws) => {
    connections++;
    ws.topics = new Set();
    ws.send(
        JSON.stringify({
            data: {
                heartbeat_ms: heartbeatMs,
                protocol: 1,
                server_version: serverVersion,
                session_id: `${sessionPrefix}-${(++nextSessionId).toString(36)}`,
            },
            type: 'welcome',
        }),
    );
    ws.on('message', (raw, isBinary) => {
        let reply;
        ws.requestId = undefined;
        try {
            if (isBinary) throw new ProtocolError('INVALID_MESSAGE', 'binary frames are not part of the protocol');
            reply = handleMessage(ws, raw.toString());
        } catch (caught) {
            const error =
                caught instanceof ProtocolError ? caught : new ProtocolError('INTERNAL_ERROR', 'internal error');
            if (!(caught instanceof ProtocolError)) process.stderr.write(`server.mjs: ${caught.stack}\n`);
            const object = { code: error.code, error: error.message };
            if (ws.requestId !== undefined) object.id = ws.requestId;
            object.type = 'error';
            reply = JSON.stringify(object);
        }
        if (reply) ws.send(reply);
    });
    ws.on('close', () => {
        connections--;
        for (const name of ws.topics) {
            const topic = topics.get(name);
            topic.subscribers.delete(ws);
        }
        ws.topics.clear();
    });
    ws.on('error', () => {}); // a protocol violation closes the socket; 'close' follows
});

function sendJson(response, status, object) {
    const body = JSON.stringify(object);
    response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
}

const server = http.createServer((request, response) => {
    const path = request.url.split('?')[0];
    if (request.method === 'GET' && path === '/health') {
        sendJson(response, 200, { status: 'ok', connections });
        return;
    }
    if (request.method === 'POST' && path === '/api/v1/publish') {
        const chunks = [];
        let size = 0;
        request.on('data', (chunk) => {
            size += chunk.length;
            if (size > 16 * 1024 * 1024) request.destroy();
            else chunks.push(chunk);
        });
        request.on('end', () => {
            const [status, answer] = publishOverHttp(Buffer.concat(chunks).toString());
            sendJson(response, status, answer);
        });
        return;
    }
    sendJson(response, 404, { error: 'not found' });
});

server.on('upgrade', (request, socket, head) => {
    if (request.url.split('?')[0] !== wsPath) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});

server.on('clientError', (_error, socket) => socket.destroy());

// 10,000 idle connections (S3) need a backlog larger than Node's default of 511.
server.listen({ host: options.bind, port: options.port, backlog: 4096 }, () => {
    const { address, port } = server.address();
    process.stdout.write(`node-ws reference listening on http://${address}:${port} (ws://${address}:${port}${wsPath}), ${serverVersion}\n`);
});
server.on('error', (error) => fail(`cannot listen on ${options.bind}:${options.port}: ${error.message}`));

function shutdown() {
    server.close();
    process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
