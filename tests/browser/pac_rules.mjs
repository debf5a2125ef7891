// pac_rules.mjs — the PAC-operator and case-worker views' pure rules (web/src/pac_alerts.ts and
// pac_format.ts, compiled into build/web/dist/), without a browser: the alert queue sorts by
// severity, then age, and a resolved alert leaves it for the resolved list; key b skips the
// live storage alert; a device's supervision state in words; battery and time text; alert
// details in Dutch; the admin's user form body; the audit search's path and the chain verdict;
// the own-password dialog's checks; the locked-login text.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = join(process.env.AWARE_WEB_BUILD, 'dist');
const { AlertQueue } = await import(pathToFileURL(join(dist, 'pac_alerts.js')).href);
const { nameList, userBody } = await import(pathToFileURL(join(dist, 'admin.js')).href);
const { auditPath, verdictText } = await import(pathToFileURL(join(dist, 'admin_audit.js')).href);
const { newPasswordProblem } = await import(pathToFileURL(join(dist, 'password.js')).href);
const { tooManyText } = await import(pathToFileURL(join(dist, 'api.js')).href);
const { alertDetailText, batteryText, healthText, timeText } = await import(pathToFileURL(join(dist, 'pac_format.js')).href);

const alert = (id, severity, openedMs, state = 'ALERT_STATE_OPEN') =>
  ({ id, kind: 'batterij_laag', severity: `ALERT_SEVERITY_${severity}`, state, openedMs });
const q = new AlertQueue();
q.reset([alert('1', 'INFO', '100'), alert('2', 'WARNING', '300'), alert('3', 'URGENT', '500'),
         alert('4', 'WARNING', '200', 'ALERT_STATE_ACKNOWLEDGED')]);
assert.deepEqual(q.sorted().map((a) => a.id), ['3', '4', '2', '1']);
q.put(alert('5', 'URGENT', '400'));
assert.deepEqual(q.sorted().map((a) => a.id), ['5', '3', '4', '2', '1']);
q.put({ ...alert('3', 'URGENT', '500', 'ALERT_STATE_RESOLVED'), resolvedBy: 'pac-jan' });
assert.deepEqual(q.sorted().map((a) => a.id), ['5', '4', '2', '1']);
assert.deepEqual(q.resolved.map((a) => [a.id, a.resolvedBy]), [['3', 'pac-jan']]);
// Key b takes the first open alert, but never awared's live storage alert (id 0, urgent, not
// stored: it cannot be acknowledged); with nothing else open it takes none.
assert.equal(q.firstToAcknowledge().id, '5');
q.put({ ...alert('0', 'URGENT', '50'), kind: 'opslag_storing' });
assert.equal(q.sorted()[0].id, '0');
assert.equal(q.firstToAcknowledge().id, '5');
q.reset([{ ...alert('0', 'URGENT', '50'), kind: 'opslag_storing' },
         alert('4', 'WARNING', '200', 'ALERT_STATE_ACKNOWLEDGED')]);
assert.equal(q.firstToAcknowledge(), undefined);
q.reset([]);  // a fresh snapshot replaces the queue
assert.deepEqual(q.sorted(), []);

const device = { device_id: 'XM-1', client_id: 'C-1', active: true, last_heard: '',
                 battery_pct: null, charging: false, heartbeat_interval_s: 900, stale: false,
                 open_alerts: [] };
assert.equal(healthText(device), 'in orde');
assert.equal(healthText({ ...device, stale: true }), 'niet op tijd gehoord');
assert.equal(healthText({ ...device, stale: true, open_alerts: ['verbinding_verloren', 'batterij_laag'] }),
             'niet op tijd gehoord, batterij laag');
assert.equal(healthText({ ...device, active: false, stale: true }), 'ingeleverd');
assert.equal(batteryText(device), '—');
assert.equal(batteryText({ ...device, battery_pct: 42, charging: true }), '42% (laadt op)');
assert.equal(timeText('0'), '—');
assert.match(timeText('1795664628138'), /^\d{2}-\d{2}-2026 \d{2}:\d{2}:\d{2}$/);
// awared's escalation details are shown in Dutch; other details as they came.
assert.equal(alertDetailText('M-000012 (midden-nederland): escalated: not delivered'),
             'M-000012 (midden-nederland): geëscaleerd: niet afgeleverd');
