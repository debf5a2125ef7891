// centralist_notes.mjs — browser test (issue 7): two centralists (two browser contexts, two
// users) have the same alarm. The first presses "n", types a note and Enter: the second sees it
// in the detail pane's notes with the first one's name; a note over 1000 bytes is refused with
// awared's reason and stays in the input. The first opens meeluisteren ("m"): the second's pane
// says who opened it (it comes with the incident now). Label: console.
import { check, checkNoProblems, runTest, screenshotPath, startCentralists }
  from './browser_harness.mjs';

await runTest('notes and meeluisteren reach a second centralist', async (onCleanup) => {
  const { awared, pages: [first, second] } =
    await startCentralists(onCleanup, ['web-centralist', 'web-collega']);

  awared.activate('XM-DEMO-003', 52.0851, 5.0951);
  await first.waitForSelector('#incident-detail:not([hidden])');
  await second.waitForSelector('#incident-detail:not([hidden])');
  check(await second.locator('#detail-notes li.note').count() === 0, 'a note before any was written');

  await first.keyboard.press('n');
  check(await first.evaluate(() => document.activeElement?.id) === 'note-text',
        '"n" does not focus the note input');
  check(await first.locator('#note-text').inputValue() === '', 'the "n" landed in the note');
  await first.keyboard.type('Eenheid onderweg, cliënt belt terug');
  await first.keyboard.press('Enter');

  await second.waitForFunction(
    () => document.querySelector('#detail-notes li.note .note-text')?.textContent ===
          'Eenheid onderweg, cliënt belt terug');
  const meta = await second.locator('#detail-notes li.note .note-meta').textContent();
  check(/^web-centralist om \d{2}:\d{2}:\d{2}$/.test(meta ?? ''), `author and time: ${meta}`);
  check(await first.locator('#note-text').inputValue() === '', 'the sent note stayed in the input');
  await first.waitForSelector('#detail-notes li.note');

  // 600 × "é" fits the input's 1000 characters but is 1200 bytes: awared refuses it.
  const long = 'é'.repeat(600);
  await first.locator('#note-text').fill(long);
  await first.keyboard.press('Enter');
  await first.waitForFunction(
    () => document.getElementById('detail-error')?.textContent ===
          'Geweigerd (notitie): text: at most 1000 bytes');
  check(await first.locator('#note-text').inputValue() === long, 'the refused note was lost');
  check(await second.locator('#detail-notes li.note').count() === 1, 'the refused note arrived');

  // Escape leaves the input, so "m" is a shortcut again.
  await first.keyboard.press('Escape');
  await first.keyboard.press('m');
  await second.waitForFunction(
    () => /^Meeluisteren geopend door web-centralist om \d{2}:\d{2}:\d{2}$/.test(
      document.getElementById('detail-listen-status')?.textContent ?? ''));
  await first.waitForFunction(
    () => document.getElementById('detail-listen-status')?.textContent
      ?.startsWith('Meeluisteren geopend door web-centralist'));
  await second.screenshot({ path: screenshotPath('centralist-notes.png') });
  checkNoProblems(first);
  checkNoProblems(second);
});
