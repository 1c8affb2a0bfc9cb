/**
 * Switchboard client library, served by every hub at `/client.js` (an ES module).
 *
 * Speaks the native protocol of `/ws/v1` (see /asyncapi.json and docs/protocol.md):
 * authenticates with a token, subscribes to topics, sends requests and matches their replies
 * by id, reconnects by itself with exponential backoff and jitter, and resumes every topic
 * from the last sequence number it saw, so no event is lost across a reconnect.
 *
 * Usage:
 *
 *   import { SwitchboardClient } from '/client.js';
 *
 *   const client = new SwitchboardClient({ token: 'eyJ...' }); // url defaults to this host's /ws/v1
 *   client.on('event:trading', (e) => console.log(e.seq, e.event, e.data));
 *   client.on('resync', ({ topic }) => reloadStateOf(topic)); // history no longer covers a gap
 *   client.on('state', (state) => console.log('connection is', state));
 *   await client.connect();                 // resolves once welcomed (and authenticated)
 *   await client.subscribe(['jobs', 'trading']);
 *   const { jobs } = await client.request('jobs_list');
 *   await client.publish('trading', 'equity_update', { total_equity: '1000.00' });
 *   client.close();                         // clean close (1000), no reconnect
 *
 * Events (`client.on(name, fn)` returns a function that removes the listener):
 *   state         'connecting' | 'open' | 'reconnecting' | 'closed'
 *   welcome       the hub's welcome data {session_id, server_version, protocol, heartbeat_ms}
 *   ready         {sessionId, resumed, user}: authenticated and every subscription restored
 *   event         every event message {topic, seq, event, ts, data}
 *   event:TOPIC   the events of one topic
 *   resync        {topic}: events were missed beyond the hub's history; fetch state afresh
 *   gap           {topic, expected, got}: a sequence number was skipped (never expected)
 *   message       every message received, parsed;   sent: every message sent
 *   error         an error message the hub sent without an id
 *   auth_failed   {code, error}: the token was refused; the client stops reconnecting
 *   reconnecting  {attempt, delayMs, code, reason}: a reconnect is scheduled
 *   close         {code, reason, willReconnect}
 *
 * `subscribe(topics, {history: N})` starts topics never seen with their recent past: all the
 * events the hub still holds, or at least its last N when its history no longer reaches back.
 *
 * Options (all optional): url, token, tokenInQuery (send the token as ?token= instead of an
 * auth message), reconnect ({initialDelayMs: 500, maxDelayMs: 15000, factor: 2, jitter: 0.5}
 * or false), heartbeatMs (default: the hub's heartbeat_ms), heartbeatTimeoutMs (10000),
 * requestTimeoutMs (10000), WebSocket (a WebSocket class, for runtimes without a global one).
 */

const DEFAULT_RECONNECT = { initialDelayMs: 500, maxDelayMs: 15000, factor: 2, jitter: 0.5 };

/** A reply of type `error`, or a request that could not be answered. */
export class SwitchboardError extends Error {
  constructor(code, message, reply) {
    super(message || code);
    this.name = 'SwitchboardError';
    this.code = code;
    this.reply = reply;
  }
}

