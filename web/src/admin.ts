// admin.ts — the admin's (beheerder's) view: the users (GET /api/v1/users), a form that adds a
// user or changes one (PUT /api/v1/users/{name}: role, regions or clients, organisation, and a
// new password when one is typed) and Deactiveren per active user (POST …/deactivate). awared
// validates; its 4xx text is shown and nothing is written then. A change ends the user's
// sessions and closes her consoles (awared does that); the page says so. No feed: the list is
// fetched when the view opens and after every change (each read is an audit row). Below the
// users: the audit log (admin_audit.ts).
import { auditSection } from './admin_audit.js';
import { api, ApiError, Session } from './api.js';
import { byId, element } from './dom.js';
import { button, fillRows, label, makeTable } from './pac_format.js';
import { ViewHandle } from './view.js';

// One user of GET /api/v1/users.
interface User {
  user: string;
  role: string;
  regions: string[];
  organisation: string;
  clients: string[];
  active: boolean;
}

const ROLES: [string, string][] = [
  ['centralist', 'centralist (meldkamer)'],
  ['pac_operator', 'PAC-operator'],
  ['hulpverlener', 'hulpverlener'],
  ['admin', 'beheerder'],
];

// "a, b,,c" → ['a', 'b', 'c'].
export function nameList(text: string): string[] {
  return text.split(',').map((part) => part.trim()).filter((part) => part !== '');
}

// The PUT body for the form's fields: only what the role uses, the password only when typed.
export function userBody(role: string, regions: string, clients: string, organisation: string,
                         password: string): Record<string, unknown> {
  const body: Record<string, unknown> = { role };
  if (role === 'centralist') {
    body.regions = nameList(regions);
  }
  if (role === 'hulpverlener') {
    body.clients = nameList(clients);
    body.organisation = organisation.trim();
  }
  if (password !== '') {
    body.password = password;
  }
  return body;
}

function scopeText(u: User): string {
  if (u.role === 'centralist') {
    return u.regions.join(', ');
  }
  if (u.role === 'hulpverlener') {
    return `${u.organisation ? `${u.organisation}: ` : ''}${u.clients.join(', ')}`;
  }
  return '—';
}

// `sessionEnded` goes back to the login form: awared answered 401 (the session ended: expired,
// or the admin's own account was changed or deactivated), or she saved her own account.
export function showAdmin(session: Session, sessionEnded: () => void): ViewHandle {
  const view = byId('view-beheer');
  const table = makeTable('admin-users', ['Naam', 'Rol', 'Regio\'s of cliënten', 'Actief', 'Acties']);
  const message = element('p', '', 'error');
  message.id = 'admin-users-message';
  message.setAttribute('role', 'alert');

  const form = element('form');
  form.id = 'admin-user-form';
  form.noValidate = true;  // awared validates and names the field
  const name = element('input');
  name.id = 'admin-user-name';
  name.autocomplete = 'off';
  const role = element('select');
  role.id = 'admin-user-role';
  for (const [value, text] of ROLES) {
    const option = element('option', text);
    option.value = value;
    role.append(option);
  }
  const regions = element('input');
  regions.id = 'admin-user-regions';
  regions.placeholder = 'midden-nederland, landelijk';
  const clients = element('input');
  clients.id = 'admin-user-clients';
  clients.placeholder = 'C-001, C-002';
  const organisation = element('input');
  organisation.id = 'admin-user-organisation';
  const password = element('input');
  password.id = 'admin-user-password';
  password.type = 'password';
  password.autocomplete = 'new-password';
  const submit = element('button', 'Opslaan');
  submit.type = 'submit';
  submit.id = 'admin-user-submit';
  form.append(label('Naam', name), label('Rol', role), label('Regio\'s (centralist)', regions),
              label('Cliënten (hulpverlener)', clients),
              label('Organisatie (hulpverlener)', organisation),
              label('Nieuw wachtwoord (12+ tekens; leeg = ongewijzigd)', password), submit);

  // A result line: green when done, red when refused or failed.
  const say = (text: string, ok: boolean): void => {
    message.textContent = text;
    message.className = ok ? 'ok' : 'error';
  };
  let stopped = false;
  // True (and back to the login) when `error` says the session has ended.
  const ended = (error: unknown): boolean => {
    if (error instanceof ApiError && error.status === 401 && !stopped) {
      sessionEnded();
      return true;
    }
    return false;
  };
  const audit = auditSection(session, ended);
  const load = async (): Promise<void> => {
    let users: User[];
    try {
      users = await api(session, 'GET', '/users') as User[];
    } catch (error) {
      if (!ended(error)) {
        say(`Gebruikers niet opgehaald: ${(error as Error).message}`, false);
      }
      return;
    }
    if (stopped) {
      return;
    }
    fillRows(table.body, users.map((u) => {
      const actions = element('span', '', 'actions');
      if (u.active && u.user !== session.user) {
        actions.append(button('Deactiveren', 'deactivate', () => void deactivate(u.user)));
      } else if (!u.active) {
        actions.append(button('Activeren', 'activate', () => void activate(u)));
      }
      return {
        key: u.user,
        className: u.active ? 'user-active' : 'user-inactive',
        cells: [u.user, ROLES.find(([value]) => value === u.role)?.[1] ?? u.role, scopeText(u),
                u.active ? 'ja' : 'nee', actions],
      };
    }));
  };
  const deactivate = async (user: string): Promise<void> => {
    say('', true);
    try {
      await api(session, 'POST', `/users/${encodeURIComponent(user)}/deactivate`);
      say(`${user} gedeactiveerd; de sessies en consoles van ${user} zijn beëindigd.`, true);
    } catch (error) {
      if (ended(error)) {
        return;
      }
      say(`${user} niet gedeactiveerd: ${(error as Error).message}`, false);
    }
    await load();
  };
  const activate = async (u: User): Promise<void> => {
    say('', true);
    try {
      await api(session, 'PUT', `/users/${encodeURIComponent(u.user)}`,
                { role: u.role, regions: u.regions, clients: u.clients,
                  organisation: u.organisation, active: true });
      say(`${u.user} is weer actief.`, true);
    } catch (error) {
      if (ended(error)) {
        return;
      }
      say(`${u.user} niet geactiveerd: ${(error as Error).message}`, false);
    }
    await load();
  };
  form.onsubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    say('', true);
    const user = name.value.trim();
    try {
      await api(session, 'PUT', `/users/${encodeURIComponent(user)}`,
                userBody(role.value, regions.value, clients.value, organisation.value,
                         password.value));
      say(`${user} opgeslagen; een bestaande gebruiker logt opnieuw in.`, true);
      password.value = '';
      if (user === session.user) {
        sessionEnded();  // her own sessions ended with the change: she signs in again
        return;
      }
    } catch (error) {
      if (ended(error)) {
        return;
      }
      say(`${user} niet opgeslagen: ${(error as Error).message}`, false);
    }
    await load();
  };

  view.replaceChildren(element('h2', 'Gebruikers'),
                       element('p', 'Een wijziging of deactivering beëindigt de sessies van de ' +
                                    'gebruiker en sluit de open consoles.', 'hint'),
                       table.table, message, element('h3', 'Gebruiker toevoegen of wijzigen'),
                       form, audit.section);
  void load();
  return {
    stop() {
      stopped = true;
      audit.stop();
      view.replaceChildren();
    },
  };
}
