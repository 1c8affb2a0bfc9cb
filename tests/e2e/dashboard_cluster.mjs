// The cluster card of the web dashboard (SPEC §12): two real hubs sharing a real redis-server.
// An anonymous session asks for nothing it may not see (no failed request) and is told how many
// nodes there are; an administrator's card lists both nodes (this one marked) and the Redis
// shard connected, live; once Redis stops the shard shows unreachable with the reason and the
// card turns degraded. A hub without Redis says it is on its own.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { check, openBrowser, unexpectedProblems, run, startServer, signIn, waitFor } from './harness.mjs';

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** A redis-server of its own on a free loopback port; resolves once it accepts commands. */
async function startRedis() {
  const binary = process.env.SWITCHBOARD_REDIS_SERVER || 'redis-server';
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-redis-'));
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exited = false;
  const gone = new Promise((resolve) => child.once('exit', () => {
    exited = true;
    resolve();
  }));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start in 10 s:\n${output}`)), 10000);
    const onData = (chunk) => {
      output += chunk;
      if (/Ready to accept connections/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${binary}: ${error.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`));
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    address: `127.0.0.1:${port}`, // how the hub names the shard
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

run('dashboard cluster card', async () => {
  const redis = await startRedis();
  try {
    const alpha = await startServer(['--auth', 'required', '--redis', redis.url, '--node-name', 'alpha']);
    const beta = await startServer(['--auth', 'optional', '--redis', redis.url, '--node-name', 'beta']);
    // Each node sees the other once their heartbeats have crossed Redis.
    const admin = alpha.token({ sub: 'ada', role: 'admin' });
    await waitFor('both nodes in the cluster', async () => (await alpha.api('GET', '/api/v1/cluster', undefined, admin)).json?.nodes?.length === 2, 20000);

    // Anonymous on beta: the count of nodes, no administrators' route asked for.
    const { browser, page, problems } = await openBrowser();
    const failed = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(beta.url + '/');
    await page.click('#signin-anonymous');
    await page.locator('body[data-admin="false"]').waitFor();
    await page.locator('#cluster-card[data-state="ok"]').waitFor();
    await page.locator('#cluster-summary:has-text("2 nodes")').waitFor();
    check(await page.locator('#cluster-note').isVisible(), 'an anonymous session is told the detail needs an admin');
    check(await page.locator('#cluster-detail').isHidden(), 'and sees no nodes table');
    check(failed.length === 0, `failed requests: ${failed.join(', ')}`);
    const anonymousProblems = unexpectedProblems(problems);
    check(anonymousProblems.length === 0, anonymousProblems.join('\n'));

    // An administrator on alpha: both nodes, alpha marked, the shard connected.
    const adminContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const adminPage = await adminContext.newPage();
    const adminProblems = [];
    adminPage.on('console', (message) => {
      if (message.type() === 'error') adminProblems.push(message.text());
    });
    await signIn(adminPage, alpha, admin);
    await adminPage.locator('#cluster-card[data-state="ok"]').waitFor();
    await adminPage.locator('#cluster-nodes tr[data-node="alpha"][data-self="true"]').waitFor();
    await adminPage.locator('#cluster-nodes tr[data-node="beta"][data-self="false"]').waitFor();
    check((await adminPage.textContent('#cluster-nodes tr[data-node="alpha"]')).includes('this node'), 'this node is marked');
    check((await adminPage.textContent('#cluster-nodes tr[data-node="beta"] td:nth-child(2)')).includes(String(beta.port)), "beta's address names its port");
    await adminPage.locator(`#cluster-shards tr[data-redis="${redis.address}"][data-state="up"]:has-text("connected")`).waitFor();
    check(await adminPage.locator('#cluster-problem').isHidden(), 'no problem while Redis runs');

    // Live: a connection to beta shows in beta's row on alpha's page.
    const betaSocket = await adminPage.evaluate(async (url) => {
      window.__probe = new WebSocket(url);
      await new Promise((resolve, reject) => {
        window.__probe.onopen = resolve;
        window.__probe.onerror = reject;
      });
      return true;
    }, beta.url.replace('http', 'ws') + '/ws/v1');
    check(betaSocket, 'a socket to beta opened');
    await waitFor('beta counts the connection on alpha\'s card', async () =>
      Number(await adminPage.textContent('#cluster-nodes tr[data-node="beta"] td:nth-child(3)')) >= 1, 20000);

    // Alert rules can watch Redis: the series are sampled, a rule on redis_down is taken.
    await waitFor('the redis_up series', async () => {
      const points = (await alpha.api('GET', '/api/v1/series?names=redis_up,redis_down,cluster_nodes', undefined, admin)).json;
      return points?.redis_up?.at(-1)?.[1] === 1 && points.redis_down.at(-1)[1] === 0 && points.cluster_nodes.at(-1)[1] === 2;
    });
    const rule = { id: 'redis-lost', metric: 'redis_down', op: '>=', threshold: 1, severity: 'critical' };
    const saved = await alpha.api('PUT', '/api/v1/alerts/rules', [rule], admin);
    check(saved.status === 200, `the rule on redis_down is taken: ${saved.status} ${saved.text}`);
    check((await alpha.api('GET', '/api/v1/alerts', undefined, admin)).json.firing.length === 0, 'nothing fires while Redis runs');

    // Redis stops: the shard is unreachable with a reason, the card degraded, the alert fires.
    await redis.stop();
    await waitFor('the redis_down alert', async () =>
      (await alpha.api('GET', '/api/v1/alerts', undefined, admin)).json?.firing?.some((a) => a.rule_id === 'redis-lost' && a.metric === 'redis_down'), 30000);
    await adminPage.locator('#cluster-card[data-state="degraded"]').waitFor({ timeout: 30000 });
    const shard = adminPage.locator(`#cluster-shards tr[data-redis="${redis.address}"][data-state="down"]`);
    await shard.waitFor({ timeout: 30000 });
    const shardText = await shard.textContent();
    check(/unreachable: \S/.test(shardText), `the shard names its problem: ${shardText}`);
    check(await adminPage.locator('#cluster-problem').isVisible(), 'the problem is shown');
    check(await adminPage.locator('#cluster-state:has-text("Degraded")').isVisible(), 'the card says degraded');
    check(adminProblems.length === 0, adminProblems.join('\n'));

    // One hub on its own.
    const single = await startServer(['--auth', 'optional']);
    await page.goto(single.url + '/');
    await page.click('#signin-anonymous');
    await page.locator('body[data-live="true"]').waitFor();
    await page.locator('#cluster-card[data-state="single"] #cluster-single:has-text("This hub on its own")').waitFor();
    check(await page.locator('#cluster-nodes').isHidden(), 'no nodes table for a single hub');
    const alone = await single.api('PUT', '/api/v1/alerts/rules', [{ ...rule, metric: 'redis_up' }], single.token({ sub: 'ada', role: 'admin' }));
    check(alone.status === 400 && alone.json?.error?.includes('rules[0].metric'), `a hub on its own has no Redis series: ${alone.text}`);
  } finally {
    await redis.stop();
  }
});
