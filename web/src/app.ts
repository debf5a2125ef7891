// app.ts — the web console's entry point: the login form, then the view of the user's role.
// Skeleton (issue 7): the centralist's live queue from /ws/meldkamer. The PAC operator's and
// the case worker's views, the detail pane, the map and close come next
// (docs/web-console.md).
import { currentSession, forgetSession, login, logout, Session, sessionAlive } from './api.js';
import { Feed, FeedStatus } from './feed.js';
import { ageClass, ageText, Incident, IncidentQueue, PRIORITY_TEXT, STATE_TEXT } from './queue.js';

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text = '',
                                                        className = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== '') {
    e.textContent = text;
  }
  if (className !== '') {
    e.className = className;
  }
  return e;
}

function byId<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) {
    throw new Error(`#${id} missing from index.html`);
  }
  return e as T;
}

function showLogin(message = ''): void {
  byId('view-login').hidden = false;
  byId('view-meldkamer').hidden = true;
  byId('header-user').textContent = '';
  byId('login-error').textContent = message;
  byId<HTMLInputElement>('login-user').focus();
}

const STATUS_TEXT: Record<FeedStatus, string> = {
  verbinden: 'Verbinden…',
  verbonden: 'Verbonden',
  verbroken: 'Verbinding verbroken — opnieuw verbinden…',
  geweigerd: 'Verbinding geweigerd',
};

// The centralist's view: the live queue, sorted by priority then age, ages ticking every second.
function showMeldkamer(session: Session): void {
  byId('view-login').hidden = true;
  byId('view-meldkamer').hidden = false;
  byId('header-user').textContent = `${session.user} (centralist)`;
  const queue = new IncidentQueue();
  const body = byId<HTMLTableSectionElement>('queue-body');
  const status = byId('connection-status');
  let clockOffsetMs = 0;  // awared's clock minus ours, from the snapshot

  const render = () => {
    const now = Date.now() + clockOffsetMs;
    const rows = queue.sorted().map((incident: Incident) => {
      const age = now - Number(incident.receivedMs);
      const row = element('tr', '', `prio-${(PRIORITY_TEXT[incident.priority] ?? 'onbekend')}`);
      row.dataset.incident = incident.id;
      row.append(
        element('td', PRIORITY_TEXT[incident.priority] ?? incident.priority, 'priority'),
        element('td', ageText(age), `age age-${ageClass(age)}`),
        element('td', incident.id),
        element('td', incident.aop?.clientName || incident.clientId || incident.deviceId || ''),
        element('td', incident.region ?? ''),
        element('td', incident.acceptedBy ? `${STATE_TEXT[incident.state]} door ${incident.acceptedBy}`
                                          : STATE_TEXT[incident.state] ?? incident.state),
      );
      const actions = element('td', '', 'actions');
      if (incident.state !== 'INCIDENT_STATE_ACCEPTED') {
        const button = element('button', 'Aannemen (a)', 'accept');
        button.type = 'button';
        button.onclick = () => accept(incident.id);
        actions.append(button);
      }
      row.append(actions);
      return row;
    });
    body.replaceChildren(...rows);
    byId('queue-empty').hidden = rows.length > 0;
  };

  const feed = new Feed('/ws/meldkamer', session.token, {
    message(message) {
      if (message.snapshot !== undefined) {
        const snapshot = message.snapshot as { incidents?: Incident[]; serverTimeMs?: string };
        clockOffsetMs = snapshot.serverTimeMs ? Number(snapshot.serverTimeMs) - Date.now() : 0;
        queue.reset(snapshot.incidents ?? []);
        status.textContent = STATUS_TEXT.verbonden;
        status.className = 'status status-verbonden';
      } else if (message.update !== undefined) {
        const update = message.update as { incident: Incident };
        queue.put(update.incident);
      } else if (message.error !== undefined) {
        const error = message.error as { request?: string; text?: string };
        byId('queue-error').textContent = `Geweigerd (${error.request ?? ''}): ${error.text ?? ''}`;
      }
      render();
    },
    status(state, detail) {
      status.textContent = STATUS_TEXT[state] + (detail ? ` (${detail})` : '');
      status.className = `status status-${state}`;
      if (state === 'geweigerd') {
        // Refused before opening: an expired or ended session goes back to the login form.
        void sessionAlive(session).then((alive) => {
          if (!alive) {
            feed.stop();
            window.clearInterval(ticker);
            forgetSession();
            showLogin('De sessie is verlopen; log opnieuw in.');
          }
        });
      }
    },
  });
  // Claims an incident (ConsoleRequest accept); awared records the signed-in user, and the
  // update that follows shows who accepted it. A refusal arrives as an error message.
  function accept(incidentId: string): void {
    feed.send({ accept: { incidentId, centralist: session.user } });
  }
  // Keyboard: "a" accepts the first incident in the queue that nobody accepted yet.
  document.addEventListener('keydown', (event: KeyboardEvent) => {
    if (event.key !== 'a' || event.ctrlKey || event.altKey || event.metaKey ||
        (event.target instanceof HTMLInputElement)) {
      return;
    }
    const open = queue.sorted().find((i) => i.state !== 'INCIDENT_STATE_ACCEPTED');
    if (open !== undefined) {
      accept(open.id);
    }
  });
  const ticker = window.setInterval(render, 1000);
  feed.start();
  byId<HTMLButtonElement>('logout').onclick = async () => {
    feed.stop();
    window.clearInterval(ticker);
    await logout(session);
    location.reload();
  };
}

function showFor(session: Session): void {
  if (session.role === 'centralist') {
    showMeldkamer(session);
  } else {
    showLogin(`De weergave voor de rol "${session.role}" is nog niet beschikbaar.`);
  }
}

function main(): void {
  const form = byId<HTMLFormElement>('login-form');
  form.onsubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const user = byId<HTMLInputElement>('login-user').value.trim();
    const password = byId<HTMLInputElement>('login-password').value;
    byId('login-error').textContent = '';
    try {
      const session = await login(user, password);
      byId<HTMLInputElement>('login-password').value = '';
      showFor(session);
    } catch (error) {
      showLogin((error as Error).message);
    }
  };
  const session = currentSession();
  if (session === null) {
    showLogin();
  } else {
    showFor(session);
  }
}

main();