assert.equal(alertDetailText('M-000012 (midden-nederland): re-alert: not accepted'),
             'M-000012 (midden-nederland): opnieuw gealarmeerd: niet aangenomen');
assert.equal(alertDetailText('M-000003 (): re-alert: not accepted, fallback region'),
             'M-000003 (): opnieuw gealarmeerd: niet aangenomen, ook naar de uitwijkregio');
assert.equal(alertDetailText('escalated: not delivered'), 'geëscaleerd: niet afgeleverd');
assert.equal(alertDetailText('proefmelding van XM-1 ontvangen'), 'proefmelding van XM-1 ontvangen');
assert.equal(alertDetailText('M-000012 (x): something else'), 'M-000012 (x): something else');

// The admin's user form: only what the role uses is sent, the password only when typed.
assert.deepEqual(nameList(' a, b,,c '), ['a', 'b', 'c']);
assert.deepEqual(userBody('centralist', 'midden-nederland, landelijk', 'C-1', 'VT', ''),
                 { role: 'centralist', regions: ['midden-nederland', 'landelijk'] });
assert.deepEqual(userBody('hulpverlener', 'x', 'C-1,C-2', ' Veilig Thuis ', 'geheim-wachtwoord'),
                 { role: 'hulpverlener', clients: ['C-1', 'C-2'], organisation: 'Veilig Thuis',
                   password: 'geheim-wachtwoord' });
assert.deepEqual(userBody('admin', 'x', 'y', 'z', ''), { role: 'admin' });

console.log('PASS: PAC, case-worker and admin rules');

// The audit search: only the filled-in filters, trimmed and percent-encoded; `before` pages back.
assert.equal(auditPath({ actor: '', action: '', subject: '' }), '/audit?order=newest&limit=50');
assert.equal(auditPath({ actor: ' pac jan ', action: '', subject: 'client:C-001' }, 812, 10),
             '/audit?order=newest&limit=10&before=812&actor=pac%20jan&subject=client%3AC-001');
assert.equal(auditPath({ actor: '', action: 'a&b=c', subject: '' }),
             '/audit?order=newest&limit=50&action=a%26b%3Dc');
assert.match(verdictText({ ok: true, rows: 12, head_id: 12, head: 'ab'.repeat(32) }),
             /^Keten intact: 12 regels gecontroleerd, laatste regel 12 \(abababababababab…\)\.$/);
assert.equal(verdictText({ ok: false, rows: 7, first_bad_id: 3, problem: 'modified', detail: 'row 3' }),
             'Keten VERBROKEN bij regel 3 (modified): row 3');

// The own-password dialog: what it refuses before asking awared (12 bytes, as awared counts).
assert.equal(newPasswordProblem('', 'nieuw-wachtwoord', 'nieuw-wachtwoord'), 'Vul uw huidige wachtwoord in.');
assert.equal(newPasswordProblem('oud', 'kort', 'kort'), 'Het nieuwe wachtwoord heeft minstens 12 tekens.');
assert.equal(newPasswordProblem('oud', 'nieuw-wachtwoord', 'nieuw-wachtwoorD'), 'De twee nieuwe wachtwoorden verschillen.');
assert.equal(newPasswordProblem('nieuw-wachtwoord', 'nieuw-wachtwoord', 'nieuw-wachtwoord'),
             'Het nieuwe wachtwoord is gelijk aan het huidige.');
assert.equal(newPasswordProblem('oud', 'éééééé', 'éééééé'), '');  // 6 characters, 12 bytes
assert.equal(newPasswordProblem('oud', 'nieuw-wachtwoord', 'nieuw-wachtwoord'), '');

// A locked user name (429, how long in seconds or minutes) and the global pace (503), in Dutch.
assert.equal(tooManyText(429, { retry_after_s: 4 }), 'Te vaak een verkeerd wachtwoord: probeer het over 4 seconden opnieuw.');
assert.equal(tooManyText(429, { retry_after_s: 900 }), 'Te vaak een verkeerd wachtwoord: probeer het over 15 minuten opnieuw.');
assert.equal(tooManyText(429, null), 'Te vaak een verkeerd wachtwoord: probeer het over 1 seconde opnieuw.');
assert.equal(tooManyText(503, null), 'De server krijgt nu te veel inlogpogingen: probeer het zo opnieuw.');
