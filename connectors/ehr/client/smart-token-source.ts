import { importJWK, SignJWT, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { ConnectorError } from '../../common/connector-error.js';
import { toConnectorError } from '../../common/http-failure.js';

// Access tokens for a backend integration, as SMART Backend Services specifies
// (https://hl7.org/fhir/smart-app-launch/backend-services.html): the token endpoint is discovered from
// `[base]/.well-known/smart-configuration` (https://hl7.org/fhir/smart-app-launch/conformance.html), then an
// OAuth 2.0 client_credentials grant authenticated by a JWT assertion signed with the connector's private key
// (`private_key_jwt`, RS384 or ES384; RFC 7523), or by HTTP Basic client_secret where a server needs it
// (RFC 6749 section 2.3.1). A token is cached until shortly before it expires; `invalidate` drops it after a 401.
// Neither the token, the assertion, the secret nor anything the token endpoint says is logged or put in an error:
// errors carry a kind, the HTTP status and at most the RFC 6749 section 5.2 error code (a fixed vocabulary).
//
// A credential is bound to the origin it was set for (`boundOrigin`: the connector's base URL when a holder of
// `write` on credentials set it). Whoever may change the base URL may not thereby send the credential elsewhere: this
// source fetches discovery and asks for a token only while its base URL is on the bound origin, follows no redirect
// (discovery must be served by that origin; the token request goes exactly where it said), and sends the credential
// to a token endpoint off that origin only over https. The endpoint discovery names is trusted because that origin
// served it: a base URL moved to another origin would have its discovery name any endpoint it likes. Anything else
// is CREDENTIALS_NOT_BOUND before a byte is sent.

type BoundTo = { readonly boundOrigin: string | null };
export type ConnectorCredential =
  | ({
      readonly method: 'private_key_jwt';
      readonly clientId: string;
      readonly privateJwk: JWK;
      readonly kid: string;
      readonly alg: 'RS384' | 'ES384';
    } & BoundTo)
  | ({ readonly method: 'client_secret_basic'; readonly clientId: string; readonly secret: string } & BoundTo);

/** The origin (scheme, host, port as the WHATWG URL parser normalizes them) a credential is bound to; null if unparsable. */
export function originOf(url: string): string | null {
  if (!URL.canParse(url)) return null;
  const { origin } = new URL(url);
  return origin === 'null' ? null : origin;
}

export interface SmartTokenSourceOptions {
  readonly connector: string;
  readonly baseUrl: string;
  readonly credential: ConnectorCredential;
  /** System scopes asked for, for example `system/Patient.rs`. */
  readonly scopes: readonly string[];
  /** Clock in ms (tests expire tokens with it); default Date.now. */
  readonly now?: () => number;
  /** A token is used until this many seconds before its expiry (default 30). */
  readonly refreshSkewSec?: number;
}

/** RFC 6749 section 5.2 error codes: the only upstream words an error may repeat. */
const OAUTH_ERRORS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
]);
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

interface CachedToken {
  readonly value: string;
  readonly usableUntil: number;
}

export class SmartTokenSource {
  private tokenEndpoint: string | null = null;
  private cached: CachedToken | null = null;
  private pending: Promise<string> | null = null;
  private readonly now: () => number;

  constructor(private readonly options: SmartTokenSourceOptions) {
    this.now = options.now ?? (() => Date.now());
  }

  private fail(kind: 'UNAVAILABLE' | 'REJECTED' | 'UNAUTHORIZED', status: number | null, what: string): ConnectorError {
    return new ConnectorError(this.options.connector, kind, status, `${this.options.connector}: ${what}`);
  }

  private notBound(what: string): ConnectorError {
    const { connector } = this.options;
    return new ConnectorError(connector, 'CREDENTIALS_NOT_BOUND', null, `${connector}: ${what}; nothing was sent`);
  }

  /** The base URL is on the origin the credential was set for (a credential bound to none is never sent). */
  private assertBound(): string {
    const bound = this.options.credential.boundOrigin;
    const rotate = 'a holder of write:credentials must rotate them for the new destination';
    if (!bound) throw this.notBound(`the credentials are bound to no destination (set before binding, or without a base URL); ${rotate}`);
    if (originOf(this.options.baseUrl) !== bound) throw this.notBound(`the base URL changed since the credentials were set; ${rotate}`);
    return bound;
  }

