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

export type ConnectorCredential =
  | {
      readonly method: 'private_key_jwt';
      readonly clientId: string;
      readonly privateJwk: JWK;
      readonly kid: string;
      readonly alg: 'RS384' | 'ES384';
    }
  | { readonly method: 'client_secret_basic'; readonly clientId: string; readonly secret: string };

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

  /** The token endpoint from `.well-known/smart-configuration`; fetched once per source. */
  async discover(signal: AbortSignal): Promise<string> {
    if (this.tokenEndpoint) return this.tokenEndpoint;
    let res: Response;
    try {
      res = await fetch(`${this.options.baseUrl}/.well-known/smart-configuration`, { signal, headers: { accept: 'application/json' } });
    } catch (err) {
      throw toConnectorError(this.options.connector, 'SMART discovery', err);
    }
    const body = (await res.json().catch(() => null)) as { token_endpoint?: unknown } | null;
    if (res.status !== 200) throw toConnectorError(this.options.connector, 'SMART discovery', { response: { status: res.status } });
    const endpoint = typeof body?.token_endpoint === 'string' ? body.token_endpoint : null;
    if (!endpoint || !/^https?:\/\//.test(endpoint)) throw this.fail('REJECTED', res.status, 'SMART discovery named no token endpoint');
    this.tokenEndpoint = endpoint;
    return endpoint;
  }

  /** A valid access token: the cached one, or a new one (one request at a time however many callers wait). */
  async token(signal: AbortSignal): Promise<string> {
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
      res = await fetch(endpoint, { method: 'POST', signal, headers, body: form.toString() });
    } catch (err) {
      throw toConnectorError(this.options.connector, 'token request', err);
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
