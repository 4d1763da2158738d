import { envField } from './env-field.js';
import { text, url } from './env-parsers.js';

// Console sign-in with an OpenID Connect provider (issue 15): the browser runs the authorization code flow with PKCE
// (RFC 7636) as a public client, so the gateway only needs the issuer and the client id; there is no client secret.
// When OIDC_ISSUER is set it is also the issuer the gateway verifies tokens against, and, without JWKS_URL or
// JWKS_FILE, the gateway takes the issuer's signing keys from its discovery document (OpenID Connect Discovery 1.0
// section 4, `jwks_uri`). Kept apart from config.ts like frontend-config.ts.

export interface OidcConfig {
  /** null: no IdP sign-in in the console (token paste, and the dev role picker in embedded mode). */
  readonly oidc: { readonly issuer: string; readonly clientId: string } | null;
}

export const OIDC_ENV = {
  OIDC_ISSUER: envField(url(['https:', 'http:'])),
  OIDC_CLIENT_ID: envField(text),
};

type OidcEnv = { [K in keyof typeof OIDC_ENV]?: ReturnType<(typeof OIDC_ENV)[K]['parse']> };

function isSet(raw: Record<string, string | undefined>, name: string): boolean {
  return (raw[name]?.trim() ?? '') !== '';
}

function isLoopbackUrl(href: string): boolean {
  const host = new URL(href).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

export function oidcChecks(production: boolean, raw: Record<string, string | undefined>, e: OidcEnv): string[] {
  const problems: string[] = [];
  const issuer = isSet(raw, 'OIDC_ISSUER');
  const client = isSet(raw, 'OIDC_CLIENT_ID');
  if (issuer && !client) problems.push('OIDC_CLIENT_ID: required with OIDC_ISSUER (the console signs in as this public client)');
  if (client && !issuer) problems.push('OIDC_ISSUER: required with OIDC_CLIENT_ID');
  // Tokens and the discovery document (which names the signing keys) would cross the network in clear.
  if (production && e.OIDC_ISSUER !== undefined && e.OIDC_ISSUER.startsWith('http:') && !isLoopbackUrl(e.OIDC_ISSUER)) {
    problems.push('OIDC_ISSUER: must use https in production');
  }
  if (issuer && isSet(raw, 'JWT_ISSUER') && e.OIDC_ISSUER !== undefined && raw.JWT_ISSUER!.trim() !== e.OIDC_ISSUER) {
    problems.push('JWT_ISSUER: must equal OIDC_ISSUER when both are set (the console signs in where the gateway verifies)');
  }
  return problems;
}

export function oidcConfig(e: OidcEnv): OidcConfig {
  if (e.OIDC_ISSUER === undefined || e.OIDC_CLIENT_ID === undefined) return { oidc: null };
  // The issuer exactly as the IdP names itself in `iss` (no trailing slash added or removed).
  return { oidc: { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID } };
}
