// Screenshots of every tab of the web dashboard, for the documentation:
//   node web/screenshots.mjs http://127.0.0.1:8123 docs/screenshots ADMIN_TOKEN
// Against a hub running with --demo (and a little history); signs in with the token and saves
// web-<tab>.png for each tab, with a topic and a connection opened in their detail panes.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const [url, out, token] = process.argv.slice(2);
if (!url || !out || !token) {
  console.error('usage: node web/screenshots.mjs URL OUT_DIR TOKEN');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.SWITCHBOARD_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(url + '/');
  await page.fill('#signin-token', token);
  await page.click('#signin-submit');
  await page.locator('body[data-live="true"]').waitFor({ timeout: 15000 });
  await page.locator('body[data-admin="true"]').waitFor({ timeout: 15000 });
  const shot = async (tab, prepare) => {
    await page.click(`.tabs button[data-tab="${tab}"]`);
    if (prepare) await prepare();
    await page.waitForTimeout(1200); // charts and tables draw
    await page.screenshot({ path: `${out}/web-${tab}.png` });
    console.log(`wrote ${out}/web-${tab}.png`);
  };
  await shot('overview', () => page.locator('#traffic-chart[data-loaded="true"]').waitFor());
  await shot('jobs');
  await shot('trading', () => page.locator('#equity-chart[data-loaded="true"]').waitFor());
  await shot('connections', async () => {
    await page.locator('#connections-table tbody tr').first().click();
    await page.locator('#cd-fields [data-field="dialect"]').waitFor();
  });
  await shot('topics', async () => {
    await page.locator('#topics-list tr[data-topic="trading"]').click();
    await page.locator('#topic-events pre').first().waitFor();
  });
  await shot('alerts', () => page.locator('#rules-table tbody tr').first().waitFor());
  await shot('logs');
  await shot('rooms');
  await shot('client');
} finally {
  await browser.close();
}
