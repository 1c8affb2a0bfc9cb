// Rooms and the client tab (SPEC §10): two signed-in browsers join a room from the Rooms tab
// and see each other arrive and leave; the Client tab sends native messages from its
// templates and shows the replies, and explains what it will not send.

import { check, openBrowser, unexpectedProblems, run, startServer, signIn } from './harness.mjs';

run('dashboard rooms and client tab', async () => {
  const server = await startServer(['--auth', 'required']);
  const alice = await openBrowser();
  const bob = await openBrowser();
  await signIn(alice.page, server, server.token({ sub: 'alice', role: 'user' }));
  await signIn(bob.page, server, server.token({ sub: 'bob', role: 'user' }));

  const join = async (page, room) => {
    await page.click('.tabs button[data-tab="rooms"]');
    await page.fill('#room-name', room);
    await page.click('#room-form button[type="submit"]');
  };
  const card = (page) => page.locator('#joined-rooms .room[data-room="ops-room"]');

  await join(alice.page, 'ops-room');
  await card(alice.page).locator('.member:has-text("alice")').waitFor();
  await join(bob.page, 'ops-room');
  await card(bob.page).locator('.member:has-text("bob")').waitFor();
  await card(alice.page).locator('.member:has-text("bob")').waitFor();
  await card(bob.page).locator('button:has-text("Leave")').click();
  await card(bob.page).waitFor({ state: 'detached' });
  await card(alice.page).locator('.member:has-text("bob")').waitFor({ state: 'detached' });
  check((await card(alice.page).locator('.member').count()) === 1, 'only alice is left');

  // The client tab: a template, its reply, and refusals before sending.
  const page = alice.page;
  await page.click('.tabs button[data-tab="client"]');
  await page.locator('#client-template option[value="jobs_list"]').waitFor({ state: 'attached' });
  await page.selectOption('#client-template', 'ping');
  const id = JSON.parse(await page.inputValue('#client-json')).id;
  await page.click('#client-send');
  await page.locator(`#client-log .msg.in:has-text('"type": "pong"'):has-text('"id": "${id}"')`).waitFor();

  await page.selectOption('#client-template', 'jobs_list');
  await page.click('#client-send');
  await page.locator('#client-log .msg.in:has-text(\'"jobs": [\')').waitFor();

  await page.fill('#client-json', '{"type": "ping",');
  await page.click('#client-send');
  await page.locator('#client-error:has-text("Not JSON")').waitFor();
  await page.fill('#client-json', '{"type": "no_such_message", "id": "x-1"}');
  await page.click('#client-send');
  await page.locator('#client-log .msg.err:has-text("UNKNOWN_MESSAGE_TYPE")').waitFor();
  await page.locator('#conn-state[data-state="open"]').waitFor(); // still connected

  for (const { problems } of [alice, bob]) {
    const unexpected = unexpectedProblems(problems);
    check(unexpected.length === 0, unexpected.join('\n'));
  }
});
