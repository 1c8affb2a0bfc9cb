// The Switchboard web dashboard (SPEC §10): the console's view for a remote browser, built on
// /client.js. One /ws/v1 connection carries every live panel; REST fills in state (jobs, hub
// health, statistics) and is fetched afresh when the hub says history cannot cover a gap.

import { SwitchboardClient } from '/client.js';
import uPlot from '/vendor/uplot/uPlot.esm.js';

const TOKEN_KEY = 'switchboard.token';
const ANONYMOUS_KEY = 'switchboard.anonymous';
const LIVE_TOPICS = ['jobs', 'trading', 'logs', 'system_metrics', 'status'];
// Topics whose recent past the page shows at once (jobs come from REST instead).
const HISTORY = { trading: 600, logs: 500, system_metrics: 150, status: 300 };
const MAX_POINTS = 1000;
const MAX_LOG_LINES = 2000;
const MAX_CLIENT_MESSAGES = 500;
const LEVELS = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3, CRITICAL: 4 };

const $ = (id) => document.getElementById(id);

// ---- language: English, or German when the browser asks for it ----------------------------------

// The page's words in German, keyed by their English text; anything missing stays English.
const GERMAN = {
  // sign-in and the top bar
  'Paste an access token (a JWT). It is kept in this browser tab only and is cleared when you close it. Issue one with':
    'Fügen Sie ein Zugangstoken (ein JWT) ein. Es bleibt nur in diesem Browser-Tab und wird beim Schließen gelöscht. Ausstellen mit',
  "or from the console's Tokens panel.": 'oder im Token-Bereich der Konsole.',
  'Access token': 'Zugangstoken',
  'Sign in': 'Anmelden',
  'Sign out': 'Abmelden',
  'Continue without a token': 'Ohne Token fortfahren',
  'Paste a token, or continue without one.': 'Fügen Sie ein Token ein oder fahren Sie ohne fort.',
  'That is not a JWT (three dot-separated parts).': 'Das ist kein JWT (drei durch Punkte getrennte Teile).',
  'The hub refused the token: {error}': 'Der Hub hat das Token abgelehnt: {error}',
  'not valid': 'ungültig',
  'This hub needs a token to show its live data.': 'Dieser Hub zeigt seine Live-Daten nur mit einem Token.',
  session: 'Sitzung',
  anonymous: 'anonym',
  Live: 'Live',
  Connecting: 'Verbinde',
  Reconnecting: 'Verbinde neu',
  Offline: 'Offline',
  'connection closed ({code}); attempt {attempt} in {seconds} s': 'Verbindung geschlossen ({code}); Versuch {attempt} in {seconds} s',
  'resumed at {time}': 'fortgesetzt um {time}',
  'Risk status': 'Risikostatus',
  'Risk: –': 'Risiko: –',
  'Risk: {status}': 'Risiko: {status}',
  // tabs
  Overview: 'Übersicht',
  Jobs: 'Jobs',
  Trading: 'Handel',
  Connections: 'Verbindungen',
  Topics: 'Themen',
  Alerts: 'Alarme',
  Logs: 'Protokoll',
  Rooms: 'Räume',
  Client: 'Client',
  // overview
  Hub: 'Hub',
  Uptime: 'Laufzeit',
  'Messages / s': 'Nachrichten / s',
  'Events published': 'Veröffentlichte Ereignisse',
  Healthy: 'Gesund',
  Unreachable: 'Nicht erreichbar',
  'since {time}': 'seit {time}',
  'in + out, from {source}': 'ein + aus, aus {source}',
  '{n} authenticated': '{n} angemeldet',
  '{n} active room': '{n} aktiver Raum',
  '{n} active rooms': '{n} aktive Räume',
  'details need an admin token': 'Details brauchen ein Admin-Token',
  'running · {queued} queued': 'laufen · {queued} wartend',
  Traffic: 'Verkehr',
  'messages per second': 'Nachrichten pro Sekunde',
  'Hub-wide figures need an admin token.': 'Zahlen für den ganzen Hub brauchen ein Admin-Token.',
  System: 'System',
  'CPU {cpu} % · memory {used} of {total} · net {in}/s in, {out}/s out':
    'CPU {cpu} % · Speicher {used} von {total} · Netz {in}/s ein, {out}/s aus',
  'CPU %': 'CPU %',
  'Memory %': 'Speicher %',
  'Disk %': 'Festplatte %',
  'Messages in / s': 'Nachrichten ein / s',
  'Messages out / s': 'Nachrichten aus / s',
  'Events published / s': 'Veröffentlichte Ereignisse / s',
  'Live topics': 'Live-Themen',
  '(sequence numbers this page has seen)': '(Folgenummern, die diese Seite gesehen hat)',
  Topic: 'Thema',
  'Last seq': 'Letzte Folgenr.',
  Events: 'Ereignisse',
  Gaps: 'Lücken',
  Resyncs: 'Neusynchronisierungen',
  'not allowed for this sign-in': 'für diese Anmeldung nicht erlaubt',
  'system_alert on topic status': 'system_alert auf dem Thema status',
  Time: 'Zeit',
  Severity: 'Schweregrad',
  Alert: 'Alarm',
  'No alerts.': 'Keine Alarme.',
  info: 'Info',
  warning: 'Warnung',
  critical: 'kritisch',
  // charts
  'Time range': 'Zeitraum',
  '15 min': '15 Min.',
  '1 hour': '1 Stunde',
  '24 hours': '24 Stunden',
  Pause: 'Pause',
  Resume: 'Weiter',
  'Hold the chart still': 'Diagramm anhalten',
  'Save the chart as a PNG image': 'Diagramm als PNG-Bild speichern',
  // cluster
  Cluster: 'Cluster',
  'This hub on its own (no Redis).': 'Dieser Hub allein (ohne Redis).',
  'The nodes and Redis shards need an admin token.': 'Knoten und Redis-Shards brauchen ein Admin-Token.',
  Node: 'Knoten',
  Address: 'Adresse',
  'In/s': 'Ein/s',
  'Out/s': 'Aus/s',
  'Up for': 'Läuft seit',
  'Last seen': 'Zuletzt gesehen',
  'Redis shard': 'Redis-Shard',
  State: 'Zustand',
  Reconnects: 'Neuverbindungen',
  connected: 'verbunden',
  unreachable: 'nicht erreichbar',
  Degraded: 'Beeinträchtigt',
  'this node': 'dieser Knoten',
  '{n} nodes': '{n} Knoten',
  '{n} node': '{n} Knoten',
  '{s} s ago': 'vor {s} s',
  // jobs
  'Submit a job': 'Job starten',
  Type: 'Typ',
  Submit: 'Starten',
  Job: 'Job',
  Status: 'Status',
  Progress: 'Fortschritt',
  Message: 'Meldung',
  Created: 'Erstellt',
  'No jobs yet.': 'Noch keine Jobs.',
  Cancel: 'Abbrechen',
  Result: 'Ergebnis',
  'Open report': 'Bericht öffnen',
  '{n} rows': '{n} Zeilen',
  '{running} running · {queued} queued · {n} listed': '{running} laufen · {queued} wartend · {n} aufgeführt',
  'numbers, comma-separated': 'Zahlen, durch Kommas getrennt',
  optional: 'optional',
  'The report could not be opened (HTTP {status}).': 'Der Bericht ließ sich nicht öffnen (HTTP {status}).',
  running: 'läuft',
  queued: 'wartet',
  completed: 'fertig',
  failed: 'fehlgeschlagen',
  cancelled: 'abgebrochen',
  interrupted: 'unterbrochen',
  // trading
  'Total equity': 'Gesamtkapital',
  'Peak equity': 'Höchststand',
  Drawdown: 'Rückgang',
  Risk: 'Risiko',
  Equity: 'Kapital',
  Positions: 'Positionen',
  Symbol: 'Symbol',
  'Spot entry': 'Einstieg Spot',
  'Perp entry': 'Einstieg Perp',
  Qty: 'Menge',
  'Unrealized PnL': 'Unrealisierter G/V',
  Funding: 'Finanzierung',
  'No positions reported yet.': 'Noch keine Positionen gemeldet.',
  'Equity updates': 'Kapitalmeldungen',
  Seq: 'Folgenr.',
  Total: 'Gesamt',
  Peak: 'Höchststand',
  '{n} points': '{n} Punkte',
  'updated {time}': 'aktualisiert {time}',
  '{percent} below peak': '{percent} unter dem Höchststand',
  'at peak': 'am Höchststand',
  'daily loss {percent}': 'Tagesverlust {percent}',
  normal: 'normal',
  'soft pause': 'weiche Pause',
  'hard stop': 'harter Stopp',
  unknown: 'unbekannt',
  open: 'offen',
  closed: 'geschlossen',
  // connections
  'Slowest first': 'Langsamste zuerst',
  'Filter by user, endpoint, topic': 'Benutzer, Endpunkt, Thema',
  ID: 'ID',
  User: 'Benutzer',
  Endpoint: 'Endpunkt',
  'Msgs in': 'Nachr. ein',
  'Msgs out': 'Nachr. aus',
  'Bytes out': 'Bytes aus',
  Queue: 'Warteschlange',
  Connection: 'Verbindung',
  Disconnect: 'Trennen',
  'Select a connection.': 'Wählen Sie eine Verbindung.',
  'Outbound queue': 'Ausgangswarteschlange',
  '{shown} of {total}': '{shown} von {total}',
  'This connection has closed.': 'Diese Verbindung ist geschlossen.',
  user: 'Benutzer',
  dialect: 'Dialekt',
  address: 'Adresse',
  'token expires': 'Token läuft ab',
  messages: 'Nachrichten',
  topics: 'Themen',
  'no token': 'kein Token',
  none: 'keine',
  '{in} in, {out} out': '{in} ein, {out} aus',
  '{in}/s in, {out}/s out': '{in}/s ein, {out}/s aus',
  '{used} of {cap} ({percent} %)': '{used} von {cap} ({percent} %)',
  // topics
  'Filter topics': 'Themen filtern',
  Subscribers: 'Abonnenten',
  'By dialect': 'Nach Dialekt',
  'Events/s': 'Ereignisse/s',
  'Deliveries/s': 'Zustellungen/s',
  History: 'Verlauf',
  Age: 'Alter',
  'Last event': 'Letztes Ereignis',
  'Last events': 'Letzte Ereignisse',
  'Select a topic to see its last events, newest at the bottom.': 'Wählen Sie ein Thema, um seine letzten Ereignisse zu sehen, die neuesten unten.',
  // alerts
  Fired: 'Ausgelöst',
  Rule: 'Regel',
  Acknowledged: 'Bestätigt von',
  Acknowledge: 'Bestätigen',
  'No alerts yet.': 'Noch keine Alarme.',
  firing: 'aktiv',
  resolved: 'behoben',
  '{firing} firing · {n} in the history': '{firing} aktiv · {n} im Verlauf',
  // alert rules
  Rules: 'Regeln',
  '{n} rule': '{n} Regel',
  '{n} rules': '{n} Regeln',
  'Edit as JSON': 'Als JSON bearbeiten',
  'Edit as form': 'Als Formular bearbeiten',
  'Rules as JSON': 'Regeln als JSON',
  Name: 'Name',
  Series: 'Messreihe',
  Condition: 'Bedingung',
  Threshold: 'Schwellenwert',
  'For (s)': 'Dauer (s)',
  'Webhook URL': 'Webhook-URL',
  Summary: 'Beschreibung',
  'No rules yet. Add one to watch a series.': 'Noch keine Regeln. Fügen Sie eine hinzu, um eine Messreihe zu überwachen.',
  'Add rule': 'Regel hinzufügen',
  'Save rules': 'Regeln speichern',
  Remove: 'Entfernen',
  'Remove this rule': 'Diese Regel entfernen',
  'Unsaved changes.': 'Ungespeicherte Änderungen.',
  'Required.': 'Pflichtfeld.',
  'Enter a number.': 'Geben Sie eine Zahl ein.',
  'This name is used twice.': 'Dieser Name kommt zweimal vor.',
  "1 to 64 letters, digits, '_', '.' or '-'.": "1 bis 64 Buchstaben, Ziffern, '_', '.' oder '-'.",
  'A whole number of seconds from 0 to {max}.': 'Eine ganze Zahl von Sekunden von 0 bis {max}.',
  'An http:// or https:// address.': 'Eine http://- oder https://-Adresse.',
  'At most 200 characters.': 'Höchstens 200 Zeichen.',
  'Choose one of the list.': 'Wählen Sie einen Eintrag der Liste.',
  '"{name}" is not a series on this hub.': '„{name}“ ist keine Messreihe dieses Hubs.',
  'Correct the marked fields; nothing was saved.': 'Bitte korrigieren Sie die markierten Felder; nichts wurde gespeichert.',
  'The hub refused a field; nothing was saved.': 'Der Hub hat ein Feld abgelehnt; nichts wurde gespeichert.',
  'The hub refused the rules: {error}': 'Der Hub hat die Regeln abgelehnt: {error}',
  'The rules are a JSON array of objects.': 'Die Regeln sind ein JSON-Array von Objekten.',
  'Saved {n} rule(s) at {time}.': '{n} Regel(n) um {time} gespeichert.',
  'Series: {metrics}. Conditions: > >= < <= == !=. Severity: info, warning, critical.':
    'Messreihen: {metrics}. Bedingungen: > >= < <= == !=. Schweregrad: info, warning, critical.',
  // logs
  Level: 'Stufe',
  All: 'Alle',
  'Info and above': 'Info und höher',
  'Warnings and errors': 'Warnungen und Fehler',
  'Errors only': 'Nur Fehler',
  'Search module or message': 'Modul oder Meldung suchen',
  Clear: 'Leeren',
  '{shown} of {total} lines': '{shown} von {total} Zeilen',
  // rooms
  'Join a room': 'Einem Raum beitreten',
  Join: 'Beitreten',
  'room id, e.g. sheet-42': 'Raum-ID, z. B. sheet-42',
  'Rooms on this hub': 'Räume auf diesem Hub',
  Room: 'Raum',
  Users: 'Benutzer',
  'Last activity': 'Letzte Aktivität',
  Messages: 'Nachrichten',
  Leave: 'Verlassen',
  '{n} present': '{n} anwesend',
  'Listing every room needs an admin token.': 'Die Liste aller Räume braucht ein Admin-Token.',
  'This hub does not list its rooms. Rooms you join here show their members live.':
    'Dieser Hub listet seine Räume nicht auf. Räume, denen Sie hier beitreten, zeigen ihre Mitglieder live.',
  'No active rooms.': 'Keine aktiven Räume.',
  // client
  Compose: 'Verfassen',
  "sent on this page's /ws/v1 connection": 'gesendet über die /ws/v1-Verbindung dieser Seite',
  Template: 'Vorlage',
  Send: 'Senden',
  Format: 'Formatieren',
  Filter: 'Filter',
  'Not JSON: {error}': 'Kein JSON: {error}',
  'A message is a JSON object with a string "type".': 'Eine Nachricht ist ein JSON-Objekt mit einem String „type“.',
};

