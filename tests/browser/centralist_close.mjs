// centralist_close.mjs — browser test (issue 7): a centralist accepts an alarm, presses "s",
// picks an outcome from the snapshot's close outcomes, writes a note and closes it; the row
// leaves her queue, and a second centralist (own browser context, own login) who had the
// alarm in his queue sees it leave too. Label: console.
import { check, checkNoProblems, runTest, startCentralists } from './browser_harness.mjs';

await runTest('a centralist closes an accepted alarm with an outcome', async (onCleanup) => {
  const { awared, pages: [page, other] } =
    await startCentralists(onCleanup, ['web-centralist', 'web-collega']);

  awared.activate('XM-DEMO-001', 52.0912, 5.1220);
  await page.waitForSelector('#queue-body tr');
  await other.waitForSelector('#queue-body tr');
  const id = await page.locator('#queue-body tr').first().getAttribute('data-incident');

  // Before accepting, closing is refused by the page itself (only the accepter may close).
  check(await page.locator('#detail-close').isDisabled(), 'close offered before accepting');
  await page.keyboard.press('a');
  await page.waitForSelector('#detail-close:not([disabled])');

  await page.keyboard.press('s');
  await page.waitForSelector('#close-form:not([hidden])');
  const outcomes = await page.locator('#close-outcome option').allTextContents();
  check(outcomes.length >= 2, `outcomes from the snapshot: ${outcomes}`);
  const outcome = outcomes[outcomes.length - 1];
  await page.selectOption('#close-outcome', outcome);
  await page.fill('#close-note', 'Cliënt veilig aangetroffen, pleger niet ter plaatse.');
  await page.click('#close-submit');

  await page.waitForSelector(`#queue-body tr[data-incident="${id}"]`, { state: 'detached' });
  await other.waitForSelector(`#queue-body tr[data-incident="${id}"]`, { state: 'detached' });
  check(await page.locator('#queue-empty').isVisible(), '"Geen open meldingen" not shown');
  check(await page.locator('#incident-detail').isHidden(), 'the closed incident is still in detail');
  // A reload brings a fresh snapshot: awared itself no longer has it open.
  await page.reload();
  await page.waitForFunction(
    () => document.getElementById('connection-status')?.textContent === 'Verbonden');
  check(await page.locator('#queue-body tr').count() === 0, 'closed incident back after reload');
  check(awared.log.includes(id), 'awared did not log the incident');
  checkNoProblems(page);
  checkNoProblems(other);
});
