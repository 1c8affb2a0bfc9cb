// TLS (SPEC §7): the dashboard served over https on the hub's one port signs in, opens its
// WebSocket over wss (the page's own scheme), and draws an event published through https REST;
// the hub's TLS (net/TlsSocket) carries the page, its scripts and the live feed.

import { check, openBrowser, unexpectedProblems, run, startServer, signIn } from './harness.mjs';

run('dashboard over https and wss', async () => {
  const server = await startServer(['--auth', 'required'], { tls: true });
  check(server.url.startsWith('https://'), `the server is at ${server.url}`);
  const { page, problems } = await openBrowser({ acceptCertificates: true });
  const sockets = [];
  page.on('websocket', (socket) => sockets.push(socket.url()));
  await signIn(page, server, server.token({ sub: 'carol', role: 'user' }));
  check(sockets.length > 0 && sockets.every((url) => url.startsWith('wss://127.0.0.1:')), `the page's sockets: ${sockets.join(', ')}`);

  await page.click('.tabs button[data-tab="trading"]');
  const chart = page.locator('#equity-chart');
  await chart.locator('canvas').waitFor();
  const service = server.token({ sub: 'feed', role: 'service' });
  const reply = await server.api('POST', '/api/v1/publish',
    { topic: 'trading', type: 'equity_update', data: { total_equity: '100250.50', peak_equity: '100400.00', current_equity: '100250.50' } },
    service);
  check(reply.status === 200, `publish over https answered ${reply.status} ${reply.text}`);
  await page.locator('#equity-chart[data-points="1"]').waitFor();
  await page.locator('#equity-chart[data-last-value="100250.5"]').waitFor();

  const health = await server.api('GET', '/health');
  check(health.status === 200 && health.json?.status, `health over https: ${health.status} ${health.text}`);
  const unexpected = unexpectedProblems(problems);
  check(unexpected.length === 0, `the page reported: ${unexpected.join('; ')}`);
});
