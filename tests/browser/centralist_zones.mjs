// centralist_zones.mjs — browser test (issue 7): the zones of an incident's AOL hits are drawn
// on the centralist's map — the circle of AOL-003 (demo: 100 m around Kanaalweg 20) that the
// press is in, solid (path.aol-zone-inside), and a polygon AOL registered over REST just north
// of it, dashed (path.aol-zone-near) with its four corners — and the AOP's photo references
// appear in the detail as registered: an https address as a link, another reference as text,
// and the page loads neither. Screenshot: centralist-zones.png. Label: console.
import { check, checkNoProblems, runTest, screenshotPath, startCentralists }
  from './browser_harness.mjs';
import { restAs } from './roles_harness.mjs';

const PHOTO_URL = 'https://foto.politie.example/aop-002/1.jpg';
const PHOTO_REF = 'BVH-FOTO-2026-0042';

// A square about 130 m north of the press, as a GeoJSON Polygon ([lon, lat], ring closed).
const SQUARE = [[5.0944, 52.0862], [5.0958, 52.0862], [5.0958, 52.0870], [5.0944, 52.0870]];

await runTest('the map draws the AOL zones and the detail lists the photo references',
  async (onCleanup) => {
    const { awared, pages: [page] } = await startCentralists(
      onCleanup, ['web-centralist'], (a) => a.addUser('pac-jan', 'pac_operator', []));
    const outside = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(awared.url)) {
        outside.push(request.url());
      }
    });

    // The PAC operator registers the photo references and a polygon AOL for C-002.
    const rest = await restAs(awared, 'pac-jan');
    const aop = await rest('GET', '/aops/AOP-002');
    check(aop.status === 200, `GET AOP-002: ${JSON.stringify(aop)}`);
    const put = await rest('PUT', '/aops/AOP-002',
                           { ...aop.body, photo_refs: [PHOTO_URL, PHOTO_REF] });
    check(put.status === 200, `PUT AOP-002: ${JSON.stringify(put)}`);
    const added = await rest('POST', '/aols', {
      id: 'AOL-950', client_id: 'C-002', label: 'werk', address: 'Kanaalweg 40, Utrecht (demo)',
      lat: 52.0866, lon: 5.0951, radius_m: 0,
      zone: { type: 'Polygon', coordinates: [[...SQUARE, SQUARE[0]]] },
    });
    check(added.status === 201 || added.status === 200, `POST AOL-950: ${JSON.stringify(added)}`);

    awared.activate('XM-DEMO-003', 52.0851, 5.0951);
    await page.waitForSelector('#incident-detail:not([hidden])');
    await page.waitForSelector('#incident-map path.aol-zone-inside[data-aol="AOL-003"]');
    await page.waitForSelector('#incident-map path.aol-zone-near[data-aol="AOL-950"]');
    const zones = await page.evaluate(() => {
      const map = document.getElementById('incident-map');
      const d = (selector) => map?.querySelector(selector)?.getAttribute('d') ?? '';
      return { count: Number(map?.dataset.aolZones ?? -1),
               paths: map?.querySelectorAll('path.aol-zone').length ?? 0,
               circle: d('path.aol-zone-inside[data-aol="AOL-003"]'),
               polygon: d('path.aol-zone-near[data-aol="AOL-950"]'),
               hits: document.querySelectorAll('#detail-aols li.aol').length };
    });
    check(zones.count === zones.paths && zones.paths === zones.hits,
          `zones drawn vs hits: ${JSON.stringify(zones)}`);
    // Leaflet draws a circle as two arcs, a polygon as M, then L per further corner, then z.
    check(/a[\d.]+,[\d.]+ 0 1,0/.test(zones.circle), `AOL-003 is no circle: ${zones.circle}`);
    check((zones.polygon.match(/[ML]/g) ?? []).length === 4 && /z$/i.test(zones.polygon),
          `AOL-950 is not the 4-corner polygon: ${zones.polygon}`);
    const detail = await page.locator('#detail-aols').innerText();
    check(/woning — in de zone/.test(detail) && /werk — op \d+ m/.test(detail),
          `AOL hits in the detail:\n${detail}`);

    // The photo references, as registered: the address a link (opened only on a click), the
    // other reference text.
    const link = page.locator('#detail-aop .photo-refs a.photo-ref');
    check(await link.count() === 1, 'no link for the photo address');
    check(await link.getAttribute('href') === PHOTO_URL, 'the link is not the registered address');
    check(await link.getAttribute('rel') === 'noopener noreferrer', 'the link may leak the opener');
    const text = page.locator('#detail-aop .photo-refs span.photo-ref');
    check(await text.count() === 1 && await text.innerText() === PHOTO_REF,
          'the other reference is not shown as text');
    check(await page.locator('#detail-aop img').count() === 0, 'a photo was put in an <img>');
    check(outside.length === 0, `the page loaded from elsewhere: ${outside.join(', ')}`);
    check(new URL(page.url()).hash === '#/meldkamer', `address: ${page.url()}`);
    await page.screenshot({ path: screenshotPath('centralist-zones.png') });
    checkNoProblems(page);
  });
