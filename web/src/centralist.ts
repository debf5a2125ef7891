// centralist.ts — the police centralist's view (#view-meldkamer), from /ws/meldkamer: the live
// queue sorted by priority then age (ages ticking and coloured), a new spoedmelding flashing
// with a beep (centralist_alert.ts), the selected incident's detail (incident_detail.ts) and
// map (map.ts), and the actions — accept (a), close with an outcome and a note (s),
// meeluisteren (m), a note during handling (n focuses the input, Enter sends); arrow keys move
// the selection. Who listens in and the notes come with the incident, so every centralist of
// the region sees them. A banner says when the connection is lost
// and when a fresh snapshot made the view whole again.
import { consoleConfig, regionOutlines, Session, sessionAlive } from './api.js';
import { Alerter } from './centralist_alert.js';
import { byId, element } from './dom.js';
import { Feed, FeedStatus } from './feed.js';
import { renderDetail } from './incident_detail.js';
import { IncidentMap } from './map.js';
import { ageClass, ageText, Incident, IncidentQueue, PRIORITY_TEXT, STATE_TEXT } from './queue.js';
import { ViewHandle } from './view.js';

const STATUS_TEXT: Record<FeedStatus, string> = {
  verbinden: 'Verbinden…',
  verbonden: 'Verbonden',
  verbroken: 'Verbinding verbroken — opnieuw verbinden…',
  geweigerd: 'Verbinding geweigerd',
};
const FLASH_MS = 6000;       // a new spoedmelding's row flashes this long
const RESYNCED_MS = 5000;    // "Opnieuw gesynchroniseerd" stays this long
const REQUEST_TEXT: Record<string, string> = {
  accept: 'aannemen', close: 'afsluiten', listenIn: 'meeluisteren', addNote: 'notitie',
  parse: 'verzoek',
};

