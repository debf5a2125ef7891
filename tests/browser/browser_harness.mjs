// browser_harness.mjs — what the browser tests share: a real awared on free loopback ports
// (plain HTTP/WS with insecure_dev, web_root = the built assets, demo registrations), users
// added with `awared --add-user`, xmark-sim presses, and headless Debian Chromium driven by
// playwright-core (from web/'s lockfile, installed in the build tree by `npm ci`).
//
// Environment (set by tests/browser/CMakeLists.txt): AWARED_BIN, XMARK_SIM_BIN, AWARE_WEB_BUILD
// (build/web: node_modules and dist/), AWARE_TEST_OUT (screenshots, logs); AWARE_CHROMIUM
// overrides /usr/bin/chromium.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function need(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set (run through ctest)`);
  }
  return value;
}

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run'];
export const TEST_PASSWORD = 'browsertest-wachtwoord';
export const TEST_REGIONS = 'midden-nederland,amsterdam,rotterdam,landelijk';

// One awared in a fresh temporary folder. Call stop() when done.
export class Awared {
  constructor() {
    this.webBuild = need('AWARE_WEB_BUILD');
    const dist = join(this.webBuild, 'dist');
    if (!existsSync(join(dist, 'index.html'))) {
      throw new Error(`no web assets in ${dist}: build the web_console target`);
    }
    this.dir = mkdtempSync(join(tmpdir(), 'awared-browser-'));
    this.config = join(this.dir, 'awared.toml');
    writeFileSync(this.config, [
      '[device]', 'listen = "127.0.0.1:0"',
      '[meldkamer]', 'listen = "127.0.0.1:0"', `web_root = "${dist}"`,
      '[tls]', 'insecure_dev = true',
      '[store]', `path = "${join(this.dir, 'awared.db')}"`, ''].join('\n'));
  }

  // `awared --add-user`, password on stdin (before start(): the store is then free).
  addUser(name, role, extra) {
    const result = spawnSync(need('AWARED_BIN'),
      ['--config', this.config, '--add-user', name, '--role', role, ...extra],
      { input: `${TEST_PASSWORD}\n`, encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`awared --add-user ${name} failed: ${result.stderr}`);
    }
  }

  // Starts awared with the demo registrations; resolves once it logged AWR-1004 (ready).
  start() {
    this.log = '';
    this.process = spawn(need('AWARED_BIN'), ['--config', this.config, '--seed-demo'],
                         { stdio: ['ignore', 'ignore', 'pipe'] });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`awared not ready:\n${this.log}`)), 20000);
      this.process.stderr.on('data', (chunk) => {
        this.log += chunk;
        const m = /devices on 127\.0\.0\.1:(\d+), meldkamer on 127\.0\.0\.1:(\d+)/.exec(this.log);
        if (m && this.devicePort === undefined) {
          clearTimeout(timer);
          this.devicePort = Number(m[1]);
          this.meldkamerPort = Number(m[2]);
          resolve(this);
        }
      });
      this.process.on('exit', (code) => reject(new Error(`awared exited (${code}):\n${this.log}`)));
    });
  }

  get url() {
    return `http://127.0.0.1:${this.meldkamerPort}/`;
  }

  // One `xmark-sim activate` (waits for the ack); returns its JSON reply line.
  activate(device, lat, lon) {
    const result = spawnSync(need('XMARK_SIM_BIN'),
      ['activate', '--server', `127.0.0.1:${this.devicePort}`, '--device', device,
       '--lat', String(lat), '--lon', String(lon), '--json',
       '--state-dir', join(this.dir, 'sim')], { encoding: 'utf8', timeout: 20000 });
    if (result.status !== 0) {
      throw new Error(`xmark-sim activate failed (${result.status}): ${result.stdout}${result.stderr}`);
    }
    return JSON.parse(result.stdout.trim().split('\n')[0]);
  }

  stop() {
    if (this.process && this.process.exitCode === null) {
      this.process.removeAllListeners('exit');
      this.process.kill('SIGTERM');
    }
    const out = process.env.AWARE_TEST_OUT;
    if (out) {
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'awared.log'), this.log ?? '');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// Headless Debian Chromium through playwright-core (never Playwright's own browser download).
export async function launchBrowser() {
  const require = createRequire(join(need('AWARE_WEB_BUILD'), 'package.json'));
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: process.env.AWARE_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
  });
}

// How long any wait in a browser test may take before the test fails. Generous on purpose:
// the waits synchronise with awared and the page, they do not measure speed (the console push
// latency is measured in bench/e2e), and CI runs these tests next to heavy ones on two cores.
export const WAIT_MS = 20000;

// A page that fails the test on any script error or console error (a CSP violation included).
// Every wait on it (waitForSelector, waitForFunction, locator actions) gets WAIT_MS.
export async function strictPage(browser) {
  const page = await browser.newPage();
  page.setDefaultTimeout(WAIT_MS);
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      page.problems.push(`console: ${message.text()}`);
    }
  });
  return page;
}

export async function loginAs(page, url, user) {
  await page.goto(url);
  await page.fill('#login-user', user);
  await page.fill('#login-password', TEST_PASSWORD);
  await page.click('#login-submit');
}

export function screenshotPath(name) {
  const out = process.env.AWARE_TEST_OUT || tmpdir();
  mkdirSync(out, { recursive: true });
  return join(out, name);
}

