// The API documentation page (/docs): in a browser it renders every REST route of
// /openapi.json and every message of every dialect's channel in /asyncapi.json, client and
// server, without console errors.

import { check, openBrowser, unexpectedProblems, run, startServer } from './harness.mjs';

run('docs page', async () => {
  const server = await startServer(['--auth', 'required']);
  const openapi = await server.api('GET', '/openapi.json');
  const asyncapi = await server.api('GET', '/asyncapi.json');
  check(openapi.status === 200 && asyncapi.status === 200, 'both descriptions are served');

  const expectedRest = [];
  for (const [path, ops] of Object.entries(openapi.json.paths))
    for (const method of Object.keys(ops)) expectedRest.push(`${method} ${path}`);
  const expectedWs = [];
  for (const [channel, description] of Object.entries(asyncapi.json.channels))
    for (const direction of ['publish', 'subscribe'])
      for (const message of description[direction].message.oneOf)
        expectedWs.push(`${channel} ${direction} ${message.name}`);

  const { page, problems } = await openBrowser();
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  await page.goto(server.url + '/docs');
  await page.locator('body[data-loaded="true"]').waitFor();

  const items = await page.$$eval('.item', (elements) =>
    elements.map((e) => ({ ...e.dataset, text: e.textContent, visible: e.offsetParent !== null })),
  );
  const rest = items.filter((i) => i.kind === 'rest').map((i) => `${i.method} ${i.path}`);
  const ws = items.filter((i) => i.kind === 'ws').map((i) => `${i.channel} ${i.direction} ${i.name}`);
  check(items.every((i) => i.visible), 'every item is displayed');

  const missingRest = expectedRest.filter((r) => !rest.includes(r));
  check(missingRest.length === 0, `REST routes not rendered: ${missingRest.join(', ')}`);
  check(rest.length === expectedRest.length, `${rest.length} REST items for ${expectedRest.length} routes`);
  const missingWs = expectedWs.filter((m) => !ws.includes(m));
  check(missingWs.length === 0, `messages not rendered: ${missingWs.join(', ')}`);
  check(ws.length === expectedWs.length, `${ws.length} message items for ${expectedWs.length} messages`);

  // Spot checks a reader would make: routes and each dialect's own messages, by name.
  for (const route of ['get /openapi.json', 'post /api/v1/jobs/external', 'put /api/v1/projects/{id}'])
    check(rest.includes(route), `route ${route}`);
  for (const message of [
    '/ws/v1 subscribe welcome',
    '/ws/calculations publish subscribe',
    '/ws/calculations subscribe calculation_complete',
    '/ws/status subscribe heartbeat',
    '/ws subscribe position_update',
    '/ws/connect publish broadcast_admin',
    '/ws/connect subscribe job_updates',
    '/ws/projects/{project_id} subscribe rc_analysis_progress',
    '/ws/notifications subscribe completion',
    '/api/v1/ws publish cell_update',
    '/api/v1/ws subscribe cell_updated',
  ])
    check(ws.includes(message), `message ${message}`);
  const broadcast = items.find((i) => i.channel === '/ws/connect' && i.name === 'broadcast_admin');
  check(broadcast.text.includes('admin'), 'broadcast_admin is marked admin-only');

  const unexpected = unexpectedProblems(problems);
  check(unexpected.length === 0, unexpected.join('\n'));
});
