// pac_alerts.ts — the PAC operator's technical alert queue: the alerts of /ws/pac (PacFeed
// snapshot and updates) sorted by severity, then age (oldest first), with Bevestigen
// (acknowledge) and Afhandelen (resolve) sent as PacRequest on the feed; awared records the
// signed-in user and the update shows who. awared's live storage alert (id 0) offers neither:
// it clears itself. Resolved alerts leave the queue and are listed
// below it (this session only). AlertQueue is pure; AlertPanel builds the DOM.
import { Session } from './api.js';
import { element } from './dom.js';
import { alertDetailText, button, Cell, fillRows, makeTable, timeText } from './pac_format.js';

// One Alert of proto/feeds.proto in the JSON mapping.
export interface Alert {
  id: string;
  kind: string;
  severity: string;
  state: string;
  deviceId?: string;
  clientId?: string;
  incidentId?: string;
  detail?: string;
  openedMs: string;
  acknowledgedMs?: string;
  acknowledgedBy?: string;
  resolvedMs?: string;
  resolvedBy?: string;
}

const SEVERITY_RANK: Record<string, number> = {
  ALERT_SEVERITY_URGENT: 0,
  ALERT_SEVERITY_WARNING: 1,
  ALERT_SEVERITY_INFO: 2,
};
export const SEVERITY_TEXT: Record<string, string> = {
  ALERT_SEVERITY_URGENT: 'urgent',
  ALERT_SEVERITY_WARNING: 'waarschuwing',
  ALERT_SEVERITY_INFO: 'info',
};
const KIND_TEXT: Record<string, string> = {
  niet_afgeleverd: 'Niet afgeleverd bij de meldkamer',
  niet_aangenomen: 'Niet aangenomen door de meldkamer',
  proefmelding: 'Proefmelding',
  verbinding_verloren: 'Verbinding verloren',
  batterij_laag: 'Batterij laag',
  batterij_kritiek: 'Batterij bijna leeg',
  communicatie_storing: 'Communicatiestoring zender',
  contract_einde: 'Contract loopt af',
  opslag_storing: 'Opslagstoring awared (schijf vol of I/O-fout)',
};

// awared's live opslag_storing alert (id 0) exists only while its store takes no writes: it is
// not stored, so it can be neither acknowledged nor resolved. It clears itself once writes
// succeed again, and a stored opslag_storing alert, which can, takes its place.
export function isLiveAlert(alert: Alert): boolean {
  return alert.id === '0';
}

// The unresolved alerts, by id, and the ones resolved while this page was open.
export class AlertQueue {
  private readonly open = new Map<string, Alert>();
  readonly resolved: Alert[] = [];

  reset(alerts: Alert[]): void {
    this.open.clear();
    alerts.forEach((a) => this.put(a));
  }

  put(alert: Alert): void {
    if (alert.state === 'ALERT_STATE_RESOLVED') {
      this.open.delete(alert.id);
      this.resolved.unshift(alert);
      this.resolved.splice(20);
    } else {
      this.open.set(alert.id, alert);
    }
  }

  // Severity first (urgent, warning, info), then age (oldest first), then id.
  sorted(): Alert[] {
    return [...this.open.values()].sort((a, b) =>
      (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) ||
      Number(a.openedMs) - Number(b.openedMs) || Number(a.id) - Number(b.id));
  }

  // What key b acknowledges: the first open alert in queue order that can be acknowledged.
  firstToAcknowledge(): Alert | undefined {
    return this.sorted().find((a) => a.state === 'ALERT_STATE_OPEN' && !isLiveAlert(a));
  }
}

// "3 min", "45 s", "2 u 5 min": how long an alert has been waiting.
function ageText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) {
    return `${s} s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min`;
  }
  return `${Math.floor(s / 3600)} u ${Math.floor((s % 3600) / 60)} min`;
}

export class AlertPanel {
  readonly root = element('section');
  private readonly queue = new AlertQueue();
  private readonly body: HTMLTableSectionElement;
  private readonly doneBody: HTMLTableSectionElement;
  private readonly empty = element('p', 'Geen openstaande technische meldingen.', 'empty');
  private readonly error = element('p', '', 'error');
  private clockOffsetMs = 0;