  /** The token endpoint from `.well-known/smart-configuration` on the bound origin; fetched once per source. */
  async discover(signal: AbortSignal): Promise<string> {
    const bound = this.assertBound();
    if (this.tokenEndpoint) return this.tokenEndpoint;
    let res: Response;
    try {
      // redirect: manual, so the answer comes from the bound origin itself (an open redirect there cannot hand
      // discovery, and with it the choice of token endpoint, to another host).
      res = await fetch(`${this.options.baseUrl}/.well-known/smart-configuration`, {
        signal,
        redirect: 'manual',
        headers: { accept: 'application/json' },
      });
    } catch (err) {
      throw toConnectorError(this.options.connector, 'SMART discovery', err);
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      throw this.notBound('SMART discovery answered with a redirect, which is not followed');
    }
    const body = (await res.json().catch(() => null)) as { token_endpoint?: unknown } | null;
    if (res.status !== 200) throw toConnectorError(this.options.connector, 'SMART discovery', { response: { status: res.status } });
    const endpoint = typeof body?.token_endpoint === 'string' ? body.token_endpoint : null;
    if (!endpoint || !/^https?:\/\//.test(endpoint) || !URL.canParse(endpoint))
      throw this.fail('REJECTED', res.status, 'SMART discovery named no token endpoint');
    // Off the bound origin, a secret or an assertion travels only over TLS.
    if (originOf(endpoint) !== bound && new URL(endpoint).protocol !== 'https:')
      throw this.notBound('SMART discovery named a token endpoint off the bound origin without https');
    this.tokenEndpoint = endpoint;
    return endpoint;
  }

  /** A valid access token: the cached one, or a new one (one request at a time however many callers wait). */
  async token(signal: AbortSignal): Promise<string> {
    this.assertBound();
    if (this.cached && this.now() < this.cached.usableUntil) return this.cached.value;
    this.pending ??= this.requestToken(signal).finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** Drops `token` if it is the cached one (a 401 said it is no longer good). */
  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = null;
  }

  private async assertion(tokenEndpoint: string): Promise<string> {
    const credential = this.options.credential;
    if (credential.method !== 'private_key_jwt') throw new Error('not a key credential');
    const key = await importJWK(credential.privateJwk, credential.alg);
    const nowSec = Math.floor(this.now() / 1000);
    // iss = sub = client_id, aud = the token endpoint, exp at most five minutes ahead, a fresh jti
    // (backend-services.html#authenticating-to-the-token-endpoint).
    return new SignJWT({})
      .setProtectedHeader({ alg: credential.alg, kid: credential.kid, typ: 'JWT' })
      .setIssuer(credential.clientId)
      .setSubject(credential.clientId)
      .setAudience(tokenEndpoint)
      .setJti(randomUUID())
      .setIssuedAt(nowSec)
      .setExpirationTime(nowSec + 300)
      .sign(key);
  }

  private async requestToken(signal: AbortSignal): Promise<string> {
    const endpoint = await this.discover(signal);
    const credential = this.options.credential;
    const form = new URLSearchParams({ grant_type: 'client_credentials', scope: this.options.scopes.join(' ') });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (credential.method === 'private_key_jwt') {
      form.set('client_assertion_type', ASSERTION_TYPE);
      form.set('client_assertion', await this.assertion(endpoint));
    } else {
      const encode = (v: string) => encodeURIComponent(v);
      headers.authorization = `Basic ${Buffer.from(`${encode(credential.clientId)}:${encode(credential.secret)}`).toString('base64')}`;
    }
    const requestedAt = this.now();
    let res: Response;
    try {
      // Not followed: the credential went to the endpoint discovery named, and goes nowhere else.
      res = await fetch(endpoint, { method: 'POST', signal, redirect: 'manual', headers, body: form.toString() });
    } catch (err) {
      throw toConnectorError(this.options.connector, 'token request', err);
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      throw this.notBound('the token endpoint answered with a redirect, which is not followed');
    }
    const body = (await res.json().catch(() => null)) as { access_token?: unknown; expires_in?: unknown; error?: unknown } | null;
    if (res.status === 400 || res.status === 401) {
      const code = typeof body?.error === 'string' && OAUTH_ERRORS.has(body.error) ? body.error : 'refused';
      throw this.fail('UNAUTHORIZED', res.status, `token request was refused (${code})`);
    }
    if (res.status !== 200) throw toConnectorError(this.options.connector, 'token request', { response: { status: res.status } });
    if (typeof body?.access_token !== 'string' || body.access_token === '')
      throw this.fail('UNAVAILABLE', res.status, 'token response held no access token');
    const lifetimeSec = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 300;
    const skewSec = Math.min(this.options.refreshSkewSec ?? 30, lifetimeSec / 2);
    this.cached = { value: body.access_token, usableUntil: requestedAt + (lifetimeSec - skewSec) * 1000 };
    return body.access_token;
  }
}
