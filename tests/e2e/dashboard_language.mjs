// The web dashboard speaks German to a browser that asks for it (navigator.language de-*), and
// English otherwise: the sign-in form, the tabs, the statistics, the cluster card, and on every
// tab the headings, column headers, buttons, labels, choices, placeholders and empty states. An
// administrator's page is opened in both languages and each tab's words compared: a word the
// German page shows exactly as the English one does is a string the table missed (a short list
// of words that are the same in both languages aside).

import { check, openBrowser, unexpectedProblems, run, startServer, signIn } from './harness.mjs';

const TABS = ['overview', 'jobs', 'trading', 'connections', 'topics', 'alerts', 'logs', 'rooms', 'client'];
// The same in German, or names (of the product, formats, units).
const SAME = new Set(['Switchboard', 'Hub', 'Client', 'Jobs', 'Job', 'Status', 'System', 'Symbol', 'Cluster', 'Name', 'Filter',
  'Pause', 'Live', 'Offline', 'CSV', 'PNG', 'ID', 'CPU %', 'optional', 'normal', 'Info', 'Seq']);

// The words a tab shows: own text of headings, headers, buttons, labels, choices, notes and
// empty states, and placeholders; not data (table cells, logs, codes) nor what is marked
// translate="no".
function wordsOf(page, tab) {
  return page.evaluate((tab) => {
    const section = document.getElementById(`tab-${tab}`);
    const words = new Set();
    const add = (text) => {
      const folded = (text || '').replace(/\s+/g, ' ').trim();
      if (/[A-Za-z]{2}/.test(folded)) words.add(folded);
    };
    const own = 'th, button, label, .card-title, .label, .sub, span.muted, .empty, p, option, .field-error, .form-error';
    for (const node of section.querySelectorAll(own)) {
      if (node.closest('[translate="no"], code, pre, .log-view, .message-log, .u-legend') || node.closest('[hidden]')) continue;
      for (const child of node.childNodes) if (child.nodeType === Node.TEXT_NODE) add(child.nodeValue);
    }
    for (const node of section.querySelectorAll('[placeholder], [title], [aria-label]')) {
      if (node.closest('[translate="no"], code, pre, .log-view, .message-log')) continue;
      for (const attribute of ['placeholder', 'title', 'aria-label']) add(node.getAttribute(attribute));
    }
    for (const node of section.querySelectorAll('.u-legend .u-label')) add(node.textContent.replace(/:$/, ''));
    return [...words];
  }, tab);
}

async function openTabs(page) {
  const words = {};
  for (const tab of TABS) {
    await page.click(`.tabs button[data-tab="${tab}"]`);
    await page.locator(`#tab-${tab}:not([hidden])`).waitFor();
    if (tab === 'alerts') {
      await page.locator('#rules-table tbody tr').first().waitFor();
      await page.click('#rules-save'); // a rule with no threshold: an error beside the field
      await page.locator('#rules-table td[data-field="threshold"] .field-error:not(:empty)').waitFor();
    }
    if (tab === 'overview') await page.locator('#traffic-chart[data-loaded="true"]').waitFor();
    words[tab] = await wordsOf(page, tab);
  }
  return words;
}

run('dashboard language', async () => {
  const server = await startServer(['--auth', 'optional']);
  const admin = server.token({ sub: 'ada', role: 'admin' });
  // A rule with an empty threshold is in the form once its row is added: see openTabs.
  const { browser, page, problems } = await openBrowser();

  const german = await browser.newContext({ locale: 'de-DE', viewport: { width: 1440, height: 900 } });
  const seite = await german.newPage();
  const germanProblems = [];
  seite.on('console', (message) => {
    if (message.type() === 'error') germanProblems.push(message.text());
  });
  await seite.goto(server.url + '/');
  check((await seite.textContent('#signin-anonymous')).trim() === 'Ohne Token fortfahren', 'the sign-in form is German');
  check((await seite.textContent('label[for="signin-token"]')).trim() === 'Zugangstoken', 'the token label');
  await seite.click('#signin-anonymous');
  await seite.locator('body[data-live="true"]').waitFor();
  check(await seite.getAttribute('html', 'lang') === 'de', 'the page says it is German');
  check((await seite.textContent('.tabs button[data-tab="overview"]')).trim() === 'Übersicht', 'the Overview tab');
  check((await seite.textContent('.tabs button[data-tab="logs"]')).trim() === 'Protokoll', 'the Logs tab');
  check((await seite.textContent('#signout')).trim() === 'Abmelden', 'Sign out');
  await seite.locator('#cluster-single:has-text("Dieser Hub allein (ohne Redis).")').waitFor();
  await seite.locator('#ov-status:has-text("Gesund")').waitFor();
  await seite.locator('#traffic-note:has-text("Zahlen für den ganzen Hub brauchen ein Admin-Token.")').waitFor();
  await seite.click('.tabs button[data-tab="rooms"]');
  await seite.locator('#rooms-note:has-text("Die Liste aller Räume braucht ein Admin-Token.")').waitFor();
  check(germanProblems.length === 0, germanProblems.join('\n'));

  // An administrator in German and in English: every tab, word by word.
  const adminSeite = await german.newPage();
  adminSeite.on('console', (message) => {
    if (message.type() === 'error' && !/status of 400/.test(message.text())) germanProblems.push(message.text());
  });
  await signIn(adminSeite, server, admin);
  await signIn(page, server, admin);
  for (const p of [adminSeite, page]) {
    await p.click('.tabs button[data-tab="alerts"]');
    await p.locator('#rules-card').waitFor();
    await p.click('#rules-add');
  }
  const deutsch = await openTabs(adminSeite);
  const english = await openTabs(page);
  for (const tab of TABS) {
    check(english[tab].length >= 3, `the ${tab} tab has words: ${english[tab]}`);
    const left = deutsch[tab].filter((word) => english[tab].includes(word) && !SAME.has(word));
    check(left.length === 0, `English left on the German ${tab} tab: ${JSON.stringify(left)}`);
  }
  // A few by name.
  await adminSeite.click('.tabs button[data-tab="alerts"]');
  check((await adminSeite.textContent('#rules-add')).trim() === 'Regel hinzufügen', 'Add rule');
  check((await adminSeite.textContent('#rules-table thead')).includes('Schwellenwert'), 'the threshold column');
  await adminSeite.locator('#rules-table td[data-field="threshold"] .field-error:has-text("Pflichtfeld.")').waitFor();
  await adminSeite.click('.tabs button[data-tab="jobs"]');
  check((await adminSeite.textContent('#tab-jobs .card-title')).includes('Job starten'), 'the job form');
  await adminSeite.click('.tabs button[data-tab="overview"]');
  check((await adminSeite.locator('.chart-tools[data-chart="traffic"] option').allTextContents()).join('|') === '15 Min.|1 Stunde|24 Stunden', 'the time ranges');
  check(germanProblems.length === 0, germanProblems.join('\n'));

  // English stays English.
  check((await page.textContent('.tabs button[data-tab="overview"]')).trim() === 'Overview', 'English stays English');
  await page.click('.tabs button[data-tab="overview"]');
  await page.locator('#cluster-single:has-text("This hub on its own (no Redis).")').waitFor();
  check(english.alerts.includes('Add rule') && english.jobs.includes('Submit a job'), 'the English words are English');
  const unexpected = unexpectedProblems(problems);
  check(unexpected.length === 0, unexpected.join('\n'));
});