  // `send` puts one PacRequest on the feed; false when not connected.
  constructor(private readonly session: Session, private readonly send: (r: unknown) => boolean) {
    const open = makeTable('pac-alerts', ['Ernst', 'Wachttijd', 'Soort', 'Apparaat', 'Cliënt',
                                          'Melding', 'Omschrijving', 'Status', 'Acties']);
    const done = makeTable('pac-alerts-done', ['Soort', 'Apparaat', 'Afgehandeld', 'Door']);
    this.body = open.body;
    this.doneBody = done.body;
    this.empty.id = 'pac-alerts-empty';
    this.error.id = 'pac-alerts-error';
    this.error.setAttribute('role', 'alert');
    this.root.append(element('h2', 'Technische meldingen'),
                     element('p', 'Toets b bevestigt de bovenste open melding die bevestigd kan worden.', 'hint'),
                     open.table, this.empty, this.error,
                     element('h3', 'Afgehandeld (deze sessie)'), done.table);
  }

  // Takes one PacFeed message; true when an alert changed (not for the snapshot or an error).
  apply(message: Record<string, unknown>): boolean {
    let changed = false;
    if (message.snapshot !== undefined) {
      const snapshot = message.snapshot as { alerts?: Alert[]; serverTimeMs?: string };
      this.clockOffsetMs = snapshot.serverTimeMs ? Number(snapshot.serverTimeMs) - Date.now() : 0;
      this.queue.reset(snapshot.alerts ?? []);
    } else if (message.update !== undefined) {
      this.queue.put((message.update as { alert: Alert }).alert);
      changed = true;
    } else if (message.error !== undefined) {
      const e = message.error as { request?: string; text?: string };
      this.error.textContent = `Geweigerd (${e.request ?? ''}): ${e.text ?? ''}`;
    }
    this.render();
    return changed;
  }

  acknowledgeFirst(): void {
    const first = this.queue.firstToAcknowledge();
    if (first !== undefined) {
      this.request('acknowledge', first.id);
    }
  }

  // Updates only the waiting times (every second), so a focused button keeps its focus.
  tick(): void {
    const now = Date.now() + this.clockOffsetMs;
    const byId = new Map(this.queue.sorted().map((a) => [a.id, a]));
    for (const row of Array.from(this.body.rows)) {
      const alert = byId.get(row.dataset.key ?? '');
      if (alert !== undefined) {
        row.cells[1].textContent = ageText(now - Number(alert.openedMs));
      }
    }
  }

  render(): void {
    const now = Date.now() + this.clockOffsetMs;
    const rows = this.queue.sorted().map((a) => {
      const actions = element('span', '', 'actions');
      if (isLiveAlert(a)) {
        actions.textContent = 'verdwijnt vanzelf zodra awared weer kan opslaan';
      } else {
        if (a.state === 'ALERT_STATE_OPEN') {
          actions.append(button('Bevestigen', 'acknowledge', () => this.request('acknowledge', a.id)));
        }
        actions.append(button('Afhandelen', 'resolve', () => this.request('resolve', a.id)));
      }
      const state = a.state === 'ALERT_STATE_ACKNOWLEDGED'
        ? `bevestigd door ${a.acknowledgedBy} (${timeText(a.acknowledgedMs)})` : 'open';
      const severity = SEVERITY_TEXT[a.severity] ?? a.severity;
      return {
        key: a.id,
        className: `severity-${severity} state-${a.state === 'ALERT_STATE_OPEN' ? 'open' : 'bevestigd'}`,
        cells: [severity, ageText(now - Number(a.openedMs)), KIND_TEXT[a.kind] ?? a.kind,
                a.deviceId || '—', a.clientId || '—', a.incidentId || '—',
                alertDetailText(a.detail ?? ''), state, actions] as Cell[],
      };
    });
    fillRows(this.body, rows);
    this.empty.hidden = rows.length > 0;
    fillRows(this.doneBody, this.queue.resolved.map((a) => ({
      key: a.id,
      cells: [KIND_TEXT[a.kind] ?? a.kind, a.deviceId || '—', timeText(a.resolvedMs),
              a.resolvedBy ?? ''],
    })));
  }

  private request(kind: 'acknowledge' | 'resolve', alertId: string): void {
    this.error.textContent = '';
    if (!this.send({ [kind]: { alertId, operatorName: this.session.user } })) {
      this.error.textContent = 'Niet verbonden; probeer het zo opnieuw.';
    }
  }
}
