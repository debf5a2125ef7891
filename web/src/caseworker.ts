// caseworker.ts — the case worker's view (#view-hulpverlener): activation notices and device
// health of their own clients; never a position. Not built yet (docs/web-console.md).
import { Session } from './api.js';
import { byId, element } from './dom.js';
import { ViewHandle } from './view.js';

// `sessionEnded`: call it when awared says the login is no longer live.
export function showCaseWorker(session: Session, _sessionEnded: () => void): ViewHandle {
  const view = byId('view-hulpverlener');
  view.replaceChildren(element('p', `Welkom, ${session.user}. De hulpverlenersweergave volgt.`));
  return { stop() {} };
}
