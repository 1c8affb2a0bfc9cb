// The alert rules of the web dashboard's Alerts tab as a form (SPEC §13): a rule added in the
// form is saved, still there after a reload and exactly what the hub keeps; a threshold that is
// not a number, a missing name or a name used twice is shown beside its field and nothing is sent;
// a series the hub does not know is refused by the hub, and its message is shown beside the
// series field of that rule while the saved rules stay as they were; a rule removed is gone.

import { check, openBrowser, unexpectedProblems, run, startServer, signIn, waitFor } from './harness.mjs';

run('dashboard rules form', async () => {
  const server = await startServer();
  const admin = server.token({ sub: 'ada', role: 'admin' });
  const { page, problems } = await openBrowser();
  const puts = [];
  page.on('request', (request) => {
    if (request.method() === 'PUT' && request.url().endsWith('/api/v1/alerts/rules')) puts.push(request.postData());
  });
  // A rule as JSON with its fields in order, to compare.
  const canonical = (rules) => JSON.stringify(rules.map(({ firing, ...rule }) => Object.fromEntries(Object.entries(rule).sort())));
  const saved = async () => (await server.api('GET', '/api/v1/alerts/rules', undefined, admin)).json.rules;

  await signIn(page, server, admin);
  await page.click('.tabs button[data-tab="alerts"]');
  await page.locator('#rules-card').waitFor();
  await page.locator('#rules-empty').waitFor();
  check((await saved()).length === 0, 'the hub starts without rules');

  // Add a rule and fill in every field.
  await page.click('#rules-add');
  const first = page.locator('#rules-table tbody tr[data-index="0"]');
  await first.waitFor();
  const series = await first.locator('[name="metric"] option').allTextContents();
  check(series.includes('cpu') && series.includes('connections'), `the series come from the hub: ${series}`);
  await first.locator('[name="id"]').fill('cpu-busy');
  await first.locator('[name="metric"]').selectOption('cpu');
  await first.locator('[name="op"]').selectOption('>=');
  await first.locator('[name="threshold"]').fill('95.5');
  await first.locator('[name="for_seconds"]').fill('30');
  await first.locator('[name="severity"]').selectOption('critical');
  await first.locator('[name="webhook"]').fill('https://hooks.example.com/switchboard');
  await first.locator('[name="summary"]').fill('The CPU is busy');
  await page.click('#rules-save');
  await page.locator('#rules-status:has-text("Saved 1 rule")').waitFor();
  const expected = {
    id: 'cpu-busy',
    metric: 'cpu',
    op: '>=',
    threshold: 95.5,
    for_seconds: 30,
    severity: 'critical',
    webhook: 'https://hooks.example.com/switchboard',
    summary: 'The CPU is busy',
  };
  const kept = canonical(await saved());
  check(kept === canonical([expected]), `the hub keeps the rule as typed: ${kept}`);

  // After a reload the form shows it again.
  await page.reload();
  await page.locator('body[data-live="true"]').waitFor();
  await page.locator('#tab-alerts:not([hidden])').waitFor();
  const again = page.locator('#rules-table tbody tr[data-index="0"]');
  await waitFor('the saved rule in the form', async () => (await again.locator('[name="id"]').inputValue()) === 'cpu-busy');
  for (const [field, value] of Object.entries({ metric: 'cpu', op: '>=', threshold: '95.5', for_seconds: '30', severity: 'critical', webhook: expected.webhook, summary: expected.summary }))
    check((await again.locator(`[name="${field}"]`).inputValue()) === value, `${field} after the reload`);
  check((await page.locator('#rules-table tbody tr').count()) === 1, 'one rule');

  // A second rule with a threshold that is not a number: shown beside it, nothing sent.
  const putsBefore = puts.length;
  await page.click('#rules-add');
  const second = page.locator('#rules-table tbody tr[data-index="1"]');
  await second.locator('[name="id"]').fill('busy-hub');
  await second.locator('[name="metric"]').selectOption('connections');
  await second.locator('[name="threshold"]').fill('ten');
  await page.click('#rules-save');
  const thresholdError = second.locator('td[data-field="threshold"] .field-error');
  await thresholdError.locator('text=Enter a number').waitFor();
  check((await second.locator('[name="threshold"]').getAttribute('aria-invalid')) === 'true', 'the threshold is marked invalid');
  check((await second.locator('td[data-field="id"] .field-error').textContent()) === '', 'the name is fine');
  check((await again.locator('td[data-field="threshold"] .field-error').textContent()) === '', "the first rule's threshold is fine");
  check(await page.evaluate(() => document.activeElement?.name) === 'threshold', 'the bad field has the focus');
  await page.locator('#rules-error:has-text("nothing was saved")').waitFor();

  // An empty name and a name used twice, likewise.
  await second.locator('[name="id"]').fill('');
  await second.locator('[name="threshold"]').fill('10');
  check((await thresholdError.textContent()) === '', 'typing clears the error beside the field');
  await page.click('#rules-save');
  await second.locator('td[data-field="id"] .field-error:has-text("Required")').waitFor();
  await second.locator('[name="id"]').fill('cpu-busy');
  await page.click('#rules-save');
  await second.locator('td[data-field="id"] .field-error:has-text("used twice")').waitFor();
  check(puts.length === putsBefore, 'nothing was sent while the form had errors');

  // A series the hub does not know (the list in the page went stale): the hub refuses it, and
  // its error, which names rules[1].metric, is shown beside that rule's series.
  await second.locator('[name="id"]').fill('busy-hub');
  await second.locator('[name="metric"]').evaluate((select) => {
    select.append(new Option('no_such_series', 'no_such_series'));
    select.value = 'no_such_series';
  });
  await page.click('#rules-save');
  const metricError = second.locator('td[data-field="metric"] .field-error');
  await metricError.locator('text=is not a series').waitFor();
  check((await metricError.textContent()).includes('no_such_series'), 'the error names the series');
  check((await second.locator('[name="metric"]').getAttribute('aria-invalid')) === 'true', 'the series is marked invalid');
  check((await again.locator('td[data-field="metric"] .field-error').textContent()) === '', 'the other rule is not blamed');
  check(puts.length === putsBefore + 1, 'the hub was asked once');
  check(canonical(await saved()) === canonical([expected]), 'nothing was saved');
  problems.length = 0; // the browser logs the 400 it was meant to get

  // Fixed, both rules are saved; then the first is removed and saved again.
  await second.locator('[name="metric"]').selectOption('connections');
  await page.click('#rules-save');
  await page.locator('#rules-status:has-text("Saved 2 rule")').waitFor();
  check((await saved()).map((r) => `${r.id}:${r.metric}:${r.threshold}`).join(',') === 'cpu-busy:cpu:95.5,busy-hub:connections:10', 'both rules saved');
  await page.locator('#rules-table tbody tr[data-index="0"] button.remove').click();
  check((await page.locator('#rules-table tbody tr').count()) === 1, 'the row is gone');
  await page.locator('#rules-status:has-text("Unsaved")').waitFor();
  check((await saved()).length === 2, 'not before Save');
  await page.click('#rules-save');
  await page.locator('#rules-status:has-text("Saved 1 rule")').waitFor();
  check((await saved()).map((r) => r.id).join(',') === 'busy-hub', 'the removed rule is gone from the hub');

  // The JSON view shows the same rules.
  await page.click('#rules-mode');
  check(JSON.parse(await page.inputValue('#rules-json'))[0].id === 'busy-hub', 'Edit as JSON shows the rules');
  await page.click('#rules-mode');
  await page.locator('#rules-form:not([hidden])').waitFor();

  const unexpected = unexpectedProblems(problems);
  check(unexpected.length === 0, unexpected.join('\n'));
});
