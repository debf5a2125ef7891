// pac_contracts.mjs — browser test (issue 7): a PAC operator's contract reminders (tab 5,
// GET /api/v1/contracts). The demo AOP-003 ended 20 days ago and is listed as ended; a new end
// date before its start is refused with awared's text and changes nothing; a valid one is saved
// (PUT /api/v1/aops/AOP-003/contract) and the REST API then has it. Label: console.
import { runTest } from './browser_harness.mjs';
import { check, pacOperator, rowCells, unexpectedProblems, waitForRow } from './roles_harness.mjs';

// A date `days` from today (UTC) as YYYY-MM-DD.
const dayFromNow = (days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function save(page, date, expected) {
  const row = page.locator('#pac-contracts tbody tr[data-key="AOP-003"]');
  await row.locator('input[type="date"]').fill(date);
  await row.locator('button.save-contract').click();
  await page.waitForFunction((text) =>
    document.getElementById('pac-contracts-error')?.textContent?.includes(text), expected);
}

await runTest('PAC operator extends an ended contract', async (onCleanup) => {
  const { rest, page } = await pacOperator(onCleanup);
  const before = (await rest('GET', '/aops/AOP-003')).body;
  await page.keyboard.press('5');
  await waitForRow(page, 'pac-contracts', ['AOP-003', 'C-003', 'verlopen (20 dagen geleden)']);
  const cells = await rowCells(page, 'pac-contracts', 'AOP-003');
  check(cells[4] === before.valid_until, `end date shown: ${cells[4]}, stored ${before.valid_until}`);

  await save(page, '2000-01-01', 'AOP-003 niet opgeslagen');
  check((await rest('GET', '/aops/AOP-003')).body.valid_until === before.valid_until,
        'a refused end date was stored');

  const until = dayFromNow(180);
  await save(page, until, `AOP-003: einddatum ${until} opgeslagen.`);
  check((await rest('GET', '/aops/AOP-003')).body.valid_until === until, 'new end date not stored');
  // Ending in 180 days, it is no longer a reminder within 30 days.
  await page.waitForSelector('#pac-contracts tbody tr[data-key="AOP-003"]', { state: 'detached' });
  const problems = unexpectedProblems(page, [
    { status: 404, method: 'PUT', path: /^\/api\/v1\/aops\/AOP-003\/contract$/ }]);
  check(problems.length === 0, `page problems:\n${problems.join('\n')}`);
});
