// api.ts — signing in and out against awared's REST API (POST /api/v1/login, /logout). The
// session token lives in sessionStorage only (this tab; never localStorage, never a cookie).

export interface Session {
  token: string;
  user: string;
  role: string;            // centralist, pac_operator, hulpverlener, admin
  regions: string[];       // centralist: the regions served
}

const KEY = 'awared.session';

export function currentSession(): Session | null {
  const text = sessionStorage.getItem(KEY);
  if (text === null) {
    return null;
  }
  try {
    return JSON.parse(text) as Session;
  } catch {
    sessionStorage.removeItem(KEY);
    return null;
  }
}

// Logs in; resolves to the session or rejects with a Dutch message for the login form.
export async function login(user: string, password: string): Promise<Session> {
  let reply: Response;
  try {
    reply = await fetch('/api/v1/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user, password }),
    });
  } catch {
    throw new Error('Geen verbinding met de server.');
  }
  if (reply.status === 401) {
    throw new Error('Onjuiste gebruikersnaam of wachtwoord.');
  }
  if (!reply.ok) {
    throw new Error(`Inloggen mislukt (HTTP ${reply.status}).`);
  }
  const body = await reply.json();
  const session: Session = {
    token: String(body.token),
    user: String(body.user),
    role: String(body.role),
    regions: Array.isArray(body.regions) ? body.regions.map(String) : [],
  };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

// Whether the session is still live (GET /api/v1/whoami); a network failure counts as live
// (the connection is the problem, not the session).
export async function sessionAlive(session: Session): Promise<boolean> {
  try {
    const reply = await fetch('/api/v1/whoami', {
      headers: { Authorization: `Bearer ${session.token}` },
    });
    return reply.status !== 401;
  } catch {
    return true;
  }
}

// Drops the session from this tab (it expired or was ended elsewhere).
export function forgetSession(): void {
  sessionStorage.removeItem(KEY);
}

export async function logout(session: Session): Promise<void> {
  sessionStorage.removeItem(KEY);
  try {
    await fetch('/api/v1/logout', {
      method: 'POST',
      headers: { Authorization: `Bearer ${session.token}` },
    });
  } catch {
    // The session is gone from this tab either way.
  }
}
