// centralist.ts — the police centralist's view (#view-meldkamer): the live queue from
// /ws/meldkamer, sorted by priority then age (ages ticking and coloured), accept (button or
// key a) showing who accepted. Next (docs/web-console.md): the detail pane, map, close, notes,
// meeluisteren, alerting, the resync banner.
import { Session, sessionAlive } from './api.js';
import { byId, element } from './dom.js';
import { Feed, FeedStatus } from './feed.js';
import { ageClass, ageText, Incident, IncidentQueue, PRIORITY_TEXT, STATE_TEXT } from './queue.js';
import { ViewHandle } from './view.js';

const STATUS_TEXT: Record<FeedStatus, string> = {
  verbinden: 'Verbinden…',
  verbonden: 'Verbonden',
  verbroken: 'Verbinding verbroken — opnieuw verbinden…',
  geweigerd: 'Verbinding geweigerd',
};

// The centralist's view: the live queue, sorted by priority then age, ages ticking every second.
// `sessionEnded` is called when awared refuses the feed because the login is no longer live.
export function showCentralist(session: Session, sessionEnded: () => void): ViewHandle {
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
            sessionEnded();
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
  const onKey = (event: KeyboardEvent) => {
    if (event.key !== 'a' || event.ctrlKey || event.altKey || event.metaKey ||
        (event.target instanceof HTMLInputElement)) {
      return;
    }
    const open = queue.sorted().find((i) => i.state !== 'INCIDENT_STATE_ACCEPTED');
    if (open !== undefined) {
      accept(open.id);
    }
  };
  document.addEventListener('keydown', onKey);
  const ticker = window.setInterval(render, 1000);
  feed.start();
  return {
    stop() {
      feed.stop();
      window.clearInterval(ticker);
      document.removeEventListener('keydown', onKey);
    },
  };
}

