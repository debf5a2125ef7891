// caseworker_notices.mjs — browser test (issue 7): a case worker (hulpverlener following C-001
// only) logs in; an alarm of another client (XM-DEMO-003, C-002) and then one of hers
// (XM-DEMO-001, C-001) are pressed with xmark-sim. Her notice appears live (/ws/hulpverlener)
// with event, state, time and incident id, and her devices' health (REST) shows the battery the
// press reported. The other client's notice is nowhere, and nothing the page shows or received
// (every REST reply, every WebSocket frame) holds a position. She follows 70 more (fictitious)
// clients: more than a feed URL may name (64), so the feed takes them from her session (own=1).
// Label: console.
import { runTest, screenshotPath } from './browser_harness.mjs';
import { check, press, rowCells, signedIn, waitForRow } from './roles_harness.mjs';

const OWN = { device: 'XM-DEMO-001', lat: '52.091234', lon: '5.122345' };
const OTHER = { device: 'XM-DEMO-003', lat: '52.085432', lon: '5.095678' };
// Any decimal number with 4+ decimals looks like a coordinate; times and percentages never do.
const COORDINATE = /\d{1,3}[.,]\d{4,}/;
const MORE_CLIENTS = Array.from({ length: 70 }, (_, i) => `C-${500 + i}`);

await runTest('case worker sees her client\'s notice and device health, no position', async (onCleanup) => {
  const { awared, page, traffic, login } = await signedIn(
    onCleanup, 'hv-jbakker', 'hulpverlener', ['--organisation', 'Veilig Thuis Utrecht',
                                           '--clients', ['C-001', ...MORE_CLIENTS].join(',')],
    'view-hulpverlener', 'hv-status');
  const feeds = [];
  page.on('websocket', (ws) => feeds.push(ws.url()));
  await login();
  const hint = await page.locator('#view-hulpverlener p.hint').innerText();
  check(hint.startsWith('U volgt: 71 cliënten: C-001, C-500,') && hint.includes('en 61 meer'),
        `followed clients: ${hint}`);
  check(feeds.length > 0 && feeds.every((u) => /\/ws\/hulpverlener\?own=1&since=0$/.test(u)),
        `feed URLs: ${feeds.join(', ')}`);
  check(await page.locator('#hv-notices tbody tr').count() === 0, 'notices before any press');
  // Her two devices are listed (REST device-status?client=C-001), never heard yet.
  await waitForRow(page, 'hv-devices', ['XM-DEMO-002', 'C-001']);
  check(await page.locator('#hv-devices tbody tr').count() === 2, 'not exactly her two devices');

  press(awared, OTHER.device, ['--lat', OTHER.lat, '--lon', OTHER.lon]);
  press(awared, OWN.device, ['--lat', OWN.lat, '--lon', OWN.lon, '--battery', '64']);

  const key = await waitForRow(page, 'hv-notices', ['C-001', 'Activatie']);
  const cells = await rowCells(page, 'hv-notices', key);
  check(/^\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}$/.test(cells[0]), `time cell: ${cells[0]}`);
  check(['nieuw', 'bij de meldkamer'].includes(cells[3]), `state cell: ${cells[3]}`);
  check(/^M-\d+$/.test(cells[4]), `incident cell: ${cells[4]}`);
  // The other client's notice was stored first: had it been sent, it would be here already.
  check(await page.locator('#hv-notices tbody tr').count() === 1, 'more than her one notice');

  // The press reported the battery: her device's health shows it, with a last-heard time.
  await page.waitForFunction(() => {
    const row = document.querySelector('#hv-devices tbody tr[data-key="XM-DEMO-001"]');
    return row !== null && row.cells[3].textContent === '64%';
  });
  const health = await rowCells(page, 'hv-devices', 'XM-DEMO-001');
  check(health[2] !== '—', 'last heard not shown');

  await page.screenshot({ path: screenshotPath('caseworker-notices.png') });

  // No position on the page, and none in anything it received.
  const text = await page.evaluate(() => document.body.innerText);
  for (const forbidden of [OWN.lat, OWN.lon, OTHER.lat, OTHER.lon, 'C-002', 'C-003',
                           OTHER.device, 'XM-DEMO-004']) {
    check(!text.includes(forbidden), `the page shows ${forbidden}`);
  }
  check(!COORDINATE.test(text), `the page shows a coordinate: ${COORDINATE.exec(text)}`);
  const received = await traffic.all();
  check(received.some((t) => t.includes('/ws/hulpverlener') && t.includes('"activatie"')),
        'the notice frame was not recorded');
  for (const t of received) {
    for (const forbidden of ['"lat"', '"lon"', '"position"', 'latitude', OWN.lat, OWN.lon,
                             OTHER.lat, 'C-002']) {
      check(!t.includes(forbidden), `received ${forbidden}: ${t.slice(0, 300)}`);
    }
    check(!COORDINATE.test(t), `received a coordinate-like number: ${t.slice(0, 300)}`);
  }
  check(page.problems.length === 0, `page problems:\n${page.problems.join('\n')}`);
});
