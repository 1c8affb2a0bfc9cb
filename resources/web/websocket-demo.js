// The demo page of document 002: connect to /ws/connect with a JWT, send its messages and
// watch what the hub sends back. A plain WebSocket, as the document's own clients use.

const $ = (id) => document.getElementById(id);
const MAX_LOG = 500;
let socket = null;
const counts = new Map();

function setState(state, text) {
  $('demo-state').dataset.state = state;
  $('demo-state').textContent = text;
  $('demo-connect').disabled = state !== 'closed';
  $('demo-disconnect').disabled = state === 'closed';
  for (const button of document.querySelectorAll('[data-send], #demo-send-json')) button.disabled = state !== 'open';
}

function log(direction, text) {
  let pretty = text;
  let type = '';
  try {
    const message = JSON.parse(text);
    type = message.type || '';
    pretty = JSON.stringify(message, null, 2);
  } catch {
    // not JSON: shown as it is
  }
  if (direction === 'in' && type) {
    counts.set(type, (counts.get(type) || 0) + 1);
    $('demo-counts').textContent = [...counts.entries()].map(([t, n]) => `${t} ${n}`).join(' · ');
  }
  const view = $('demo-log');
  const atBottom = view.scrollTop + view.clientHeight >= view.scrollHeight - 4;
  const line = document.createElement('div');
  line.className = `msg ${direction}${type === 'error' ? ' err' : ''}`;
  line.dataset.type = type;
  const dir = document.createElement('span');
  dir.className = 'dir';
  dir.textContent = direction === 'in' ? '←' : direction === 'out' ? '→' : '•';
  const time = document.createElement('span');
  time.className = 'time';
  time.textContent = new Date().toLocaleTimeString();
  line.append(dir, time, pretty);
  view.append(line);
  while (view.children.length > MAX_LOG) view.firstChild.remove();
  if (atBottom) view.scrollTop = view.scrollHeight;
}

function send(message) {
  if (!socket || socket.readyState !== WebSocket.OPEN) return;
  const text = JSON.stringify(message);
  socket.send(text);
  log('out', text);
}

function connect() {
  const token = $('demo-token').value.trim();
  const mode = document.querySelector('input[name="demo-auth"]:checked').value;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  let url = `${scheme}//${location.host}/ws/connect`;
  if (token && mode === 'query') url += `?token=${encodeURIComponent(token)}`;
  $('demo-error').textContent = '';
  setState('connecting', 'Connecting');
  socket = new WebSocket(url);
  socket.onopen = () => {
    setState('open', 'Connected');
    log('note', 'connected to /ws/connect');
    if (token && mode === 'message') send({ type: 'auth', token });
  };
  socket.onmessage = (event) => log('in', typeof event.data === 'string' ? event.data : '(binary)');
  socket.onclose = (event) => {
    log('note', `closed: ${event.code}${event.reason ? ` ${event.reason}` : ''}`);
    if (event.code === 1006 && !event.wasClean)
      $('demo-error').textContent = 'The hub refused the connection (a bad or expired token, or a forbidden origin).';
    socket = null;
    setState('closed', 'Disconnected');
  };
}

function messageFor(type) {
  switch (type) {
    case 'join_room':
    case 'leave_room':
      return { type, room: $('demo-room').value.trim() };
    case 'broadcast_admin':
      return { type, message: $('demo-broadcast').value.trim() || 'Hello from the demo page', severity: 'info' };
    default:
      return { type };
  }
}

$('demo-token').value = sessionStorage.getItem('switchboard.token') || '';
$('demo-connect').addEventListener('click', connect);
$('demo-disconnect').addEventListener('click', () => socket?.close(1000, 'bye'));
$('demo-clear').addEventListener('click', () => {
  $('demo-log').replaceChildren();
  counts.clear();
  $('demo-counts').textContent = '';
});
for (const button of document.querySelectorAll('[data-send]'))
  button.addEventListener('click', () => send(messageFor(button.dataset.send)));
$('demo-send-json').addEventListener('click', () => {
  try {
    send(JSON.parse($('demo-json').value));
    $('demo-error').textContent = '';
  } catch (error) {
    $('demo-error').textContent = `Not JSON: ${error.message}`;
  }
});
setState('closed', 'Disconnected');
