// caseworker.ts — the case worker's view (#view-hulpverlener): the activation notices of their
// own clients, live from /ws/hulpverlener (NoticeFeed: client, event, state, time, incident id),
// and the health of those clients' devices (GET /api/v1/device-status?client=ID: battery, last
// heard, supervision). Never a position: the feed carries none, the device status has none, and
// nothing here asks for one. Called by app.ts for the role hulpverlener.
import { api, Session } from './api.js';
import { byId, element } from './dom.js';
import { Feed } from './feed.js';
import { batteryText, Cell, DeviceHealth, FEED_STATUS_TEXT, feedStatus, fillRows, healthText, isoText,
         makeTable, timeText } from './pac_format.js';
import { ViewHandle } from './view.js';

// One Notice of proto/feeds.proto in the JSON mapping.
interface Notice {
  id: string;
  clientId: string;
  event: string;
  state?: string;
  atMs: string;
  incidentId?: string;
}

export const EVENT_TEXT: Record<string, string> = {
  activatie: 'Activatie',
  herhaalde_activatie: 'Herhaalde activatie',
  geannuleerd: 'Geannuleerd',
  afgesloten: 'Afgesloten',
  proefmelding: 'Proefmelding',
  verbinding_verloren: 'Verbinding verloren',
  hersteld: 'Verbinding hersteld',
  batterij_kritiek: 'Batterij bijna leeg',
  contract_einde: 'Contract loopt af',
};

const STATE_TEXT: Record<string, string> = {
  new: 'nieuw',
  delivered: 'bij de meldkamer',
  accepted: 'aangenomen door de meldkamer',
  closed: 'afgesloten',
  none: '—',
};

const MAX_NOTICES = 500;       // shown, newest first
const HEALTH_REFRESH_MS = 60_000;

const FOLLOWED_NAMED = 10;     // client ids named in the hint; the rest are counted

// "C-001, C-002", or for many "71 cliënten: C-001, … en 61 meer".
export function followedText(clients: string[]): string {
  if (clients.length === 0) {
    return 'geen cliënten';
  }
  const named = clients.slice(0, FOLLOWED_NAMED).join(', ');
  return clients.length > FOLLOWED_NAMED
    ? `${clients.length} cliënten: ${named} en ${clients.length - FOLLOWED_NAMED} meer` : named;
}

export function showCaseWorker(session: Session, sessionEnded: () => void): ViewHandle {
  const clients = session.clients ?? [];
  const view = byId('view-hulpverlener');
  const status = element('span', FEED_STATUS_TEXT.verbinden, 'status');
  status.id = 'hv-status';
  status.setAttribute('role', 'status');
  const notices = makeTable('hv-notices', ['Tijd', 'Cliënt', 'Gebeurtenis', 'Status', 'Melding']);
  const devices = makeTable('hv-devices',
                            ['Apparaat', 'Cliënt', 'Laatst gehoord', 'Batterij', 'Bewaking']);
  const noticesEmpty = element('p', 'Nog geen meldingen.', 'empty');
  noticesEmpty.id = 'hv-notices-empty';
  const devicesError = element('p', '', 'error');
  devicesError.id = 'hv-devices-error';
  devicesError.setAttribute('role', 'alert');
  view.replaceChildren(
    element('div', '', 'toolbar'),
    element('h2', 'Meldingen van mijn cliënten'),
    element('p', `U volgt: ${followedText(clients)}. Posities worden hier nooit getoond.`, 'hint'),
    notices.table, noticesEmpty,
    element('h2', 'Apparaten van mijn cliënten'),
    devices.table, devicesError);
  view.querySelector('.toolbar')!.append(status);

  const seen = new Map<string, Notice>();  // by notice id: a reconnect's backlog repeats some
  const renderNotices = () => {
    const list = [...seen.values()]
      .sort((a, b) => Number(b.id) - Number(a.id))
      .slice(0, MAX_NOTICES);
    fillRows(notices.body, list.map((n) => ({
      key: n.id,
      className: `event-${n.event}`,
      cells: [timeText(n.atMs), n.clientId, EVENT_TEXT[n.event] ?? n.event,
              STATE_TEXT[n.state ?? ''] ?? n.state ?? '', n.incidentId || '—'] as Cell[],
    })));
    noticesEmpty.hidden = list.length > 0;
  };

  let stopped = false;
  const refreshHealth = async () => {
    const rows: DeviceHealth[] = [];
    try {
      for (const client of clients) {
        const reply = await api(session, 'GET',
                                `/device-status?client=${encodeURIComponent(client)}`) as
            { devices?: DeviceHealth[] };
        rows.push(...(reply.devices ?? []));
      }
      devicesError.textContent = '';
    } catch (error) {
      devicesError.textContent = `Apparaatstatus niet opgehaald: ${(error as Error).message}`;
      return;
    }
    if (stopped) {
      return;
    }
    fillRows(devices.body, rows.map((d) => ({
      key: d.device_id,
      className: healthText(d) === 'in orde' ? 'health-ok' : 'health-problem',
      cells: [d.device_id, d.client_id, isoText(d.last_heard),
              batteryText(d),
              healthText(d)],
    })));
  };

  // Follows exactly the signed-in case worker's clients: own=1 lets awared take them from the
  // session (however many; a URL may name at most 64); since=0 brings the stored backlog.
  const feed = new Feed('/ws/hulpverlener?own=1&since=0', session.token, {
    message(message) {
      if (message.backlog !== undefined) {
        const backlog = message.backlog as { notices?: Notice[] };
        for (const n of backlog.notices ?? []) {
          seen.set(n.id, n);
        }
        status.textContent = FEED_STATUS_TEXT.verbonden;
        status.className = 'status status-verbonden';
      } else if (message.notice !== undefined) {
        const n = message.notice as Notice;
        seen.set(n.id, n);
        void refreshHealth();  // a notice often means the device was just heard
      }
      renderNotices();
    },
    status: feedStatus(status, session, sessionEnded),
  });
  renderNotices();
  if (clients.length === 0) {
    status.textContent = 'Er zijn geen cliënten aan u gekoppeld.';
  } else {
    feed.start();
    void refreshHealth();
  }
  const ticker = window.setInterval(() => void refreshHealth(), HEALTH_REFRESH_MS);
  return {
    stop() {
      stopped = true;
      feed.stop();
      window.clearInterval(ticker);
    },
  };
}
