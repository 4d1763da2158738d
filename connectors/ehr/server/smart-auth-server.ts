import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseSmartScope, type SmartScope } from '../../../spec/smart-scopes.js';
import { readBody } from './request-body.js';

// The embedded FHIR server's authorization server, in auth mode, as a real EHR runs it for SMART Backend Services
// (https://hl7.org/fhir/smart-app-launch/backend-services.html): per tenant, `.well-known/smart-configuration`
// names a token endpoint; the token endpoint takes the client_credentials grant authenticated by a JWT assertion
// (RFC 7523: iss = sub = client_id, aud = the token endpoint, exp at most five minutes ahead, a jti never seen
// before, signed RS384 or ES384 by a key of the client's registered JWKS) or by HTTP Basic client_secret; it
// grants the requested system scopes the client is registered for and answers a short-lived opaque bearer token.
// Every FHIR request then needs a live token whose scopes allow the interaction on the resource type (SMART v2
// letters: c create, r read, u update, d delete, s search; https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html).

export interface RegisteredClient {
  readonly clientId: string;
  /** private_key_jwt clients: the public keys the assertion must verify against. */
  readonly jwks?: JSONWebKeySet;
  /** client_secret_basic clients. */
  readonly secret?: string;
  /** The system scopes it may be granted, for example `system/*.rs`. */
  readonly scopes: readonly string[];
}

export interface SmartAuthOptions {
  /** Access token lifetime in seconds (default 300). */
  readonly tokenTtlSec?: number;
  /** Clock in ms (tests); default Date.now. */
  readonly now?: () => number;
}

