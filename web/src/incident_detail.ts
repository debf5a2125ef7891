// incident_detail.ts — the centralist's detail pane of one incident (#incident-detail): what
// the /ws/meldkamer feed carries about it, in Dutch — the AOP context (cliënt, signalement,
// pleger, photo references as registered: text or a link, never loaded), the AOL hits with their distance, the region, the flags, the device, its battery
// and audio channel, the position, who opened meeluisteren and the centralists' notes (author,
// time, text). Only what the feed gives (no other reads, so no extra
// audit rows). DOM only; the map is map.ts, the actions centralist.ts.
import { byId, element } from './dom.js';
import { AolHit, Incident, PRIORITY_TEXT, STATE_TEXT, trackOf } from './queue.js';

export const FLAG_TEXT: Record<string, string> = {
  INCIDENT_FLAG_UNKNOWN_DEVICE: 'onbekend apparaat',
  INCIDENT_FLAG_NO_POSITION: 'geen positie',
  INCIDENT_FLAG_INVALID_POSITION: 'ongeldige positie (weggelaten)',
  INCIDENT_FLAG_CONTRACT_EXPIRED: 'AOP verlopen',
  INCIDENT_FLAG_CONTRACT_NOT_YET: 'AOP nog niet ingegaan',
  INCIDENT_FLAG_NO_AOP: 'geen AOP',
  INCIDENT_FLAG_CANCEL_REQUESTED: 'cliënt heeft geannuleerd',
  INCIDENT_FLAG_DEVICE_RESTARTED: 'apparaat herstart',
  INCIDENT_FLAG_REPEATED_ACTIVATION: 'herhaalde activatie',
  INCIDENT_FLAG_ESCALATED: 'geëscaleerd',
  INCIDENT_FLAG_TEST_OUTSIDE_WINDOW: 'proefdruk buiten venster: als echt alarm behandeld',
  INCIDENT_FLAG_SEQUENCE_REGRESSED: 'volgnummer teruggelopen',
  INCIDENT_FLAG_CLOCK_SKEW: 'klok van het apparaat wijkt af',
};

const AUDIO_TEXT: Record<string, string> = {
  phone: 'telefoon',
  sip: 'SIP',
  stream: 'stream',
};

function time(ms: string | undefined): string {
  return ms ? new Date(Number(ms)).toLocaleTimeString('nl-NL') : '';
}

function metres(m: number | undefined): string {
  const v = Math.round(m ?? 0);
  return v >= 1000 ? `${(v / 1000).toFixed(1).replace('.', ',')} km` : `${v} m`;
}

// Fills a <dl> with the pairs whose value is not empty.
function fill(list: HTMLElement, pairs: [string, string][]): void {
  const items: HTMLElement[] = [];
  for (const [term, value] of pairs) {
    if (value !== '') {
      items.push(element('dt', term), element('dd', value));
    }
  }
  list.replaceChildren(...items);
}

// "Meeluisteren geopend door X om HH:MM:SS", or '' when nobody listens in.
export function listenInText(incident: Incident): string {
  return incident.listenInBy
    ? `Meeluisteren geopend door ${incident.listenInBy} om ${time(incident.listenInMs)}` : '';
}

// The notes list: each note with its author and time, oldest first.
function renderNotes(incident: Incident): void {
  const notes = incident.notes ?? [];
  byId('detail-notes').replaceChildren(...notes.map((note) => {
    const item = element('li', '', 'note');
    item.dataset.author = note.author ?? '';
    item.append(element('span', `${note.author ?? ''} om ${time(note.atMs)}`, 'note-meta'),
                element('span', note.text ?? '', 'note-text'));
    return item;
  }));
  if (notes.length === 0) {
    byId('detail-notes').replaceChildren(element('li', 'Nog geen notities.', 'note-none'));
  }
}

// One photo reference as registered. An http(s) address becomes a link the centralist may
// open in a new tab; the page itself never loads it (no <img>, no prefetch). Anything else
// (a reference into the police's own systems) stays text.
export function photoRefElement(ref: string): HTMLElement {
  let url: URL | null = null;
  try {
    url = new URL(ref);
  } catch {
    url = null;
  }
  if (url !== null && (url.protocol === 'https:' || url.protocol === 'http:')) {
    const link = element('a', ref, 'photo-ref');
    link.href = url.href;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    link.referrerPolicy = 'no-referrer';
    return link;
  }
  return element('span', ref, 'photo-ref');
}

