import * as oauth from 'oauth4webapi';
import { rememberPage, takeRememberedPage } from './session';

// Sign-in with the organisation's OpenID provider: the authorization code flow with PKCE (RFC 7636, S256) as a
// public client (no secret in the browser, RFC 8252 section 8.5). The verifier, state and nonce live in this tab's
// sessionStorage between leaving for the IdP and coming back; the page the user was on is remembered the same way.
// The access token, whose audience is the gateway, is what the console sends as its bearer token.

export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
}

const PENDING = 'clearance.console.oidc.pending';

interface Pending {
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
}

/** GET /console/config.json: the IdP the gateway trusts, or null (no IdP sign-in configured, or no answer). */
export async function loadOidcSettings(): Promise<OidcSettings | null> {
  try {
    const r = await fetch('config.json', { cache: 'no-store', credentials: 'omit' });
    if (!r.ok) return null;
    const body = (await r.json()) as { oidc?: { issuer?: unknown; clientId?: unknown } | null };
    const o = body.oidc;
    return o && typeof o.issuer === 'string' && typeof o.clientId === 'string' ? { issuer: o.issuer, clientId: o.clientId } : null;
  } catch {
    return null;
  }
}

/** The one redirect URI to register with the IdP: this console's own address, no query, no fragment. */
function redirectUri(): string {
  return `${location.origin}/console/`;
}

// Plain http is accepted for a loopback IdP only (a test or a local sidecar), never across a network.
function requestOptions(issuer: URL): { [oauth.allowInsecureRequests]?: boolean } {
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
  return issuer.protocol === 'http:' && loopback ? { [oauth.allowInsecureRequests]: true } : {};
}

async function discover(settings: OidcSettings): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(settings.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...requestOptions(issuer) }));
}


/** Leaves for the IdP's sign-in page. */
export async function startSignIn(settings: OidcSettings): Promise<void> {
  const as = await discover(settings);
  if (!as.authorization_endpoint) throw new Error('The identity provider has no authorization endpoint.');
  const pending: Pending = {
    verifier: oauth.generateRandomCodeVerifier(),
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
  };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  rememberPage(location.hash);
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', 'openid');
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(pending.verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', pending.state);
  url.searchParams.set('nonce', pending.nonce);
  location.assign(url.href);
}

/** True when this page load is the IdP sending the user back (?code=… or ?error=…). */
export function isCallback(): boolean {
  const q = new URLSearchParams(location.search);
  return q.has('state') && (q.has('code') || q.has('error'));
}

/** Redeems the code for tokens and returns the access token; the query is removed from the address bar either way. */
export async function completeSignIn(settings: OidcSettings): Promise<string> {
  const current = new URL(location.href);
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', `${current.pathname}${takeRememberedPage() ?? '#/inbox'}`);
  if (!raw) throw new Error('This sign-in was not started in this tab; please sign in again.');
  const pending = JSON.parse(raw) as Pending;
  const as = await discover(settings);
  const client: oauth.Client = { client_id: settings.clientId };
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client, current, pending.state);
  } catch (error) {
    const description =
      error instanceof oauth.AuthorizationResponseError ? (error.error_description ?? error.error) : (error as Error).message;
    throw new Error(`The identity provider did not sign you in: ${description}`);
  }
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri(), pending.verifier,
    requestOptions(new URL(settings.issuer)));
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
  return tokens.access_token;
}
