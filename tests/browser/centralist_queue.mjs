// centralist_queue.mjs — browser test (issue 7): a centralist logs in to the web console, the
// live queue connects over /ws/meldkamer (the bearer subprotocol), and a simulated alarm
// (`xmark-sim activate`) appears in the queue after its ack (how fast is measured by
// bench/e2e, not here), as SPOED with a fresh (normaal) age; the key "a" accepts it and the row
// says who did. No script or CSP errors on the page. Label: console.
import { Awared, check, launchBrowser, loginAs, runTest, screenshotPath, strictContextPage, TEST_REGIONS }
  from './browser_harness.mjs';

await runTest('centralist sees a simulated alarm in the live queue', async (onCleanup) => {
  const awared = new Awared();
  onCleanup(() => awared.stop());
  awared.addUser('web-centralist', 'centralist', ['--regions', TEST_REGIONS]);
  await awared.start();

  const browser = await launchBrowser();
  onCleanup(() => browser.close());
  const page = await strictContextPage(browser);

  await loginAs(page, awared.url, 'web-centralist');
  await page.waitForSelector('#view-meldkamer:not([hidden])');
  await page.waitForFunction(
    () => document.getElementById('connection-status')?.textContent === 'Verbonden');
  check(await page.locator('#queue-body tr').count() === 0, 'the queue is not empty at the start');

  const reply = awared.activate('XM-DEMO-001', 52.0912, 5.1220);
  check(reply.event === 'ack', `xmark-sim was not acked: ${JSON.stringify(reply)}`);
  const row = page.locator('#queue-body tr').first();
  await row.waitFor({ state: 'visible' });

  const cells = await row.locator('td').allTextContents();
  check(cells[0] === 'spoed', `priority cell: ${cells[0]}`);
  check(/^M-\d+$/.test(cells[2]), `incident id cell: ${cells[2]}`);
  check(cells[4] !== '', 'no region');
  check(await row.locator('td.age-normaal').count() === 1, 'a fresh alarm is not age "normaal"');
  check(await page.locator('#queue-empty').isHidden(), '"Geen open meldingen" still shown');

  // "a" accepts it; the update shows who (awared records the signed-in user).
  await page.keyboard.press('a');
  await page.waitForFunction(
    () => document.querySelector('#queue-body tr td:nth-child(6)')?.textContent ===
          'aangenomen door web-centralist');
  check(await row.locator('button.accept').count() === 0, 'accept button still shown');

  // The token is in this tab's sessionStorage only.
  const stored = await page.evaluate(() => ({
    session: sessionStorage.getItem('awared.session') !== null,
    local: localStorage.length,
    cookies: document.cookie,
  }));
  check(stored.session && stored.local === 0 && stored.cookies === '', 'token kept elsewhere');

  // A second alarm (another client) joins the queue below the first, not yet accepted.
  awared.activate('XM-DEMO-003', 52.0851, 5.0951);
  await page.waitForFunction(() => document.querySelectorAll('#queue-body tr').length === 2);
  await page.screenshot({ path: screenshotPath('centralist-queue.png') });
  // The arrow keys move the selection, and the detail pane follows it; a click selects too.
  const ids = await page.locator('#queue-body tr').evaluateAll((rows) => rows.map((r) => r.dataset.incident));
  check(await page.locator('#queue-body tr.selected').getAttribute('data-incident') === ids[0],
        'the top row is not selected by itself');
  await page.keyboard.press('ArrowDown');
  await page.waitForSelector(`#queue-body tr.selected[data-incident="${ids[1]}"]`);
  check((await page.locator('#detail-title').textContent()).startsWith(ids[1]), 'detail did not follow');
  check((await page.locator('#incident-detail').innerText()).includes('Fatima El Amrani (demo)'),
        'the second alarm\'s AOP is not shown');
  await page.locator(`#queue-body tr[data-incident="${ids[0]}"] td`).first().click();
  await page.waitForSelector(`#queue-body tr.selected[data-incident="${ids[0]}"]`);

  // Each new spoedmelding flashed and beeped (two so far); the mute toggle silences the next.
  check(await page.locator('#alert-mute').getAttribute('data-alerts') === '2', 'not two alerts');
  check(await page.locator('#queue-body tr.flash').count() >= 1, 'no flashing new row');
  await page.click('#alert-mute');
  check(await page.locator('#alert-mute').textContent() === 'Geluid uit', 'mute did not toggle');
  check(await page.evaluate(() => sessionStorage.getItem('awared.muted')) === '1', 'mute not kept');
  check(page.problems.length === 0, `page problems:\n${page.problems.join('\n')}`);
});
