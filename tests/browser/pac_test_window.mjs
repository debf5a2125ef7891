// pac_test_window.mjs — browser test (issue 7): a PAC operator opens a proefmelding window for
// XM-DEMO-003 (tab 3, REST POST …/test-window); a press of that device is then a proefmelding:
// a proefmelding alert appears in her queue (/ws/pac) and the window counts one test. She stops
// the window; the next press is a real alarm again (its niet_afgeleverd alert comes, and no
// second proefmelding). Label: console.
import { runTest } from './browser_harness.mjs';
import { check, pacOperator, press, rowCells, waitForRow } from './roles_harness.mjs';

const DEVICE = 'XM-DEMO-003';

async function proefmeldingen(page) {
  return page.locator('#pac-alerts tbody tr, #pac-alerts-done tbody tr')
    .filter({ hasText: 'Proefmelding' }).count();
}

await runTest('PAC operator runs a proefmelding window', async (onCleanup) => {
  const { awared, rest, page } = await pacOperator(onCleanup);

  await page.keyboard.press('3');
  await page.waitForSelector('#pac-panel-proef:not([hidden])');
  await page.waitForSelector(`#pac-window-device option[value="${DEVICE}"]`, { state: 'attached' });
  check(await page.locator('#pac-windows-empty').isVisible(), 'a window is open at the start');
  await page.selectOption('#pac-window-device', DEVICE);
  await page.fill('#pac-window-minutes', '20');
  await page.fill('#pac-window-reason', 'installatietest met politie');
  await page.press('#pac-window-reason', 'Enter');  // the keyboard submits the form
  await waitForRow(page, 'pac-windows', [DEVICE, 'pac-jan', 'installatietest met politie']);
  const windows = (await rest('GET', '/test-windows')).body.test_windows;
  check(windows.length === 1 && windows[0].device_id === DEVICE && windows[0].opened_by === 'pac-jan',
        `stored windows: ${JSON.stringify(windows)}`);

  // A press inside the window is a proefmelding: an info alert, and the window counts it.
  press(awared, DEVICE);
  const alert = await waitForRow(page, 'pac-alerts', ['Proefmelding', DEVICE]);
  check((await rowCells(page, 'pac-alerts', alert))[0] === 'info', 'proefmelding is not info');
  await page.waitForFunction((device) => {
    const row = document.querySelector(`#pac-windows tbody tr[data-key="${device}"]`);
    return row !== null && row.cells[5].textContent === '1';
  }, DEVICE);

  // Stop it; the list empties, and awared has no open window left.
  await page.locator(`#pac-windows tbody tr[data-key="${DEVICE}"] button.stop-window`).click();
  await page.waitForSelector('#pac-windows-empty', { state: 'visible' });
  check((await rest('GET', '/test-windows')).body.test_windows.length === 0, 'window still open');

  // After the window, a press is an alarm for the police again: not delivered (no police
  // console here) raises niet_afgeleverd, and no second proefmelding appeared before it.
  press(awared, DEVICE);
  await waitForRow(page, 'pac-alerts', ['Niet afgeleverd', DEVICE]);
  check(await proefmeldingen(page) === 1, 'a press after the window became a proefmelding');
  check(page.problems.length === 0, `page problems:\n${page.problems.join('\n')}`);
});
