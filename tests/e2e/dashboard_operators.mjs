// The operators' views of the web dashboard (SPEC §13): an anonymous session asks only for
// what it may see (no failed request, no console error) and its equity chart opens with the
// hub's history; an administrator's session shows the traffic charts with a range selector,
// the Connections tab with a connection's detail, the Topics tab with a topic's last events,
// the Alerts tab (a bad rule refused naming the field, a good one firing and acknowledged),
// the Logs filters, and exports a table as CSV.

import { check, openBrowser, unexpectedProblems, run, startServer, signIn, waitFor } from './harness.mjs';

run('dashboard operators views', async () => {
  // Anonymous, auth optional: no administrators' route is asked for.
  const open = await startServer(['--auth', 'optional']);
  const feed = open.token({ sub: 'feed', role: 'service' });
  await open.api('POST', '/api/v1/publish', { topic: 'trading', type: 'equity_update', data: { total_equity: '5000.00', peak_equity: '5100.00' } }, feed);
  // The hub samples its series once a second: wait until the point is in its history.
  await waitFor('the equity history', async () => ((await open.api('GET', '/api/v1/series?names=equity')).json?.equity || []).length >= 1);
  const { page, problems } = await openBrowser();
  const failed = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => failed.push(`failed ${request.url()}`));
  await page.goto(open.url + '/');
  await page.click('#signin-anonymous');
  await page.locator('body[data-live="true"]').waitFor();
  await page.locator('body[data-admin="false"]').waitFor();
  check(await page.locator('.tabs button[data-tab="topics"]').isHidden(), 'the Topics tab is for admins');
  check(await page.locator('.tabs button[data-tab="connections"]').isHidden(), 'so is Connections');
  await page.click('.tabs button[data-tab="trading"]');
  await page.locator('#equity-chart[data-loaded="true"]').waitFor();
  // The equity chart opens with history: drawn on the next animation frame after it loaded.
  await page.locator('#equity-chart:not([data-points="0"])').waitFor();
  await page.click('.tabs button[data-tab="alerts"]');
  await page.locator('#alerts-list-empty').waitFor();
  check(await page.locator('#rules-card').isHidden(), 'rules are for admins');
  await page.click('.tabs button[data-tab="overview"]');
  await page.locator('#traffic-note').waitFor();
  // Two refreshes of the overview (every 3 s) go by: uptime moves on each.
  for (let i = 0; i < 2; i += 1) {
    const before = await page.textContent('#ov-uptime');
    await waitFor('an overview refresh', async () => (await page.textContent('#ov-uptime')) !== before, 10000);
  }
  check(failed.length === 0, `failed requests: ${failed.join(', ')}`);
  const anonymousProblems = unexpectedProblems(problems);
  check(anonymousProblems.length === 0, anonymousProblems.join('\n'));

  // An administrator.
  const server = await startServer(['--auth', 'required']);
  const admin = server.token({ sub: 'ada', role: 'admin' });
  await signIn(page, server, admin);
  await page.locator('body[data-admin="true"]').waitFor();
  await page.locator('#traffic-chart[data-loaded="true"]').waitFor();
  await page.selectOption('.chart-tools[data-chart="traffic"] select.range', '1h');
  await page.locator('#traffic-chart[data-range="1h"][data-loaded="true"]').waitFor();

  await page.click('.tabs button[data-tab="connections"]');
  const row = page.locator('#connections-table tbody tr').first();
  await row.waitFor();
  await row.click();
  await page.locator('#cd-fields [data-field="dialect"]:has-text("native")').waitFor();
  await page.locator('#cd-fields [data-field="token expires"]').waitFor();
  check((await page.textContent('#cd-queue span')).includes('of 4.0 MB'), 'queue against its cap');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#tab-connections button.csv')]);
  check(csv.suggestedFilename() === 'connections-table.csv', `download ${csv.suggestedFilename()}`);

  await server.api('POST', '/api/v1/publish', { topic: 'orders', type: 'order_placed', data: { symbol: 'ETH', qty: 2 } }, admin);
  await page.click('.tabs button[data-tab="topics"]');
  await page.locator('#topics-list tr[data-topic="orders"]').click();
  await page.locator('#topic-events pre:has-text("\\"symbol\\": \\"ETH\\"")').waitFor();
  await server.api('POST', '/api/v1/publish', { topic: 'orders', type: 'order_filled', data: { symbol: 'ETH' } }, admin);
  await page.locator('#topic-events .time:has-text("order_filled")').waitFor();

  await page.click('.tabs button[data-tab="alerts"]');
  await page.locator('#rules-card').waitFor();
  const before = unexpectedProblems(problems);
  check(before.length === 0, before.join('\n'));
  // As JSON, a rule the form could not hold: the hub's refusal names the rule and field.
  await page.click('#rules-mode');
  await page.fill('#rules-json', JSON.stringify([{ id: 'x', metric: 'connections', op: '=>', threshold: 1 }]));
  await page.click('#rules-save');
  await page.locator('#rules-error:has-text("rules[0].op")').waitFor();
  problems.length = 0; // the browser logs the 400 it was meant to get
  await page.fill('#rules-json', JSON.stringify([{ id: 'someone-here', metric: 'connections', op: '>=', threshold: 1, severity: 'critical' }]));
  await page.click('#rules-mode'); // back to the form, with the rule in it
  const rule = page.locator('#rules-table tbody tr[data-index="0"]');
  check((await rule.locator('[name="id"]').inputValue()) === 'someone-here', 'the JSON rule is in the form');
  check((await rule.locator('[name="severity"]').inputValue()) === 'critical', 'with its severity');
  await page.click('#rules-save');
  await page.locator('#rules-status:has-text("saved 1 rule")').waitFor();
  const firing = page.locator('#alerts-list tr[data-state="firing"]');
  await firing.waitFor({ timeout: 15000 });
  await firing.locator('button:has-text("Acknowledge")').click();
  await page.locator('#alerts-list tr[data-state="firing"] td:has-text("ada")').waitFor();

  await page.click('.tabs button[data-tab="logs"]');
  await page.locator('#log-view .log-line:has-text("alert rules changed")').waitFor();
  await page.fill('#log-user', 'nobody-at-all');
  await waitFor('the user filter', async () => (await page.locator('#log-view .log-line').count()) === 0);

  const unexpected = unexpectedProblems(problems);
  check(unexpected.length === 0, unexpected.join('\n'));
});
