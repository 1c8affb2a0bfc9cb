// Resume (SPEC §3, §10): the server cuts the page's connection (DELETE
// /api/v1/ws/connections/{id}); events published while the page is away all arrive once it
// has reconnected, in order, with no gap in the topic's sequence numbers.

import { check, openBrowser, unexpectedProblems, run, startServer, signIn, waitFor } from './harness.mjs';

run('dashboard resume', async () => {
  const server = await startServer(['--auth', 'required']);
  const { page, context, problems } = await openBrowser();
  await signIn(page, server, server.token({ sub: 'dave', role: 'user' }));
  await page.click('.tabs button[data-tab="trading"]');
  const admin = server.token({ sub: 'root', role: 'admin' });
  const publish = (n) =>
    server.api('POST', '/api/v1/publish',
      { topic: 'trading', type: 'equity_update', data: { total_equity: String(100000 + n), peak_equity: '100100' } }, admin);

  // Live before the cut.
  const before = await publish(1);
  await page.locator(`#equity-table tr[data-seq="${before.json.seq}"]`).waitFor();
  const sessionId = await page.textContent('#session-id');

  // The browser loses its network, so it cannot come back before the events are published;
  // then the server cuts the connection.
  await context.setOffline(true);
  const cut = await server.api('DELETE', `/api/v1/ws/connections/${encodeURIComponent(sessionId)}`, undefined, admin);
  check(cut.status === 200, `DELETE answered ${cut.status} ${cut.text}`);
  await page.locator('#conn-state[data-state="reconnecting"]').waitFor();

  const missed = [];
  for (let n = 2; n <= 6; n += 1) missed.push((await publish(n)).json.seq);
  check(missed.every((seq, i) => seq === before.json.seq + 1 + i), `contiguous publishes: ${missed}`);

  await context.setOffline(false);
  await page.locator('#conn-state[data-state="open"]').waitFor({ timeout: 20000 });
  await waitFor('a new session', async () => (await page.textContent('#session-id')) !== sessionId);
  for (const seq of missed) await page.locator(`#equity-table tr[data-seq="${seq}"]`).waitFor();

  // And live again after the resume.
  const after = await publish(7);
  await page.locator(`#equity-table tr[data-seq="${after.json.seq}"]`).waitFor();

  const seqs = await page.$$eval('#equity-table tbody tr', (rows) => rows.map((r) => Number(r.dataset.seq)).reverse());
  const expected = Array.from({ length: 7 }, (_, i) => before.json.seq + i);
  check(JSON.stringify(seqs) === JSON.stringify(expected), `seqs in order, once each: ${seqs} (want ${expected})`);
  check((await page.textContent('#topics-table tr[data-topic="trading"] .gaps')) === '0', 'no gap counted');
  // The chart redraws on the next animation frame after the table: its count is waited for.
  await page.locator('#equity-chart[data-points="7"]').waitFor();
  const stats = await page.evaluate(() => window.switchboard.stats);
  check(stats.gaps === 0 && stats.resyncs === 0, `client stats ${JSON.stringify(stats)}`);

  // Offline, the browser reports the requests it could not make; nothing else may fail.
  const offline = /ERR_INTERNET_DISCONNECTED|WebSocket connection to .* failed|Failed to fetch/;
  const unexpected = unexpectedProblems(problems, offline);
  check(unexpected.length === 0, unexpected.join('\n'));
});
