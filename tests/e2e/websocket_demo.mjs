// The 002 demo page (SPEC §2.1): paste a token, connect to /ws/connect, send the document's
// messages from its buttons and see the hub's answers in the message log.

import { check, openBrowser, unexpectedProblems, run, startServer, waitFor } from './harness.mjs';

run('websocket demo page', async () => {
  const server = await startServer(['--auth', 'required']);
  const { page, problems } = await openBrowser();
  const log = page.locator('#demo-log');
  const received = (type) => log.locator(`.msg.in[data-type="${type}"]`);

  for (const mode of ['query', 'message']) {
    await page.goto(server.url + '/websocket-demo.html');
    await page.fill('#demo-token', server.token({ sub: 'erin', role: 'admin' }));
    await page.check(`input[name="demo-auth"][value="${mode}"]`);
    await page.click('#demo-connect');
    await page.locator('#demo-state[data-state="open"]').waitFor();
    // The greeting, authenticated (after the auth message, when the token comes that way).
    await waitFor(`an authenticated connection message (${mode})`, async () => {
      for (const text of await received('connection').allTextContents())
        if (text.includes('"authenticated": true')) return true;
      return false;
    });

    await page.click('[data-send="ping"]');
    await received('pong').first().waitFor();
    await page.fill('#demo-room', 'background_jobs');
    await page.click('[data-send="join_room"]');
    await received('room_event').first().waitFor();
    await page.click('[data-send="get_active_jobs"]');
    await received('job_updates').first().waitFor();
    await page.click('[data-send="subscribe_system_metrics"]');
    await received('system_metrics').first().waitFor({ timeout: 15000 });

    await page.click('#demo-disconnect');
    await page.locator('#demo-state[data-state="closed"]').waitFor();
  }

  // A bad message gets an error in the log and the connection stays open.
  await page.click('#demo-connect');
  await page.locator('#demo-state[data-state="open"]').waitFor();
  await page.fill('#demo-json', '{"type": "no_such_message"}');
  await page.click('#demo-send-json');
  await received('error').first().waitFor();
  check(await page.locator('#demo-state[data-state="open"]').isVisible(), 'still connected after an error');

  const unexpected = unexpectedProblems(problems);
  check(unexpected.length === 0, unexpected.join('\n'));
});