const GERMAN_PAGE = (navigator.languages?.[0] || navigator.language || 'en').toLowerCase().startsWith('de');

/** `text` in the browser's language, with {name} placeholders filled from `values`. */
function t(text, values = {}) {
  const template = (GERMAN_PAGE && GERMAN[text]) || text;
  return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ''));
}

// The static page in German: every text node and placeholder, title and aria-label whose English
// is in the table (whitespace folded), and those marked data-i18n; code, logs and messages as
// they are.
function translatePage() {
  if (!GERMAN_PAGE) return;
  document.documentElement.lang = 'de';
  const fold = (text) => text.replace(/\s+/g, ' ').trim();
  for (const node of document.querySelectorAll('[data-i18n]')) {
    if (GERMAN[node.dataset.i18n]) node.textContent = GERMAN[node.dataset.i18n];
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) =>
      node.parentElement.closest('code, pre, script, style, .log-view, .message-log, textarea, [translate="no"]')
        ? NodeFilter.FILTER_REJECT
        : NodeFilter.FILTER_ACCEPT,
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const key = fold(node.nodeValue);
    if (key && GERMAN[key]) {
      const lead = /^\s*/.exec(node.nodeValue)[0] ? ' ' : '';
      const tail = /\s*$/.exec(node.nodeValue)[0] ? ' ' : '';
      node.nodeValue = lead + GERMAN[key] + tail;
    }
  }
  for (const attribute of ['placeholder', 'title', 'aria-label'])
    for (const node of document.querySelectorAll(`[${attribute}]`)) {
      const key = fold(node.getAttribute(attribute));
      if (GERMAN[key]) node.setAttribute(attribute, GERMAN[key]);
    }
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

const money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const integer = new Intl.NumberFormat();
const formatMoney = (value) => (Number.isFinite(value) ? money.format(value) : '–');
const formatPercent = (value) => (Number.isFinite(value) ? `${(value * 100).toFixed(2)} %` : '–');
const formatTime = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');

