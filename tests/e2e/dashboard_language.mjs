// The web dashboard speaks German to a browser that asks for it (navigator.language de-*), and
// English otherwise: the tabs, the statistics' labels and the cluster card.

import { check, openBrowser, unexpectedProblems, run, startServer } from './harness.mjs';

run('dashboard language', async () => {
  const server = await startServer(['--auth', 'optional']);
  const { browser, page, problems } = await openBrowser();

  const german = await browser.newContext({ locale: 'de-DE', viewport: { width: 1440, height: 900 } });
  const seite = await german.newPage();
  const germanProblems = [];
  seite.on('console', (message) => {
    if (message.type() === 'error') germanProblems.push(message.text());
  });
  await seite.goto(server.url + '/');
  check((await seite.textContent('#signin-anonymous')).trim() === 'Ohne Token fortfahren', 'the sign-in form is German');
  await seite.click('#signin-anonymous');
  await seite.locator('body[data-live="true"]').waitFor();
  check(await seite.getAttribute('html', 'lang') === 'de', 'the page says it is German');
  check((await seite.textContent('.tabs button[data-tab="overview"]')).trim() === 'Übersicht', 'the Overview tab');
  check((await seite.textContent('.tabs button[data-tab="logs"]')).trim() === 'Protokoll', 'the Logs tab');
  check((await seite.textContent('#signout')).trim() === 'Abmelden', 'Sign out');
  await seite.locator('#cluster-single:has-text("Dieser Hub allein (ohne Redis).")').waitFor();
  await seite.locator('#ov-status:has-text("Gesund")').waitFor();
  check(germanProblems.length === 0, germanProblems.join('\n'));

  // The same page in an English browser.
  await page.goto(server.url + '/');
  await page.click('#signin-anonymous');
  await page.locator('body[data-live="true"]').waitFor();
  check((await page.textContent('.tabs button[data-tab="overview"]')).trim() === 'Overview', 'English stays English');
  await page.locator('#cluster-single:has-text("This hub on its own (no Redis).")').waitFor();
  const unexpected = unexpectedProblems(problems);
  check(unexpected.length === 0, unexpected.join('\n'));
});
