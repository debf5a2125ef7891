// pac.ts — the PAC operator's view (#view-pac): technical alerts, device status, proefmelding
// windows, registrations, contract reminders. Not built yet (docs/web-console.md).
import { Session } from './api.js';
import { byId, element } from './dom.js';
import { ViewHandle } from './view.js';

// `sessionEnded`: call it when awared says the login is no longer live.
export function showPac(session: Session, _sessionEnded: () => void): ViewHandle {
  const view = byId('view-pac');
  view.replaceChildren(element('p', `Welkom, ${session.user}. De PAC-weergave volgt.`));
  return { stop() {} };
}
