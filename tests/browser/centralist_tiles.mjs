// centralist_tiles.mjs — browser test (issue 7): with [meldkamer] tile_url set, the map loads
// its tiles from that server (here a small local one answering every tile with a generated
// SVG) — allowed by the page's CSP img-src, which names that origin and nothing else — and the
// vector layers are drawn over them. The page reads the URL from GET /api/v1/console-config.
// Label: console.
import { createServer } from 'node:http';
import { check, checkNoProblems, runTest, startCentralists } from './browser_harness.mjs';

function tileSvg(z, x, y) {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256">` +
    `<rect width="256" height="256" fill="#e4ecd9" stroke="#b9c4ab"/>` +
    `<text x="8" y="20" font-size="12" fill="#556">${z}/${x}/${y}</text></svg>`;
}

await runTest('the map shows the tiles of the configured tile server', async (onCleanup) => {
  const requested = [];
  const tiles = createServer((request, response) => {
    const m = /^\/tiles\/(\d+)\/(\d+)\/(\d+)\.svg$/.exec(request.url ?? '');
    if (!m) {
      response.writeHead(404).end();
      return;
    }
    requested.push(request.url);
    response.writeHead(200, { 'Content-Type': 'image/svg+xml' }).end(tileSvg(m[1], m[2], m[3]));
  });
  await new Promise((resolve) => tiles.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise((resolve) => tiles.close(resolve)));
  const tileUrl = `http://127.0.0.1:${tiles.address().port}/tiles/{z}/{x}/{y}.svg`;

  const { awared, pages: [page] } = await startCentralists(onCleanup, ['web-centralist'],
    (a) => a.setMeldkamer('tile_url', JSON.stringify(tileUrl)));
  const csp = (await fetch(awared.url)).headers.get('content-security-policy');
  check(csp.includes(`img-src 'self' data: http://127.0.0.1:${tiles.address().port};`), `CSP: ${csp}`);

  awared.activate('XM-DEMO-001', 52.0912, 5.1220);
  await page.waitForSelector('#queue-body tr');
  await page.waitForFunction(() => [...document.querySelectorAll('#incident-map img.leaflet-tile')]
    .some((img) => img.complete && img.naturalWidth === 256));
  check(requested.length > 0, 'the tile server got no request');
  check(await page.locator('#incident-map path.position').count() === 1, 'no position marker');
  check(await page.locator('#incident-map.map-plain').count() === 0, 'plain background with tiles');
  checkNoProblems(page);
});
