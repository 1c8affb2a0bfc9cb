// Jobs (SPEC §10, §5.2): submit a job from the dashboard's form, watch its progress bar move
// to completion live over the `jobs` topic, cancel a running one, and see a service's
// fractional progress as it was reported.

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
  // Every value a progress bar shows, as the page sets it.
  await page.evaluate(() => {
    window.progressSeen = [];
    new MutationObserver((mutations) => {
      for (const m of mutations) window.progressSeen.push(Number(m.target.dataset.progress));
    }).observe(document.querySelector('#jobs-table'), { subtree: true, attributeFilter: ['data-progress'] });
  });
  await page.click('#job-submit');

  const row = page.locator('#jobs-table tbody tr').first();
  await row.waitFor();
  const jobId = await row.getAttribute('data-job-id');
  check(jobId, 'the new job has a row');
  const bar = page.locator(`#jobs-table tr[data-job-id="${jobId}"] .progress`);

  // Progress is seen moving (not only 0 and 100) and ends at 100 % completed.
  await waitFor('the job to complete', async () => (await bar.getAttribute('data-status')) === 'completed',
    120000); // generous: the suite also runs against a sanitizer build
  const seen = await page.evaluate(() => window.progressSeen);
  check(Number(await bar.getAttribute('data-progress')) === 100, 'a completed job shows 100 %');
  check(seen.some((p) => p > 0 && p < 100), `progress seen in between: ${seen.join(', ')}`);
  const rest = await server.api('GET', `/api/jobs/${jobId}`, undefined, token);
  check(rest.json.status === 'completed', `REST says ${rest.json.status}`);

  // A long job can be cancelled from its row.
  await page.selectOption('#job-type', 'monte_carlo');
  await page.fill('#job-fields input[name="iterations"]', '1000000');
  await page.fill('#job-fields input[name="months"]', '120');
  await page.click('#job-submit');
  const long = await waitFor('a second job row', async () => {
    const id = await page.locator('#jobs-table tbody tr').first().getAttribute('data-job-id');
    return id !== jobId ? id : null;
  });
  const longRow = page.locator(`#jobs-table tr[data-job-id="${long}"]`);
  await longRow.locator('button:has-text("Cancel")').click();
  await page.locator(`#jobs-table tr[data-job-id="${long}"][data-status="cancelled"]`).waitFor({ timeout: 15000 });
  check(await longRow.locator('button:has-text("Cancel")').isHidden(), 'no Cancel on a finished job');

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

  const unexpected = unexpectedProblems(problems);
  check(unexpected.length === 0, unexpected.join('\n'));
});
