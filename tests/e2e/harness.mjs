// What every browser test shares: a real switchboard-server on a free port with its own data
// folder and JWT secret, HS256 tokens signed here, headless Chromium through playwright-core,
// polling with deadlines (never sleeps), and clean-up of the server and browser however the
// test ends. Usage: node tests/e2e/<test>.mjs <path to switchboard-server>.

import { execFileSync, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../../web/package.json'));
const { chromium } = require('playwright-core');

export const CHROMIUM = process.env.SWITCHBOARD_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage', // containers often have a small /dev/shm
];

const cleanups = [];
let failed = false;

function base64url(value) {
  return Buffer.from(value).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

/** An HS256 JWT for `claims` (sub, role, ...), valid for an hour. */
export function signToken(secret, claims) {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ iat: now, exp: now + 3600, ...claims }));
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** Polls `probe` until it returns a truthy value; throws `what` after `timeoutMs`. */
export async function waitFor(what, probe, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the polling interval
  }
}

export function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

/** A self-signed certificate for 127.0.0.1, made by openssl in `dir`: {cert, key, pem}. */
function makeCertificate(dir) {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key, pem: readFileSync(cert) };
}

/** An https request that trusts exactly `ca` (Node's fetch has no per-request trust). */
function fetchTrusting(ca, url, { method, headers, body }) {
  return new Promise((resolve, reject) => {
    const call = httpsRequest(url, { method, headers, ca }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode, text: async () => text, headers: new Headers(response.headers) });
      });
    });
    call.on('error', reject);
    call.end(body);
  });
}

/**
 * Starts the server given on the command line on port 0 and resolves once it listens:
 * {url, port, secret, token(claims), api(method, path, body, token), stop()}. With
 * `{tls: true}` it serves https and wss with a certificate made for the test, which api()
 * trusts (and only it).
 */
export async function startServer(extraArgs = [], { tls = false } = {}) {
  const binary = process.argv[2];
  if (!binary) throw new Error('usage: node <test>.mjs <path to switchboard-server>');
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
  mkdirSync(join(dataDir, 'entities'));
  const secret = randomBytes(32).toString('hex');
  const certificate = tls ? makeCertificate(dataDir) : null;
  const args = ['--port', '0', '--bind', '127.0.0.1', '--data-dir', dataDir, ...extraArgs];
  if (certificate) args.push('--tls-cert', certificate.cert, '--tls-key', certificate.key);
  const child = spawn(binary, args, {
    env: { ...process.env, JWT_SECRET_KEY: secret, QT_NO_GLIB: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 15 s:\n${output}`)), 15000);
    const onData = (chunk) => {
      output += chunk;
      const match = /listening on https?:\/\/[^\s]*:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening:\n${output}`));
    });
  });
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const server = {
    url,
    port,
    secret,
    pid: child.pid,
    output: () => output,
    token: (claims) => signToken(secret, claims),
    async api(method, path, body, token) {
      const headers = { Accept: 'application/json' };
      if (token) headers.Authorization = `Bearer ${token}`;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const init = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
      const response = certificate ? await fetchTrusting(certificate.pem, url + path, init) : await fetch(url + path, init);
      const text = await response.text();
      let json = null;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: response.status, json, text, headers: response.headers };
    },
    async stop() {
      if (!exited) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGCONT'); // in case a test paused it
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  cleanups.push(() => server.stop());
  return server;
}

/**
 * Headless Chromium and a page that records its console errors and failed requests. With
 * `{acceptCertificates: true}` the page takes a test server's self-signed certificate.
 */
export async function openBrowser({ acceptCertificates = false } = {}) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, timeout: 30000 });
  cleanups.push(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, ignoreHTTPSErrors: acceptCertificates });
  const page = await context.newPage();
  page.setDefaultTimeout(20000); // under load (a sanitizer build, tests in parallel) pages are slow
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return { browser, context, page, problems };
}

/** Runs `body` with a hard deadline; reports, cleans up and sets the exit code. */
export async function run(name, body, deadlineMs = 200000) {
  const deadline = setTimeout(() => {
    console.error(`${name}: FAIL (did not finish in ${deadlineMs / 1000} s)`);
    failed = true;
    cleanup().finally(() => process.exit(1));
  }, deadlineMs);
  try {
    await body();
    console.log(`${name}: PASS`);
  } catch (error) {
    failed = true;
    console.error(`${name}: FAIL\n${error.stack || error}`);
  } finally {
    clearTimeout(deadline);
    await cleanup();
  }
  process.exit(failed ? 1 : 0);
}

async function cleanup() {
  while (cleanups.length) {
    const step = cleanups.pop();
    try {
      await step();
    } catch (error) {
      console.error(`clean-up: ${error.message}`);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    cleanup().finally(() => process.exit(1));
  });

/** The problems a page reported, less those matching `expected`. */
export function unexpectedProblems(problems, expected = null) {
  return problems.filter((p) => !(expected && expected.test(p)));
}

/** Signs in on the dashboard's sign-in form and waits until the page is live. */
export async function signIn(page, server, token) {
  await page.goto(server.url + '/');
  await page.locator('#signin-token').waitFor({ state: 'visible' });
  await page.fill('#signin-token', token);
  await page.click('#signin-submit');
  await page.locator('#conn-state[data-state="open"]').waitFor();
  await page.locator('body[data-live="true"]').waitFor();
  await waitFor('a session id', async () => (await page.textContent('#session-id')) !== '–');
}