function formatDuration(seconds) {
  if (!Number.isFinite(seconds)) return '–';
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${Math.floor(seconds % 60)}s`;
  return `${Math.floor(seconds)}s`;
}

function formatBytes(value) {
  if (!Number.isFinite(value)) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i += 1;
  }
  return `${value.toFixed(i ? 1 : 0)} ${units[i]}`;
}

// Runs `fn` at most once per animation frame however often it is asked for.
function throttled(fn) {
  let scheduled = false;
  return () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      fn();
    });
  };
}

// ---- session: the token, REST calls ------------------------------------------------------------

const session = {
  token: '',
  client: null,
  // What the hub says of this sign-in (GET /api/v1/me): the dashboard asks only for what the
  // role may see, so an anonymous or user session never provokes a 401 or 403.
  me: null,
  adminRoutes: false,

  async whoami() {
    const reply = await this.api('/api/v1/me');
    this.me = reply.ok ? reply.json : { authenticated: false, admin: false, role: 'anonymous' };
    this.adminRoutes = !!this.me.admin;
    document.body.dataset.admin = String(this.adminRoutes);
    for (const node of document.querySelectorAll('[data-admin-only]')) node.hidden = !this.adminRoutes;
    return this.me;
  },

  // Whether the hub answered /api/v1/me and did not take this tab's token (bad signature,
  // expired): the route is public, so it says so without a 401.
  tokenRefused() {
    return !!this.token && this.me?.authenticated === false && ['required', 'optional'].includes(this.me?.auth_mode);
  },

  // GET of an administrators' route, asked only when the hub said this sign-in may.
  async adminApi(path) {
    if (!this.adminRoutes) return { ok: false, status: 403, json: null };
    const reply = await this.api(path);
    if (reply.status === 401 || reply.status === 403) this.adminRoutes = false;
    return reply;
  },

  // A token handed over in the address (#token=...) is moved into this tab's storage at once.
  restore() {
    const hash = new URLSearchParams(location.hash.slice(1));
    if (hash.get('token')) {
      sessionStorage.setItem(TOKEN_KEY, hash.get('token'));
      sessionStorage.removeItem(ANONYMOUS_KEY);
      history.replaceState(null, '', location.pathname + location.search);
    }
    this.token = sessionStorage.getItem(TOKEN_KEY) || '';
    return this.token !== '' || sessionStorage.getItem(ANONYMOUS_KEY) === '1';
  },

  async api(path, { method = 'GET', body } = {}) {
    const headers = { Accept: 'application/json' };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch (error) {
      return { ok: false, status: 0, json: { error: String(error.message || error) } };
    }
    let json = null;
    const type = response.headers.get('Content-Type') || '';
    if (type.startsWith('application/json')) json = await response.json().catch(() => null);
    else json = { text: await response.text() };
    return { ok: response.ok, status: response.status, json };
  },
};

// ---- charts ------------------------------------------------------------------------------------

const axisStyle = {
  stroke: '#8e949e',
  grid: { stroke: 'rgba(255,255,255,0.06)', width: 1 },
  ticks: { stroke: 'rgba(255,255,255,0.1)', width: 1 },
};

// Clock time on the x axis, as precise as the ticks are: seconds when they fall between whole
// minutes (a span of a few minutes), minutes within a day, the weekday beyond.
function timeAxisValues(u, ticks, axis, space, increment) {
  const span = (u.scales.x.max ?? 0) - (u.scales.x.min ?? 0);
  const step = increment || (ticks.length > 1 ? ticks[1] - ticks[0] : span);
  const options =
    span > 86400
      ? { weekday: 'short', hour: '2-digit', minute: '2-digit' }
      : step >= 60
        ? { hour: '2-digit', minute: '2-digit' }
        : { hour: '2-digit', minute: '2-digit', second: '2-digit' };
  return ticks.map((t) => new Date(t * 1000).toLocaleTimeString([], options));
}

function makeChart(container, height, series, yFormat) {
  const options = {
    width: Math.max(320, container.clientWidth),
    height,
    cursor: { drag: { x: true, y: false } },
    padding: [null, 44, null, null], // room for the last time label, centred on its tick
    scales: { x: { time: true } },
    legend: { live: true },
    axes: [
      { ...axisStyle, values: timeAxisValues, space: 100 },
      { ...axisStyle, size: 72, values: (u, ticks) => ticks.map(yFormat) },
    ],
    series: [{ label: t('Time') }, ...series],
  };
  const chart = new uPlot(options, [[], ...series.map(() => [])], container);
  new ResizeObserver(() => {
    const width = container.clientWidth;
    if (width > 0 && width !== chart.width) chart.setSize({ width, height });
  }).observe(container);
  return chart;
}

// A chart that opens with the hub's history (GET /api/v1/series, SPEC §13): a range selector
// (15 min, 1 h, 24 h), Pause, and PNG export in its card's title. `names` are the hub's series,
// drawn in that order; `scale` divides values (bytes to KiB).
class HistoryChart {
  constructor(name, chart, container, names, { scale = 1 } = {}) {
    this.chart = chart;
    this.container = container;
    this.names = names;
    this.scale = scale;
    this.range = '15m';
    this.paused = false;
    this.history = []; // [time (s), values] from GET /api/v1/series, oldest first
    this.live = []; // [time (s), values] from events, oldest first
    this.x = [];
    this.ys = names.map(() => []);
    const tools = document.querySelector(`.chart-tools[data-chart="${name}"]`);
    if (tools) {
      const range = el('select', { className: 'range', title: t('Time range') },
        el('option', { value: '15m' }, t('15 min')), el('option', { value: '1h' }, t('1 hour')), el('option', { value: '24h' }, t('24 hours')));
      range.addEventListener('change', () => {
        this.range = range.value;
        this.load();
      });
      const pause = el('button', { type: 'button', className: 'ghost pause', textContent: t('Pause'), title: t('Hold the chart still') });
      pause.addEventListener('click', () => {
        this.paused = !this.paused;
        pause.textContent = this.paused ? t('Resume') : t('Pause');
        pause.setAttribute('aria-pressed', String(this.paused));
        if (!this.paused) this.load();
      });
      const png = el('button', { type: 'button', className: 'ghost png', textContent: 'PNG', title: t('Save the chart as a PNG image') });
      png.addEventListener('click', () => this.savePng(`${name}.png`));
      tools.replaceChildren(range, pause, png);
    }
    this.redraw = throttled(() => {
      this.compose();
      this.chart.setData([this.x, ...this.ys]);
      this.container.dataset.points = String(this.x.length);
      this.container.dataset.inOrder = String(this.x.every((t, i) => i === 0 || this.x[i - 1] <= t));
      this.container.dataset.range = this.range;
      if (this.x.length) this.container.dataset.lastValue = String(this.ys[0][this.x.length - 1]);
    });
  }

  async load() {
    if (this.paused) return;
    const reply = await session.api(`/api/v1/series?names=${this.names.join(',')}&range=${this.range}`);
    if (!reply.ok || this.paused) return;
    const times = new Map(); // second -> values
    this.names.forEach((name, i) => {
      for (const [ms, value] of reply.json[name] || []) {
        const t = ms / 1000;
        if (!times.has(t)) times.set(t, this.names.map(() => null));
        times.get(t)[i] = value / this.scale;
      }
    });
    this.history = [...times.entries()].sort((a, b) => a[0] - b[0]);
    // Live points the history now covers are dropped; those after its last sample stay.
    const last = this.lastHistoryTime();
    this.live = this.live.filter(([t]) => t > last);
    this.container.dataset.loaded = 'true';
    this.redraw();
  }

  lastHistoryTime() {
    return this.history.length ? this.history[this.history.length - 1][0] : -Infinity;
  }

  // A live point (an event the page received, or one replayed from the topic's history, which
  // may come before or after the hub's series were fetched): kept in time order.
  add(time, values) {
    if (this.paused || !Number.isFinite(time) || time <= this.lastHistoryTime()) return;
    let i = this.live.length;
    while (i > 0 && this.live[i - 1][0] > time) i -= 1;
    this.live.splice(i, 0, [time, values]);
    const newest = this.live[this.live.length - 1][0];
    const oldest = newest - { '15m': 900, '1h': 3600, '24h': 86400 }[this.range];
    while (this.live.length > 1 && (this.live[0][0] < oldest || this.live.length > 9000)) this.live.shift();
    this.redraw();
  }

  // The points drawn: the hub's samples, then the live points after the last of them.
  count() {
    const last = this.lastHistoryTime();
    return this.history.length + this.live.filter(([t]) => t > last).length;
  }

  compose() {
    const last = this.lastHistoryTime();
    const merged = this.history.concat(this.live.filter(([t]) => t > last));
    this.x = merged.map(([t]) => t);
    this.ys = this.names.map((_, i) => merged.map(([, v]) => v[i]));
  }

  savePng(file) {
    const canvas = this.container.querySelector('canvas');
    if (!canvas) return;
    const link = el('a', { href: canvas.toDataURL('image/png'), download: file });
    document.body.append(link);
    link.click();
    link.remove();
  }
}

// Every table with a CSV button exports what it shows.
function tableCsv(table) {
  const quote = (text) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const rows = [...table.querySelectorAll('tr')].filter((row) => !row.hidden && row.closest('table') === table);
  return rows
    .map((row) => [...row.cells].filter((c) => !c.classList.contains('actions')).map((c) => quote(c.textContent.trim())).join(','))
    .join('\r\n') + '\r\n';
}

function download(name, text, type = 'text/csv') {
  const link = el('a', { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
}

function initCsvButtons() {
  for (const button of document.querySelectorAll('button.csv'))
    button.addEventListener('click', () => download(`${button.dataset.table}.csv`, tableCsv($(button.dataset.table))));
}

// ---- overview ----------------------------------------------------------------------------------

const overview = {
  topicStats: new Map(), // topic -> {events, gaps, resyncs}
  lastMetrics: null,

  init() {
    this.systemChart = makeChart(
      $('system-chart'),
      220,
      [
        { label: t('CPU %'), stroke: '#73bf69', width: 2, fill: 'rgba(115,191,105,0.08)', points: { show: false } },
        { label: t('Memory %'), stroke: '#5794f2', width: 2, points: { show: false } },
        { label: t('Disk %'), stroke: '#f2cc0c', width: 1.5, dash: [4, 4], points: { show: false } },
      ],
      (v) => `${v} %`,
    );
    this.system = new HistoryChart('system', this.systemChart, $('system-chart'), ['cpu', 'memory', 'disk']);
    this.trafficChart = makeChart(
      $('traffic-chart'),
      220,
      [
        { label: t('Messages in / s'), stroke: '#b877d9', width: 2, points: { show: false } },
        { label: t('Messages out / s'), stroke: '#5794f2', width: 2, fill: 'rgba(87,148,242,0.08)', points: { show: false } },
        { label: t('Events published / s'), stroke: '#ff9830', width: 1.5, dash: [4, 4], points: { show: false } },
        { label: t('Connections'), stroke: '#73bf69', width: 1.5, points: { show: false } },
      ],
      (v) => integer.format(v),
    );
    this.traffic = new HistoryChart('traffic', this.trafficChart, $('traffic-chart'),
      ['messages_in', 'messages_out', 'events_published', 'connections']);
    this.renderTopics = throttled(() => this._renderTopics());
  },

  topic(topic) {
    if (!this.topicStats.has(topic)) this.topicStats.set(topic, { events: 0, gaps: 0, resyncs: 0 });
    return this.topicStats.get(topic);
  },

  onEvent(message) {
    this.topic(message.topic).events += 1;
    this.renderTopics();
    if (message.event === 'system_alert') {
      this.onAlert(message);
      if (!$('tab-alerts').hidden) alerts.load();
    }
    if (message.event === 'system_metrics') {
      const d = message.data || {};
      $('sys-latest').textContent = t('CPU {cpu} % · memory {used} of {total} · net {in}/s in, {out}/s out', {
        cpu: d.cpu_percent ?? '–',
        used: formatBytes(d.memory_used_bytes),
        total: formatBytes(d.memory_total_bytes),
        in: formatBytes(d.network_in_bytes_per_sec),
        out: formatBytes(d.network_out_bytes_per_sec),
      });
    }
  },

  onAlert(message) {
    const d = message.data || {};
    const severity = String(d.severity || 'info');
    $('alerts-table').tBodies[0].prepend(
      el(
        'tr',
        { dataset: { seq: String(message.seq) } },
        el('td', { className: 'muted' }, formatTime(message.ts)),
        el('td', {}, el('span', { className: 'status', dataset: { status: severity === 'critical' ? 'failed' : 'cancelled' } }, t(severity))),
        el('td', {}, d.message || d.alert_type || ''),
      ),
    );
    const rows = $('alerts-table').tBodies[0].rows;
    while (rows.length > 50) rows[rows.length - 1].remove();
    $('alerts-empty').hidden = true;
  },

  _renderTopics() {
    const body = $('topics-table').tBodies[0];
    body.replaceChildren(
      ...[...this.topicStats.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([topic, s]) =>
          el(
            'tr',
            { dataset: s.refused ? { topic, refused: '' } : { topic }, title: s.refused || '' },
            el('td', {}, el('code', {}, topic)),
            s.refused
              ? el('td', { className: 'num muted', colSpan: 4 }, t('not allowed for this sign-in'))
              : el('td', { className: 'num seq' }, String(session.client?.lastSeq(topic) ?? '–')),
            ...(s.refused
              ? []
              : [
                  el('td', { className: 'num' }, integer.format(s.events)),
                  el('td', { className: 'num gaps' }, String(s.gaps)),
                  el('td', { className: 'num' }, String(s.resyncs)),
                ]),
          ),
        ),
    );
  },

  async refresh() {
    const [liveness, health, stats, metrics] = await Promise.all([
      session.api('/health'),
      session.api('/api/v1/ws/health'),
      session.adminApi('/api/v1/ws/stats'),
      session.api('/metrics'),
    ]);
    if (health.ok) {
      const status = liveness.ok ? liveness.json.status : health.json.status;
      $('ov-status').textContent = status === 'healthy' ? t('Healthy') : status;
      $('ov-uptime').textContent = formatDuration(health.json.uptime_seconds);
      $('ov-started').textContent = t('since {time}', { time: new Date(Date.now() - health.json.uptime_seconds * 1000).toLocaleString() });
      $('ov-connections').textContent = integer.format(health.json.active_connections);
    } else {
      $('ov-status').textContent = health.status ? `HTTP ${health.status}` : t('Unreachable');
    }
    await cluster.refresh(health);
    const counters = metrics.ok ? parsePrometheus(metrics.json.text || '') : null;
    const now = performance.now();
    if (stats.ok) {
      $('ov-rate').textContent = stats.json.messages_per_second.toFixed(1);
      $('ov-rate-sub').textContent = t('in + out, from {source}', { source: '/api/v1/ws/stats' });
      $('ov-authenticated').textContent = t('{n} authenticated', { n: stats.json.authenticated_connections });
      $('ov-rooms').textContent = t(stats.json.rooms_active === 1 ? '{n} active room' : '{n} active rooms', { n: stats.json.rooms_active });
    } else if (counters && this.lastMetrics) {
      const seconds = (now - this.lastMetrics.at) / 1000;
      const moved =
        counters.switchboard_messages_in_total + counters.switchboard_messages_out_total -
        (this.lastMetrics.counters.switchboard_messages_in_total + this.lastMetrics.counters.switchboard_messages_out_total);
      $('ov-rate').textContent = (moved / seconds).toFixed(1);
      $('ov-rate-sub').textContent = t('in + out, from {source}', { source: '/metrics' });
      $('ov-authenticated').textContent = session.adminRoutes ? '' : t('details need an admin token');
    }
    if (counters) {
      $('ov-published').textContent = integer.format(counters.switchboard_events_published_total || 0);
      this.lastMetrics = { at: now, counters };
    }
    // Hub-wide charts are for administrators; the others are told so instead of refused.
    $('traffic-note').hidden = session.adminRoutes;
    $('system-note').hidden = session.adminRoutes;
    if (session.adminRoutes && !$('tab-overview').hidden) {
      this.traffic.load();
      this.system.load();
    }
  },

  async describe() {
    const info = await session.api('/');
    if (info.ok && info.json) $('ov-version').textContent = `${info.json.name} ${info.json.version}`;
  },
};

// ---- cluster: the nodes and Redis shards when the hub runs with --redis --------------------------

const cluster = {
  // `health` is GET /api/v1/ws/health (public): its `cluster` part says whether the hub is one
  // of several; the nodes and shards (GET /api/v1/cluster) are asked for by administrators only.
  async refresh(health) {
    const card = $('cluster-card');
    if (!health.ok || !health.json) return;
    card.hidden = false;
    const totals = health.json.cluster;
    if (!totals) {
      card.dataset.state = 'single';
      $('cluster-single').hidden = false;
      for (const id of ['cluster-problem', 'cluster-note', 'cluster-detail', 'cluster-state']) $(id).hidden = true;
      $('cluster-summary').textContent = '';
      return;
    }
    $('cluster-single').hidden = true;
    const serverNow = Date.parse(health.json.timestamp) || Date.now();
    const detail = session.adminRoutes ? await session.adminApi('/api/v1/cluster') : null;
    const degraded = detail?.ok ? !!detail.json.degraded : !!totals.degraded;
    card.dataset.state = degraded ? 'degraded' : 'ok';
    const state = $('cluster-state');
    state.hidden = false;
    state.dataset.state = degraded ? 'closed' : 'open';
    state.textContent = degraded ? t('Degraded') : t('Healthy');
    const count = detail?.ok ? detail.json.nodes.length : totals.nodes;
    $('cluster-summary').textContent = `${t(count === 1 ? '{n} node' : '{n} nodes', { n: count })} · ${totals.node}`;
    $('cluster-problem').hidden = !degraded;
    $('cluster-problem').textContent = degraded ? health.json.reason || t('Degraded') : '';
    $('cluster-note').hidden = !!detail?.ok;
    $('cluster-detail').hidden = !detail?.ok;
    if (!detail?.ok) return;
    const ago = (iso) => t('{s} s ago', { s: Math.max(0, Math.round((serverNow - Date.parse(iso)) / 1000)) });
    $('cluster-nodes').tBodies[0].replaceChildren(
      ...detail.json.nodes.map((node) =>
        el(
          'tr',
          { dataset: { node: node.name, self: String(!!node.self) }, className: node.self ? 'self' : '' },
          el('td', {}, node.name, node.self ? el('span', { className: 'muted small' }, ` (${t('this node')})`) : null),
          el('td', {}, el('code', {}, node.address || '–')),
          el('td', { className: 'num' }, integer.format(node.connections)),
          el('td', { className: 'num' }, node.messages_in_per_second.toFixed(1)),
          el('td', { className: 'num' }, node.messages_out_per_second.toFixed(1)),
          el('td', {}, formatDuration((serverNow - Date.parse(node.started)) / 1000)),
          el('td', {}, ago(node.last_seen)),
        ),
      ),
    );
    $('cluster-shards').tBodies[0].replaceChildren(
      ...detail.json.redis.map((shard) =>
        el(
          'tr',
          { dataset: { redis: shard.redis, state: shard.up ? 'up' : 'down' } },
          el('td', {}, el('code', {}, shard.redis)),
          el(
            'td',
            { className: shard.up ? 'ok' : 'bad' },
            shard.up ? t('connected') : `${t('unreachable')}: ${shard.problem || ''}`,
          ),
          el('td', { className: 'num' }, integer.format(shard.reconnects)),
        ),
      ),
    );
  },
};

function parsePrometheus(text) {
  const values = {};
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+) ([0-9.eE+-]+)$/.exec(line);
    if (match) values[match[1]] = Number(match[2]);
  }
  return values;
}

// ---- jobs --------------------------------------------------------------------------------------

// A report needs the bearer token, which a plain link cannot carry: fetched, then shown.
async function openReport(url) {
  const headers = session.token ? { Authorization: `Bearer ${session.token}` } : {};
  const response = await fetch(url, { headers, cache: 'no-store' });
  if (!response.ok) {
    $('job-form-error').textContent = t('The report could not be opened (HTTP {status}).', { status: response.status });
    return;
  }
  const blob = await response.blob();
  const link = el('a', { href: URL.createObjectURL(blob), download: url.split('/').pop() });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
}

const FINISHED = new Set(['completed', 'failed', 'cancelled', 'interrupted']);

const jobs = {
  all: new Map(), // job_id -> job
  rows: new Map(), // job_id -> <tr>
  schemas: [],

  init() {
    this.render = throttled(() => this._render());
    $('job-type').addEventListener('change', () => this.renderFields());
    $('job-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
  },

  async load() {
    const reply = await session.api('/api/jobs');
    if (!reply.ok) {
      $('jobs-summary').textContent = reply.json?.error || `HTTP ${reply.status}`;
      return;
    }
    // The list was read before events that may have arrived while it travelled: those update
    // its jobs, and a job newer than all of them was created meanwhile, so it stays too.
    const known = this.all;
    this.all = new Map();
    let newest = '';
    for (const job of reply.json.jobs) {
      this.all.set(job.job_id, this.merged(known.get(job.job_id), job));
      if ((job.created_at || '') > newest) newest = job.created_at;
    }
    for (const [id, job] of known) if (!this.all.has(id) && (job.created_at || '') > newest) this.all.set(id, job);
    this.render();
  },

  // Updates come from the `jobs` topic and from the replies to this page's own requests, and
  // may cross: a cancel's 202 (the job still running) can arrive after the topic's `cancelled`.
  // A finished job stays finished, and a running one's progress never goes back.
  merged(known, update) {
    if (!known) return update;
    if (FINISHED.has(known.status) && !FINISHED.has(update.status)) return known;
    const job = { ...known, ...update };
    if (!FINISHED.has(update.status) && Number(known.progress) > Number(update.progress)) job.progress = known.progress;
    return job;
  },

  onEvent(message) {
    const data = message.data || {};
    if (!data.job_id) return;
    this.all.set(data.job_id, this.merged(this.all.get(data.job_id), data));
    this.render();
  },

  _render() {
    const list = [...this.all.values()].sort((a, b) => (b.created_at || '').localeCompare(a.created_at || ''));
    const body = $('jobs-table').tBodies[0];
    const keep = new Set();
    let position = 0;
    for (const job of list.slice(0, 100)) {
      keep.add(job.job_id);
      const row = this.rows.get(job.job_id) || this._row(job);
      this._update(row, job);
      if (body.children[position] !== row) body.insertBefore(row, body.children[position] || null);
      position += 1;
      if (row.detail) {
        if (body.children[position] !== row.detail) body.insertBefore(row.detail, body.children[position] || null);
        position += 1;
      }
    }
    for (const [id, row] of this.rows)
      if (!keep.has(id)) {
        row.detail?.remove();
        row.remove();
        this.rows.delete(id);
      }
    $('jobs-empty').hidden = list.length > 0;
    const running = list.filter((j) => j.status === 'running').length;
    const queued = list.filter((j) => j.status === 'queued').length;
    $('jobs-summary').textContent = t('{running} running · {queued} queued · {n} listed', { running, queued, n: list.length });
    $('ov-jobs').textContent = String(running);
    $('ov-jobs-sub').textContent = t('running · {queued} queued', { queued });
  },

  _row(job) {
    const bar = el('div', { className: 'bar' });
    const label = el('span');
    const progress = el('div', { className: 'progress', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100' }, bar, label);
    const cancel = el('button', { type: 'button', className: 'danger', textContent: t('Cancel') });
    cancel.addEventListener('click', () => this.cancel(job.job_id, cancel));
    const details = el('button', { type: 'button', className: 'ghost small-button', textContent: t('Result') });
    details.addEventListener('click', () => this.toggleDetails(job.job_id));
    const row = el(
      'tr',
      { dataset: { jobId: job.job_id } },
      el('td', {}, el('code', { title: job.job_id }, job.job_id.slice(0, 8))),
      el('td', { className: 'type' }),
      el('td', {}, el('span', { className: 'status' })),
      el('td', {}, progress),
      el('td', { className: 'message muted' }),
      el('td', { className: 'created muted small' }),
      el('td', { className: 'num actions' }, details, cancel),
    );
    row.parts = { bar, label, progress, cancel, details };
    this.rows.set(job.job_id, row);
    return row;
  },

  _update(row, job) {
    const { bar, label, progress, cancel, details } = row.parts;
    const percent = Math.max(0, Math.min(100, Number(job.progress) || 0));
    row.dataset.status = job.status;
    row.cells[1].textContent = job.title || job.job_type;
    const status = row.cells[2].firstChild;
    status.textContent = t(job.status);
    status.dataset.status = job.status;
    bar.style.width = `${percent}%`;
    // One decimal, as services report it (45.5), none when whole.
    const shown = Math.round(percent * 10) / 10;
    label.textContent = `${Number.isInteger(shown) ? shown : shown.toFixed(1)} %`;
    progress.dataset.status = job.status;
    progress.dataset.progress = String(percent);
    progress.setAttribute('aria-valuenow', String(percent));
    row.cells[4].textContent = job.error || job.message || '';
    row.cells[5].textContent = job.created_at ? new Date(job.created_at).toLocaleString() : '';
    cancel.hidden = FINISHED.has(job.status);
    details.hidden = !job.result && !job.error;
    if (row.detail) this._fillDetails(row.detail, job);
  },

  toggleDetails(id) {
    const row = this.rows.get(id);
    if (!row) return;
    if (row.detail) {
      row.detail.remove();
      row.detail = null;
      return;
    }
    row.detail = el('tr', { className: 'job-detail' }, el('td', { colSpan: 7 }));
    row.after(row.detail);
    this._fillDetails(row.detail, this.all.get(id));
  },

  // The numbers of a finished job: its result's top-level values, and its report if it wrote one.
  _fillDetails(detail, job) {
    const cell = detail.cells[0];
    const items = [];
    if (job.error) items.push(el('div', { className: 'form-error' }, job.error));
    for (const [key, value] of Object.entries(job.result || {})) {
      if (value !== null && typeof value === 'object') {
        const short = Array.isArray(value) && value.length <= 6 && value.every((v) => v === null || typeof v !== 'object');
        const text = short ? value.join(', ') : Array.isArray(value) ? t('{n} rows', { n: value.length }) : '{…}';
        items.push(el('div', { className: 'kv' }, el('span', { className: 'muted' }, key), text));
        continue;
      }
      const text = typeof value === 'number' && !Number.isInteger(value) ? money.format(value) : String(value);
      items.push(el('div', { className: 'kv' }, el('span', { className: 'muted' }, key), text));
    }
    if (job.result?.url) {
      const download = el('button', { type: 'button', className: 'primary', textContent: t('Open report') });
      download.addEventListener('click', () => openReport(job.result.url));
      items.push(download);
    }
    cell.replaceChildren(el('div', { className: 'kv-grid' }, ...items));
  },

  async cancel(id, button) {
    button.disabled = true;
    const reply = await session.api(`/api/jobs/${encodeURIComponent(id)}/cancel`, { method: 'POST' });
    button.disabled = false;
    if (!reply.ok) $('job-form-error').textContent = reply.json?.error || `HTTP ${reply.status}`;
    else this.onEvent({ data: reply.json });
  },

  // The submit form is built from the hub's own description of each job type's parameters.
  async loadSchemas() {
    const reply = await session.api('/openapi.json');
    const post = reply.ok ? reply.json?.paths?.['/api/jobs/{type}']?.post : null;
    const schema = post?.requestBody?.content?.['application/json']?.schema;
    this.schemas = (schema?.oneOf || []).filter((s) => s.title);
    const select = $('job-type');
    select.replaceChildren(...this.schemas.map((s) => el('option', { value: s.title, title: s.description || '' }, s.title)));
    if (this.schemas.some((s) => s.title === 'forecast')) select.value = 'forecast';
    this.renderFields();
  },

  renderFields() {
    const schema = this.schemas.find((s) => s.title === $('job-type').value);
    const fields = $('job-fields');
    fields.replaceChildren();
    $('job-description').textContent = schema?.description || '';
    if (!schema) return;
    for (const [name, property] of Object.entries(schema.properties || {})) {
      let input;
      if (Array.isArray(property.enum)) {
        input = el('select', { name, translate: false }, ...property.enum.map((v) => el('option', { value: v }, String(v))));
        if (property.default !== undefined) input.value = property.default;
      } else if (property.type === 'array' && (property.items?.type === 'number' || property.items?.type === 'integer')) {
        input = el('input', { type: 'text', name, placeholder: t('numbers, comma-separated'), dataset: { kind: 'numbers' } });
      } else if (property.type === 'array' && Array.isArray(property.items?.enum)) {
        const boxes = property.items.enum.map((v) =>
          el('label', { className: 'check' }, el('input', { type: 'checkbox', value: v, checked: !property.default || property.default.includes(v) }), String(v)),
        );
        fields.append(el('span', { className: 'muted small', dataset: { array: name }, translate: false }, `${name}:`, ...boxes));
        continue;
      } else if (property.type === 'integer' || property.type === 'number') {
        input = el('input', { type: 'number', name, step: property.type === 'integer' ? '1' : 'any' });
        if (property.minimum !== undefined) input.min = property.minimum;
        if (property.maximum !== undefined) input.max = property.maximum;
        if (property.default !== undefined) input.value = property.default;
        input.placeholder = property.default === undefined ? t('optional') : '';
      } else if (property.type === 'boolean') {
        input = el('input', { type: 'checkbox', name, checked: !!property.default });
      } else {
        input = el('input', { type: 'text', name, value: property.default ?? '' });
      }
      if ((schema.required || []).includes(name)) input.required = true;
      input.title = property.description || '';
      input.translate = false; // the hub's names and descriptions
      fields.append(el('label', {}, el('span', { translate: false }, name), input));
    }
  },

  async submit() {
    const type = $('job-type').value;
    const schema = this.schemas.find((s) => s.title === type) || { properties: {} };
    const params = {};
    for (const input of $('job-fields').querySelectorAll('input[name], select[name]')) {
      const property = schema.properties[input.name] || {};
      if (input.type === 'checkbox') params[input.name] = input.checked;
      else if (input.value === '') continue;
      else if (input.dataset.kind === 'numbers')
        params[input.name] = input.value.split(/[\s,;]+/).filter(Boolean).map(Number);
      else if (property.type === 'integer' || property.type === 'number') params[input.name] = Number(input.value);
      else params[input.name] = input.value;
    }
    for (const group of $('job-fields').querySelectorAll('[data-array]'))
      params[group.dataset.array] = [...group.querySelectorAll('input:checked')].map((i) => i.value);
    $('job-form-error').textContent = '';
    $('job-submit').disabled = true;
    const reply = await session.api(`/api/jobs/${encodeURIComponent(type)}`, { method: 'POST', body: params });
    $('job-submit').disabled = false;
    if (!reply.ok) $('job-form-error').textContent = reply.json?.error || `HTTP ${reply.status}`;
    else this.onEvent({ data: reply.json });
  },
};

// ---- trading -----------------------------------------------------------------------------------

const trading = {
  positions: new Map(),

  init() {
    this.chart = makeChart(
      $('equity-chart'),
      320,
      [
        { label: t('Total equity'), stroke: '#5794f2', width: 2, fill: 'rgba(87,148,242,0.10)', points: { show: false }, value: (u, v) => formatMoney(v) },
        { label: t('Peak equity'), stroke: '#ff9830', width: 1.5, dash: [6, 4], points: { show: false }, value: (u, v) => formatMoney(v) },
      ],
      (v) => integer.format(v),
    );
    this.equity = new HistoryChart('equity', this.chart, $('equity-chart'), ['equity', 'peak_equity']);
    this.renderPositions = throttled(() => this._renderPositions());
  },

  onEvent(message) {
    const data = message.data || {};
    switch (message.event) {
      case 'equity_update':
        return this.onEquity(message, data);
      case 'position_update':
        this.positions.set(data.position_id ?? data.symbol, data);
        return this.renderPositions();
      case 'risk_status_update':
        return this.onRisk(data);
      default:
        return undefined;
    }
  },

  onEquity(message, data) {
    const total = Number(data.total_equity ?? data.current_equity);
    const peak = Number(data.peak_equity);
    if (!Number.isFinite(total)) return;
    const time = Date.parse(message.ts || data.timestamp) / 1000 || Date.now() / 1000;
    this.equity.add(time, [total, Number.isFinite(peak) ? peak : null]);
    $('equity-points').textContent = t('{n} points', { n: this.equity.count() });
    $('tr-total').textContent = formatMoney(total);
    $('tr-total-sub').textContent = t('updated {time}', { time: formatTime(message.ts) });
    if (Number.isFinite(peak)) {
      $('tr-peak').textContent = formatMoney(peak);
      const below = peak > 0 ? (peak - total) / peak : 0;
      $('tr-peak-sub').textContent = below > 0 ? t('{percent} below peak', { percent: formatPercent(below) }) : t('at peak');
    }
    const table = $('equity-table').tBodies[0];
    table.prepend(
      el(
        'tr',
        { dataset: { seq: String(message.seq) } },
        el('td', { className: 'muted' }, formatTime(message.ts)),
        el('td', { className: 'num' }, String(message.seq)),
        el('td', { className: 'num' }, formatMoney(total)),
        el('td', { className: 'num' }, formatMoney(peak)),
      ),
    );
    while (table.rows.length > 200) table.deleteRow(-1);
  },

  onRisk(data) {
    const status = data.status || 'unknown';
    const label = t(status.replace('_', ' '));
    for (const badge of [$('risk-badge'), $('risk-badge-top')]) {
      badge.dataset.status = status;
      badge.textContent = badge.id === 'risk-badge-top' ? t('Risk: {status}', { status: label }) : label;
    }
    $('risk-message').textContent = data.message || '';
    $('tr-drawdown').textContent = formatPercent(Number(data.drawdown_pct));
    $('tr-daily-loss').textContent = t('daily loss {percent}', { percent: formatPercent(Number(data.daily_loss_pct)) });
  },

  _renderPositions() {
    const list = [...this.positions.values()].sort(
      (a, b) => (a.status === 'open' ? 0 : 1) - (b.status === 'open' ? 0 : 1) || String(a.symbol).localeCompare(String(b.symbol)),
    );
    const shown = list.slice(0, 50);
    $('positions-table').tBodies[0].replaceChildren(
      ...shown.map((p) => {
        const pnl = Number(p.unrealized_pnl);
        return el(
          'tr',
          {},
          el('td', {}, el('strong', {}, String(p.symbol ?? '–'))),
          el('td', {}, el('span', { className: 'status', dataset: { status: p.status === 'open' ? 'running' : 'queued' } }, t(String(p.status ?? '')))),
          el('td', { className: 'num' }, String(p.spot_entry_price ?? '')),
          el('td', { className: 'num' }, String(p.perp_entry_price ?? '')),
          el('td', { className: 'num' }, String(p.spot_quantity ?? '')),
          el('td', { className: `num ${pnl > 0 ? 'pos' : pnl < 0 ? 'neg' : ''}` }, formatMoney(pnl)),
          el('td', { className: 'num' }, formatMoney(Number(p.funding_collected))),
        );
      }),
    );
    $('positions-empty').hidden = list.length > 0;
  },
};

// ---- connections (admin) ------------------------------------------------------------------------

const connections = {
  list: [],
  selected: null,
  previous: null, // {id, at, messages_in, messages_out} for rates
  slowest: false,

  init() {
    $('connections-filter').addEventListener('input', () => this.render());
    $('connections-slowest').addEventListener('click', () => {
      this.slowest = !this.slowest;
      $('connections-slowest').setAttribute('aria-pressed', String(this.slowest));
      this.render();
    });
    $('cd-disconnect').addEventListener('click', async () => {
      if (!this.selected) return;
      $('cd-disconnect').disabled = true;
      await session.api(`/api/v1/ws/connections/${encodeURIComponent(this.selected)}`, { method: 'DELETE' });
      this.load();
    });
  },

  async load() {
    if (!session.adminRoutes) return;
    const reply = await session.adminApi('/api/v1/ws/stats/detailed');
    if (!reply.ok) return;
    this.list = reply.json.per_connection || [];
    this.render();
    if (this.selected) this.loadDetail();
  },

  render() {
    const filter = $('connections-filter').value.trim().toLowerCase();
    let shown = this.list.filter((c) => !filter || `${c.connection_id} ${c.user_id} ${c.endpoint} ${(c.topics || []).join(' ')}`.toLowerCase().includes(filter));
    if (this.slowest) shown = [...shown].sort((a, b) => (b.outbound_bytes || 0) - (a.outbound_bytes || 0));
    $('connections-table').tBodies[0].replaceChildren(
      ...shown.slice(0, 500).map((c) => {
        const row = el(
          'tr',
          { dataset: { id: c.connection_id }, 'aria-selected': String(c.connection_id === this.selected) },
          el('td', {}, el('code', {}, c.connection_id)),
          el('td', {}, c.user_id || t('anonymous')),
          el('td', {}, c.endpoint),
          el('td', { className: 'num' }, integer.format(c.messages_in)),
          el('td', { className: 'num' }, integer.format(c.messages_out)),
          el('td', { className: 'num' }, formatBytes(c.bytes_out)),
          el('td', { className: 'num' }, formatBytes(c.outbound_bytes || 0)),
          el('td', { className: 'muted small' }, (c.topics || []).join(', ')),
        );
        row.addEventListener('click', () => this.select(c.connection_id));
        return row;
      }),
    );
    $('connections-summary').textContent = t('{shown} of {total}', { shown: shown.length, total: this.list.length });
  },

  select(id) {
    this.selected = id;
    this.previous = null;
    this.render();
    this.loadDetail();
  },

  async loadDetail() {
    const reply = await session.adminApi(`/api/v1/ws/connections/${encodeURIComponent(this.selected)}`);
    $('cd-id').textContent = this.selected || '–';
    if (!reply.ok) {
      $('cd-fields').replaceChildren(el('div', { className: 'muted' }, reply.status === 404 ? t('This connection has closed.') : `HTTP ${reply.status}`));
      $('cd-disconnect').disabled = true;
      return;
    }
    const c = reply.json;
    const now = performance.now();
    let rates = '';
    if (this.previous && this.previous.id === c.connection_id) {
      const seconds = (now - this.previous.at) / 1000;
      rates = ` · ${t('{in}/s in, {out}/s out', { in: ((c.messages_in - this.previous.in) / seconds).toFixed(1), out: ((c.messages_out - this.previous.out) / seconds).toFixed(1) })}`;
    }
    this.previous = { id: c.connection_id, at: now, in: c.messages_in, out: c.messages_out };
    const kv = (key, value) => el('div', { className: 'kv', dataset: { field: key } }, el('span', { className: 'muted' }, t(key)), String(value));
    $('cd-empty').hidden = true;
    $('cd-fields').replaceChildren(
      kv('user', c.user_id ? `${c.user_id} (${c.role}${c.tenant ? `, ${c.tenant}` : ''})` : t('anonymous')),
      kv('dialect', `${c.dialect} · ${c.endpoint}`),
      kv('address', c.remote_address),
      kv('connected', new Date(c.connected_at).toLocaleString()),
      kv('token expires', c.token_expires_at ? new Date(c.token_expires_at).toLocaleString() : t('no token')),
      kv('messages', `${t('{in} in, {out} out', { in: integer.format(c.messages_in), out: integer.format(c.messages_out) })}${rates}`),
      kv('topics', (c.topics || []).join(', ') || t('none')),
    );
    const percent = Math.min(100, c.outbound_percent || 0);
    const queue = $('cd-queue');
    queue.dataset.progress = String(percent);
    queue.querySelector('.bar').style.width = `${percent}%`;
    queue.querySelector('span').textContent = t('{used} of {cap} ({percent} %)', { used: formatBytes(c.outbound_bytes), cap: formatBytes(c.outbound_cap_bytes), percent: percent.toFixed(1) });
    $('cd-disconnect').disabled = false;
  },
};

// ---- topics (admin) ----------------------------------------------------------------------------

const topics = {
  list: [],
  selected: null,
  selectedSeq: -1,

  init() {
    $('topics-filter').addEventListener('input', () => this.render());
  },

  async load() {
    if (!session.adminRoutes) return;
    const reply = await session.adminApi('/api/v1/topics');
    if (!reply.ok) return;
    this.list = reply.json;
    this.render();
    const current = this.list.find((t) => t.name === this.selected);
    if (current && current.seq !== this.selectedSeq) this.loadEvents();
  },

  render() {
    const filter = $('topics-filter').value.trim().toLowerCase();
    const shown = this.list.filter((t) => !filter || t.name.toLowerCase().includes(filter));
    $('topics-list').tBodies[0].replaceChildren(
      ...shown.slice(0, 1000).map((t) => {
        const row = el(
          'tr',
          { dataset: { topic: t.name }, 'aria-selected': String(t.name === this.selected) },
          el('td', {}, el('code', {}, t.name)),
          el('td', { className: 'num' }, String(t.subscribers)),
          el('td', { className: 'muted small' }, Object.entries(t.subscribers_by_dialect || {}).map(([d, n]) => `${d} ${n}`).join(', ')),
          el('td', { className: 'num' }, integer.format(t.seq)),
          el('td', { className: 'num' }, t.events_per_second.toFixed(1)),
          el('td', { className: 'num' }, t.deliveries_per_second.toFixed(1)),
          el('td', { className: 'num' }, String(t.history_depth)),
          el('td', { className: 'num' }, formatDuration(t.history_age_seconds)),
          el('td', { className: 'muted' }, t.last_event_at ? new Date(t.last_event_at).toLocaleTimeString() : '–'),
        );
        row.addEventListener('click', () => this.select(t.name));
        return row;
      }),
    );
    $('topics-summary').textContent = t('{shown} of {total}', { shown: shown.length, total: this.list.length });
  },

  select(name) {
    this.selected = name;
    this.selectedSeq = -1;
    $('te-topic').textContent = name;
    this.render();
    this.loadEvents();
  },

  async loadEvents() {
    const name = this.selected;
    const reply = await session.api(`/api/v1/topics/${encodeURIComponent(name)}/events?limit=50`);
    if (name !== this.selected) return;
    $('te-empty').hidden = reply.ok;
    if (!reply.ok) {
      $('topic-events').replaceChildren(el('div', { className: 'form-error' }, reply.json?.error || `HTTP ${reply.status}`));
      return;
    }
    const events = reply.json;
    this.selectedSeq = events.length ? events[events.length - 1].seq : 0;
    const view = $('topic-events');
    view.replaceChildren(
      ...events.map((e) =>
        el('div', { className: 'msg in', dataset: { seq: String(e.seq) } },
          el('span', { className: 'time' }, `#${e.seq} ${new Date(e.ts).toLocaleTimeString()} ${e.event}`),
          el('pre', {}, JSON.stringify(e.data, null, 2))),
      ),
    );
    view.scrollTop = view.scrollHeight;
  },
};

