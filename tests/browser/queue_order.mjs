// queue_order.mjs — the centralist queue's pure rules (web/src/queue.ts, compiled into
// build/web/dist/queue.js), without a browser: priority first, then age (oldest first); age
// colours normaal < 30 s <= waarschuwing < 120 s <= gevaar; a closed incident leaves the queue.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const queue = await import(pathToFileURL(join(process.env.AWARE_WEB_BUILD, 'dist', 'queue.js')).href);
const { IncidentQueue, ageClass, ageText } = queue;

const q = new IncidentQueue();
q.reset([
  { id: 'M-3', priority: 'PRIORITY_TECHNISCH', state: 'INCIDENT_STATE_NEW', receivedMs: '100' },
  { id: 'M-2', priority: 'PRIORITY_SPOED', state: 'INCIDENT_STATE_DELIVERED', receivedMs: '300' },
  { id: 'M-1', priority: 'PRIORITY_SPOED', state: 'INCIDENT_STATE_ACCEPTED', receivedMs: '200' },
]);
assert.deepEqual(q.sorted().map((i) => i.id), ['M-1', 'M-2', 'M-3']);
assert.equal(q.put({ id: 'M-4', priority: 'PRIORITY_SPOED', state: 'INCIDENT_STATE_NEW',
                     receivedMs: '50' }), true);
assert.deepEqual(q.sorted().map((i) => i.id), ['M-4', 'M-1', 'M-2', 'M-3']);
assert.equal(q.put({ id: 'M-1', priority: 'PRIORITY_SPOED', state: 'INCIDENT_STATE_CLOSED',
                     receivedMs: '200' }), false);
assert.deepEqual(q.sorted().map((i) => i.id), ['M-4', 'M-2', 'M-3']);

assert.equal(ageClass(0), 'normaal');
assert.equal(ageClass(29_999), 'normaal');
assert.equal(ageClass(30_000), 'waarschuwing');
assert.equal(ageClass(119_999), 'waarschuwing');
assert.equal(ageClass(120_000), 'gevaar');
assert.equal(ageText(7_000), '0:07');
assert.equal(ageText(133_000), '2:13');
assert.equal(ageText(3_723_000), '1:02:03');
console.log('PASS: queue order and age classes');
