// pac_alerts.mjs — browser test (issue 7): a PAC operator's technical alert queue (/ws/pac).
// A press of XM-DEMO-002 reporting 15 % battery raises a real batterij_laag alert (warning);
// with no police console connected its incident is not delivered, so awared raises
// niet_afgeleverd (urgent) a few seconds later, which sorts above it. The operator
// acknowledges the urgent one with key b and the battery alert with its button — the rows and
// the REST API name her — and resolves
// the urgent one, which leaves the queue and is listed as resolved by her. The device tab shows
// the reported battery. Label: console.
import { runTest, screenshotPath } from './browser_harness.mjs';
import { check, pacOperator, press, rowCells, waitForRow } from './roles_harness.mjs';

await runTest('PAC operator acknowledges and resolves technical alerts', async (onCleanup) => {
  const { awared, rest, page } = await pacOperator(onCleanup);
  check(await page.locator('#pac-alerts tbody tr').count() === 0, 'alerts before any press');

  press(awared, 'XM-DEMO-002', ['--battery', '15']);
  const battery = await waitForRow(page, 'pac-alerts', ['Batterij laag', 'XM-DEMO-002']);
  let cells = await rowCells(page, 'pac-alerts', battery);
  check(cells[0] === 'waarschuwing', `battery alert severity: ${cells[0]}`);
  check(cells[7] === 'open', `battery alert state: ${cells[7]}`);

  // Not delivered to any police console within deliver_timeout_s (3 s): urgent, sorted first.
  const urgent = await waitForRow(page, 'pac-alerts', ['Niet afgeleverd', 'XM-DEMO-002']);
  const order = await page.locator('#pac-alerts tbody tr').evaluateAll((rows) =>
    rows.map((r) => r.dataset.key));
  check(order[0] === urgent && order.includes(battery), `queue order: ${order}`);
  // awared's escalation detail (English in its logs and event rows) is shown in Dutch.
  const detail = (await rowCells(page, 'pac-alerts', urgent))[6];
  check(/^M-\d{6} \([^)]*\): geëscaleerd: niet afgeleverd$/.test(detail),
        `urgent alert detail: ${detail}`);

  // Key b acknowledges the first open alert: the urgent one.
  await page.keyboard.press('b');
  await page.waitForFunction((key) => {
    const row = document.querySelector(`#pac-alerts tbody tr[data-key="${key}"]`);
    return row !== null && row.cells[7].textContent.startsWith('bevestigd door pac-jan');
  }, urgent);
  check((await rowCells(page, 'pac-alerts', battery))[7] === 'open', 'b acknowledged the battery alert');

  // Acknowledge the battery alert with its button; the update names who did it.
  await page.locator(`#pac-alerts tbody tr[data-key="${battery}"] button.acknowledge`).click();
  await page.waitForFunction((key) => {
    const row = document.querySelector(`#pac-alerts tbody tr[data-key="${key}"]`);
    return row !== null && row.cells[7].textContent.startsWith('bevestigd door pac-jan');
  }, battery);
  cells = await rowCells(page, 'pac-alerts', battery);
  check(!cells[8].includes('Bevestigen'), 'acknowledge button still offered');
  const stored = (await rest('GET', '/alerts')).body.alerts.find((a) => String(a.id) === battery);
  check(stored && stored.acknowledged_by === 'pac-jan' && stored.state === 'acknowledged',
        `stored alert: ${JSON.stringify(stored)}`);

  await page.screenshot({ path: screenshotPath('pac-alerts.png') });

  // Resolve the urgent one: it leaves the queue and is listed as resolved by her.
  await page.locator(`#pac-alerts tbody tr[data-key="${urgent}"] button.resolve`).click();
  await page.waitForSelector(`#pac-alerts tbody tr[data-key="${urgent}"]`, { state: 'detached' });
  await waitForRow(page, 'pac-alerts-done', ['Niet afgeleverd', 'pac-jan']);

  // The device tab (key 2) shows the battery the press reported, and the open battery alert.
  await page.keyboard.press('2');
  await page.waitForSelector('#pac-panel-apparaten:not([hidden])');
  await page.waitForFunction(() => {
    const row = document.querySelector('#pac-devices tbody tr[data-key="XM-DEMO-002"]');
    return row !== null && row.cells[3].textContent === '15%' &&
           row.cells[5].textContent.includes('batterij laag');
  });
  check(page.problems.length === 0, `page problems:\n${page.problems.join('\n')}`);
});
