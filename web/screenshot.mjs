// Screenshots of the web dashboard in headless Chromium, for the documentation:
//   node web/screenshot.mjs http://127.0.0.1:8123 docs/dashboard.png [tab] [token]
// Against a hub running with --demo; signs in with the token, or without one when the hub's
// auth is optional or off, and waits until the trading chart has some history.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const [url, out, tab = 'trading', token = ''] = process.argv.slice(2);
if (!url || !out) {
  console.error('usage: node web/screenshot.mjs URL OUT.png [tab] [token]');
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
  if (token) {
    await page.fill('#signin-token', token);
    await page.click('#signin-submit');
  } else {
    await page.click('#signin-anonymous');
  }
  await page.locator('body[data-live="true"]').waitFor({ timeout: 15000 });
  await page.click(`.tabs button[data-tab="${tab}"]`);
  await page.waitForFunction(() => Number(document.querySelector('#equity-chart').dataset.points) >= 25,
    null, { timeout: 60000, polling: 250 });
  await page.screenshot({ path: out, fullPage: false });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