// ---- alerts ------------------------------------------------------------------------------------

const alerts = {
  rulesLoaded: false,

  init() {
    rulesForm.init();
  },

  async load() {
    const reply = await session.api('/api/v1/alerts');
    if (reply.ok) this.render(reply.json);
    if (session.adminRoutes && !this.rulesLoaded) this.loadRules();
  },

  render(data) {
    const recent = data.recent || [];
    $('alerts-summary').textContent = t('{firing} firing · {n} in the history', { firing: (data.firing || []).length, n: recent.length });
    $('alerts-list-empty').hidden = recent.length > 0;
    $('alerts-list').tBodies[0].replaceChildren(
      ...recent.map((a) => {
        const ack = el('button', { type: 'button', className: 'ghost small-button', textContent: t('Acknowledge') });
        ack.hidden = !session.adminRoutes || a.acknowledged;
        ack.addEventListener('click', async () => {
          ack.disabled = true;
          await session.api(`/api/v1/alerts/${encodeURIComponent(a.id)}/ack`, { method: 'POST' });
          this.load();
        });
        return el(
          'tr',
          { dataset: { alertId: a.id, state: a.state } },
          el('td', { className: 'muted' }, new Date(a.fired_at).toLocaleString()),
          el('td', { className: `state-${a.state}` }, t(a.state)),
          el('td', {}, el('span', { className: 'status', dataset: { status: a.severity === 'critical' ? 'failed' : a.severity === 'warning' ? 'cancelled' : 'queued' } }, t(a.severity))),
          el('td', {}, el('code', {}, a.rule_id)),
          el('td', {}, a.message),
          el('td', { className: 'muted' }, a.acknowledged ? a.acknowledged_by : ''),
          el('td', { className: 'num actions' }, ack),
        );
      }),
    );
  },

  async loadRules() {
    const reply = await session.adminApi('/api/v1/alerts/rules');
    if (!reply.ok) return;
    this.rulesLoaded = true;
    rulesForm.show(reply.json.rules.map(({ firing, ...rule }) => rule), reply.json.metrics);
  },
};

