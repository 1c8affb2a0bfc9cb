// Trading (SPEC §10, §6.4): an equity_update published through REST becomes a new point on
// the uPlot chart, with the totals, the risk badge and the positions table following the
// trading topic's other events.

import { check, openBrowser, unexpectedProblems, run, startServer, signIn, waitFor } from './harness.mjs';

run('dashboard equity chart', async () => {
  const server = await startServer(['--auth', 'required']);
  const { context, page, problems } = await openBrowser();
  await signIn(page, server, server.token({ sub: 'carol', role: 'user' }));
  await page.click('.tabs button[data-tab="trading"]');
  const chart = page.locator('#equity-chart');
  await chart.locator('canvas').waitFor(); // uPlot drew its canvas
  check((await chart.getAttribute('data-points')) === '0', 'the chart starts empty');

  const service = server.token({ sub: 'feed', role: 'service' });
  const publish = (type, data) => server.api('POST', '/api/v1/publish', { topic: 'trading', type, data }, service);

  let reply = await publish('equity_update', { total_equity: '100250.50', peak_equity: '100400.00', current_equity: '100250.50' });
  check(reply.status === 200, `publish answered ${reply.status} ${reply.text}`);
  await page.locator('#equity-chart[data-points="1"]').waitFor();
  check((await chart.getAttribute('data-last-value')) === '100250.5', 'the point is the published total');
  reply = await publish('equity_update', { total_equity: '99870.25', peak_equity: '100400.00', current_equity: '99870.25' });
  await page.locator('#equity-chart[data-points="2"]').waitFor();
  check((await chart.getAttribute('data-last-value')) === '99870.25', 'the second point');
  await page.locator(`#equity-table tr[data-seq="${reply.json.seq}"]`).waitFor();
  const total = await page.textContent('#tr-total');
  check(total.replace(/[^0-9]/g, '') === '9987025', `total equity shows ${total}`);

  await publish('risk_status_update', { status: 'hard_stop', message: 'Hard stop: all positions closed', drawdown_pct: '0.081', daily_loss_pct: '0.052' });
  await page.locator('#risk-badge[data-status="hard_stop"]').waitFor();
  await page.locator('#risk-badge-top[data-status="hard_stop"]').waitFor();

  await publish('position_update', { position_id: 'p-1', symbol: 'BTC-USD', status: 'open', spot_entry_price: '64000.00',
    perp_entry_price: '64120.00', spot_quantity: '0.5', perp_quantity: '0.5', unrealized_pnl: '35.10', funding_collected: '2.40' });
  await page.locator('#positions-table tbody tr:has-text("BTC-USD")').waitFor();

  // A page opened later gets both the hub's series and the topic's replayed events for the same
  // time: each moment is drawn once, in time order (no line drawn back to the start).
  const sampled = async () => (await server.api('GET', '/api/v1/series?names=equity', undefined, service)).json?.equity || [];
  await waitFor('the equity series', async () => (await sampled()).some(([, v]) => v === 99870.25));
  const later = await context.newPage();
  await signIn(later, server, server.token({ sub: 'carol', role: 'user' }));
  await later.click('.tabs button[data-tab="trading"]');
  await later.locator('#equity-chart[data-loaded="true"]').waitFor();
  await later.locator(`#equity-table tr[data-seq="${reply.json.seq}"]`).waitFor(); // the replay is in
  // The chart redraws on the next animation frame after the table.
  await later.locator('#equity-chart[data-last-value="99870.25"]').waitFor();
  const samples = (await sampled()).length;
  const laterChart = later.locator('#equity-chart');
  check((await laterChart.getAttribute('data-in-order')) === 'true', 'the points are in time order');
  const points = Number(await laterChart.getAttribute('data-points'));
  check(points >= 1 && points <= samples + 2, `${points} points for ${samples} samples and 2 events: none twice`);

  const unexpected = unexpectedProblems(problems);
  check(unexpected.length === 0, unexpected.join('\n'));
});
