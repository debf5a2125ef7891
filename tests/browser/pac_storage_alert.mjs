// pac_storage_alert.mjs — browser test: the PAC operator's queue while awared's store takes no
// writes (AWARED_TEST_DISK_FULL: awared's test VFS fails every write while the named file
// exists, as a full disk would). A press then is nacked BUSY and awared shows its live
// opslag_storing alert (id 0, urgent, not stored): the row offers no buttons but says that it
// clears itself, and key b passes it over for the first alert that can be acknowledged. With
// room again the press is acked, the live row goes and the stored opslag_storing alert takes its
// place, which b then acknowledges. Label: console.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTest, screenshotPath } from './browser_harness.mjs';
import { check, press, rowCells, signedIn, waitForRow } from './roles_harness.mjs';

const LIVE_TEXT = 'verdwijnt vanzelf zodra awared weer kan opslaan';

// Waits until `row` of the queue shows "bevestigd door pac-jan".
async function waitAcknowledged(page, key) {
  await page.waitForFunction((k) => {
    const row = document.querySelector(`#pac-alerts tbody tr[data-key="${k}"]`);
    return row !== null && row.cells[7].textContent.startsWith('bevestigd door pac-jan');
  }, key);
}

await runTest('PAC operator sees the live storage alert, which key b passes over', async (onCleanup) => {
  const faultDir = mkdtempSync(join(tmpdir(), 'awared-fault-'));
  onCleanup(() => rmSync(faultDir, { recursive: true, force: true }));
  const fault = join(faultDir, 'disk-full');
  process.env.AWARED_TEST_DISK_FULL = fault;  // awared inherits it
  const session = await signedIn(onCleanup, 'pac-jan', 'pac_operator', [], 'view-pac', 'pac-status');
  const { awared, page } = session;
  const sent = [];  // what the page sends on its feed (registered before it opens)
  page.on('websocket', (ws) => ws.on('framesent', (frame) => sent.push(String(frame.payload))));
  await session.login();

  // A stored alert that stays open (battery, warning), and the urgent niet_afgeleverd of the
  // same press acknowledged, so the live alert will be the first open row.
  press(awared, 'XM-DEMO-002', ['--battery', '15']);
  const battery = await waitForRow(page, 'pac-alerts', ['Batterij laag', 'XM-DEMO-002']);
  const undelivered = await waitForRow(page, 'pac-alerts', ['Niet afgeleverd', 'XM-DEMO-002']);
  await page.locator(`#pac-alerts tbody tr[data-key="${undelivered}"] button.acknowledge`).click();
  await waitAcknowledged(page, undelivered);

  // The store fails: a press is refused (xmark-sim keeps retrying) and the live alert shows.
  writeFileSync(fault, 'ENOSPC\n');
  const sim = awared.startSim(['activate', '--device', 'XM-DEMO-001', '--timeout', '100',
                               '--state-dir', join(awared.dir, 'sim')]);
  onCleanup(() => sim.stop());
  const live = await waitForRow(page, 'pac-alerts', ['Opslagstoring awared']);
  check(live === '0', `live storage alert key: ${live}`);
  const order = await page.locator('#pac-alerts tbody tr').evaluateAll((rows) =>
    rows.map((r) => r.dataset.key));
  // Urgent: above the open battery alert (the acknowledged urgent one is older still).
  check(order.indexOf('0') >= 0 && order.indexOf('0') < order.indexOf(battery),
        `queue order: ${order}`);
  const cells = await rowCells(page, 'pac-alerts', '0');
  check(cells[0] === 'urgent' && cells[7] === 'open', `live alert: ${cells}`);
  check(cells[8] === LIVE_TEXT, `live alert actions: ${cells[8]}`);
  check(await page.locator('#pac-alerts tbody tr[data-key="0"] button').count() === 0,
        'the live alert offers buttons');
  await page.screenshot({ path: screenshotPath('pac-storage-alert.png') });

  // Key b: the request goes to the battery alert, not to the live one.
  const before = sent.length;
  await page.keyboard.press('b');
  // Its answer: a refusal (the store takes no writes) or the acknowledged row.
  await page.waitForFunction((k) => document.getElementById('pac-alerts-error').textContent !== '' ||
    document.querySelector(`#pac-alerts tbody tr[data-key="${k}"]`).cells[7].textContent
      .startsWith('bevestigd'), battery);
  const requests = sent.slice(before).map((t) => JSON.parse(t)).filter((r) => r.acknowledge);
  check(requests.length === 1 && requests[0].acknowledge.alertId === battery,
        `key b sent: ${JSON.stringify(requests)} (battery alert ${battery})`);

  // Room again: the press is acked, the live alert goes and a stored one takes its place.
  rmSync(fault);
  await sim.waitForLine(/"event":"ack"/, 30000);
  await page.waitForSelector('#pac-alerts tbody tr[data-key="0"]', { state: 'detached' });
  const stored = await waitForRow(page, 'pac-alerts', ['Opslagstoring awared']);
  check(stored !== '0', 'the stored storage alert has id 0');
  check((await rowCells(page, 'pac-alerts', stored))[8].includes('Bevestigen'),
        'the stored storage alert offers no Bevestigen');
  await page.keyboard.press('b');
  await waitAcknowledged(page, stored);
  check(page.problems.length === 0, `page problems:\n${page.problems.join('\n')}`);
});
