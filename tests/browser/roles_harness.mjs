// roles_harness.mjs — what the PAC-operator and case-worker browser tests add to
// browser_harness.mjs: a fixed 1280×800 page, REST calls from the test itself (to check what
// awared stored), xmark-sim presses with any options (battery, trigger), a record of every
// REST reply and WebSocket frame the page received (the privacy checks), and waits on a table
// row's text.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Awared, launchBrowser, loginAs, strictPage, TEST_PASSWORD } from './browser_harness.mjs';

export function check(condition, what) {
  if (!condition) {
    throw new Error(what);
  }
}

// A strict page (script/CSP errors fail the test) with the screenshots' fixed viewport. It
// also keeps every HTTP reply >= 400 (`page.failures`), which Chromium reports as a console
// error without the URL; unexpectedProblems() tells the expected ones apart.
export async function rolePage(browser) {
  const page = await strictPage(browser);
  await page.setViewportSize({ width: 1280, height: 800 });
  page.failures = [];
  page.on('response', (response) => {
    if (response.status() >= 400) {
      page.failures.push({ status: response.status(), method: response.request().method(),
                           url: response.url() });
    }
  });
  return page;
}

const FAILED_RESOURCE = 'console: Failed to load resource: the server responded with a status of ';

// The page's problems, less the console errors of failed replies that the test expects:
// `allowed` lists { status, method, path: RegExp } — each failed reply must match one.
export function unexpectedProblems(page, allowed) {
  const others = page.problems.filter((p) => !p.startsWith(FAILED_RESOURCE));
  const unexpected = page.failures
    .filter((f) => !allowed.some((a) => a.status === f.status && a.method === f.method &&
                                        a.path.test(new URL(f.url).pathname)))
    .map((f) => `unexpected HTTP ${f.status} for ${f.method} ${f.url}`);
  const consoleCount = page.problems.length - others.length;
  const extra = consoleCount > page.failures.length ? ['a failed resource that was no reply'] : [];
  return [...others, ...unexpected, ...extra];
}

// Logs in over REST from the test; returns a function doing one call with that token, which
// resolves to { status, body } (body parsed JSON, or null).
export async function restAs(awared, user) {
  const login = await fetch(`${awared.url}api/v1/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, password: TEST_PASSWORD }),
  });
  check(login.status === 200, `REST login of ${user}: HTTP ${login.status}`);
  const { token } = await login.json();
  return async (method, path, body) => {
    const reply = await fetch(`${awared.url}api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`,
                 ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await reply.text();
    return { status: reply.status, body: text === '' ? null : JSON.parse(text) };
  };
}

// One `xmark-sim activate` press of `device` with extra options (e.g. ['--battery', '15']);
// waits for the ack and returns xmark-sim's JSON line.
export function press(awared, device, extra = []) {
  const result = spawnSync(process.env.XMARK_SIM_BIN,
    ['activate', '--server', `127.0.0.1:${awared.devicePort}`, '--device', device, '--json',
     '--state-dir', join(awared.dir, 'sim'), ...extra], { encoding: 'utf8', timeout: 20000 });
  check(result.status === 0, `xmark-sim activate ${device} failed (${result.status}): ` +
                             `${result.stdout}${result.stderr}`);
  const reply = JSON.parse(result.stdout.trim().split('\n')[0]);
  check(reply.event === 'ack', `xmark-sim was not acked: ${result.stdout}`);
  return reply;
}

// Records the text of every /api/ reply and every WebSocket frame the page receives.
// `all()` waits for the reply bodies still being read and returns everything.
export function recordTraffic(page) {
  const texts = [];
  const pending = [];
  page.on('response', (response) => {
    if (response.url().includes('/api/')) {
      pending.push(response.text().then((t) => texts.push(`${response.url()} ${t}`), () => {}));
    }
  });
  page.on('websocket', (ws) => {
    ws.on('framereceived', (frame) => texts.push(`${ws.url()} ${frame.payload}`));
  });
  return {
    async all() {
      await Promise.all(pending);
      return texts;
    },
  };
}

// Waits until a row of table `tableId` has cells containing every one of `texts`; returns the
// row's data-key.
export async function waitForRow(page, tableId, texts) {
  const handle = await page.waitForFunction(([id, wanted]) => {
    const rows = document.querySelectorAll(`#${id} tbody tr`);
    for (const row of rows) {
      const cells = Array.from(row.cells).map((c) => c.textContent ?? '');
      if (wanted.every((w) => cells.some((c) => c.includes(w)))) {
        return row.dataset.key ?? '';
      }
    }
    return false;
  }, [tableId, texts]);
  return handle.jsonValue();
}

// The cells' text of the row of table `tableId` with data-key `key`.
export async function rowCells(page, tableId, key) {
  return page.locator(`#${tableId} tbody tr[data-key="${key}"] td`).allTextContents();
}

// A fresh awared (demo data) with one user of `role`, a browser page logged in as that user
// showing `viewId` with its feed status `statusId` at 'Verbonden', and a REST caller as the
// same user. Everything is stopped by the test's cleanup.
export async function signedIn(onCleanup, user, role, extra, viewId, statusId) {
  const awared = new Awared();
  onCleanup(() => awared.stop());
  awared.addUser(user, role, extra);
  await awared.start();
  const rest = await restAs(awared, user);
  const browser = await launchBrowser();
  onCleanup(() => browser.close());
  const page = await rolePage(browser);
  return { awared, rest, page, traffic: recordTraffic(page), async login() {
    await loginAs(page, awared.url, user);
    await page.waitForSelector(`#${viewId}:not([hidden])`);
    await page.waitForFunction((id) => document.getElementById(id)?.textContent === 'Verbonden',
                               statusId);
  } };
}

// signedIn() for the PAC operator pac-jan, logged in.
export async function pacOperator(onCleanup) {
  const session = await signedIn(onCleanup, 'pac-jan', 'pac_operator', [], 'view-pac', 'pac-status');
  await session.login();
  return session;
}