// ---- alert rules: a form, one row per rule (JSON for those who prefer it) ------------------------

const RULE_OPS = ['>', '>=', '<', '<=', '==', '!='];
const RULE_SEVERITIES = ['info', 'warning', 'critical'];
const RULE_FIELDS = ['id', 'metric', 'op', 'threshold', 'for_seconds', 'severity', 'webhook', 'summary'];
const RULE_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_RULES = 100; // AlertRule::maxRules
const MAX_FOR_SECONDS = 86400; // AlertRule::maxForSeconds

// What the hub says is wrong with a field (AlertRule::fromJson), in the page's language.
const RULE_PROBLEMS = [
  [/^"(.*)" is not a series/, (m) => t('"{name}" is not a series on this hub.', { name: m[1] })],
  [/^"(.*)" is used twice/, () => t('This name is used twice.')],
  [/^must be a number/, () => t('Enter a number.')],
  [/^must be a whole number from 0 to (\d+)/, (m) => t('A whole number of seconds from 0 to {max}.', { max: m[1] })],
  [/^must be an http/, () => t('An http:// or https:// address.')],
  [/^1 to 64 letters/, () => t("1 to 64 letters, digits, '_', '.' or '-'.")],
  [/^must be one of/, () => t('Choose one of the list.')],
  [/^at most 200 characters/, () => t('At most 200 characters.')],
];

