// app.ts — the web console's entry point: the login form, then the view of the user's role
// (centralist.ts, pac.ts, caseworker.ts, admin.ts), changing one's password (password.ts) and
// logging out. Each view lives in its own <section> of index.html and is stopped (feeds closed)
// on logout or when the session ends.
// The address keeps the view (route.ts: #/meldkamer, #/pac/<tab>, #/hulpverlener, #/beheer).
import { showAdmin } from './admin.js';
import { currentSession, forgetSession, login, logout, Session } from './api.js';
import { showCaseWorker } from './caseworker.js';
import { showCentralist } from './centralist.js';
import { byId } from './dom.js';
import { showPac } from './pac.js';
import { hidePasswordChange, offerPasswordChange } from './password.js';
import { routeParts, setRoute } from './route.js';
import { ViewHandle } from './view.js';

const VIEWS = ['view-login', 'view-meldkamer', 'view-pac', 'view-hulpverlener', 'view-beheer'];
const ROLE_TEXT: Record<string, string> = {
  centralist: 'centralist',
  pac_operator: 'PAC-operator',
  hulpverlener: 'hulpverlener',
  admin: 'beheerder',
};

let current: ViewHandle | null = null;
let viewShown = false;  // a role's view was shown in this page

function showOnly(id: string): void {
  for (const view of VIEWS) {
    byId(view).hidden = view !== id;
  }
}

function showLogin(message = ''): void {
  current?.stop();
  current = null;
  showOnly('view-login');
  byId('header-user').textContent = '';
  byId('logout').hidden = true;
  hidePasswordChange();
  byId('login-error').textContent = message;
  byId<HTMLInputElement>('login-user').focus();
}

function sessionEnded(): void {
  forgetSession();
  showLogin('De sessie is verlopen; log opnieuw in.');
}

function showFor(session: Session): void {
  const views: Record<string, [string, () => ViewHandle, string]> = {
    centralist: ['view-meldkamer', () => showCentralist(session, sessionEnded), 'meldkamer'],
    pac_operator: ['view-pac', () => showPac(session, sessionEnded), 'pac'],
    hulpverlener: ['view-hulpverlener', () => showCaseWorker(session, sessionEnded), 'hulpverlener'],
    admin: ['view-beheer', () => showAdmin(session, sessionEnded), 'beheer'],
  };
  const view = views[session.role];
  if (view === undefined) {
    showLogin(`De webconsole heeft geen weergave voor de rol "${session.role}".`);
    return;
  }
  showOnly(view[0]);
  if (routeParts()[0] !== view[2]) {
    setRoute(view[2]);  // the view's own route; a PAC tab in it is pac.ts's to read
  }
  byId('header-user').textContent = `${session.user} (${ROLE_TEXT[session.role] ?? session.role})`;
  byId('logout').hidden = false;
  offerPasswordChange(session, () => {
    forgetSession();
    showLogin('Uw wachtwoord is gewijzigd; log in met het nieuwe wachtwoord.');
  }, sessionEnded);
  byId<HTMLButtonElement>('logout').onclick = async () => {
    current?.stop();
    current = null;
    await logout(session);
    location.reload();
  };
  current = view[1]();
  viewShown = true;
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
      if (viewShown) {
        // Signing in again after a session ended or a password change: a fresh page (the
        // session is in sessionStorage), so no view is built twice over what it left (a map
        // container cannot be initialised again).
        location.reload();
        return;
      }
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
