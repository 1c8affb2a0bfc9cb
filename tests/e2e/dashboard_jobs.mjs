// Jobs (SPEC §10, §5.2): submit a job from the dashboard's form and see it complete live over
// the `jobs` topic, watch a long one's progress bar move and cancel it from its row, and see a
// service's fractional progress as it was reported.

import { check, openBrowser, unexpectedProblems, run, startServer, signIn, waitFor } from './harness.mjs';

run('dashboard jobs', async () => {
  const server = await startServer(['--auth', 'required']);
  const { page, problems } = await openBrowser();
  const token = server.token({ sub: 'bob', role: 'user' });
  await signIn(page, server, token);
  await page.click('.tabs button[data-tab="jobs"]');

  // The form is built from the hub's own job types.
  await page.locator('#job-type option[value="monte_carlo"]').waitFor({ state: 'attached' });
  await page.selectOption('#job-type', 'monte_carlo');
  await page.fill('#job-fields input[name="iterations"]', '100000');
  await page.fill('#job-fields input[name="months"]', '36');
  // Every value a progress bar shows, as the page sets it, with the job it belongs to.
  await page.evaluate(() => {
    window.progressSeen = [];
    new MutationObserver((mutations) => {
      for (const m of mutations) {
        window.progressSeen.push({ job: m.target.closest('tr').dataset.jobId, progress: Number(m.target.dataset.progress) });
      }
    }).observe(document.querySelector('#jobs-table'), { subtree: true, attributeFilter: ['data-progress'] });
  });
  const progressOf = (id) => page.evaluate((job) => window.progressSeen.filter((s) => s.job === job).map((s) => s.progress), id);
  // Two animation frames: whatever the page has taken in by now is drawn (it renders on the next).
  const drawn = () => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.click('#job-submit');

  const row = page.locator('#jobs-table tbody tr').first();
  await row.waitFor();
  const jobId = await row.getAttribute('data-job-id');
  check(jobId, 'the new job has a row');
  const bar = page.locator(`#jobs-table tr[data-job-id="${jobId}"] .progress`);

  // A job runs to 100 % completed, and the bar never goes back on the way.
  await waitFor('the job to complete', async () => (await bar.getAttribute('data-status')) === 'completed',
    120000); // generous: the suite also runs against a sanitizer build
  check(Number(await bar.getAttribute('data-progress')) === 100, 'a completed job shows 100 %');
  const short = await progressOf(jobId);
  check(short.every((p, i) => i === 0 || p >= short[i - 1]), `progress never goes back: ${short.join(', ')}`);
  const rest = await server.api('GET', `/api/jobs/${jobId}`, undefined, token);
  check(rest.json.status === 'completed', `REST says ${rest.json.status}`);

  // A long job's bar is seen moving (values between 0 and 100, rising: the hub coalesces
  // reports to ~10 a second, so a job that ends within one interval may show only 0 and 100),
  // and the job can be cancelled from its row.
  await page.selectOption('#job-type', 'monte_carlo');
  await page.fill('#job-fields input[name="iterations"]', '1000000');
  await page.fill('#job-fields input[name="months"]', '120');
  await page.click('#job-submit');
  const long = await waitFor('a second job row', async () => {
    const id = await page.locator('#jobs-table tbody tr').first().getAttribute('data-job-id');
    return id !== jobId ? id : null;
  });
  await waitFor('the long job\'s bar to move twice', async () =>
    new Set((await progressOf(long)).filter((p) => p > 0 && p < 100)).size >= 2, 120000);
  const moving = (await progressOf(long)).filter((p) => p > 0 && p < 100);
  check(moving.every((p, i) => i === 0 || p >= moving[i - 1]), `the bar rises: ${moving.join(', ')}`);
  const longRow = page.locator(`#jobs-table tr[data-job-id="${long}"]`);
  const cancelled = page.locator(`#jobs-table tr[data-job-id="${long}"][data-status="cancelled"]`);
  // The cancel's reply (202: the job was still running when asked) is held until the `jobs`
  // topic has said `cancelled`, so it arrives late, as it can on a busy machine: it must not
  // bring the row back to running.
  let topicFirst = false;
  await page.route(`**/api/jobs/${long}/cancel`, async (route) => {
    const response = await route.fetch();
    topicFirst = await cancelled.waitFor({ timeout: 15000 }).then(() => true, () => false);
    await route.fulfill({ response });
  });
  const replied = page.waitForResponse(`**/api/jobs/${long}/cancel`);
  const cancel = longRow.locator('button:has-text("Cancel")');
  await cancel.click();
  check((await replied).status() === 202, 'the cancel was answered while the job still ran');
  check(topicFirst, 'the topic said cancelled before the reply arrived');
  await waitFor('the reply to be taken in', async () => !(await cancel.isDisabled()));
  await drawn();
  check((await longRow.getAttribute('data-status')) === 'cancelled', `after the late reply the row says ${await longRow.getAttribute('data-status')}`);
  check(await cancel.isHidden(), 'no Cancel on a finished job');

  // A service's progress keeps its fraction: 45.5 is drawn and written as 45.5 %.
  const service = server.token({ sub: 'importer', role: 'service' });
  const external = await server.api('POST', '/api/v1/jobs/external', { type: 'import', title: 'Nightly import' }, service);
  check(external.status === 201, `external job: ${external.status}`);
  const reported = await server.api('POST', `/api/v1/jobs/${external.json.job_id}/progress`, { progress: 45.5 }, service);
  check(reported.status === 200, `progress report: ${reported.status}`);
  const externalBar = page.locator(`#jobs-table tr[data-job-id="${external.json.job_id}"] .progress`);
  await waitFor('the external job at 45.5 %', async () => (await externalBar.getAttribute('data-progress')) === '45.5');
  const shown = await externalBar.locator('span').textContent();
  check(shown === '45.5 %', `the label says ${shown}`);

  // The job list a page loads as it opens can be older than the events that arrive beside it.
  // Here it is held back until the topic has cancelled a job the list still shows running, and
  // has brought a job created and completed after the list was read: both rows must keep what
  // the topic said.
  const running = await server.api('POST', '/api/jobs/monte_carlo', { iterations: 1000000, months: 120 }, token);
  check(running.status === 201 || running.status === 202, `third job: ${running.status}`);
  const third = running.json.job_id;
  const thirdRow = page.locator(`#jobs-table tr[data-job-id="${third}"]`);
  let fourth = null;
  const fourthRow = () => page.locator(`#jobs-table tr[data-job-id="${fourth}"]`);
  const held = { cancelStatus: 0, createStatus: 0, done: false };
  await page.route('**/api/jobs', async (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    const response = await route.fetch(); // the third job is running in it, the fourth not there
    try {
      await thirdRow.waitFor({ timeout: 60000 }); // drawn from a progress event: the page listens
      held.cancelStatus = (await server.api('POST', `/api/jobs/${third}/cancel`, undefined, token)).status;
      await page.locator(`#jobs-table tr[data-job-id="${third}"][data-status="cancelled"]`).waitFor({ timeout: 15000 });
      const created = await server.api('POST', '/api/jobs/monte_carlo', { iterations: 1000, months: 12 }, token);
      held.createStatus = created.status;
      fourth = created.json.job_id;
      await page.locator(`#jobs-table tr[data-job-id="${fourth}"][data-status="completed"]`).waitFor({ timeout: 60000 });
      held.done = true;
    } finally {
      await route.fulfill({ response });
    }
  });
  const listed = page.waitForResponse((r) => r.url().endsWith('/api/jobs') && r.request().method() === 'GET', { timeout: 150000 });
  await page.reload(); // signed in again from the session's token
  await listed;
  check([200, 202].includes(held.cancelStatus), `cancel over REST: ${held.cancelStatus}`);
  check([201, 202].includes(held.createStatus), `fourth job: ${held.createStatus}`);
  check(held.done, 'the list was held until the topic had cancelled one job and completed another');
  await drawn();
  check((await thirdRow.getAttribute('data-status')) === 'cancelled', `after the older list the cancelled row says ${await thirdRow.getAttribute('data-status')}`);
  check((await fourthRow().count()) === 1, 'the job created while the list travelled is still listed');
  check((await fourthRow().getAttribute('data-status')) === 'completed', `and it says ${await fourthRow().getAttribute('data-status')}`);
  await page.unroute('**/api/jobs');

  const unexpected = unexpectedProblems(problems);
  check(unexpected.length === 0, unexpected.join('\n'));
});
