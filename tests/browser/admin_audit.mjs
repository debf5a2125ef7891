// admin_audit.mjs — browser test: the admin reads the audit log in the web console. A PAC
// operator reads client C-001 and her dossier (over REST) and C-002 many times; the admin sees
// those rows newest first, searches by subject (only C-001's rows, the dossier read on top),
// narrows to a user by clicking her name, pages back with "Oudere regels", and verifies the
// hash chain. Her own searches are audit rows that name the query. Label: console.
import { Awared, launchBrowser, loginAs, runTest, screenshotPath } from './browser_harness.mjs';
import { check, restAs, rolePage, unexpectedProblems } from './roles_harness.mjs';

// The audit table's rows as { id, actor, action, subject } in page order.
async function shownRows(page) {
  return page.$$eval('#admin-audit tbody tr', (rows) => rows.map((r) => ({
    id: Number(r.cells[0].textContent),
    actor: r.cells[2].textContent,
    action: r.cells[3].textContent,
    subject: r.cells[4].textContent,
  })));
}

// Waits until the table shows at least `min` rows, each with the cell values in `want` (e.g.
// { actor: 'pac-jan' }).
async function waitForRows(page, min, want = {}) {
  await page.waitForFunction(([n, wanted]) => {
    const rows = Array.from(document.querySelectorAll('#admin-audit tbody tr'));
    const column = { actor: 2, action: 3, subject: 4 };
    return rows.length >= n && rows.every((r) => Object.entries(wanted).every(
      ([name, value]) => r.cells[column[name]].textContent === value));
  }, [min, want]);
}

await runTest('admin searches the audit log and verifies its chain in the web console', async (onCleanup) => {
  const awared = new Awared();
  onCleanup(() => awared.stop());
  awared.addUser('beheer', 'admin', []);
  awared.addUser('pac-jan', 'pac_operator', []);
  await awared.start();
  const pac = await restAs(awared, 'pac-jan');
  check((await pac('GET', '/clients/C-001')).status === 200, 'pac-jan read C-001');
  check((await pac('GET', '/clients/C-001/dossier')).status === 200, 'pac-jan read the dossier');
  for (let i = 0; i < 60; ++i) {
    check((await pac('GET', '/clients/C-002')).status === 200, 'pac-jan read C-002');
  }

  const browser = await launchBrowser();
  onCleanup(() => browser.close());
  const page = await rolePage(browser);
  await loginAs(page, awared.url, 'beheer');
  await page.waitForSelector('#view-beheer:not([hidden])');
  // The newest rows first: pac-jan's last read of C-002 comes before her earlier ones (above it
  // at most the admin's own sign-in and her reads of the user list, made as the view opened).
  await waitForRows(page, 50);
  let rows = await shownRows(page);
  check(rows.length === 50, `first page: ${rows.length} rows`);
  const top = rows.find((r) => r.actor === 'pac-jan');
  check(top?.subject === 'client:C-002', `pac-jan's newest: ${JSON.stringify(top)}`);
  check(rows.indexOf(top) <= 3, `pac-jan's newest row is row ${rows.indexOf(top)}`);
  check(rows.every((r, i) => i === 0 || r.id < rows[i - 1].id), 'not newest first');

  // Who touched C-001: the dossier read on top, then the record read; nothing else.
  await page.fill('#audit-subject', 'client:C-001');
  await page.click('#audit-submit');
  await waitForRows(page, 1, { subject: 'client:C-001' });
  rows = await shownRows(page);
  check(rows[0].action === 'dossier.read' && rows[0].actor === 'pac-jan', `C-001 top: ${JSON.stringify(rows[0])}`);
  check(rows.some((r) => r.action === 'registry.read' && r.actor === 'pac-jan'), 'the record read is missing');
  check(await page.isHidden('#audit-older'), '"Oudere regels" offered for a short result');
  await page.screenshot({ path: screenshotPath('admin-audit.png') });

  // A click on the user's name searches for her as well: only pac-jan's rows about C-001.
  await page.locator('#admin-audit tbody tr').first().locator('button.search-link').first().click();
  check(await page.inputValue('#audit-actor') === 'pac-jan', 'the actor field was not filled');
  await waitForRows(page, 2, { actor: 'pac-jan', subject: 'client:C-001' });
  check((await shownRows(page)).length === 2, 'pac-jan read C-001 twice');

  // All of pac-jan's rows: her sign-in and 62 reads, on two pages.
  await page.fill('#audit-subject', '');
  await page.click('#audit-submit');
  await waitForRows(page, 50, { actor: 'pac-jan' });
  check((await shownRows(page)).length === 50, 'first page of pac-jan');
  check(await page.isVisible('#audit-older'), '"Oudere regels" missing');
  await page.click('#audit-older');
  await waitForRows(page, 63, { actor: 'pac-jan' });
  rows = await shownRows(page);
  check(rows.length === 63, `pac-jan: ${rows.length} rows`);
  check(rows.every((r, i) => i === 0 || r.id < rows[i - 1].id), 'the older page is out of order');
  check(rows[61].subject === 'client:C-001' && rows[61].action === 'registry.read', 'her first read');
  check(rows[62].subject === 'user:pac-jan' && rows[62].action === 'auth.login', 'her sign-in');
  await page.waitForSelector('#audit-older', { state: 'hidden' });

  // The chain verifies.
  await page.click('#audit-verify');
  await page.waitForFunction(() => document.getElementById('audit-verdict').textContent.startsWith('Keten intact'));

  // Each page she saw is itself audited, naming the search.
  const admin = await restAs(awared, 'beheer');
  const reads = await admin('GET', '/audit?action=audit.read&actor=beheer&order=newest&limit=10');
  check(reads.status === 200, `audit.read search: ${reads.status}`);
  const texts = reads.body.audit.map((r) => r.justification);
  check(texts.some((t) => t.startsWith('newest first, before ') && t.endsWith('actor="pac-jan", 13 rows')),
        `the older page's row: ${JSON.stringify(texts)}`);
  check(texts.some((t) => t === 'newest first, actor="pac-jan", subject="client:C-001", 2 rows'),
        `the narrowed search's row: ${JSON.stringify(texts)}`);

  const problems = unexpectedProblems(page, []);
  check(problems.length === 0, `page problems:\n${problems.join('\n')}`);
});