function ruleProblem(text) {
  for (const [pattern, say] of RULE_PROBLEMS) {
    const match = pattern.exec(text);
    if (match) return say(match);
  }
  return text;
}

// A decimal number as typed: "1.5", "1,5" or "-3"; NaN when it is not one.
function parseNumber(text) {
  const trimmed = text.trim().replace(',', '.');
  return trimmed === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed) ? NaN : Number(trimmed);
}

const rulesForm = {
  metrics: [],
  mode: 'form', // or 'json'
  nextName: 1,

  init() {
    $('rules-add').addEventListener('click', () => this.addRow());
    $('rules-save').addEventListener('click', () => this.save());
    $('rules-mode').addEventListener('click', () => this.toggleMode());
    $('rules-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.save();
    });
    $('rules-form').addEventListener('input', (event) => {
      this.clearError(event.target.closest('td'));
      this.changed();
    });
  },

  body: () => $('rules-table').tBodies[0],

  rows() {
    return [...this.body().rows];
  },

  changed() {
    $('rules-status').textContent = t('Unsaved changes.');
    this.renumber();
  },

  // Rows are numbered as the hub numbers rules (rules[0] first): errors find their row by it.
  renumber() {
    this.rows().forEach((row, i) => {
      row.dataset.index = String(i);
    });
    $('rules-empty').hidden = this.rows().length > 0;
    $('rules-add').disabled = this.mode !== 'form' || this.rows().length >= MAX_RULES;
  },

  // A cell with its control and the line under it where a problem with the field is shown.
  cell(field, control) {
    control.name = field;
    control.dataset.field = field;
    this.nextErrorId = (this.nextErrorId || 0) + 1;
    const error = el('div', { className: 'field-error', id: `rule-error-${this.nextErrorId}`, 'aria-live': 'polite' });
    error.dataset.errorFor = field;
    control.setAttribute('aria-describedby', error.id);
    return el('td', { dataset: { field } }, control, error);
  },

  row(rule = {}) {
    // A value the lists do not have (a series gone, JSON typed by hand) is kept, for the hub to judge.
    const select = (field, known, value, label = (v) => v) => {
      const values = value !== undefined && value !== '' && !known.includes(String(value)) ? [...known, String(value)] : known;
      const control = el('select', { 'aria-label': t(RULE_LABELS[field]), translate: field === 'severity' }, ...values.map((v) => el('option', { value: v }, label(v))));
      if (value !== undefined) control.value = value;
      return control;
    };
    const input = (field, value, props = {}) =>
      el('input', { type: 'text', value: value ?? '', autocomplete: 'off', spellcheck: false, 'aria-label': t(RULE_LABELS[field]), ...props });
    const remove = el('button', { type: 'button', className: 'ghost small-button remove', textContent: t('Remove'), title: t('Remove this rule') });
    const row = el(
      'tr',
      { className: 'rule-row' },
      this.cell('id', input('id', rule.id, { required: true, maxLength: 64, className: 'rule-id', placeholder: 'cpu-high', translate: false })),
      this.cell('metric', select('metric', this.metrics, rule.metric ?? (this.metrics.includes('cpu') ? 'cpu' : this.metrics[0]))),
      this.cell('op', select('op', RULE_OPS, rule.op ?? '>')),
      this.cell('threshold', input('threshold', rule.threshold === undefined ? '' : String(rule.threshold), { required: true, inputMode: 'decimal', className: 'narrow-input' })),
      this.cell('for_seconds', input('for_seconds', rule.for_seconds ? String(rule.for_seconds) : '0', { inputMode: 'numeric', className: 'narrow-input' })),
      this.cell('severity', select('severity', RULE_SEVERITIES, rule.severity ?? 'warning', (v) => t(v))),
      this.cell('webhook', input('webhook', rule.webhook, { type: 'url', placeholder: 'https://…', className: 'wide-input', translate: false })),
      this.cell('summary', input('summary', rule.summary, { maxLength: 200, placeholder: t('optional') })),
      el('td', { className: 'actions' }, remove),
    );
    remove.addEventListener('click', () => {
      row.remove();
      this.changed();
    });
    return row;
  },

  addRow() {
    if (this.rows().length >= MAX_RULES) return;
    const names = new Set(this.rows().map((r) => r.querySelector('[name="id"]').value));
    while (names.has(`rule-${this.nextName}`)) this.nextName += 1;
    const row = this.row({ id: `rule-${this.nextName}` });
    this.body().append(row);
    this.changed();
    row.querySelector('[name="id"]').focus();
    row.querySelector('[name="id"]').select();
  },

  show(rules, metrics) {
    this.metrics = metrics;
    this.body().replaceChildren(...rules.map((rule) => this.row(rule)));
    $('rules-json').value = JSON.stringify(rules, null, 2);
    $('rules-metrics').textContent = t('Series: {metrics}. Conditions: > >= < <= == !=. Severity: info, warning, critical.', { metrics: metrics.join(', ') });
    $('rules-summary').textContent = t(rules.length === 1 ? '{n} rule' : '{n} rules', { n: rules.length });
    this.clearErrors();
    this.renumber();
  },

  clearError(cell) {
    if (!cell) return;
    const error = cell.querySelector('.field-error');
    if (error) error.textContent = '';
    cell.querySelector('[data-field]')?.removeAttribute('aria-invalid');
  },

  clearErrors() {
    for (const cell of $('rules-table').querySelectorAll('td[data-field]')) this.clearError(cell);
    $('rules-error').textContent = '';
  },

  // Shows `text` under the field of the rule numbered `index`; false if there is no such field.
  fieldError(index, field, text) {
    const cell = this.rows()[index]?.querySelector(`td[data-field="${field}"]`);
    if (!cell) return false;
    cell.querySelector('.field-error').textContent = text;
    const control = cell.querySelector('[data-field]');
    control.setAttribute('aria-invalid', 'true');
    return control;
  },

  // The rules the form holds, checked as far as the page can; errors are shown beside their
  // fields and null is returned when there are any.
  collect() {
    this.clearErrors();
    const rules = [];
    const names = new Map();
    let first = null;
    const fail = (index, field, text) => {
      const control = this.fieldError(index, field, text);
      first = first || control;
    };
    this.rows().forEach((row, index) => {
      const value = (field) => row.querySelector(`[name="${field}"]`).value.trim();
      const rule = { id: value('id'), metric: value('metric'), op: value('op'), severity: value('severity') };
      if (!rule.id) fail(index, 'id', t('Required.'));
      else if (!RULE_ID.test(rule.id)) fail(index, 'id', t("1 to 64 letters, digits, '_', '.' or '-'."));
      else if (names.has(rule.id)) fail(index, 'id', t('This name is used twice.'));
      names.set(rule.id, index);
      if (!rule.metric) fail(index, 'metric', t('Required.'));
      const threshold = value('threshold');
      rule.threshold = parseNumber(threshold);
      if (!threshold) fail(index, 'threshold', t('Required.'));
      else if (!Number.isFinite(rule.threshold)) fail(index, 'threshold', t('Enter a number.'));
      const seconds = value('for_seconds');
      rule.for_seconds = seconds === '' ? 0 : parseNumber(seconds);
      if (!Number.isInteger(rule.for_seconds) || rule.for_seconds < 0 || rule.for_seconds > MAX_FOR_SECONDS)
        fail(index, 'for_seconds', t('A whole number of seconds from 0 to {max}.', { max: MAX_FOR_SECONDS }));
      const webhook = value('webhook');
      if (webhook) {
        let url = null;
        try {
          url = new URL(webhook);
        } catch {
          // not a URL
        }
        if (!url || !['http:', 'https:'].includes(url.protocol) || !url.hostname) fail(index, 'webhook', t('An http:// or https:// address.'));
        rule.webhook = webhook;
      }
      const summary = value('summary');
      if (summary.length > 200) fail(index, 'summary', t('At most 200 characters.'));
      if (summary) rule.summary = summary;
      rules.push(rule);
    });
    if (first) {
      first.focus();
      $('rules-error').textContent = t('Correct the marked fields; nothing was saved.');
      return null;
    }
    return rules;
  },

  toggleMode() {
    if (this.mode === 'form') {
      // The rows as they are, checked or not, so nothing typed is lost.
      const rules = this.rows().map((row) => {
        const rule = {};
        for (const field of RULE_FIELDS) {
          const value = row.querySelector(`[name="${field}"]`).value.trim();
          if (field === 'threshold' || field === 'for_seconds') rule[field] = Number.isFinite(parseNumber(value)) ? parseNumber(value) : value;
          else if (value || !['webhook', 'summary'].includes(field)) rule[field] = value;
        }
        return rule;
      });
      $('rules-json').value = JSON.stringify(rules, null, 2);
      this.setMode('json');
      return;
    }
    let rules;
    try {
      rules = JSON.parse($('rules-json').value || '[]');
    } catch (error) {
      $('rules-error').textContent = t('Not JSON: {error}', { error: error.message });
      return;
    }
    if (!Array.isArray(rules) && Array.isArray(rules?.rules)) rules = rules.rules;
    if (!Array.isArray(rules) || !rules.every((r) => r && typeof r === 'object' && !Array.isArray(r))) {
      $('rules-error').textContent = t('The rules are a JSON array of objects.');
      return;
    }
    this.body().replaceChildren(...rules.map((rule) => this.row(rule)));
    this.clearErrors();
    this.setMode('form');
    this.renumber();
  },

  setMode(mode) {
    this.mode = mode;
    $('rules-form').hidden = mode !== 'form';
    $('rules-json-view').hidden = mode !== 'json';
    $('rules-mode').textContent = mode === 'form' ? t('Edit as JSON') : t('Edit as form');
    $('rules-mode').setAttribute('aria-pressed', String(mode === 'json'));
    $('rules-error').textContent = '';
    this.renumber();
  },

  async save() {
    let rules;
    if (this.mode === 'json') {
      try {
        rules = JSON.parse($('rules-json').value || '[]');
      } catch (error) {
        $('rules-error').textContent = t('Not JSON: {error}', { error: error.message });
        return;
      }
    } else {
      rules = this.collect();
      if (!rules) return;
    }
    $('rules-save').disabled = true;
    const reply = await session.api('/api/v1/alerts/rules', { method: 'PUT', body: rules });
    $('rules-save').disabled = false;
    if (!reply.ok) {
      this.showServerError(reply);
      return;
    }
    this.show(reply.json.rules.map(({ firing, ...rule }) => rule), this.metrics);
    $('rules-status').textContent = t('Saved {n} rule(s) at {time}.', { n: reply.json.rules.length, time: new Date().toLocaleTimeString() });
  },

  // The hub names the rule and field it refuses ("rules[2].threshold: must be a number"): the
  // problem is shown beside that field when the form has it, else under the table.
  showServerError(reply) {
    const message = reply.json?.error || `HTTP ${reply.status}`;
    const match = /^rules\[(\d+)\]\.([a-z_]+): (.*)$/s.exec(message);
    if (this.mode === 'form' && match) {
      const control = this.fieldError(Number(match[1]), match[2], ruleProblem(match[3]));
      if (control) {
        control.focus();
        $('rules-error').textContent = t('The hub refused a field; nothing was saved.');
        return;
      }
    }
    $('rules-error').textContent = t('The hub refused the rules: {error}', { error: message });
  },
};

