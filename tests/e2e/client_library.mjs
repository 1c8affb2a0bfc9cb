// /client.js on its own, in the browser, against a real hub (docs/client-js.md): requests and
// their errors, ordered events, the heartbeat noticing a hub that stopped answering (the
// process is paused with SIGSTOP), reconnecting with backoff and resuming without a gap once
// it answers again, and a clean close that stays closed.

import { check, openBrowser, run, startServer, unexpectedProblems, waitFor } from './harness.mjs';

run('client library', async () => {
  const server = await startServer(['--auth', 'required']);
  const { page, problems } = await openBrowser();
  await page.goto(server.url + '/websocket-demo.html'); // any page of the hub: same origin
  const token = server.token({ sub: 'lib', role: 'user' });
  const admin = server.token({ sub: 'root', role: 'admin' });
  const publish = async (n) =>
    (await server.api('POST', '/api/v1/publish', { topic: 'trading', type: 'equity_update', data: { n } }, admin)).json.seq;

  const started = await page.evaluate(async (jwt) => {
    const { SwitchboardClient, SwitchboardError } = await import('/client.js');
    const client = new SwitchboardClient({
      token: jwt,
      heartbeatMs: 300,
      heartbeatTimeoutMs: 700,
      reconnect: { initialDelayMs: 100, maxDelayMs: 800 },
    });
    window.lib = { client, states: [], seqs: [], ready: [] };
    client.on('state', (s) => window.lib.states.push(s));
    client.on('event:trading', (e) => window.lib.seqs.push(e.seq));
    client.on('ready', (r) => window.lib.ready.push(r));
    await client.connect();
    await client.subscribe(['trading']);
    const listed = await client.request('jobs_list');
    let refused = null;
    try {
      await client.request('no_such_message');
    } catch (error) {
      refused = { code: error.code, isError: error instanceof SwitchboardError };
    }
    let denied = null;
    try {
      await client.publish('trading', 'equity_update', {}); // a user may not publish
    } catch (error) {
      denied = error.code;
    }
    return { jobs: Array.isArray(listed.jobs), refused, denied, user: client.user };
  }, token);
  check(started.jobs, 'jobs_list resolves with the ack data');
  check(started.refused?.code === 'UNKNOWN_MESSAGE_TYPE' && started.refused.isError, JSON.stringify(started.refused));
  check(started.denied === 'PERMISSION_DENIED', `publish as a user: ${started.denied}`);
  check(started.user?.user === 'lib', `auth ack: ${JSON.stringify(started.user)}`);

  const first = [await publish(1), await publish(2)];
  await waitFor('two events', () => page.evaluate(() => window.lib.seqs.length === 2));

  // The hub stops answering: the heartbeat notices and the client keeps trying.
  process.kill(server.pid, 'SIGSTOP');
  await waitFor('the heartbeat to drop the connection',
    () => page.evaluate(() => window.lib.states.includes('reconnecting')), 15000);
  process.kill(server.pid, 'SIGCONT');
  const during = [await publish(3), await publish(4)]; // before the client is back, most likely
  await waitFor('a resumed session', () => page.evaluate(() => window.lib.ready.some((r) => r.resumed)), 20000);
  const after = await publish(5);
  await waitFor('every event', () => page.evaluate(() => window.lib.seqs.length >= 5), 10000);

  const result = await page.evaluate(() => ({ seqs: window.lib.seqs, stats: window.lib.client.stats }));
  const expected = [...first, ...during, after];
  check(JSON.stringify(result.seqs) === JSON.stringify(expected), `seqs ${result.seqs} (want ${expected})`);
  check(result.stats.gaps === 0 && result.stats.reconnects >= 1, JSON.stringify(result.stats));

  // A clean close: closed, and a request afterwards fails instead of waiting forever.
  const closed = await page.evaluate(async () => {
    window.lib.client.close();
    try {
      await window.lib.client.request('ping', undefined, 1000);
      return 'answered';
    } catch (error) {
      return `${window.lib.client.state} ${error.code}`;
    }
  });
  check(closed === 'closed CLOSED', `after close: ${closed}`);
  await waitFor('the hub to see the client go', async () =>
    (await server.api('GET', '/health')).json.active_connections === 0);

  const unexpected = unexpectedProblems(problems);
  check(unexpected.length === 0, unexpected.join('\n'));
});
