// centralist_regions.mjs — browser test (issue 7): without a tile server the map draws the
// meldkamer regions (GET /api/v1/region-outlines, the demo's three) as outlines on the plain
// background, the incident's region (midden-nederland for a press in Utrecht) highlighted; the
// position and track layers are drawn over them. Label: console.
import { check, checkNoProblems, runTest, startCentralists } from './browser_harness.mjs';

await runTest('the map outlines the regions and highlights the incident\'s', async (onCleanup) => {
  const { awared, pages: [page] } = await startCentralists(onCleanup, ['web-centralist']);

  awared.activate('XM-DEMO-003', 52.0851, 5.0951);
  await page.waitForSelector('#incident-detail:not([hidden])');
  await page.waitForSelector('#incident-map path.region-current[data-region="midden-nederland"]');
  const outlines = await page.locator('#incident-map path.region-outline').count();
  check(outlines === 3, `region outlines drawn: ${outlines}`);
  const current = await page.locator('#incident-map path.region-current').count();
  check(current === 1, `highlighted regions: ${current}`);
  check(await page.locator('#incident-map path.position').count() === 1, 'no position marker');
  check(await page.locator('#incident-map.map-plain').count() === 1, 'not on a plain background');
  checkNoProblems(page);
});
