// queue.ts — the centralist's live queue: pure ordering and age classes (no DOM), so they can
// be tested on their own, and the incident shape the view needs from protobuf's JSON mapping.

export interface Position {
  lat: number;
  lon: number;
  accuracyM?: number;
  fixTimeMs?: string;
  source?: string;
  receivedMs?: string;
}

export interface AopContext {
  aopId?: string;
  clientName?: string;
  signalement?: string;
  pleger?: string;
  caseWorker?: string;
  validFrom?: string;
  validUntil?: string;
  photoRefs?: string[];      // references to photos held elsewhere, shown as text, never fetched
}

// An AOL zone's shape (AolZone): a circle around (lat, lon), or a polygon (outer, holes).
export interface ZoneRing {
  points?: { lat?: number; lon?: number }[];
}

export interface AolZone {
  lat?: number;
  lon?: number;
  radiusM?: number;          // 0 for a polygon zone
  outer?: ZoneRing;
  holes?: ZoneRing[];
}

export interface AolHit {
  aolId?: string;
  label?: string;
  address?: string;
  instructions?: string;
  distanceM?: number;
  inside?: boolean;
  zone?: AolZone;            // absent when the AOL is no longer registered
}

export interface Audio {
  kind?: string;             // phone, sip, stream, none
  address?: string;
  codec?: string;
}

// One incident as /ws/meldkamer carries it (proto/meldkamer.proto, JSON mapping: absent fields
// are their defaults).
// A centralist's note on an incident (IncidentNote).
export interface IncidentNote {
  author?: string;
  atMs?: string;             // int64 as a string
  text?: string;
}

export interface Incident {
  id: string;
  priority: string;          // PRIORITY_SPOED, …
  state: string;             // INCIDENT_STATE_NEW, …
  receivedMs: string;        // int64 as a string (protobuf JSON)
  deviceId?: string;
  clientId?: string;
  region?: string;
  acceptedBy?: string;
  flags?: string[];
  aop?: AopContext;
  aols?: AolHit[];
  position?: Position;
  track?: Position[];
  audio?: Audio;
  batteryPct?: number;
  activationCount?: number;
  outcome?: string;
  notes?: IncidentNote[];
  listenInBy?: string;       // who last opened meeluisteren
  listenInMs?: string;       // when (int64 as a string)
}

// The incident's positions for the map: the one at activation, then the track (oldest first).
export function trackOf(incident: Incident): Position[] {
  const points = incident.position ? [incident.position] : [];
  return points.concat(incident.track ?? []);
}

const PRIORITY_RANK: Record<string, number> = {
  PRIORITY_SPOED: 0,
  PRIORITY_TECHNISCH: 1,
  PRIORITY_TEST: 2,
};

// Priority first (SPOED on top), then age (oldest first), then id for a stable order.
export function compareIncidents(a: Incident, b: Incident): number {
  const pa = PRIORITY_RANK[a.priority] ?? 9;
  const pb = PRIORITY_RANK[b.priority] ?? 9;
  if (pa !== pb) {
    return pa - pb;
  }
  const ra = Number(a.receivedMs);
  const rb = Number(b.receivedMs);
  if (ra !== rb) {
    return ra - rb;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// Age colours: normaal under 30 s, waarschuwing under 2 min, gevaar after that.
export type AgeClass = 'normaal' | 'waarschuwing' | 'gevaar';
export const WARNING_AFTER_MS = 30_000;
export const DANGER_AFTER_MS = 120_000;

export function ageClass(ageMs: number): AgeClass {
  if (ageMs >= DANGER_AFTER_MS) {
    return 'gevaar';
  }
  return ageMs >= WARNING_AFTER_MS ? 'waarschuwing' : 'normaal';
}

// "0:07", "2:13", "1:02:03".
export function ageText(ageMs: number): string {
  const s = Math.max(0, Math.floor(ageMs / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export const STATE_TEXT: Record<string, string> = {
  INCIDENT_STATE_NEW: 'nieuw',
  INCIDENT_STATE_DELIVERED: 'nieuw',
  INCIDENT_STATE_ACCEPTED: 'aangenomen',
  INCIDENT_STATE_CLOSED: 'afgesloten',
};

export const PRIORITY_TEXT: Record<string, string> = {
  PRIORITY_SPOED: 'spoed',
  PRIORITY_TECHNISCH: 'technisch',
  PRIORITY_TEST: 'proefmelding',
};

// The open incidents of a console, kept from the snapshot and its updates.
export class IncidentQueue {
  private readonly byId = new Map<string, Incident>();

  reset(incidents: Incident[]): void {
    this.byId.clear();
    for (const incident of incidents) {
      this.put(incident);
    }
  }

  // A new or changed incident; a closed one leaves the queue. True when it was new.
  put(incident: Incident): boolean {
    const known = this.byId.has(incident.id);
    if (incident.state === 'INCIDENT_STATE_CLOSED') {
      this.byId.delete(incident.id);
      return false;
    }
    this.byId.set(incident.id, incident);
    return !known;
  }

  sorted(): Incident[] {
    return [...this.byId.values()].sort(compareIncidents);
  }
}
