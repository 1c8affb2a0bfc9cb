// Sign-in (SPEC §10): the dashboard asks for a token, keeps it in sessionStorage, shows who is
// signed in over a live /ws/v1 connection, survives a reload, and refuses a bad token.

import { check, openBrowser, unexpectedProblems, run, startServer, signIn, waitFor } from './harness.mjs';

run('dashboard sign-in', async () => {
  const server = await startServer(['--auth', 'required']);
  const { page, problems } = await openBrowser();

  // A token signed with another secret is refused, and the sign-in form says so.
  await page.goto(server.url + '/');
  await page.locator('#signin-token').waitFor({ state: 'visible' });
  const forged = server.token({ sub: 'mallory', role: 'admin' }).replace(/\.[^.]+$/, '.AAAA');
  await page.fill('#signin-token', forged);
  await page.click('#signin-submit');
  await page.locator('#signin-error:has-text("refused")').waitFor();
  check((await page.evaluate(() => sessionStorage.getItem('switchboard.token'))) === null,
    'a refused token is not kept');
  // Nothing is asked with a token the hub has not taken: no 401 in the console.
  check(problems.length === 0, `while refused: ${problems.join('\n')}`);

  // A good one signs in: live connection, session id, user and role shown.
  const token = server.token({ sub: 'alice', role: 'admin', name: 'Alice' });
  await signIn(page, server, token);
  const user = await page.textContent('#user-label');
  check(user.includes('alice') && user.includes('admin'), `user label "${user}"`);
  check((await page.evaluate(() => sessionStorage.getItem('switchboard.token'))) === token,
    'the token is kept in sessionStorage');
  const firstSession = await page.textContent('#session-id');

  // The overview is filled from the REST routes.
  await page.locator('#ov-status:has-text("Healthy")').waitFor();
  await waitFor('a connection count', async () => Number(await page.textContent('#ov-connections')) >= 1);

  // A reload signs in again from sessionStorage, on a new connection.
  await page.reload();
  await page.locator('#conn-state[data-state="open"]').waitFor();
  check(await page.locator('#signin').isHidden(), 'no sign-in form after a reload');
  await waitFor('a new session id', async () => {
    const id = await page.textContent('#session-id');
    return id !== '–' && id !== firstSession;
  });

  // Signing out forgets the token.
  await page.click('#signout');
  await page.locator('#signin-token').waitFor({ state: 'visible' });
  check((await page.evaluate(() => sessionStorage.getItem('switchboard.token'))) === null,
    'sign-out clears the token');

  // A link with the token in its fragment (the console's "open web dashboard") signs in and
  // leaves no token in the address bar.
  const linked = server.token({ sub: 'linda', role: 'user' });
  await page.goto(`${server.url}/#token=${linked}`);
  await page.locator('body[data-live="true"]').waitFor();
  check((await page.textContent('#user-label')).includes('linda'), 'signed in from the link');
  check(!page.url().includes('token'), `address bar: ${page.url()}`);
  check((await page.evaluate(() => sessionStorage.getItem('switchboard.token'))) === linked, 'kept');
  await page.click('#signout');
  await page.locator('#signin-token').waitFor({ state: 'visible' });

  const unexpected = unexpectedProblems(problems);
  check(unexpected.length === 0, unexpected.join('\n'));

  // A hub with optional auth: no token, the public topics live, the others marked refused.
  const open = await startServer(['--auth', 'optional']);
  await page.goto(open.url + '/');
  await page.click('#signin-anonymous');
  await page.locator('body[data-live="true"]').waitFor();
  check((await page.textContent('#user-label')) === 'anonymous', 'shown as anonymous');
  await page.locator('#topics-table tr[data-topic="trading"]:not([data-refused])').waitFor();
  await page.locator('#topics-table tr[data-topic="jobs"][data-refused]').waitFor();
  const feed = open.token({ sub: 'feed', role: 'service' });
  const published = await open.api('POST', '/api/v1/publish',
    { topic: 'trading', type: 'equity_update', data: { total_equity: '1.00', peak_equity: '1.00' } }, feed);
  await page.click('.tabs button[data-tab="trading"]');
  await page.locator(`#equity-table tr[data-seq="${published.json.seq}"]`).waitFor();
});