export function showCentralist(session: Session, sessionEnded: () => void): ViewHandle {
  const queue = new IncidentQueue();
  const alerter = new Alerter();
  const body = byId<HTMLTableSectionElement>('queue-body');
  const status = byId('connection-status');
  const banner = byId('connection-banner');
  const flashing = new Map<string, number>();   // incident id → flash until (our clock)
  let unsentNote = '';           // the last note sent, put back in the input if refused
  let noteLast = false;          // the last request sent was a note (a parse error is its)
  let map: IncidentMap | null = null;
  let selected = '';
  let outcomes: string[] = [];
  let synced = false;            // a snapshot arrived on some connection
  let clockOffsetMs = 0;         // awared's clock minus ours, from the snapshot
  let bannerTimer = 0;

  const selectedIncident = () => queue.sorted().find((i) => i.id === selected) ?? null;
  const mine = (i: Incident) => i.state === 'INCIDENT_STATE_ACCEPTED' && i.acceptedBy === session.user;

  void consoleConfig(session).then(async (config) => {
    map = new IncidentMap(byId('incident-map'), config.tileUrl);
    renderSelection();
    const outlines = await regionOutlines(session);
    if (outlines !== null) {
      map.setRegions(outlines);
    }
  });

  function renderQueue(): void {
    const now = Date.now() + clockOffsetMs;
    const rows = queue.sorted().map((incident: Incident) => {
      const age = now - Number(incident.receivedMs);
      const row = element('tr', '', `prio-${(PRIORITY_TEXT[incident.priority] ?? 'onbekend')}`);
      row.dataset.incident = incident.id;
      if (incident.id === selected) {
        row.classList.add('selected');
        row.setAttribute('aria-selected', 'true');
      }
      if ((flashing.get(incident.id) ?? 0) > Date.now()) {
        row.classList.add('flash');
      }
      row.onclick = () => select(incident.id);
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
        button.onclick = (event) => {
          event.stopPropagation();
          accept(incident.id);
        };
        actions.append(button);
      }
      row.append(actions);
      return row;
    });
    body.replaceChildren(...rows);
    byId('queue-empty').hidden = rows.length > 0;
  }

  // The detail pane, its buttons and the map follow the selected incident.
  function renderSelection(): void {
    const incident = selectedIncident();
    renderDetail(incident);
    if (incident !== null) {
      const accepted = incident.state === 'INCIDENT_STATE_ACCEPTED';
      byId('detail-accept').hidden = accepted;
      const close = byId<HTMLButtonElement>('detail-close');
      close.disabled = !mine(incident);
      close.title = mine(incident) ? '' : 'Alleen wie de melding aannam, kan haar afsluiten.';
      if (!mine(incident)) {
        byId('close-form').hidden = true;
      }
    } else {
      byId('close-form').hidden = true;
    }
    map?.resized();
    map?.show(incident);
  }

  function render(): void {
    const list = queue.sorted();
    if (!list.some((i) => i.id === selected)) {
      selected = list[0]?.id ?? '';  // the top of the queue when nothing (valid) is selected
    }
    renderQueue();
    renderSelection();
  }

  function select(id: string): void {
    alerter.unlock();
    if (id !== selected) {
      selected = id;
      byId('detail-error').textContent = '';
      byId('close-form').hidden = true;
    }
    render();
  }

  function alertNew(incident: Incident): void {
    if (incident.priority !== 'PRIORITY_SPOED') {
      return;
    }
    flashing.set(incident.id, Date.now() + FLASH_MS);
    alerter.beep();
    byId('alert-mute').dataset.alerts = String(alerter.count);
  }

  function showBanner(text: string, kind: string): void {
    window.clearTimeout(bannerTimer);
    banner.textContent = text;
    banner.className = `banner banner-${kind}`;
    banner.hidden = false;
  }

  const feed = new Feed('/ws/meldkamer', session.token, {
    message(message) {
      if (message.snapshot !== undefined) {
        const snapshot = message.snapshot as
          { incidents?: Incident[]; serverTimeMs?: string; closeOutcomes?: string[] };
        clockOffsetMs = snapshot.serverTimeMs ? Number(snapshot.serverTimeMs) - Date.now() : 0;
        const known = new Set(queue.sorted().map((i) => i.id));
        queue.reset(snapshot.incidents ?? []);
        if (synced) {  // pressed while we were away: alert as if it came live
          queue.sorted().filter((i) => !known.has(i.id)).forEach(alertNew);
        }
        synced = true;
        outcomes = snapshot.closeOutcomes ?? [];
        status.textContent = STATUS_TEXT.verbonden;
        status.className = 'status status-verbonden';
      } else if (message.update !== undefined) {
        const update = message.update as { incident: Incident };
        if (queue.put(update.incident)) {
          alertNew(update.incident);
        }
      } else if (message.error !== undefined) {
        const error = message.error as { request?: string; text?: string };
        if (error.request === 'parse' && noteLast) {
          error.request = 'addNote';  // the socket keeps order: the refused text was the note
        }
        const what = REQUEST_TEXT[error.request ?? ''] ?? error.request ?? '';
        const text = `Geweigerd (${what}): ${error.text ?? ''}`;
        byId('queue-error').textContent = text;
        byId('detail-error').textContent = text;
        const noteInput = byId<HTMLInputElement>('note-text');
        if (error.request === 'addNote' && noteInput.value === '') {
          noteInput.value = unsentNote;
        }
      }
      render();
    },
    status(state, detail) {
      status.textContent = STATUS_TEXT[state] + (detail ? ` (${detail})` : '');
      status.className = `status status-${state}`;
      if (state === 'verbroken') {
        showBanner('Verbinding verbroken — de wachtrij is mogelijk niet actueel. Opnieuw verbinden…',
                   'verbroken');
      }
      if (state === 'geweigerd') {
        // Refused before opening: an expired or ended session goes back to the login form.
        void sessionAlive(session).then((alive) => {
          if (!alive) {
            sessionEnded();
          }
        });
      }
    },
    resynced() {
      showBanner('Opnieuw gesynchroniseerd — de wachtrij is weer actueel.', 'hersteld');
      bannerTimer = window.setTimeout(() => {
        banner.hidden = true;
      }, RESYNCED_MS);
    },
  });

  // Claims an incident (ConsoleRequest accept); awared records the signed-in user, and the
  // update that follows shows who accepted it. A refusal arrives as an error message.
  function accept(incidentId: string): void {
    alerter.unlock();
    noteLast = false;
    feed.send({ accept: { incidentId, centralist: session.user } });
  }
  // Meeluisteren: awared records it, relays OPEN_LISTEN_IN to the device and pushes the
  // incident with who listens in (listenInBy) to every console of the region.
  function listenIn(): void {
    const incident = selectedIncident();
    if (incident !== null) {
      noteLast = false;
      feed.send({ listenIn: { incidentId: incident.id, centralist: session.user } });
    }
  }
  // A note on the selected incident; awared records the signed-in user as its author and pushes
  // the incident with all its notes. The input is emptied; a refusal puts the text back.
  byId<HTMLFormElement>('note-form').onsubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const incident = selectedIncident();
    const input = byId<HTMLInputElement>('note-text');
    if (incident === null) {
      return;
    }
    if (input.value.trim() === '') {
      byId('detail-error').textContent = 'Een notitie heeft tekst nodig.';
      return;
    }
    unsentNote = input.value;
    noteLast = true;
    if (feed.send({ addNote: { incidentId: incident.id, text: input.value } })) {
      input.value = '';
      byId('detail-error').textContent = '';
    }
  };
  function openClose(): void {
    const incident = selectedIncident();
    if (incident === null || !mine(incident)) {
      byId('detail-error').textContent = incident === null ? '' :
        'Afsluiten kan pas na aannemen, en alleen door wie aannam.';
      return;
    }
    const choice = byId<HTMLSelectElement>('close-outcome');
    choice.replaceChildren(...outcomes.map((o) => {
      const option = element('option', o);
      option.value = o;
      return option;
    }));
    byId<HTMLTextAreaElement>('close-note').value = '';
    byId('close-form').hidden = false;
    choice.focus();
  }
  byId<HTMLFormElement>('close-form').onsubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const incident = selectedIncident();
    if (incident === null) {
      return;
    }
    noteLast = false;
    feed.send({ close: {
      incidentId: incident.id, centralist: session.user,
      outcome: byId<HTMLSelectElement>('close-outcome').value,
      note: byId<HTMLTextAreaElement>('close-note').value.trim(),
    } });
    byId('close-form').hidden = true;
  };
  byId('close-cancel').onclick = () => {
    byId('close-form').hidden = true;
  };
  byId('detail-accept').onclick = () => {
    if (selected !== '') {
      accept(selected);
    }
  };
  byId('note-text').onkeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      byId('note-text').blur();  // back to the shortcuts
    }
  };
  byId('detail-listen').onclick = listenIn;
  byId('detail-close').onclick = openClose;
  const mute = byId<HTMLButtonElement>('alert-mute');
  const showMute = () => {
    mute.textContent = alerter.muted ? 'Geluid uit' : 'Geluid aan';
    mute.setAttribute('aria-pressed', String(alerter.muted));
  };
  mute.onclick = () => {
    alerter.setMuted(!alerter.muted);
    showMute();
  };
  showMute();

  // Keyboard: a accepts (the selected incident, else the first nobody accepted), s closes,
  // m listens in, n goes to the note input, arrows move the selection, Enter shows the selected incident's detail.
  const onKey = (event: KeyboardEvent) => {
    const target = event.target;
    if (event.ctrlKey || event.altKey || event.metaKey || target instanceof HTMLInputElement ||
        target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement ||
        document.querySelector('dialog[open]') !== null) {
      return;
    }
    const list = queue.sorted();
    const at = list.findIndex((i) => i.id === selected);
    if (event.key === 'a') {
      const current = list[at];
      const open = current && current.state !== 'INCIDENT_STATE_ACCEPTED'
        ? current : list.find((i) => i.state !== 'INCIDENT_STATE_ACCEPTED');
      if (open !== undefined) {
        accept(open.id);
      }
    } else if (event.key === 's') {
      event.preventDefault();  // the key must not land in the outcome list
      openClose();
    } else if (event.key === 'm') {
      listenIn();
    } else if (event.key === 'n' && selected !== '') {
      event.preventDefault();  // the key must not land in the note
      byId('note-text').focus();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = list[Math.min(list.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)))];
      if (next !== undefined) {
        select(next.id);
      }
    } else if (event.key === 'Enter' && selected !== '') {
      byId('incident-detail').scrollIntoView({ block: 'nearest' });
      byId('incident-detail').focus();
    }
  };
  document.addEventListener('keydown', onKey);
  const ticker = window.setInterval(renderQueue, 1000);
  feed.start();
  return {
    stop() {
      feed.stop();
      window.clearInterval(ticker);
      window.clearTimeout(bannerTimer);
      document.removeEventListener('keydown', onKey);
    },
  };
}
