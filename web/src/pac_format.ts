// pac_format.ts — small presentation helpers shared by the PAC-operator view (pac*.ts) and the
// case-worker view (caseworker.ts): Dutch date/time text, the feed status line, and a table
// filled from rows of cells. Pure DOM building; no requests.
import { Session, sessionAlive } from './api.js';
import { element } from './dom.js';
import { FeedStatus } from './feed.js';

export const FEED_STATUS_TEXT: Record<FeedStatus, string> = {
  verbinden: 'Verbinden…',
  verbonden: 'Verbonden',
  verbroken: 'Verbinding verbroken — opnieuw verbinden…',
  geweigerd: 'Verbinding geweigerd',
};

// awared's escalation details (dispatch::event_detail(): English, like its logs and event
// rows — they serve as codes here) in Dutch.
const ALERT_DETAIL_TEXT: Record<string, string> = {
  'escalated: not delivered': 'geëscaleerd: niet afgeleverd',
  're-alert: not accepted': 'opnieuw gealarmeerd: niet aangenomen',
  're-alert: not accepted, fallback region':
    'opnieuw gealarmeerd: niet aangenomen, ook naar de uitwijkregio',
};

// An alert's detail for the screen: "M-000012 (regio): <detail>" with a known escalation
// detail in Dutch; any other text (already Dutch) as it came.
export function alertDetailText(detail: string): string {
  const match = /^(M-\d+ \([^)]*\): )(.*)$/s.exec(detail);
  const prefix = match?.[1] ?? '';
  const dutch = ALERT_DETAIL_TEXT[match?.[2] ?? detail];
  return dutch === undefined ? detail : prefix + dutch;
}

// A feed's status handler for FeedHandlers.status: shows the state in `line`; when awared
// refused the feed and the login is no longer live, calls `sessionEnded` (back to the login).
export function feedStatus(line: HTMLElement, session: Session, sessionEnded: () => void):
    (state: FeedStatus, detail: string) => void {
  return (state, detail) => {
    line.textContent = FEED_STATUS_TEXT[state] + (detail ? ` (${detail})` : '');
    line.className = `status status-${state}`;
    if (state === 'geweigerd') {
      void sessionAlive(session).then((alive) => {
        if (!alive) {
          sessionEnded();
        }
      });
    }
  };
}

const two = (n: number) => String(n).padStart(2, '0');

// Milliseconds since the epoch (a number or the JSON mapping's string) as "26-11-2026 11:50:02"
// in the browser's time zone; 0, '' or nonsense as '—'.
export function timeText(ms: number | string | undefined | null): string {
  const value = Number(ms);
  if (!Number.isFinite(value) || value <= 0) {
    return '—';
  }
  const d = new Date(value);
  return `${two(d.getDate())}-${two(d.getMonth() + 1)}-${d.getFullYear()} ` +
         `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

// An ISO 8601 time from the REST API ("2026-11-26T06:40:00.000Z") the same way; '' as '—'.
export function isoText(iso: string | undefined | null): string {
  if (!iso) {
    return '—';
  }
  return timeText(Date.parse(iso));
}

// One device of GET /api/v1/device-status (what the views show of it; never a position).
export interface DeviceHealth {
  device_id: string;
  client_id: string;
  active: boolean;
  last_heard: string;          // ISO 8601, '' when never heard
  battery_pct: number | null;  // null until a report
  charging: boolean;
  heartbeat_interval_s: number;
  stale: boolean;
  open_alerts: string[];       // kinds of its unresolved alerts
}

const ALERT_TEXT: Record<string, string> = {
  verbinding_verloren: 'niet op tijd gehoord',
  batterij_laag: 'batterij laag',
  batterij_kritiek: 'batterij bijna leeg',
  communicatie_storing: 'communicatiestoring gemeld',
  proefmelding: 'proefmelding te bevestigen',
};

// The device's supervision state in words: "in orde", or what is wrong.
export function healthText(d: DeviceHealth): string {
  if (!d.active) {
    return 'ingeleverd';
  }
  const problems = d.open_alerts.map((k) => ALERT_TEXT[k] ?? k);
  if (d.stale && !d.open_alerts.includes('verbinding_verloren')) {
    problems.unshift('niet op tijd gehoord');
  }
  return problems.length === 0 ? 'in orde' : problems.join(', ');
}

// Battery as "80%", "80% (laadt op)", or '—' before any report.
export function batteryText(d: DeviceHealth): string {
  return d.battery_pct === null ? '—' : `${d.battery_pct}%${d.charging ? ' (laadt op)' : ''}`;
}

// A cell: text, or an element (a button, a list of them) placed as is.
export type Cell = string | Node;

// Replaces `body`'s rows; each row gets `data-key` (for tests and focus) and the class given.
// A focused button keeps the focus when its row is still there (keyboard use), else the
// focus moves to the row's first button.
export function fillRows(body: HTMLTableSectionElement,
                         rows: { key: string; cells: Cell[]; className?: string }[]): void {
  const focused = document.activeElement;
  let focusKey: string | null = null;
  let focusClass = '';
  if (focused instanceof HTMLElement && body.contains(focused)) {
    focusKey = focused.closest('tr')?.dataset.key ?? null;
    focusClass = focused.className;
  }
  replaceRows(body, rows);
  if (focusKey !== null) {
    const row = Array.from(body.rows).find((r) => r.dataset.key === focusKey);
    const target = row?.querySelector<HTMLElement>(focusClass ? `.${focusClass.split(' ')[0]}` : 'button') ??
                   row?.querySelector<HTMLElement>('button');
    target?.focus();
  }
}

function replaceRows(body: HTMLTableSectionElement,
                     rows: { key: string; cells: Cell[]; className?: string }[]): void {
  body.replaceChildren(...rows.map((r) => {
    const tr = element('tr', '', r.className ?? '');
    tr.dataset.key = r.key;
    for (const cell of r.cells) {
      const td = element('td');
      td.append(cell);
      tr.append(td);
    }
    return tr;
  }));
}

// A table with a caption-less header row and an empty body; returns both.
export function makeTable(id: string, headers: string[]):
    { table: HTMLTableElement; body: HTMLTableSectionElement } {
  const table = element('table');
  table.id = id;
  const head = element('thead');
  const tr = element('tr');
  for (const h of headers) {
    const th = element('th', h);
    th.scope = 'col';
    tr.append(th);
  }
  head.append(tr);
  const body = element('tbody');
  table.append(head, body);
  return { table, body };
}

// A button that does `action` (type=button, so it never submits a form).
export function button(text: string, className: string, action: () => void): HTMLButtonElement {
  const b = element('button', text, className);
  b.type = 'button';
  b.onclick = action;
  return b;
}

// A <label> around its text and field (no ids needed to tie them).
export function label(text: string, field: HTMLElement): HTMLLabelElement {
  const l = element('label', '', 'field');
  l.append(element('span', text), field);
  return l;
}
