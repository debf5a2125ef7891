// centralist_track.mjs — browser test (issue 7): a real alarm played by xmark-sim's scenario
// player (XM-DEMO-001 presses, then walks on sending track positions) appears in the
// centralist's queue and detail pane — AOP context, AOL hit with its distance, region, audio —
// and on the map the track (Leaflet's SVG polyline) gains a point and the position marker moves
// with each position awared pushes. No tile server: the vector layers on a plain background.
// Screenshot: centralist-detail-map.png. Label: console.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, checkNoProblems, runTest, screenshotPath, startCentralists, WAIT_MS }
  from './browser_harness.mjs';

const TRACK_POINTS = 4;

// The polyline's vertex count as Leaflet drew it ("M x y L x y …"), and the marker's state.
async function mapState(page) {
  return page.evaluate(() => {
    const map = document.getElementById('incident-map');
    const d = [...(map?.querySelectorAll('path.track') ?? [])].map((p) => p.getAttribute('d')).join(' / ');
    return { d, points: (d.match(/[ML]/g) ?? []).length, data: Number(map?.dataset.trackPoints ?? 0),
             lat: map?.dataset.lat, lon: map?.dataset.lon,
             marker: map?.querySelectorAll('path.position').length ?? 0,
             accuracy: map?.querySelectorAll('path.accuracy').length ?? 0,
             tiles: map?.querySelectorAll('img.leaflet-tile').length ?? 0 };
  });
}

await runTest('the centralist sees the live track of an alarm on the map', async (onCleanup) => {
  const { awared, pages: [page] } = await startCentralists(onCleanup, ['web-centralist']);

  // One device of the demo registrations: presses at 1 s, then a position every second.
  const scenario = join(awared.dir, 'track.toml');
  writeFileSync(scenario, [
    'seed = 7', `start_ms = ${Date.now()}`, 'duration_s = 30',
    '[[group]]', 'name = "echt alarm"', 'count = 1', 'id_prefix = "XM-DEMO-"', 'first = 1',
    'heartbeat_interval_s = 300', 'battery_start_pct = 70',
    '[group.area]', 'lat = 52.0907', 'lon = 5.1214', 'radius_m = 50',
    '[group.alarm]', 'at_s = [1]', `track_points = ${TRACK_POINTS}`, 'track_interval_s = 1',
    'speed_m_s = 20', ''].join('\n'));
  const sim = awared.startSim(['scenario', scenario]);
  onCleanup(() => sim.stop());

  await sim.waitForLine(/"event":"ack"/, WAIT_MS);
  await page.waitForSelector('#queue-body tr.prio-spoed');
  // The top row is selected by itself; its detail shows what the feed carries.
  await page.waitForSelector('#incident-detail:not([hidden])');
  const detail = await page.locator('#incident-detail').innerText();
  for (const want of ['Anna de Vries (demo)', 'Vrouw, 34 jaar', 'Ex-partner', 'J. Bakker',
                      'woning', 'Oudegracht 1', 'XM-DEMO-001', 'telefoon +316',
                      'midden-nederland']) {
    check(detail.includes(want), `detail lacks "${want}":\n${detail}`);
  }
  check(/woning — (in de zone|op \d+ m)/.test(detail), `no AOL distance:\n${detail}`);

  // Each track position arrives as an update: the line grows and the marker moves.
  let before = await mapState(page);
  check(before.marker === 1 && before.accuracy === 1, `no marker/accuracy: ${JSON.stringify(before)}`);
  check(before.tiles === 0, 'tiles without a tile server');
  const seen = new Set([`${before.lat},${before.lon}`]);
  while (before.data < 1 + TRACK_POINTS) {
    await page.waitForFunction((n) => Number(document.getElementById('incident-map')
      ?.dataset.trackPoints ?? 0) > n, before.data);
    const after = await mapState(page);
    check(after.points === after.data, `Leaflet drew ${after.points} points, feed has ${after.data}: ${after.d}`);
    check(after.points > before.points, `the track did not grow: ${JSON.stringify(after)}`);
    check(`${after.lat},${after.lon}` !== `${before.lat},${before.lon}`,
          `the marker did not move: ${JSON.stringify(after)}`);
    seen.add(`${after.lat},${after.lon}`);
    before = after;
  }
  const facts = await page.locator('#detail-facts').innerText();
  check(facts.includes(`${1 + TRACK_POINTS} posities`), `track count missing:\n${facts}`);
  await page.screenshot({ path: screenshotPath('centralist-detail-map.png') });
  checkNoProblems(page);
});