// Appends "Foto's" with the AOP's photo references to the AOP list (nothing when none).
function appendPhotoRefs(list: HTMLElement, refs: string[]): void {
  if (refs.length === 0) {
    return;
  }
  const items = element('ul', '', 'photo-refs');
  items.append(...refs.map((ref) => {
    const item = element('li');
    item.append(photoRefElement(ref));
    return item;
  }));
  const value = element('dd');
  value.append(items);
  list.append(element('dt', "Foto's (verwijzingen)"), value);
}

export function aolText(hit: AolHit): string {
  const where = hit.inside ? 'in de zone' : `op ${metres(hit.distanceM)}`;
  return `${hit.label || hit.aolId || 'AOL'} — ${where}`;
}

// Shows `incident` in the pane (or hides the pane for null).
export function renderDetail(incident: Incident | null): void {
  const pane = byId('incident-detail');
  pane.hidden = incident === null;
  if (incident === null) {
    return;
  }
  pane.dataset.incident = incident.id;
  byId('detail-title').textContent =
    `${incident.id} — ${PRIORITY_TEXT[incident.priority] ?? incident.priority}`;
  const flags = (incident.flags ?? []).map((f) => FLAG_TEXT[f] ?? f);
  const flagList = byId('detail-flags');
  flagList.replaceChildren(...flags.map((f) => element('li', f, 'flag')));
  flagList.hidden = flags.length === 0;

  const track = trackOf(incident);
  const last = track[track.length - 1];
  const audio = incident.audio;
  fill(byId('detail-facts'), [
    ['Status', incident.acceptedBy ? `${STATE_TEXT[incident.state]} door ${incident.acceptedBy}`
                                   : STATE_TEXT[incident.state] ?? incident.state],
    ['Ontvangen', time(incident.receivedMs)],
    ['Regio', incident.region ?? ''],
    ['Apparaat', incident.deviceId ?? ''],
    ['Batterij', incident.batteryPct !== undefined ? `${incident.batteryPct}%` : ''],
    ['Activaties', incident.activationCount && incident.activationCount > 1
                   ? String(incident.activationCount) : ''],
    ['Audio', audio && audio.kind && audio.kind !== 'none'
              ? `${AUDIO_TEXT[audio.kind] ?? audio.kind} ${audio.address ?? ''}` +
                (audio.codec ? ` (${audio.codec})` : '') : 'geen audiokanaal'],
    ['Positie', last ? `${last.lat.toFixed(5)}, ${last.lon.toFixed(5)} ` +
                       `(±${metres(last.accuracyM)}, ${last.source ?? ''}, ${time(last.fixTimeMs)})`
                     : 'geen positie'],
    ['Spoor', track.length > 1 ? `${track.length} posities` : ''],
  ]);

  byId('detail-listen-status').textContent = listenInText(incident);
  renderNotes(incident);

  const aop = incident.aop;
  fill(byId('detail-aop'), aop ? [
    ['Cliënt', aop.clientName ?? ''],
    ['Signalement', aop.signalement ?? ''],
    ['Pleger', aop.pleger ?? ''],
    ['Hulpverlener', aop.caseWorker ?? ''],
    ['AOP geldig', aop.validFrom || aop.validUntil
                   ? `${aop.validFrom ?? ''} t/m ${aop.validUntil ?? ''}` : ''],
  ] : [['Cliënt', 'geen AOP bekend']]);
  appendPhotoRefs(byId('detail-aop'), aop?.photoRefs ?? []);

  const aols = byId('detail-aols');
  const hits = incident.aols ?? [];
  aols.replaceChildren(...hits.map((hit) => {
    const item = element('li', '', hit.inside ? 'aol aol-inside' : 'aol aol-near');
    item.append(element('strong', aolText(hit)));
    if (hit.address) {
      item.append(element('div', hit.address));
    }
    if (hit.instructions) {
      item.append(element('div', hit.instructions, 'instructions'));
    }
    return item;
  }));
  if (hits.length === 0) {
    aols.replaceChildren(element('li', 'Geen AOL in de buurt.'));
  }
}
