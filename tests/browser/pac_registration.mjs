// pac_registration.mjs — browser test (issue 7): a PAC operator registers a client, a device and
// an AOL on the registrations tab (key 4), the AOL's point picked by clicking the Leaflet map
// (plain background: no tile server). The REST API then returns the AOL with exactly the
// coordinates the click put in the form, north-east of the map's start centre as clicked. A
// bad AOL (radius 0) shows awared's error naming the field and changes nothing. The map outlines
// the meldkamer regions from GET /api/v1/region-outlines (the demo's three). The address keeps
// the tab (#/pac/registraties) over a reload. Label: console.
import { runTest, screenshotPath } from './browser_harness.mjs';
import { check, pacOperator, unexpectedProblems, waitForRow } from './roles_harness.mjs';

const START = { lat: 52.0907, lon: 5.1214, zoom: 13 };  // pac_map.ts MAP_START
// Web Mercator near START: degrees of longitude / latitude per screen pixel at that zoom.
const LON_PER_PX = 360 / (256 * 2 ** START.zoom);
const LAT_PER_PX = LON_PER_PX * Math.cos(START.lat * Math.PI / 180);

async function submit(page, kind, expected) {
  await page.click(`#form-${kind} button.submit`);
  await page.waitForFunction(([k, text]) =>
    document.getElementById(`form-${k}-message`)?.textContent?.includes(text), [kind, expected]);
  return page.textContent(`#form-${kind}-message`);
}

// Clicks the map (dx, dy) pixels from its centre; returns the lat/lon the form then holds.
async function clickMap(page, dx, dy) {
  await page.locator('#pac-map').evaluate((map) => map.scrollIntoView({ block: 'center' }));
  const box = await page.locator('#pac-map').boundingBox();
  await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
  await page.waitForFunction(() => document.getElementById('aols-lat').value !== '');
  return { lat: Number(await page.inputValue('#aols-lat')),
           lon: Number(await page.inputValue('#aols-lon')) };
}

await runTest('PAC operator registers a client, device and AOL picked on the map', async (onCleanup) => {
  const { rest, page } = await pacOperator(onCleanup);
  await page.keyboard.press('4');
  await waitForRow(page, 'list-clients', ['C-001']);
  await waitForRow(page, 'list-aols', ['AOL-001']);
  await page.waitForSelector('#pac-map path.region-outline[data-region="midden-nederland"]',
                             { state: 'attached' });
  const outlined = await page.locator('#pac-map path.region-outline').evaluateAll(
    (paths) => paths.map((p) => p.getAttribute('data-region')).sort());
  check(outlined.join(',') === 'amsterdam,midden-nederland,rotterdam',
        `region outlines on the PAC map: ${outlined}`);

  await page.fill('#clients-id', 'C-900');
  await page.fill('#clients-name', 'Testcliënt Registratie');
  await page.selectOption('#clients-home_region', 'midden-nederland');
  await submit(page, 'clients', 'C-900 is toegevoegd.');
  await waitForRow(page, 'list-clients', ['C-900', 'Testcliënt Registratie']);

  await page.waitForSelector('#devices-client_id option[value="C-900"]', { state: 'attached' });
  await page.fill('#devices-id', 'XM-TEST-900');
  await page.selectOption('#devices-client_id', 'C-900');
  await submit(page, 'devices', 'XM-TEST-900 is toegevoegd.');
  await waitForRow(page, 'list-devices', ['XM-TEST-900', 'C-900']);

  // The AOL: its point is a click 120 px right of and 80 px above the map's centre.
  await page.fill('#aols-id', 'AOL-900');
  await page.selectOption('#aols-client_id', 'C-900');
  await page.fill('#aols-label', 'woning');
  await page.fill('#aols-radius_m', '120');
  const picked = await clickMap(page, 120, -80);
  // Where the click is: 120 px east and 80 px north of the start centre (2 px tolerance).
  check(Math.abs(picked.lon - (START.lon + 120 * LON_PER_PX)) < 2 * LON_PER_PX, `picked lon ${picked.lon}`);
  check(Math.abs(picked.lat - (START.lat + 80 * LAT_PER_PX)) < 2 * LAT_PER_PX, `picked lat ${picked.lat}`);
  await submit(page, 'aols', 'AOL-900 is toegevoegd.');
  await waitForRow(page, 'list-aols', ['AOL-900', 'C-900', String(picked.lat)]);
  const aol = await rest('GET', '/aols/AOL-900');
  check(aol.status === 200 && aol.body.lat === picked.lat && aol.body.lon === picked.lon &&
        aol.body.radius_m === 120 && aol.body.client_id === 'C-900',
        `stored AOL: ${JSON.stringify(aol)}; picked ${JSON.stringify(picked)}`);

  // A bad AOL: awared's 400 names the field; nothing is stored.
  const before = (await rest('GET', '/aols')).body.aols.length;
  await page.fill('#aols-id', 'AOL-901');
  await page.selectOption('#aols-client_id', 'C-900');
  await page.fill('#aols-radius_m', '0');
  await clickMap(page, -60, 40);
  const message = await submit(page, 'aols', 'Niet toegevoegd');
  check(message.includes('HTTP 400') && message.includes('radius_m'), `error shown: ${message}`);
  check((await rest('GET', '/aols/AOL-901')).status === 404, 'the bad AOL was stored');
  check((await rest('GET', '/aols')).body.aols.length === before, 'the AOL count changed');
  await page.locator('#form-aols').evaluate((form) => form.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: screenshotPath('pac-registration-map.png') });

  const device = await rest('GET', '/devices/XM-TEST-900');
  check(device.status === 200 && device.body.client_id === 'C-900', `device: ${JSON.stringify(device)}`);
  // Expected failures only: the bad AOL's 400.
  const problems = unexpectedProblems(page, [
    { status: 400, method: 'POST', path: /^\/api\/v1\/aols$/ }]);
  check(problems.length === 0, `page problems:\n${problems.join('\n')}`);

  // The address keeps the tab (#/pac/registraties): a reload shows it again, signed in.
  check(new URL(page.url()).hash === '#/pac/registraties', `address: ${page.url()}`);
  await page.reload();
  await page.waitForSelector('#pac-panel-registraties:not([hidden])');
  check(await page.locator('#pac-tab-registraties').getAttribute('aria-selected') === 'true',
        'the registrations tab is not selected after the reload');
  check(await page.locator('#pac-panel-meldingen').isHidden(), 'the alerts tab shows as well');
  await page.keyboard.press('5');  // another tab: the address follows
  await page.waitForFunction(() => location.hash === '#/pac/contracten');
});
