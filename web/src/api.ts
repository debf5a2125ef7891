// api.ts — signing in and out against awared's REST API (POST /api/v1/login, /logout). The
// session token lives in sessionStorage only (this tab; never localStorage, never a cookie).

export interface Session {
  token: string;
  user: string;
  role: string;            // centralist, pac_operator, hulpverlener, admin
  regions: string[];       // centralist: the regions served
  clients?: string[];      // hulpverlener: the clients followed (absent for other roles)
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
// awared's answer to too many password attempts in Dutch: 429 (this user name is locked for a
// while after repeated wrong passwords; `retry_after_s` says how long) or 503 (too many checks
// at once from everyone).
export function tooManyText(status: number, body: { retry_after_s?: number } | null): string {
  if (status === 429) {
    const seconds = Math.max(1, Math.ceil(Number(body?.retry_after_s ?? 1)));
    const wait = seconds >= 120 ? `${Math.ceil(seconds / 60)} minuten`
      : `${seconds} ${seconds === 1 ? 'seconde' : 'seconden'}`;
    return `Te vaak een verkeerd wachtwoord: probeer het over ${wait} opnieuw.`;
  }
  return 'De server krijgt nu te veel inlogpogingen: probeer het zo opnieuw.';
}

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
  if (reply.status === 429 || reply.status === 503) {
    throw new Error(tooManyText(reply.status, await reply.json().catch(() => null)));
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
    clients: Array.isArray(body.clients) ? body.clients.map(String) : [],
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

// A refused or failed REST call: the HTTP status (0: no connection) and awared's reason.
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly body: unknown = null) {
    super(message);
  }
}

// One REST call under /api/v1 with the session's token; resolves to the parsed JSON reply (or
// null for an empty body), rejects with an ApiError carrying awared's error text.
export async function api(session: Session, method: string, path: string, body?: unknown,
                          headers: Record<string, string> = {}): Promise<unknown> {
  const init: RequestInit = {
    method,
    headers: { Authorization: `Bearer ${session.token}`, ...headers },
  };
  if (body !== undefined) {
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let reply: Response;
  try {
    reply = await fetch(`/api/v1${path}`, init);
  } catch {
    throw new ApiError(0, 'Geen verbinding met de server.');
  }
  const text = await reply.text();
  let parsed: unknown = null;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (!reply.ok) {
    const reason = (parsed as { error?: string } | null)?.error ?? text;
    throw new ApiError(reply.status, `HTTP ${reply.status}: ${reason}`, parsed);
  }
  return parsed;
}

// What the page needs to know of awared's configuration (GET /api/v1/console-config): the tile
// server URL template, '' for none (vector layers on a plain background; also the answer when
// the call fails, so a map always renders).
export interface ConsoleConfig {
  tileUrl: string;
}

export async function consoleConfig(session: Session): Promise<ConsoleConfig> {
  try {
    const reply = (await api(session, 'GET', '/console-config')) as { tileUrl?: string } | null;
    return { tileUrl: String(reply?.tileUrl ?? '') };
  } catch {
    return { tileUrl: '' };
  }
}

// The meldkamer regions' outlines (GET /api/v1/region-outlines): a GeoJSON FeatureCollection
// with {id, name} per region. null when awared could not give them (the map then has none).
export async function regionOutlines(session: Session): Promise<GeoJSON.FeatureCollection | null> {
  try {
    const reply = (await api(session, 'GET', '/region-outlines')) as GeoJSON.FeatureCollection | null;
    return reply !== null && Array.isArray(reply.features) ? reply : null;
  } catch {
    return null;
  }
}
