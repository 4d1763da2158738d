// The bearer token lives in this tab's sessionStorage only: gone when the tab closes, never in localStorage or a
// cookie, never sent anywhere but /graphql.

const KEY = 'clearance.console.token';
const PAGE = 'clearance.console.returnTo';

export function loadToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  try {
    sessionStorage.setItem(KEY, token);
  } catch {
    // Storage refused (private mode): the token lives in memory for this page only.
  }
}

export function clearToken(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}

/** The page (a #/ route) to return to after signing in again. */
export function rememberPage(hash: string): void {
  try {
    if (hash.startsWith('#/')) sessionStorage.setItem(PAGE, hash);
  } catch {
    // nothing remembered: sign-in lands on the inbox
  }
}

export function takeRememberedPage(): string | null {
  try {
    const hash = sessionStorage.getItem(PAGE);
    sessionStorage.removeItem(PAGE);
    // A console route only (`#/…`): never a path or another origin, whatever was stored.
    return hash !== null && /^#\/[\w%./-]*$/.test(hash) ? hash : null;
  } catch {
    return null;
  }
}

export interface DevTokenOptions {
  readonly role: string;
  readonly sub: string;
  readonly mfa: boolean;
  readonly tenant: string;
  readonly departments: readonly string[];
}

/** Embedded mode only: the roles the dev-token endpoint mints for; null in production (the route is 404). */
export async function devTokenRoles(): Promise<readonly string[] | null> {
  try {
    const r = await fetch('/console/dev-token', { cache: 'no-store', credentials: 'omit' });
    if (!r.ok) return null;
    const body = (await r.json()) as { roles?: unknown };
    return Array.isArray(body.roles) ? body.roles.filter((x): x is string => typeof x === 'string') : null;
  } catch {
    return null;
  }
}

export async function mintDevToken(options: DevTokenOptions): Promise<string> {
  const r = await fetch('/console/dev-token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(options),
    cache: 'no-store',
    credentials: 'omit',
  });
  const body = (await r.json()) as { token?: string; errors?: { message: string }[] };
  if (!r.ok || !body.token) throw new Error(body.errors?.[0]?.message ?? `HTTP ${r.status}`);
  return body.token;
}
