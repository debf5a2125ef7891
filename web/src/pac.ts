// pac.ts — the PAC operator's view (#view-pac): five tabs — technical alerts (live from
// /ws/pac, pac_alerts.ts), device status and proefmelding windows (pac_devices.ts),
// registrations with a map to pick AOL points (pac_registry.ts, registration_forms.ts,
// pac_map.ts) and contract reminders (pac_contracts.ts). Keys 1–5 switch tabs (outside input
// fields); the tab list also follows the arrow keys. Called by app.ts for pac_operator.
import { Session } from './api.js';
import { byId, element } from './dom.js';
import { Feed } from './feed.js';
import { AlertPanel } from './pac_alerts.js';
import { ContractPanel } from './pac_contracts.js';
import { DevicePanel } from './pac_devices.js';
import { FEED_STATUS_TEXT, feedStatus } from './pac_format.js';
import { RegistryPanel } from './pac_registry.js';
import { routeParts, setRoute } from './route.js';
import { ViewHandle } from './view.js';

// One tab: its id suffix, label, and what to do when it is shown (refresh its REST data).
interface Tab {
  id: string;
  label: string;
  panel: HTMLElement;
  shown(): void;
}

export function showPac(session: Session, sessionEnded: () => void): ViewHandle {
  const view = byId('view-pac');
  const status = element('span', FEED_STATUS_TEXT.verbinden, 'status');
  status.id = 'pac-status';
  status.setAttribute('role', 'status');

  let feed: Feed | null = null;
  const alerts = new AlertPanel(session, (request) => feed?.send(request) ?? false);
  const devices = new DevicePanel(session);
  const registry = new RegistryPanel(session);
  const contracts = new ContractPanel(session);
  const tabs: Tab[] = [
    { id: 'meldingen', label: 'Technische meldingen', panel: alerts.root, shown: () => {} },
    { id: 'apparaten', label: 'Apparaten', panel: devices.statusRoot, shown: () => devices.refresh() },
    { id: 'proef', label: 'Proefmeldingen', panel: devices.windowRoot, shown: () => devices.refresh() },
    { id: 'registraties', label: 'Registraties', panel: registry.root, shown: () => registry.shown() },
    { id: 'contracten', label: 'Contracten', panel: contracts.root, shown: () => contracts.refresh() },
  ];

  const tabList = element('div', '', 'tabs');
  tabList.setAttribute('role', 'tablist');
  tabList.setAttribute('aria-label', 'Onderdelen');
  const buttons = tabs.map((tab, index) => {
    const b = element('button', `${tab.label} (${index + 1})`, 'tab');
    b.type = 'button';
    b.id = `pac-tab-${tab.id}`;
    b.setAttribute('role', 'tab');
    b.setAttribute('aria-controls', `pac-panel-${tab.id}`);
    b.onclick = () => select(index);
    tab.panel.id = `pac-panel-${tab.id}`;
    tab.panel.setAttribute('role', 'tabpanel');
    tab.panel.setAttribute('aria-labelledby', b.id);
    tab.panel.classList.add('pac-panel');
    return b;
  });
  tabList.append(...buttons);
  tabList.onkeydown = (event: KeyboardEvent) => {
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0 || (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft')) {
      return;
    }
    const next = (at + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length;
    select(next);
    buttons[next].focus();
    event.preventDefault();
  };

  function select(index: number): void {
    setRoute('pac', tabs[index].id);
    tabs.forEach((tab, i) => {
      const on = i === index;
      tab.panel.hidden = !on;
      buttons[i].setAttribute('aria-selected', String(on));
      buttons[i].tabIndex = on ? 0 : -1;
    });
    tabs[index].shown();
  }

  const toolbar = element('div', '', 'toolbar');
  toolbar.append(tabList, status);
  view.replaceChildren(toolbar, ...tabs.map((t) => t.panel));
  // The tab the address names (#/pac/registraties: after a reload), else the first.
  const routedTab = (): number => {
    const [name, tab] = routeParts();
    return name === 'pac' ? tabs.findIndex((t) => t.id === tab) : -1;
  };
  select(Math.max(0, routedTab()));
  const onHash = () => {  // an address typed or pasted while signed in
    const index = routedTab();
    if (index >= 0 && tabs[index].panel.hidden) {
      select(index);
    }
  };
  window.addEventListener('hashchange', onHash);

  feed = new Feed('/ws/pac', session.token, {
    message(message) {
      if (message.snapshot !== undefined) {
        status.textContent = FEED_STATUS_TEXT.verbonden;
        status.className = 'status status-verbonden';
      }
      if (alerts.apply(message)) {
        devices.refresh();  // an alert says a device changed (battery, silence, a test press)
      }
    },
    status: feedStatus(status, session, sessionEnded),
  });

  const onKey = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement | null;
    if (event.ctrlKey || event.altKey || event.metaKey ||
        (target !== null && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) ||
        document.querySelector('dialog[open]') !== null) {
      return;
    }
    const n = Number(event.key);
    if (Number.isInteger(n) && n >= 1 && n <= tabs.length) {
      select(n - 1);
      buttons[n - 1].focus();
    } else if (event.key === 'b' && !tabs[0].panel.hidden) {
      alerts.acknowledgeFirst();
    }
  };
  document.addEventListener('keydown', onKey);
  const ticker = window.setInterval(() => alerts.tick(), 1000);
  feed.start();
  return {
    stop() {
      feed?.stop();
      window.clearInterval(ticker);
      document.removeEventListener('keydown', onKey);
      window.removeEventListener('hashchange', onHash);
      registry.stop();
    },
  };
}