/** The WebSocket URL of `path` on the host that served this page. */
export function defaultUrl(path = '/ws/v1') {
  const location = globalThis.location;
  if (!location) throw new Error('SwitchboardClient: no page location; pass options.url');
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${path}`;
}

/** The backoff before reconnect attempt `attempt` (0-based), jittered. */
export function backoffDelay(attempt, options = DEFAULT_RECONNECT, random = Math.random) {
  const o = { ...DEFAULT_RECONNECT, ...options };
  const base = Math.min(o.maxDelayMs, o.initialDelayMs * o.factor ** attempt);
  return Math.round(base * (1 - o.jitter * random()));
}

export class SwitchboardClient {
  constructor(options = {}) {
    this.options = {
      tokenInQuery: false,
      heartbeatTimeoutMs: 10000,
      requestTimeoutMs: 10000,
      ...options,
    };
    this.reconnectOptions =
      options.reconnect === false ? null : { ...DEFAULT_RECONNECT, ...(options.reconnect || {}) };
    this.url = options.url || defaultUrl();
    this.token = options.token || '';
    this.WebSocketClass = options.WebSocket || globalThis.WebSocket;

    this.state = 'closed';
    this.sessionId = null;
    this.user = null;
    this.welcome = null;
    this.topics = new Set(); // wanted subscriptions, restored on every reconnect
    this.rooms = new Set(); // joined rooms, re-joined on every reconnect
    this.seqs = new Map(); // topic -> last seq seen
    this._ackSeqs = {}; // topic -> the hub's seq at the last subscribe ack
    this._history = new Map(); // topic -> past events wanted, until the first replay settles
    this._rewinding = new Set(); // topics being subscribed again further back
    this.stats = { received: 0, sent: 0, reconnects: 0, resyncs: 0, gaps: 0 };

    this._listeners = new Map();
    this._pending = new Map(); // id -> {resolve, reject, timer}
    this._nextId = 1;
    this._ws = null;
    this._ready = false;
    this._readyWaiters = [];
    this._attempt = 0;
    this._reconnectTimer = null;
    this._heartbeatTimer = null;
    this._lastReceivedAt = 0;
    this._stopped = true;
    this._everReady = false;
    this._onOnline = () => {
      if (this.state === 'reconnecting') this._openNow();
    };
  }

  // ---- listeners -------------------------------------------------------------------------

  /** Calls `fn(payload)` on every `name` event; returns a function removing it. */
  on(name, fn) {
    if (!this._listeners.has(name)) this._listeners.set(name, new Set());
    this._listeners.get(name).add(fn);
    return () => this.off(name, fn);
  }

  off(name, fn) {
    this._listeners.get(name)?.delete(fn);
  }

  _emit(name, payload) {
    for (const fn of [...(this._listeners.get(name) || [])]) {
      try {
        fn(payload);
      } catch (error) {
        console.error(`SwitchboardClient: a "${name}" listener threw`, error);
      }
    }
  }

  // ---- connection ------------------------------------------------------------------------

  /** Opens the connection; resolves once the hub welcomed (and authenticated) it. */
  connect() {
    this._stopped = false;
    if (typeof globalThis.addEventListener === 'function')
      globalThis.addEventListener('online', this._onOnline);
    if (this.state === 'closed') this._openNow();
    return this.ready();
  }

  /** Resolves when the client is ready (now, or after the next (re)connection). */
  ready(timeoutMs = this.options.requestTimeoutMs) {
    if (this._ready) return Promise.resolve(this);
    if (this._stopped) return Promise.reject(new SwitchboardError('CLOSED', 'the client is closed'));
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject };
      waiter.timer = setTimeout(() => {
        this._readyWaiters = this._readyWaiters.filter((w) => w !== waiter);
        reject(new SwitchboardError('TIMEOUT', 'not connected in time'));
      }, timeoutMs);
      this._readyWaiters.push(waiter);
    });
  }

  /** Closes the connection cleanly (code 1000) and stops reconnecting. */
  close(code = 1000, reason = 'client closed') {
    this._stopped = true;
    if (typeof globalThis.removeEventListener === 'function')
      globalThis.removeEventListener('online', this._onOnline);
    clearTimeout(this._reconnectTimer);
    this._reconnectTimer = null;
    const ws = this._ws;
    this._teardown();
    if (ws && ws.readyState <= 1) ws.close(code, reason);
    this._failWaiters(new SwitchboardError('CLOSED', 'the client was closed'));
    this._setState('closed');
  }

  /** Replaces the token; the next (re)connection uses it. */
  setToken(token) {
    this.token = token || '';
  }

  /** Closes the socket as if the network dropped it; the client reconnects and resumes. */
  reconnectNow() {
    if (this._ws) this._drop(this._ws, 4000, 'reconnect requested');
  }

  // Closes `ws` and goes on at once, without waiting for a closing handshake that a dead
  // connection would never finish.
  _drop(ws, code, reason) {
    ws.close(code, reason);
    this._onClose(ws, code, reason);
  }

  _setState(state) {
    if (this.state === state) return;
    this.state = state;
    this._emit('state', state);
  }

  _openNow() {
    clearTimeout(this._reconnectTimer);
    this._reconnectTimer = null;
    this._setState(this._everReady ? 'reconnecting' : 'connecting');
    let url = this.url;
    if (this.token && this.options.tokenInQuery)
      url += (url.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(this.token);
    let ws;
    try {
      ws = new this.WebSocketClass(url);
    } catch (error) {
      this._scheduleReconnect(1006, String(error.message || error));
      return;
    }
    this._ws = ws;
    ws.onmessage = (message) => this._onMessage(ws, message.data);
    ws.onclose = (event) => this._onClose(ws, event.code, event.reason);
    ws.onerror = () => {}; // a close event follows with the code
  }

  _teardown() {
    if (this._ws) {
      this._ws.onmessage = null;
      this._ws.onclose = null;
      this._ws.onerror = null;
    }
    this._ws = null;
    this._ready = false;
    clearInterval(this._heartbeatTimer);
    this._heartbeatTimer = null;
    for (const [, pending] of this._pending) {
      clearTimeout(pending.timer);
      pending.reject(new SwitchboardError('DISCONNECTED', 'the connection closed'));
    }
    this._pending.clear();
  }

  _onClose(ws, code, reason) {
    if (ws !== this._ws) return;
    this._teardown();
    const willReconnect = !this._stopped && !!this.reconnectOptions;
    this._emit('close', { code, reason, willReconnect });
    if (willReconnect) this._scheduleReconnect(code, reason);
    else {
      this._failWaiters(new SwitchboardError('CLOSED', `closed (${code})`));
      this._setState('closed');
    }
  }

  _scheduleReconnect(code, reason) {
    const delayMs = backoffDelay(this._attempt, this.reconnectOptions);
    this._attempt += 1;
    this.stats.reconnects += 1;
    this._setState('reconnecting');
    this._emit('reconnecting', { attempt: this._attempt, delayMs, code, reason });
    this._reconnectTimer = setTimeout(() => this._openNow(), delayMs);
  }

  _failWaiters(error) {
    const waiters = this._readyWaiters;
    this._readyWaiters = [];
    for (const waiter of waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }

  // ---- after the welcome: authenticate, restore subscriptions and rooms --------------------

  async _establish(ws, welcome) {
    // A resync from here on means events were missed, not how far back history goes.
    this._history.clear();
    this._rewinding.clear();
    this.welcome = welcome;
    this.sessionId = welcome.session_id || null;
    this._emit('welcome', welcome);
    this._setState('open');
    this._startHeartbeat(welcome.heartbeat_ms);
    try {
      if (this.token && !this.options.tokenInQuery) {
        this.user = await this._request(ws, 'auth', { token: this.token });
      }
      await this._restoreTopics(ws);
      for (const room of [...this.rooms]) {
        // A re-join starts the room afresh: its members are announced again.
        this.seqs.delete(`room:${room}`);
        try {
          this._noteJoined(room, await this._request(ws, 'join_room', { room }));
        } catch (error) {
          if (!this._refused(error, `room ${room}`)) throw error;
          this.rooms.delete(room);
        }
      }
    } catch (error) {
      if (ws !== this._ws) return;
      if (error.code === 'AUTHENTICATION_FAILED') {
        this._emit('auth_failed', { code: error.code, error: error.message });
        this.close(1000, 'authentication failed');
        return;
      }
      this._drop(ws, 4001, 'could not restore the session'); // reconnects with backoff
      return;
    }
    if (ws !== this._ws) return;
    const resumed = this._everReady;
    this._everReady = true;
    this._attempt = 0;
    this._ready = true;
    this._emit('ready', { sessionId: this.sessionId, resumed, user: this.user });
    const waiters = this._readyWaiters;
    this._readyWaiters = [];
    for (const waiter of waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(this);
    }
  }

  // Subscribes again to every wanted topic, from its last seq. Subscribing is all or nothing:
  // when the hub refuses one topic now, the others are restored one by one and the refused
  // ones dropped (an `error` event says which).
  async _restoreTopics(ws) {
    if (!this.topics.size) return;
    try {
      await this._request(ws, 'subscribe', this._subscription([...this.topics]));
      return;
    } catch (error) {
      if (!this._refused(error)) throw error;
    }
    for (const topic of [...this.topics]) {
      try {
        await this._request(ws, 'subscribe', this._subscription([topic]));
      } catch (error) {
        if (!this._refused(error, `topic ${topic}`)) throw error;
        this.topics.delete(topic);
        this.seqs.delete(topic);
      }
    }
  }

  // True for a refusal of one subscription (not of the connection); reported when `what` names it.
  _refused(error, what) {
    const refusal = ['PERMISSION_DENIED', 'ROOM_NOT_FOUND', 'NOT_FOUND'].includes(error.code);
    if (refusal && what) this._emit('error', { type: 'error', code: error.code, error: `${what}: ${error.message}` });
    return refusal;
  }

  // The subscribe request for `topics`, with `since` for every topic already seen.
  _subscription(topics) {
    const since = {};
    for (const topic of topics) if (this.seqs.has(topic)) since[topic] = this.seqs.get(topic);
    return Object.keys(since).length ? { topics, since } : { topics };
  }

  _startHeartbeat(hubHeartbeatMs) {
    clearInterval(this._heartbeatTimer);
    const interval = this.options.heartbeatMs || hubHeartbeatMs || 25000;
    this._heartbeatTimer = setInterval(() => {
      const ws = this._ws;
      if (!ws) return;
      if (Date.now() - this._lastReceivedAt > interval + this.options.heartbeatTimeoutMs) {
        this._drop(ws, 4002, 'heartbeat timeout'); // silent too long: reconnect
        return;
      }
      this._request(ws, 'ping', undefined, this.options.heartbeatTimeoutMs).catch(() => {});
    }, interval);
  }

  // ---- receiving ----------------------------------------------------------------------------

  _onMessage(ws, text) {
    if (ws !== this._ws) return;
    this._lastReceivedAt = Date.now();
    this.stats.received += 1;
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    this._emit('message', message);
    switch (message.type) {
      case 'welcome':
        this._establish(ws, message.data || {});
        return;
      case 'event':
        this._onEvent(message);
        return;
      case 'resync':
        this._onResync(message.data?.topic ?? message.topic);
        return;
      default:
        break;
    }
    const pending = message.id != null ? this._pending.get(String(message.id)) : undefined;
    if (pending) {
      this._pending.delete(String(message.id));
      clearTimeout(pending.timer);
      if (message.type === 'error')
        pending.reject(new SwitchboardError(message.code, message.error, message));
      else pending.resolve(message);
      return;
    }
    if (message.type === 'error') this._emit('error', message);
  }

  _onEvent(message) {
    const { topic, seq } = message;
    if (this._rewinding.has(topic)) return; // the new subscription replays it
    const last = this.seqs.get(topic);
    if (typeof seq === 'number' && last !== undefined) {
      if (seq <= last) return; // already delivered (replayed across a resume)
      if (seq !== last + 1) {
        this.stats.gaps += 1;
        this._emit('gap', { topic, expected: last + 1, got: seq });
      }
    }
    if (typeof seq === 'number') this.seqs.set(topic, seq);
    this._emit('event', message);
    this._emit(`event:${topic}`, message);
  }

  _onResync(topic) {
    if (!topic) return;
    const history = this._history.get(topic);
    this._history.delete(topic);
    if (history) {
      // A first subscription asked for the past: a resync only says how far back it goes.
      this._rewind(topic, history).then((rewound) => {
        if (!rewound) this.seqs.set(topic, this._ackSeqs[topic] ?? 0);
      });
      return;
    }
    this.stats.resyncs += 1;
    // Continue from the hub's current sequence number (the subscribe ack carried it).
    const current = this._ackSeqs[topic];
    if (current !== undefined) this.seqs.set(topic, current);
    else this.seqs.delete(topic);
    this._emit('resync', { topic });
  }

  // ---- sending ------------------------------------------------------------------------------

  _request(ws, type, data, timeoutMs = this.options.requestTimeoutMs) {
    const id = `c${this._nextId++}`;
    const message = data === undefined ? { type, id } : { type, id, data };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this._pending.delete(id);
        reject(new SwitchboardError('TIMEOUT', `no reply to ${type} in ${timeoutMs} ms`));
      }, timeoutMs);
      this._pending.set(id, {
        timer,
        reject,
        resolve: (reply) => {
          if (type === 'subscribe') this._noteSubscribed(data, reply.data || {});
          resolve(reply.type === 'ack' ? reply.data || {} : reply);
        },
      });
      try {
        this._write(ws, message);
      } catch (error) {
        clearTimeout(timer);
        this._pending.delete(id);
        reject(error);
      }
    });
  }

  // A subscribe ack carries each topic's current seq: a topic never seen continues from it.
  _noteSubscribed(request, ack) {
    const current = ack.seq || {};
    this._ackSeqs = { ...this._ackSeqs, ...current };
    for (const topic of request.topics || [])
      if (!this.seqs.has(topic) && typeof current[topic] === 'number')
        this.seqs.set(topic, current[topic]);
  }

  _noteJoined(room, ack) {
    const topic = `room:${room}`;
    if (!this.seqs.has(topic) && typeof ack?.seq === 'number') this.seqs.set(topic, ack.seq);
  }

  _write(ws, message) {
    if (!ws || ws.readyState !== 1) throw new SwitchboardError('DISCONNECTED', 'not connected');
    ws.send(JSON.stringify(message));
    this.stats.sent += 1;
    this._emit('sent', message);
  }

  /**
   * Sends `{type, id, data}` and resolves with the ack's data (the pong for a ping);
   * rejects with a SwitchboardError carrying the hub's error code. Waits for the connection
   * when it is being re-established.
   */
  async request(type, data, timeoutMs = this.options.requestTimeoutMs) {
    await this.ready(timeoutMs);
    return this._request(this._ws, type, data, timeoutMs);
  }

  /** Sends a raw message object as it is (no id bookkeeping); throws when not connected. */
  send(message) {
    this._write(this._ws, message);
  }

  /** Subscribes to topics, now and after every reconnect, resuming each from its last seq. */
  async subscribe(topics, { history = 0 } = {}) {
    const list = [].concat(topics).filter((t) => !this.topics.has(t));
    list.forEach((t) => this.topics.add(t));
    // Not connected: restored with the others on (re)connection.
    if (!list.length || !this._ready) return this._ready || this._stopped ? {} : this.ready().then(() => ({}));
    // With `history`, a topic never seen starts with its recent past: everything the hub
    // still holds (since 0), or else its last `history` events.
    for (const topic of list)
      if (history > 0 && !this.seqs.has(topic)) {
        this.seqs.set(topic, 0);
        this._history.set(topic, history);
      }
    try {
      return await this._request(this._ws, 'subscribe', this._subscription(list));
    } catch (error) {
      list.forEach((t) => {
        this.topics.delete(t);
        if (this._history.delete(t)) this.seqs.delete(t);
      });
      throw error;
    }
  }

  // The hub's history does not reach back to seq 1: subscribe again from `history` events
  // before the current seq. Events of the topic arriving meanwhile are dropped: the new
  // subscription replays them.
  async _rewind(topic, history) {
    const current = this._ackSeqs[topic];
    const ws = this._ws;
    if (typeof current !== 'number' || current <= history || !ws) return false;
    this._rewinding.add(topic);
    try {
      await this._request(ws, 'unsubscribe', { topics: [topic] });
      this.seqs.set(topic, current - history);
      await this._request(ws, 'subscribe', this._subscription([topic]));
    } catch {
      this.seqs.set(topic, this._ackSeqs[topic] ?? current); // live from here on
    } finally {
      this._rewinding.delete(topic);
    }
    return true;
  }

  /** Stops receiving topics and forgets their seq. */
  async unsubscribe(topics) {
    const list = [].concat(topics);
    list.forEach((t) => {
      this.topics.delete(t);
      this.seqs.delete(t);
    });
    return this._ready ? this._request(this._ws, 'unsubscribe', { topics: list }) : {};
  }

  /** Publishes an event (needs a service or admin token, or a hub with auth off). */
  publish(topic, event, data = {}) {
    return this.request('publish', { topic, event, data });
  }

  /** Joins a room (re-joined after every reconnect); its events arrive on topic `room:{room}`. */
  async joinRoom(room) {
    const ack = await this.request('join_room', { room });
    this.rooms.add(room);
    this._noteJoined(room, ack);
    return ack;
  }

  async leaveRoom(room) {
    this.rooms.delete(room);
    this.seqs.delete(`room:${room}`);
    return this.request('leave_room', { room });
  }

  /** The last sequence number seen on `topic` (undefined before the first). */
  lastSeq(topic) {
    return this.seqs.get(topic);
  }
}

export default SwitchboardClient;
