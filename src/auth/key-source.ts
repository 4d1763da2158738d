import { readFile } from 'node:fs/promises';
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { ParseError } from '../errors/parse-error.js';
import type { GatewayConfig } from '../config/config.js';
import { createDevKeyGetter, loadOrCreateDevKeys } from './dev-keys.js';

// Where the verifier's pinned keys come from: the IdP's JWKS URL, a JWKS file, or (embedded mode only) the dev key
// pair. Whatever the source, the key set is fixed here: tokens never choose their own key (RFC 8725 section 3.10).

/** JWK members that hold secret material (RFC 7518 section 6.2.2, 6.3.2, 6.4.1). A verifier needs none of them. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/**
 * The IdP's JWKS over HTTP(S). jose caches it (10 min), refetches on an unknown `kid` at most every 30 s (key
 * rotation), times out after 5 s and does not follow redirects.
 */
export function createRemoteKeyGetter(url: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(url));
}

const DISCOVERY_TIMEOUT_MS = 5_000;
const DISCOVERY_COOLDOWN_MS = 30_000;

/**
 * The OpenID provider's keys, found through its discovery document (OpenID Connect Discovery 1.0 section 4): fetched
 * on first use, not at start-up, so a gateway starts while its IdP is briefly down (tokens then fail closed as
 * UPSTREAM_UNAVAILABLE and discovery is tried again on the next request). The document must name the configured
 * issuer exactly (section 4.3), or an impostor's document could point at its own keys.
 */
export function createDiscoveredKeyGetter(issuer: string, fetchImpl: typeof fetch = fetch, now: () => number = Date.now): JWTVerifyGetKey {
  let remote: Promise<JWTVerifyGetKey> | null = null;
  // After a failed discovery, requests fail at once for a while instead of each asking the IdP again (a flood of
  // bad tokens must not become a flood of requests to a struggling IdP); jose's JWKS getter does the same.
  let failedAt = -Infinity;
  const discover = async (): Promise<JWTVerifyGetKey> => {
    const where = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const response = await fetchImpl(where, { redirect: 'error', signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`OpenID discovery answered HTTP ${response.status}`);
    const doc = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
    if (doc.issuer !== issuer) throw new Error('OpenID discovery names another issuer');
    if (typeof doc.jwks_uri !== 'string') throw new Error('OpenID discovery has no jwks_uri');
    const jwks = new URL(doc.jwks_uri);
    // Keys over the same scheme as the issuer: an https issuer never hands out keys over plain http.
    if (jwks.protocol !== new URL(issuer).protocol) throw new Error('OpenID discovery jwks_uri changes scheme');
    return createRemoteJWKSet(jwks);
  };
  return async (protectedHeader, token) => {
    if (remote === null) {
      if (now() - failedAt < DISCOVERY_COOLDOWN_MS) throw new Error('OpenID discovery failed recently');
      remote = discover();
    }
    const current = remote;
    const getKey = await current.catch((error: unknown) => {
      // Retry discovery after the cool-down only when discovery itself failed; a key miss keeps the document.
      if (remote === current) remote = null;
      failedAt = now();
      throw error;
    });
    return getKey(protectedHeader, token);
  };
}

/** Reads a JWKS file, refusing it if any key carries private or symmetric material: that file should not exist. */
export async function loadJwksFile(path: string): Promise<JSONWebKeySet> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? 'not valid JSON';
    throw new ParseError('configuration', [`JWKS_FILE: cannot be read as JSON (${why})`]);
  }
  const keys: unknown = (json as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new ParseError('configuration', ['JWKS_FILE: must be a JWK Set, {"keys": [...]}, with at least one key']);
  }
  const problems: string[] = [];
  keys.forEach((key: unknown, index) => {
    if (key === null || typeof key !== 'object') {
      problems.push(`JWKS_FILE: key #${index + 1} is not a JSON object`);
      return;
    }
    const found = PRIVATE_MEMBERS.filter((member) => Object.hasOwn(key, member));
    if (found.length > 0) {
      problems.push(
        `JWKS_FILE: key #${index + 1} holds private or secret material (${found.join(', ')}); publish public keys only`,
      );
    }
  });
  if (problems.length > 0) throw new ParseError('configuration', problems);
  return json as JSONWebKeySet;
}

export async function createFileKeyGetter(path: string): Promise<JWTVerifyGetKey> {
  const jwks = await loadJwksFile(path);
  try {
    return createLocalJWKSet(jwks);
  } catch {
    throw new ParseError('configuration', ['JWKS_FILE: is not a valid JWK Set']);
  }
}

/** Picks the key source the config names; embedded mode without a JWKS uses (and creates) the dev key pair. */
export async function createKeyGetter(
  config: Pick<GatewayConfig, 'mode' | 'stateDir' | 'auth'> & { readonly oidc?: GatewayConfig['oidc'] },
): Promise<JWTVerifyGetKey> {
  if (config.auth.jwksUrl !== null) return createRemoteKeyGetter(config.auth.jwksUrl);
  if (config.auth.jwksFile !== null) return createFileKeyGetter(config.auth.jwksFile);
  if (config.oidc) return createDiscoveredKeyGetter(config.oidc.issuer);
  if (config.mode === 'production') throw new ParseError('configuration', ['JWKS_URL or JWKS_FILE: required in production']);
  return createDevKeyGetter(await loadOrCreateDevKeys(config.stateDir));
}
