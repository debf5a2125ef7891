// password_change.mjs — browser test: a centralist changes her own password from the header.
// The dialog refuses two different new passwords without asking awared; a wrong current
// password is awared's 403, shown in Dutch; the right one changes it: her page goes back to the
// login form saying so, the new password signs her in and the old one no longer does. The
// meldkamer's keys do nothing while the dialog is open ('a' accepts only once it is closed).
// Label: console.
import { Awared, launchBrowser, loginAs, runTest, screenshotPath, TEST_PASSWORD,
         TEST_REGIONS } from './browser_harness.mjs';
import { check, rolePage, unexpectedProblems } from './roles_harness.mjs';

const NEW_PASSWORD = 'carla-nieuw-wachtwoord';

async function restLogin(awared, password) {
  const reply = await fetch(`${awared.url}api/v1/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: 'carla', password }),
  });
  return reply.status;
}

await runTest('a centralist changes her own password in the web console', async (onCleanup) => {
  const awared = new Awared();
  onCleanup(() => awared.stop());
  awared.addUser('carla', 'centralist', ['--regions', TEST_REGIONS]);
  await awared.start();
  const browser = await launchBrowser();
  onCleanup(() => browser.close());
  const page = await rolePage(browser);
  // Every message the page sends on a WebSocket, noted in the page as send() is called, so a
  // check right after a key press sees what its handler sent (no waiting for the network).
  await page.addInitScript(() => {
    window.sentMessages = [];
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
      window.sentMessages.push(String(data));
      return send.call(this, data);
    };
  });
  const accepts = () => page.evaluate(() => window.sentMessages.filter((m) => m.includes('"accept"')).length);
  const sent = [];  // the password requests the page made
  page.on('request', (r) => { if (r.url().includes('/api/v1/password')) sent.push(r.url()); });
  await loginAs(page, awared.url, 'carla');
  await page.waitForFunction(() => document.getElementById('connection-status')?.textContent === 'Verbonden');
  awared.activate('XM-DEMO-003', 52.0851, 5.0951);
  await page.waitForSelector('#queue-body tr button.accept');

  await page.click('#password-open');
  await page.waitForSelector('#password-dialog[open]');
  // Two different new passwords: refused in the page, nothing sent.
  await page.fill('#password-current', TEST_PASSWORD);
  await page.fill('#password-new', NEW_PASSWORD);
  await page.fill('#password-repeat', `${NEW_PASSWORD}x`);
  await page.click('#password-submit');
  await page.waitForFunction(() => document.getElementById('password-error').textContent ===
                                   'De twee nieuwe wachtwoorden verschillen.');
  check(sent.length === 0, 'sent despite the mismatch');
  // A wrong current password: awared refuses (403), the dialog says so.
  await page.fill('#password-current', 'niet-haar-wachtwoord');
  await page.fill('#password-repeat', NEW_PASSWORD);
  await page.click('#password-submit');
  await page.waitForFunction(() => document.getElementById('password-error').textContent ===
                                   'Het huidige wachtwoord klopt niet.');
  // The meldkamer's keys are off while the dialog is open: 'a' pressed on its buttons does not
  // accept the alarm behind it (a request would be a POST that the page makes at once).
  await page.focus('#password-cancel');
  await page.keyboard.press('a');  // its handler has run when press() returns
  check(await accepts() === 0, "'a' in the dialog sent an accept");
  check(await page.isVisible('#password-dialog'), 'the dialog closed');
  await page.keyboard.press('Escape');  // closes the dialog (and forgets what was typed)
  await page.waitForSelector('#password-dialog', { state: 'hidden' });
  check(await page.inputValue('#password-current') === '', 'a password stayed in the closed dialog');
  await page.keyboard.press('a');  // now it accepts
  check(await accepts() === 1, "'a' outside the dialog sent no accept");
  await page.waitForSelector('#queue-body tr button.accept', { state: 'detached' });
  // Annuleren forgets what was typed as well.
  await page.click('#password-open');
  await page.waitForSelector('#password-dialog[open]');
  await page.fill('#password-current', TEST_PASSWORD);
  await page.click('#password-cancel');
  await page.waitForSelector('#password-dialog', { state: 'hidden' });
  check(await page.inputValue('#password-current') === '', 'a password stayed after Annuleren');
  await page.click('#password-open');
  await page.waitForSelector('#password-dialog[open]');
  await page.fill('#password-new', NEW_PASSWORD);
  await page.fill('#password-repeat', NEW_PASSWORD);
  await page.screenshot({ path: screenshotPath('password-change.png') });

  // The right one: back to the login form with the message; her old password no longer works.
  await page.fill('#password-current', TEST_PASSWORD);
  await page.click('#password-submit');
  await page.waitForSelector('#view-login:not([hidden])');
  await page.waitForFunction(() => document.getElementById('login-error').textContent
    .startsWith('Uw wachtwoord is gewijzigd'));
  check(await page.isHidden('#password-open'), 'the password button stays at the login form');
  check(!(await page.isVisible('#password-dialog')), 'the dialog stays open');
  check(await restLogin(awared, TEST_PASSWORD) === 401, 'the old password still works');
  await page.fill('#login-user', 'carla');
  await page.fill('#login-password', NEW_PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#view-meldkamer:not([hidden])');

  // Expected: the 403 of the wrong password; her console closed by awared at the change.
  const problems = unexpectedProblems(page, [{ status: 403, method: 'POST', path: /^\/api\/v1\/password$/ }])
    .filter((p) => !p.includes('WebSocket'));
  check(problems.length === 0, `page problems:\n${problems.join('\n')}`);
});
