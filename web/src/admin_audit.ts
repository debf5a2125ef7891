// admin_audit.ts — the admin's audit-log section (in admin.ts's view): who consulted or changed
// which personal data, newest first (GET /api/v1/audit?order=newest), searched by user, action
// and subject (exact values, as awared keeps them: "client:C-001"). A click on a row's user or
// subject searches for it. "Oudere regels" pages back (before=<the oldest id shown>); "Keten
// controleren" verifies the hash chain (GET /api/v1/audit/verify). Every page awared answers is
// itself an audit row (audit.read) — the section says so.
import { api, Session } from './api.js';
import { element } from './dom.js';
import { button, fillRows, isoText, label, makeTable } from './pac_format.js';

// One row of GET /api/v1/audit.
interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  justification: string;
}

// What GET /api/v1/audit/verify answers.
interface Verdict {
  ok: boolean;
  rows: number;
  head_id?: number;
  head?: string;
  first_bad_id?: number;
  problem?: string;
  detail?: string;
}

export interface AuditFilter {
  actor: string;
  action: string;
  subject: string;
}

export const PAGE_ROWS = 50;

// Actions the search field suggests (what awared writes most; any other is typed).
const ACTIONS = ['registry.read', 'registry.list', 'registry.create', 'registry.update',
                 'registry.deactivate', 'registry.export', 'dossier.read', 'subject.export',
                 'incident.listen_in', 'contract.set_end', 'test_window.start', 'refused',
                 'users.create', 'users.update', 'users.deactivate', 'users.password', 'users.list',
                 'auth.login', 'auth.logout', 'audit.read'];

// The API path of a newest-first page: the filters that are filled in (trimmed,
// percent-encoded), and `before` when paging back.
export function auditPath(filter: AuditFilter, before?: number, limit = PAGE_ROWS): string {
  const params = [`order=newest`, `limit=${limit}`];
  if (before !== undefined) {
    params.push(`before=${before}`);
  }
  for (const name of ['actor', 'action', 'subject'] as const) {
    const value = filter[name].trim();
    if (value !== '') {
      params.push(`${name}=${encodeURIComponent(value)}`);
    }
  }
  return `/audit?${params.join('&')}`;
}

// The verdict in a sentence.
export function verdictText(v: Verdict): string {
  if (v.ok) {
    return `Keten intact: ${v.rows} regels gecontroleerd, laatste regel ${v.head_id ?? 0} ` +
           `(${(v.head ?? '').slice(0, 16)}…).`;
  }
  return `Keten VERBROKEN bij regel ${v.first_bad_id ?? '?'} (${v.problem ?? '?'}): ` +
         `${v.detail ?? ''}`;
}

// The section and its stop(); `ended(error)` is true (and has gone back to the login) when
// awared said the session is over.
export function auditSection(session: Session, ended: (error: unknown) => boolean):
    { section: HTMLElement; stop: () => void } {
  const section = element('section');
  section.id = 'admin-audit-section';
  const form = element('form');
  form.id = 'audit-search';
  form.noValidate = true;
  const field = (id: string, placeholder: string): HTMLInputElement => {
    const input = element('input');
    input.id = id;
    input.autocomplete = 'off';
    input.placeholder = placeholder;
    return input;
  };
  const actor = field('audit-actor', 'pac-jan');
  const action = field('audit-action', 'dossier.read');
  const subject = field('audit-subject', 'client:C-001');
  const actions = element('datalist');
  actions.id = 'audit-actions';
  for (const a of ACTIONS) {
    const option = element('option');
    option.value = a;
    actions.append(option);
  }
  action.setAttribute('list', actions.id);
  const submit = element('button', 'Zoeken');
  submit.type = 'submit';
  submit.id = 'audit-submit';
  form.append(label('Gebruiker', actor), label('Handeling', action),
              label('Onderwerp', subject), submit, actions);

  const table = makeTable('admin-audit', ['Nr', 'Tijd', 'Gebruiker', 'Handeling', 'Onderwerp',
                                          'Reden of toelichting']);
  const message = element('p', '', 'error');
  message.id = 'admin-audit-message';
  message.setAttribute('role', 'alert');
  const older = button('Oudere regels', 'older', () => void load(true));
  older.id = 'audit-older';
  older.hidden = true;
  const verify = button('Keten controleren', 'verify', () => void check());
  verify.id = 'audit-verify';
  const verdict = element('p');
  verdict.id = 'audit-verdict';
  verdict.setAttribute('role', 'status');

  let stopped = false;
  let shown: AuditRow[] = [];
  let filter: AuditFilter = { actor: '', action: '', subject: '' };
  const say = (text: string): void => { message.textContent = text; };
  // A cell that searches for its value in `input` when clicked.
  const searchCell = (value: string, input: HTMLInputElement): HTMLButtonElement => {
    const b = button(value, 'search-link', () => {
      input.value = value;
      form.requestSubmit();
    });
    b.title = `Zoek op ${value}`;
    return b;
  };
  const render = (): void => {
    fillRows(table.body, shown.map((r) => ({
      key: String(r.id),
      className: r.action === 'refused' ? 'audit-refused' : '',
      cells: [String(r.id), isoText(r.at), searchCell(r.actor, actor), r.action,
              searchCell(r.subject, subject), r.justification],
    })));
  };
  // The newest page for the current filter, or (`more`) the page before the oldest row shown.
  // Only the latest request's reply is shown: a slow older page that comes back after a new
  // search is dropped, and "Oudere regels" waits while a page is on its way.
  let latest = 0;
  const load = async (more: boolean): Promise<void> => {
    say('');
    const request = ++latest;
    const before = more && shown.length > 0 ? shown[shown.length - 1].id : undefined;
    older.disabled = true;
    let rows: AuditRow[];
    try {
      const reply = await api(session, 'GET', auditPath(filter, before)) as { audit: AuditRow[] };
      rows = reply.audit;
    } catch (error) {
      if (!ended(error) && request === latest) {
        say(`Auditlog niet opgehaald: ${(error as Error).message}`);
        older.disabled = false;
      }
      return;
    }
    if (stopped || request !== latest) {
      return;
    }
    shown = more ? shown.concat(rows) : rows;
    older.hidden = rows.length < PAGE_ROWS;
    older.disabled = false;
    render();
    if (shown.length === 0) {
      say('Geen regels gevonden.');
    }
  };
  const check = async (): Promise<void> => {
    verdict.textContent = 'Bezig met controleren…';
    try {
      const v = await api(session, 'GET', '/audit/verify') as Verdict;
      verdict.textContent = verdictText(v);
      verdict.className = v.ok ? 'ok' : 'error';
    } catch (error) {
      if (!ended(error) && !stopped) {
        verdict.textContent = `Niet gecontroleerd: ${(error as Error).message}`;
        verdict.className = 'error';
      }
    }
  };
  form.onsubmit = (event: SubmitEvent) => {
    event.preventDefault();
    filter = { actor: actor.value, action: action.value, subject: subject.value };
    void load(false);
  };

  section.append(element('h2', 'Auditlog'),
                 element('p', 'Wie heeft welke persoonsgegevens ingezien of gewijzigd, nieuwste ' +
                              'eerst. Ook elke pagina die u hier opvraagt wordt vastgelegd.', 'hint'),
                 form, message, table.table, older, verify, verdict);
  void load(false);
  return {
    section,
    stop() {
      stopped = true;
    },
  };
}