const RULE_LABELS = {
  id: 'Name',
  metric: 'Series',
  op: 'Condition',
  threshold: 'Threshold',
  for_seconds: 'For (s)',
  severity: 'Severity',
  webhook: 'Webhook URL',
  summary: 'Summary',
};

// ---- logs --------------------------------------------------------------------------------------

const logs = {
  entries: [],

  init() {
    this.render = throttled(() => this._render());
    for (const id of ['log-level', 'log-search', 'log-user', 'log-connection', 'log-topic'])
      $(id).addEventListener('input', () => this.render());
    $('log-export').addEventListener('click', () => {
      const quote = (text) => (/[",\n\r]/.test(text) ? `"${String(text).replace(/"/g, '""')}"` : String(text));
      const lines = this.filtered().map((e) => [e.timestamp, e.level, e.module, e.message, e.user || '', e.connection || '', e.topic || ''].map(quote).join(','));
      download('logs.csv', ['timestamp,level,module,message,user,connection,topic', ...lines].join('\r\n') + '\r\n');
    });
    $('log-pause').addEventListener('change', () => this.render());
    $('log-clear').addEventListener('click', () => {
      this.entries = [];
      this.render();
    });
  },

  onEvent(message) {
    const data = message.data || {};
    this.entries.push({ ...data, level: String(data.level || 'INFO').toUpperCase() });
    if (this.entries.length > MAX_LOG_LINES) this.entries.splice(0, this.entries.length - MAX_LOG_LINES);
    this.render();
  },

  // The entries the level, search and field filters (user, connection, topic) let through.
  filtered() {
    const minimum = LEVELS[$('log-level').value] ?? 0;
    const search = $('log-search').value.trim().toLowerCase();
    const fields = ['user', 'connection', 'topic'].map((f) => [f, $(`log-${f}`).value.trim().toLowerCase()]).filter(([, v]) => v);
    return this.entries.filter(
      (e) =>
        (LEVELS[e.level] ?? 1) >= minimum &&
        (!search || `${e.module} ${e.message}`.toLowerCase().includes(search)) &&
        fields.every(([f, v]) => String(e[f] || '').toLowerCase().includes(v)),
    );
  },

  _render() {
    if ($('log-pause').checked || $('tab-logs').hidden) return;
    const shown = this.filtered();
    const view = $('log-view');
    const atBottom = view.scrollTop + view.clientHeight >= view.scrollHeight - 4;
    view.replaceChildren(
      ...shown.slice(-500).map((e) =>
        el(
          'div',
          { className: 'log-line' },
          el('span', { className: 'time' }, formatTime(e.timestamp)),
          el('span', { className: `level level-${e.level}` }, e.level),
          el('span', { className: 'module', title: e.module || '' }, e.module || ''),
          el('span', {}, e.message || ''),
        ),
      ),
    );
    if (atBottom) view.scrollTop = view.scrollHeight;
    $('log-count').textContent = t('{shown} of {total} lines', { shown: shown.length, total: this.entries.length });
  },
};

// ---- rooms -------------------------------------------------------------------------------------

const rooms = {
  joined: new Map(), // room -> Map(user -> {status, session_id})

  init() {
    $('room-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const room = $('room-name').value.trim();
      if (!room) return;
      $('room-error').textContent = '';
      try {
        if (!this.joined.has(room)) this.joined.set(room, new Map());
        await session.client.joinRoom(room);
        $('room-name').value = '';
      } catch (error) {
        this.joined.delete(room);
        $('room-error').textContent = error.message;
      }
      this.render();
    });
  },

  onEvent(message) {
    const room = message.topic.slice('room:'.length);
    const members = this.joined.get(room);
    if (!members || message.event !== 'presence') return;
    const d = message.data || {};
    if (d.action === 'leave') members.delete(d.session_id);
    else members.set(d.session_id, { user: d.user, status: d.status || 'online' });
    this.render();
  },

  render() {
    $('joined-rooms').replaceChildren(
      ...[...this.joined.entries()].map(([room, members]) => {
        const leave = el('button', { type: 'button', className: 'ghost', textContent: t('Leave') });
        leave.addEventListener('click', async () => {
          this.joined.delete(room);
          await session.client.leaveRoom(room).catch(() => {});
          this.render();
        });
        return el(
          'div',
          { className: 'room', dataset: { room } },
          el('div', { className: 'room-head' }, el('strong', {}, room), el('span', { className: 'muted small' }, t('{n} present', { n: members.size })), el('span', { className: 'spacer' }), leave),
          ...[...members.values()].map((m) => el('span', { className: 'member', dataset: { status: m.status } }, `${m.user} (${m.status})`)),
        );
      }),
    );
  },

  explain() {
    $('rooms-table').tBodies[0].replaceChildren();
    $('rooms-note').textContent = t('Listing every room needs an admin token.');
  },

  async load() {
    const reply = await session.adminApi('/api/v1/ws/rooms');
    const note = $('rooms-note');
    const body = $('rooms-table').tBodies[0];
    if (!reply.ok) {
      body.replaceChildren();
      note.textContent =
        reply.status === 404
          ? t('This hub does not list its rooms. Rooms you join here show their members live.')
          : reply.status === 401 || reply.status === 403
            ? t('Listing every room needs an admin token.')
            : reply.json?.error || `HTTP ${reply.status}`;
      return;
    }
    const list = Array.isArray(reply.json) ? reply.json : reply.json.rooms || [];
    note.textContent = list.length ? '' : t('No active rooms.');
    body.replaceChildren(
      ...list.map((r) =>
        el(
          'tr',
          {},
          el('td', {}, el('code', {}, String(r.room_id))),
          el('td', { className: 'num' }, String(r.user_count ?? '')),
          el('td', { className: 'muted' }, r.last_activity ? new Date(r.last_activity).toLocaleString() : ''),
          el('td', { className: 'num' }, String(r.messages_sent ?? '')),
        ),
      ),
    );
  },
};

// ---- client tab --------------------------------------------------------------------------------

function exampleOf(schema) {
  if (!schema || typeof schema !== 'object') return {};
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  switch (schema.type) {
    case 'object': {
      // The required fields and those with a default: a template that is valid as it is.
      const out = {};
      const required = new Set(schema.required || []);
      for (const [name, property] of Object.entries(schema.properties || {}))
        if (required.has(name) || property.default !== undefined) out[name] = exampleOf(property);
      return out;
    }
    case 'array':
      return schema.items ? [exampleOf(schema.items)] : [];
    case 'integer':
    case 'number':
      return schema.minimum ?? 0;
    case 'boolean':
      return false;
    case 'string':
      return '';
    default:
      return {};
  }
}

const clientTab = {
  templates: new Map(),
  log: [],
  nextId: 1,

  init() {
    this.render = throttled(() => this._render());
    $('client-template').addEventListener('change', () => this.applyTemplate());
    $('client-send').addEventListener('click', () => this.send());
    $('client-format').addEventListener('click', () => {
      try {
        $('client-json').value = JSON.stringify(JSON.parse($('client-json').value), null, 2);
        $('client-error').textContent = '';
      } catch (error) {
        $('client-error').textContent = error.message;
      }
    });
    $('client-json').addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) this.send();
    });
    for (const id of ['client-filter', 'client-events']) $(id).addEventListener('input', () => this.render());
    $('client-clear').addEventListener('click', () => {
      this.log = [];
      this.render();
    });
  },

  async loadTemplates() {
    const reply = await session.api('/asyncapi.json');
    const messages = reply.ok ? reply.json?.channels?.['/ws/v1']?.publish?.message?.oneOf || [] : [];
    for (const message of messages) {
      const data = message.payload?.properties?.data;
      const template = { type: message.name, id: '' };
      const example = data ? exampleOf(data) : {};
      if (Object.keys(example).length) template.data = example;
      this.templates.set(message.name, { template, summary: message.summary || '' });
    }
    if (!this.templates.size) this.templates.set('ping', { template: { type: 'ping', id: '' }, summary: '' });
    $('client-template').replaceChildren(
      ...[...this.templates.entries()].map(([name, t]) => el('option', { value: name, title: t.summary }, name)),
    );
    $('client-template').value = this.templates.has('ping') ? 'ping' : [...this.templates.keys()][0];
    this.applyTemplate();
  },

  applyTemplate() {
    const entry = this.templates.get($('client-template').value);
    if (!entry) return;
    const message = { ...entry.template, id: `ui-${this.nextId}` };
    $('client-json').value = JSON.stringify(message, null, 2);
    $('client-error').textContent = '';
  },

  send() {
    let message;
    try {
      message = JSON.parse($('client-json').value);
    } catch (error) {
      $('client-error').textContent = t('Not JSON: {error}', { error: error.message });
      return;
    }
    if (!message || typeof message !== 'object' || Array.isArray(message) || typeof message.type !== 'string') {
      $('client-error').textContent = t('A message is a JSON object with a string "type".');
      return;
    }
    try {
      session.client.send(message);
      $('client-error').textContent = '';
      this.nextId += 1;
      if (typeof message.id === 'string' && message.id.startsWith('ui-')) {
        message.id = `ui-${this.nextId}`;
        $('client-json').value = JSON.stringify(message, null, 2);
      }
    } catch (error) {
      $('client-error').textContent = error.message;
    }
  },

  add(direction, message) {
    this.log.push({ direction, message, at: new Date(), text: JSON.stringify(message, null, 2) });
    if (this.log.length > MAX_CLIENT_MESSAGES) this.log.splice(0, this.log.length - MAX_CLIENT_MESSAGES);
    this.render();
  },

  _render() {
    if ($('tab-client').hidden) return; // drawn when shown
    const filter = $('client-filter').value.trim().toLowerCase();
    const events = $('client-events').checked;
    const view = $('client-log');
    const atBottom = view.scrollTop + view.clientHeight >= view.scrollHeight - 4;
    view.replaceChildren(
      ...this.log
        .filter(({ message }) => events || message.type !== 'event')
        .map((entry) => ({ entry, text: entry.text }))
        .filter(({ text }) => !filter || text.toLowerCase().includes(filter))
        .slice(-200)
        .map(({ entry, text }) =>
          el(
            'div',
            { className: `msg ${entry.direction} ${entry.message.type === 'error' ? 'err' : ''}` },
            el('span', { className: 'dir' }, entry.direction === 'in' ? '←' : '→'),
            el('span', { className: 'time' }, entry.at.toLocaleTimeString()),
            text,
          ),
        ),
    );
    if (atBottom) view.scrollTop = view.scrollHeight;
  },
};

// ---- the connection ----------------------------------------------------------------------------

// The claims of a JWT, unverified (the hub verifies it): for showing who is signed in.
function claimsOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, '=')));
  } catch {
    return null;
  }
}

function showSignIn(error = '') {
  $('app').hidden = true;
  $('signin').hidden = false;
  $('signin-error').textContent = error;
  $('signin-token').focus();
}

function setConnectionState(state, detail = '') {
  const pill = $('conn-state');
  pill.dataset.state = state;
  pill.textContent = t({ open: 'Live', connecting: 'Connecting', reconnecting: 'Reconnecting', closed: 'Offline' }[state] || state);
  pill.title = detail;
  $('conn-detail').textContent = detail;
}

async function subscribeLive(client) {
  // One topic at a time: the hub subscribes all or nothing, and an anonymous browser (auth
  // optional) may read only some topics.
  for (const topic of LIVE_TOPICS) {
    try {
      await client.subscribe([topic], { history: HISTORY[topic] || 0 });
      overview.topic(topic);
    } catch (error) {
      if (error.code === 'AUTHENTICATION_FAILED') {
        client.close();
        showSignIn(t('This hub needs a token to show its live data.'));
        return;
      }
      overview.topic(topic).refused = error.message;
    }
  }
  overview.renderTopics();
  document.body.dataset.live = 'true';
}

function start() {
  $('signin').hidden = true;
  $('app').hidden = false;
  const client = new SwitchboardClient({ token: session.token });
  session.client = client;
  window.switchboard = client; // for the browser console

  // "Live" once authenticated and subscribed again, not merely connected.
  client.on('state', (state) => state !== 'open' && setConnectionState(state));
  client.on('reconnecting', async ({ attempt, delayMs, code }) => {
    setConnectionState('reconnecting', t('connection closed ({code}); attempt {attempt} in {seconds} s', { code, attempt, seconds: (delayMs / 1000).toFixed(1) }));
    // A hub that refuses an upgrade (a token in the URL) tells the page nothing about why:
    // ask REST whether it is the token.
    if (session.token && attempt >= 2) {
      const check = await session.api('/api/jobs?status=running');
      if (check.status === 401 && session.client === client) {
        client.close();
        sessionStorage.removeItem(TOKEN_KEY);
        showSignIn(t('The hub refused the token: {error}', { error: check.json?.error || t('not valid') }));
      }
    }
  });
  client.on('ready', ({ sessionId, resumed, user }) => {
    $('session-id').textContent = sessionId || '–';
    // The auth ack names the user; a token sent in the URL is read for display only.
    const claims = user?.user ? { sub: user.user, role: user.role } : claimsOf(session.token);
    const who = claims?.sub ? `${claims.sub}${claims.role ? ` · ${claims.role}` : ''}` : t('anonymous');
    $('user-label').textContent = who;
    setConnectionState('open', resumed ? t('resumed at {time}', { time: new Date().toLocaleTimeString() }) : '');
  });
  client.on('auth_failed', ({ error }) => {
    sessionStorage.removeItem(TOKEN_KEY);
    showSignIn(t('The hub refused the token: {error}', { error }));
  });
  client.on('gap', ({ topic }) => {
    overview.topic(topic).gaps += 1;
    overview.renderTopics();
  });
  client.on('resync', ({ topic }) => {
    overview.topic(topic).resyncs += 1;
    overview.renderTopics();
    if (topic === 'jobs') jobs.load();
  });
  client.on('event', (message) => {
    overview.onEvent(message);
    if (message.topic === 'jobs') jobs.onEvent(message);
    else if (message.topic === 'trading') trading.onEvent(message);
    else if (message.topic === 'logs') logs.onEvent(message);
    else if (message.topic.startsWith('room:')) rooms.onEvent(message);
  });
  client.on('message', (message) => clientTab.add('in', message));
  client.on('sent', (message) => clientTab.add('out', message));

  client
    .connect()
    .then(() => subscribeLive(client))
    .catch(() => {}); // the state pill tells; the client keeps trying
  // Who this sign-in is decides what is asked for: nothing before the hub has taken the token
  // (a refused one would draw a 401 from every panel), no administrators' route unless it may.
  session.whoami().then(() => {
    if (session.client !== client) return;
    if (session.tokenRefused()) {
      client.close();
      sessionStorage.removeItem(TOKEN_KEY);
      showSignIn(t('The hub refused the token: {error}', { error: t('not valid') }));
      return;
    }
    jobs.load();
    jobs.loadSchemas();
    clientTab.loadTemplates();
    overview.describe();
    overview.refresh();
    trading.equity.load();
    alerts.load();
    if (session.adminRoutes) rooms.load();
    else rooms.explain();
    const tab = document.querySelector('.tabs button[aria-selected="true"]')?.dataset.tab;
    if (tab) refreshTab(tab);
  });
}

// What a tab shows is fetched when it is opened and every 3 s while it is open.
function refreshTab(name) {
  if (name === 'connections') connections.load();
  else if (name === 'topics') topics.load();
  else if (name === 'alerts') alerts.load();
  else if (name === 'rooms' && session.adminRoutes) rooms.load();
}

function initTabs() {
  const buttons = [...document.querySelectorAll('.tabs button')];
  const select = (name) => {
    for (const button of buttons) button.setAttribute('aria-selected', String(button.dataset.tab === name));
    for (const section of document.querySelectorAll('.tab')) section.hidden = section.id !== `tab-${name}`;
    if (session.me) refreshTab(name);
    if (name === 'overview' && session.me) overview.refresh();
    if (name === 'logs') logs.render();
    if (name === 'client') clientTab.render();
    history.replaceState(null, '', `#${name}`);
  };
  for (const button of buttons) button.addEventListener('click', () => select(button.dataset.tab));
  const initial = location.hash.slice(1);
  if (buttons.some((b) => b.dataset.tab === initial)) select(initial);
}

function init() {
  translatePage();
  overview.init();
  jobs.init();
  trading.init();
  logs.init();
  rooms.init();
  clientTab.init();
  connections.init();
  topics.init();
  alerts.init();
  initCsvButtons();
  initTabs();

  $('signin-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('signin-token').value.trim();
    if (!token) {
      $('signin-error').textContent = t('Paste a token, or continue without one.');
      return;
    }
    if (token.split('.').length !== 3) {
      $('signin-error').textContent = t('That is not a JWT (three dot-separated parts).');
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.removeItem(ANONYMOUS_KEY);
    session.token = token;
    start();
  });
  $('signin-anonymous').addEventListener('click', () => {
    sessionStorage.setItem(ANONYMOUS_KEY, '1');
    sessionStorage.removeItem(TOKEN_KEY);
    session.token = '';
    start();
  });
  $('signout').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(ANONYMOUS_KEY);
    location.reload();
  });

  setInterval(() => {
    if ($('app').hidden || !session.me) return;
    overview.refresh();
    const tab = document.querySelector('.tabs button[aria-selected="true"]')?.dataset.tab;
    if (tab && tab !== 'rooms') refreshTab(tab);
  }, 3000);

  // A sign-in link followed from an open dashboard changes only the fragment.
  window.addEventListener('hashchange', () => {
    if (new URLSearchParams(location.hash.slice(1)).get('token')) location.reload();
  });

  if (session.restore()) start();
  else showSignIn();
}

init();
