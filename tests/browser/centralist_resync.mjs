// centralist_resync.mjs — browser test (issue 7): awared dies (SIGKILL) under an open console
// with an accepted alarm in its queue; the page shows the banner "Verbinding verbroken". awared
// starts again on the same ports and database; the page reconnects by itself, gets a fresh
// snapshot and says "Opnieuw gesynchroniseerd", with the queue intact (the accepted alarm, still
// claimed) and an alarm pressed after the restart appearing and flashing as new. Screenshot:
// centralist-disconnected.png. Label: console.
import { check, runTest, screenshotPath, startCentralists } from './browser_harness.mjs';

await runTest('the centralist view survives a lost connection and resyncs', async (onCleanup) => {
  const { awared, pages: [page] } = await startCentralists(onCleanup, ['web-centralist']);

  awared.activate('XM-DEMO-001', 52.0912, 5.1220);
  await page.waitForSelector('#queue-body tr');
  const first = await page.locator('#queue-body tr').first().getAttribute('data-incident');
  await page.keyboard.press('a');
  await page.waitForFunction(
    () => document.querySelector('#queue-body tr td:nth-child(6)')?.textContent ===
          'aangenomen door web-centralist');
  check(await page.locator('#connection-banner').isHidden(), 'banner shown while connected');

  await awared.kill();
  await page.waitForFunction(
    () => document.getElementById('connection-banner')?.textContent?.startsWith('Verbinding verbroken'));
  check(await page.locator('#connection-banner').isVisible(), 'the banner is not visible');
  // The last known queue stays on screen meanwhile.
  check(await page.locator(`#queue-body tr[data-incident="${first}"]`).count() === 1,
        'the queue was emptied on the drop');
  await page.screenshot({ path: screenshotPath('centralist-disconnected.png') });

  await awared.restartSamePorts();
  await page.waitForFunction(
    () => document.getElementById('connection-banner')?.textContent?.startsWith('Opnieuw gesynchroniseerd'));
  const row = page.locator(`#queue-body tr[data-incident="${first}"]`);
  check(await row.count() === 1, 'the accepted alarm is gone after the resync');
  check((await row.locator('td').nth(5).textContent()) === 'aangenomen door web-centralist',
        'the claim was lost in the resync');

  awared.activate('XM-DEMO-003', 52.0851, 5.0951);
  await page.waitForSelector(`#queue-body tr.flash:not([data-incident="${first}"])`);
  check(await page.locator('#queue-body tr').count() === 2, 'the new alarm is not in the queue');
  await page.screenshot({ path: screenshotPath('centralist-resynced.png') });
  check(page.problems.every((p) => p.includes('ERR_CONNECTION_REFUSED') ||
                                   p.includes('WebSocket connection')),
        `page problems:\n${page.problems.join('\n')}`);
});
