// centralist_claim.mjs — browser test (issue 7): two centralists (two browser contexts, two
// users) have the same alarm in their queues; when the first accepts it, the second sees
// "aangenomen door <first>" in the row and the detail pane, and gets no accept button for it
// (neither in the row nor in the pane) and cannot close it. Label: console.
import { check, checkNoProblems, runTest, startCentralists } from './browser_harness.mjs';

await runTest('a second centralist sees the first one\'s claim', async (onCleanup) => {
  const { awared, pages: [first, second] } =
    await startCentralists(onCleanup, ['web-centralist', 'web-collega']);

  awared.activate('XM-DEMO-003', 52.0851, 5.0951);
  await first.waitForSelector('#queue-body tr');
  await second.waitForSelector('#queue-body tr');
  check(await second.locator('#queue-body tr button.accept').count() === 1,
        'the second centralist has no accept button before the claim');

  await first.locator('#queue-body tr button.accept').click();
  await second.waitForFunction(
    () => document.querySelector('#queue-body tr td:nth-child(6)')?.textContent ===
          'aangenomen door web-centralist');
  check(await second.locator('#queue-body tr button.accept').count() === 0,
        'the second centralist still has an accept button');
  check(await second.locator('#detail-accept').isHidden(), 'accept still offered in the detail');
  check(await second.locator('#detail-close').isDisabled(), 'the second centralist may close');
  const facts = await second.locator('#detail-facts').innerText();
  check(facts.includes('aangenomen door web-centralist'), `detail:\n${facts}`);
  // "a" on the second page claims nothing: the first centralist keeps it.
  await second.keyboard.press('a');
  await second.keyboard.press('s');
  check(await second.locator('#close-form').isHidden(), 'close form opened for another\'s claim');
  await first.waitForFunction(
    () => document.querySelector('#queue-body tr td:nth-child(6)')?.textContent ===
          'aangenomen door web-centralist');
  checkNoProblems(first);
  checkNoProblems(second);
});
