// admin_users.mjs — browser test: the admin (beheerder) manages users in the web console. She
// signs in and sees the users; adds a centralist with the form, who can then sign in; a
// centralist without regions is refused with awared's text and not added; deactivating the new
// user ends her open console at once and she cannot sign in; Activeren lets her in again. The
// user list never shows a password or hash. Saving her own new password ends the admin's
// session: back to the login form. Label: console.
import { Awared, launchBrowser, loginAs, runTest, screenshotPath, strictContextPage,
         TEST_PASSWORD } from './browser_harness.mjs';
import { check, rolePage, rowCells, unexpectedProblems, waitForRow } from './roles_harness.mjs';

const NEW_PASSWORD = 'carla-wachtwoord-1';

// POST /api/v1/login from the test; the token, or null when refused.
async function restLogin(awared, user, password) {
  const reply = await fetch(`${awared.url}api/v1/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, password }),
  });
  return reply.status === 200 ? (await reply.json()).token : null;
}

await runTest('admin adds, deactivates and reactivates a user in the web console', async (onCleanup) => {
  const awared = new Awared();
  onCleanup(() => awared.stop());
  awared.addUser('beheer', 'admin', []);
  await awared.start();
  const browser = await launchBrowser();
  onCleanup(() => browser.close());
  const page = await rolePage(browser);
  await loginAs(page, awared.url, 'beheer');
  await page.waitForSelector('#view-beheer:not([hidden])');
  check(page.url().endsWith('#/beheer'), `route: ${page.url()}`);
  await waitForRow(page, 'admin-users', ['beheer', 'beheerder']);

  // A centralist without regions: awared's reason is shown, nothing is added.
  await page.fill('#admin-user-name', 'dora');
  await page.selectOption('#admin-user-role', 'centralist');
  await page.fill('#admin-user-password', NEW_PASSWORD);
  await page.click('#admin-user-submit');
  await page.waitForFunction(() => document.getElementById('admin-users-message').textContent
    .includes('HTTP 400: regions: a centralist needs at least one region'));

  // Carla, centralist for midden-nederland: listed, and she can sign in.
  await page.fill('#admin-user-name', 'carla');
  await page.fill('#admin-user-regions', 'midden-nederland');
  await page.fill('#admin-user-password', NEW_PASSWORD);
  await page.click('#admin-user-submit');
  await waitForRow(page, 'admin-users', ['carla', 'centralist', 'midden-nederland']);
  // The list was fetched again after each save: the refused dora is not in it.
  check(await page.locator('#admin-users tbody tr[data-key="dora"]').count() === 0, 'dora added');
  check(await page.inputValue('#admin-user-password') === '', 'the password stays in the form');
  const listText = await page.locator('#admin-users').textContent();
  check(!listText.includes('argon2') && !listText.includes(NEW_PASSWORD), 'a secret is listed');
  check(await restLogin(awared, 'carla', NEW_PASSWORD) !== null, 'carla cannot sign in');
  await page.screenshot({ path: screenshotPath('admin-users.png') });

  // Carla has the meldkamer open; the admin deactivates her: her console is closed at once and
  // goes back to the login form, and she cannot sign in.
  const carla = await strictContextPage(browser);
  await carla.goto(awared.url);
  await carla.fill('#login-user', 'carla');
  await carla.fill('#login-password', NEW_PASSWORD);
  await carla.click('#login-submit');
  await carla.waitForSelector('#view-meldkamer:not([hidden])');
  await carla.waitForFunction(() => document.getElementById('connection-status')?.textContent === 'Verbonden');
  await page.locator('#admin-users tbody tr[data-key="carla"] button.deactivate').click();
  await page.waitForFunction(() => {
    const row = document.querySelector('#admin-users tbody tr[data-key="carla"]');
    return row !== null && row.cells[3].textContent === 'nee';
  });
  await carla.waitForSelector('#view-login:not([hidden])');
  check(await restLogin(awared, 'carla', NEW_PASSWORD) === null, 'a deactivated user signed in');

  // Activeren: she may sign in again, with the same role and regions.
  await page.locator('#admin-users tbody tr[data-key="carla"] button.activate').click();
  await page.waitForFunction(() => {
    const row = document.querySelector('#admin-users tbody tr[data-key="carla"]');
    return row !== null && row.cells[3].textContent === 'ja';
  });
  check((await rowCells(page, 'admin-users', 'carla'))[2] === 'midden-nederland', 'regions lost');
  check(await restLogin(awared, 'carla', NEW_PASSWORD) !== null, 'carla not active again');
  check(await restLogin(awared, 'beheer', TEST_PASSWORD) !== null, 'the admin lost her login');

  // The admin sets her own new password: her session ends with it, the page goes back to the
  // login form, and the new password signs her in.
  await page.fill('#admin-user-name', 'beheer');
  await page.selectOption('#admin-user-role', 'admin');
  await page.fill('#admin-user-password', 'nieuw-beheer-wachtwoord');
  await page.click('#admin-user-submit');
  await page.waitForSelector('#view-login:not([hidden])');
  check(await restLogin(awared, 'beheer', 'nieuw-beheer-wachtwoord') !== null, 'new password refused');
  check(await restLogin(awared, 'beheer', TEST_PASSWORD) === null, 'old password still works');

  const problems = unexpectedProblems(page, [{ status: 400, method: 'PUT', path: /^\/api\/v1\/users\/dora$/ }]);
  check(problems.length === 0, `page problems:\n${problems.join('\n')}`);
  // Carla's page saw her socket closed and a refused reconnect (401) before the login form.
  const carlaProblems = carla.problems.filter((p) => !p.includes('401') && !p.includes('WebSocket'));
  check(carlaProblems.length === 0, `carla's page problems:\n${carlaProblems.join('\n')}`);
});