// Runs `body` and exits 0, or prints the error and exits 1; always cleans up.
export async function runTest(name, body) {
  const cleanups = [];
  try {
    await body((fn) => cleanups.push(fn));
    console.log(`PASS: ${name}`);
    process.exitCode = 0;
  } catch (error) {
    console.error(`FAIL: ${name}: ${error.stack || error}`);
    process.exitCode = 1;
  } finally {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (error) {
        console.error(`cleanup: ${error}`);
      }
    }
  }
}

export { readFileSync };

// --- Added for the centralist's tests (detail, map, close, claim, resync, meeluisteren) ---

// Kills awared hard (SIGKILL: no clean shutdown) and resolves once it has exited.
Awared.prototype.kill = function kill() {
  return new Promise((resolve) => {
    if (!this.process || this.process.exitCode !== null || this.process.signalCode !== null) {
      resolve();
      return;
    }
    this.process.removeAllListeners('exit');
    this.process.once('exit', () => resolve());
    this.process.kill('SIGKILL');
  });
};

// Starts awared again on the same ports and database (after kill()); resolves when ready.
Awared.prototype.restartSamePorts = async function restartSamePorts() {
  const text = readFileSync(this.config, 'utf8')
    .replace(/\[device\]\nlisten = "127\.0\.0\.1:\d+"/, `[device]\nlisten = "127.0.0.1:${this.devicePort}"`)
    .replace(/\[meldkamer\]\nlisten = "127\.0\.0\.1:\d+"/, `[meldkamer]\nlisten = "127.0.0.1:${this.meldkamerPort}"`);
  writeFileSync(this.config, text);
  const previous = this.log;
  const ports = [this.devicePort, this.meldkamerPort];
  this.devicePort = undefined;
  await this.start();
  this.log = `${previous}\n--- restarted ---\n${this.log}`;
  if (this.devicePort !== ports[0] || this.meldkamerPort !== ports[1]) {
    throw new Error(`awared came back on other ports: ${this.devicePort}, ${this.meldkamerPort}`);
  }
};

// Starts `xmark-sim ARGS… --server 127.0.0.1:<device port> --json` in the background; the
// returned process has `lines` (every stdout line so far) and waitForLine(regex, ms).
Awared.prototype.startSim = function startSim(args) {
  const sim = spawn(need('XMARK_SIM_BIN'),
    [...args, '--server', `127.0.0.1:${this.devicePort}`, '--json'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  sim.lines = [];
  sim.stderrText = '';
  let partial = '';
  const waiters = [];
  sim.stdout.on('data', (chunk) => {
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop();
    for (const line of parts) {
      sim.lines.push(line);
      for (const w of [...waiters]) {
        if (w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          clearTimeout(w.timer);
          w.resolve(line);
        }
      }
    }
  });
  sim.stderr.on('data', (chunk) => { sim.stderrText += chunk; });
  sim.waitForLine = (pattern, timeoutMs) => {
    const seen = sim.lines.find((line) => pattern.test(line));
    if (seen !== undefined) {
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const w = { pattern, resolve };
      w.timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(w), 1);
        reject(new Error(`xmark-sim printed no line matching ${pattern} within ${timeoutMs} ms:\n` +
                         `${sim.lines.join('\n')}\n${sim.stderrText}`));
      }, timeoutMs);
      waiters.push(w);
    });
  };
  sim.stop = () => {
    if (sim.exitCode === null && sim.signalCode === null) {
      sim.kill('SIGTERM');
    }
  };
  return sim;
};

// A strict page in its own browser context (own sessionStorage: a second user), with the fixed
// viewport the screenshots in docs/screenshots/ are taken at.
export async function strictContextPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await strictPage(context);
  return page;
}

// Logs `user` in as a centralist and waits for the live queue's first snapshot.
export async function openCentralist(page, url, user) {
  await loginAs(page, url, user);
  await page.waitForSelector('#view-meldkamer:not([hidden])');
  await page.waitForFunction(
    () => document.getElementById('connection-status')?.textContent === 'Verbonden');
}

export function check(condition, what) {
  if (!condition) {
    throw new Error(what);
  }
}

// Adds `key = value` (value as TOML text) to the [meldkamer] table (before start()).
Awared.prototype.setMeldkamer = function setMeldkamer(key, value) {
  const text = readFileSync(this.config, 'utf8').replace('[meldkamer]\n', `[meldkamer]\n${key} = ${value}\n`);
  writeFileSync(this.config, text);
};

// The usual start of a centralist test: an awared (`configure(awared)` runs before it starts)
// with `users` as centralists of TEST_REGIONS, a browser, and one signed-in page per user, each
// in its own context; everything is cleaned up after the test.
export async function startCentralists(onCleanup, users, configure = () => {}) {
  const awared = new Awared();
  onCleanup(() => awared.stop());
  configure(awared);
  for (const user of users) {
    awared.addUser(user, 'centralist', ['--regions', TEST_REGIONS]);
  }
  await awared.start();
  const browser = await launchBrowser();
  onCleanup(() => browser.close());
  const pages = [];
  for (const user of users) {
    const page = await strictContextPage(browser);
    await openCentralist(page, awared.url, user);
    pages.push(page);
  }
  return { awared, browser, pages };
}

// Fails when a page had a script error or a console error (a CSP violation included).
export function checkNoProblems(...pages) {
  for (const page of pages) {
    check(page.problems.length === 0, `page problems:\n${page.problems.join('\n')}`);
  }
}