interface IssuedToken {
  readonly tenant: string;
  readonly clientId: string;
  readonly scopes: readonly SmartScope[];
  readonly expiresAt: number;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function oauthError(res: ServerResponse, status: number, error: string): void {
  const body = JSON.stringify({ error });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The SMART v2 letter a FHIR interaction needs, from the method and the path after the tenant base. */
function interactionOf(method: string, path: string): { resource: string; letter: string } | null {
  const segments = path.split('?')[0]!.split('/').filter(Boolean);
  const resource = segments[0];
  if (!resource || !/^[A-Z][A-Za-z]+$/.test(resource)) return null;
  const last = segments[segments.length - 1];
  switch (method) {
    case 'GET':
      return { resource, letter: segments.length === 1 ? 's' : 'r' };
    case 'POST':
      return { resource, letter: last === '_search' ? 's' : 'c' };
    case 'PUT':
    case 'PATCH':
      return { resource, letter: 'u' };
    case 'DELETE':
      return { resource, letter: 'd' };
    default:
      return null;
  }
}

export class SmartAuthServer {
  private readonly clients = new Map<string, RegisteredClient>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly seenJti = new Map<string, number>();
  private readonly now: () => number;
  /** Token requests answered, by outcome (tests count them). */
  readonly issued: { tenant: string; clientId: string }[] = [];

  constructor(private readonly options: SmartAuthOptions = {}) {
    this.now = options.now ?? (() => Date.now());
  }

  register(tenant: string, client: RegisteredClient): void {
    this.clients.set(`${tenant}|${client.clientId}`, client);
  }

  /** Ends every issued token at once (tests: the next call gets a 401 and must refresh). */
  revokeAll(): void {
    this.tokens.clear();
  }

  smartConfiguration(tokenEndpoint: string): Record<string, unknown> {
    return {
      token_endpoint: tokenEndpoint,
      token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic'],
      token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
      grant_types_supported: ['client_credentials'],
      scopes_supported: ['system/*.cruds'],
      capabilities: ['client-confidential-asymmetric', 'client-confidential-symmetric', 'permission-v2'],
    };
  }

  async token(tenant: string, tokenEndpoint: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return oauthError(res, 405, 'invalid_request');
    const body = await readBody(req);
    if (body.kind !== 'form') return oauthError(res, 400, 'invalid_request');
    const form = body.value as Record<string, string | string[]>;
    const one = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : null);
    if (one('grant_type') !== 'client_credentials') return oauthError(res, 400, 'unsupported_grant_type');
    const client = await this.authenticate(tenant, tokenEndpoint, req, one('client_assertion_type'), one('client_assertion'));
    if (!client) return oauthError(res, 401, 'invalid_client');
    const requested = (one('scope') ?? '').split(' ').filter(Boolean);
    const allowed = client.scopes.map(parseSmartScope).filter((s): s is SmartScope => s !== null);
    // Granted: each requested system scope, narrowed to what the registration allows.
    const granted = requested.flatMap((scope) => {
      const s = parseSmartScope(scope);
      if (!s || s.context !== 'system') return [];
      const letters = [...s.interactions].filter((l) =>
        allowed.some((a) => (a.resource === '*' || a.resource === s.resource) && a.interactions.has(l)),
      );
      return letters.length ? [{ ...s, interactions: new Set(letters) }] : [];
    });
    if (granted.length === 0) return oauthError(res, 400, 'invalid_scope');
    const ttl = this.options.tokenTtlSec ?? 300;
    const value = randomBytes(32).toString('base64url');
    this.tokens.set(value, { tenant, clientId: client.clientId, scopes: granted, expiresAt: this.now() + ttl * 1000 });
    this.issued.push({ tenant, clientId: client.clientId });
    const scope = granted
      .map(
        (s) =>
          `system/${s.resource}.${'cruds'
            .split('')
            .filter((l) => s.interactions.has(l))
            .join('')}`,
      )
      .join(' ');
    const text = JSON.stringify({ access_token: value, token_type: 'bearer', expires_in: ttl, scope });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async authenticate(
    tenant: string,
    tokenEndpoint: string,
    req: IncomingMessage,
    assertionType: string | null,
    assertion: string | null,
  ): Promise<RegisteredClient | null> {
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const at = decoded.indexOf(':');
      if (at === -1) return null;
      const id = decodeURIComponent(decoded.slice(0, at));
      const client = this.clients.get(`${tenant}|${id}`);
      return client?.secret && sameSecret(client.secret, decodeURIComponent(decoded.slice(at + 1))) ? client : null;
    }
    if (assertionType !== ASSERTION_TYPE || !assertion) return null;
    // The client is named by the unverified iss; everything is then checked against its registered keys.
    const [, payload] = assertion.split('.');
    let iss: unknown;
    try {
      iss = (JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as { iss?: unknown }).iss;
    } catch {
      return null;
    }
    const client = typeof iss === 'string' ? this.clients.get(`${tenant}|${iss}`) : undefined;
    if (!client?.jwks) return null;
    try {
      const { payload: claims } = await jwtVerify(assertion, createLocalJWKSet(client.jwks), {
        algorithms: ['RS384', 'ES384'],
        issuer: client.clientId,
        subject: client.clientId,
        audience: tokenEndpoint,
        requiredClaims: ['exp', 'jti'],
        currentDate: new Date(this.now()),
      });
      const nowSec = this.now() / 1000;
      if ((claims.exp ?? 0) > nowSec + 300 + 5) return null;
      const jti = `${tenant}|${client.clientId}|${String(claims.jti)}`;
      for (const [k, exp] of this.seenJti) if (exp < nowSec) this.seenJti.delete(k);
      if (this.seenJti.has(jti)) return null;
      this.seenJti.set(jti, claims.exp ?? nowSec);
      return client;
    } catch {
      return null;
    }
  }

  /** Null when the request may proceed; else the status to answer (401 no or dead token, 403 scope). */
  authorize(tenant: string, method: string, path: string, authorization: string | undefined): 401 | 403 | null {
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const token = bearer ? this.tokens.get(bearer[1]!) : undefined;
    if (!token || token.tenant !== tenant) return 401;
    if (token.expiresAt <= this.now()) {
      this.tokens.delete(bearer![1]!);
      return 401;
    }
    const needed = interactionOf(method, path);
    if (!needed) return 403;
    return token.scopes.some((s) => (s.resource === '*' || s.resource === needed.resource) && s.interactions.has(needed.letter))
      ? null
      : 403;
  }
}
