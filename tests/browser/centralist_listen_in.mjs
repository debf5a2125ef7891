// centralist_listen_in.mjs — browser test (issue 7): a device stays connected (xmark-sim fleet
// of one, XM-DEMO-001) and presses; the centralist selects the alarm and presses "m"
// (Meeluisteren); the page says it is open and by whom, and the device receives the command
// OPEN_LISTEN_IN (xmark-sim prints it). Label: console.
import { check, checkNoProblems, runTest, startCentralists, WAIT_MS } from './browser_harness.mjs';

await runTest('meeluisteren reaches the device', async (onCleanup) => {
  const { awared, pages: [page] } = await startCentralists(onCleanup, ['web-centralist']);

  const fleet = awared.startSim(['fleet', '--devices', '1', '--prefix', 'XM-DEMO-', '--first', '1',
                                 '--interval-s', '1', '--heartbeat-s', '60', '--seed', '3',
                                 '--area', '52.0907,5.1214,100']);
  onCleanup(() => fleet.stop());
  await fleet.waitForLine(/"event":"ack"/, WAIT_MS);
  await page.waitForSelector('#queue-body tr');
  await page.waitForSelector('#incident-detail:not([hidden])');

  await page.keyboard.press('m');
  await page.waitForFunction(
    () => document.getElementById('detail-listen-status')?.textContent
      ?.startsWith('Meeluisteren geopend door web-centralist'));
  const command = await fleet.waitForLine(/OPEN_LISTEN_IN/, WAIT_MS);
  check(command.includes('XM-DEMO-001'), `command for another device: ${command}`);
  check(await page.locator('#detail-error').textContent() === '', 'meeluisteren was refused');
  checkNoProblems(page);
});
