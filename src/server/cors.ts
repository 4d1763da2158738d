// CORS for browser frontends on their own origin (issue 14), as a pure decision: the request's Origin and preflight
// headers in, the response headers out. https://fetch.spec.whatwg.org/#http-cors-protocol
//
// - Exact origins only. `*` (embedded mode only: config refuses it in production) answers `*` and never with
//   `Access-Control-Allow-Credentials`: the spec forbids the pair, and a wildcard must not reach a signed-in app.
// - Clearance authenticates with a bearer token, not cookies; credentials are allowed for listed origins only so that
//   a client configured with `credentials: 'include'` still works.
// - CORS only decides who may READ an answer. Simple cross-site requests (form posts, text/plain, GET without a
//   custom header) are refused before execution by Apollo's CSRF prevention, which stays on.

const CORS_METHODS = ['GET', 'POST', 'OPTIONS'] as const;
/** What a GraphQL client sends: the token, JSON, Apollo's CSRF headers, and the trusted-document and IDE headers. */
const CORS_HEADERS = [
  'authorization',
  'content-type',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'graphql-client-name',
  'graphql-client-version',
];
/** Readable by the page: the request id for support tickets, Retry-After on 429. */
const CORS_EXPOSED = ['x-request-id', 'retry-after'];
const MAX_AGE_SECONDS = 600;

export type PreflightAnswer =
  | { readonly allowed: true; readonly headers: Record<string, string> }
  | {
      readonly allowed: false;
      readonly headers: Record<string, string>;
      readonly reason: 'CORS_ORIGIN_NOT_ALLOWED' | 'CORS_METHOD_NOT_ALLOWED';
    };

export class CorsPolicy {
  constructor(private readonly origins: '*' | readonly string[]) {}

  /** A preflight: OPTIONS carrying Origin and Access-Control-Request-Method. */
  static isPreflight(method: string, origin: string | undefined, requestMethod: string | undefined): boolean {
    return method === 'OPTIONS' && origin !== undefined && requestMethod !== undefined;
  }

  allows(origin: string): boolean {
    return this.origins === '*' || this.origins.includes(origin);
  }

  /** Headers for an actual (non-preflight) response: none unless the origin is allowed. `Vary` always, for caches. */
  responseHeaders(origin: string | undefined): Record<string, string> {
    const vary = this.vary();
    if (origin === undefined || !this.allows(origin)) return vary;
    return { ...this.allowOrigin(origin), ...vary, 'access-control-expose-headers': CORS_EXPOSED.join(', ') };
  }

  preflight(origin: string, requestMethod: string): PreflightAnswer {
    const vary = this.vary();
    if (!this.allows(origin)) return { allowed: false, headers: vary, reason: 'CORS_ORIGIN_NOT_ALLOWED' };
    if (!(CORS_METHODS as readonly string[]).includes(requestMethod.toUpperCase())) {
      return { allowed: false, headers: vary, reason: 'CORS_METHOD_NOT_ALLOWED' };
    }
    return {
      allowed: true,
      headers: {
        ...this.allowOrigin(origin),
        ...vary,
        'access-control-allow-methods': CORS_METHODS.join(', '),
        // The fixed list, not an echo of what was asked: the browser refuses the request if it wants another header.
        'access-control-allow-headers': CORS_HEADERS.join(', '),
        'access-control-max-age': String(MAX_AGE_SECONDS),
      },
    };
  }

  private vary(): Record<string, string> {
    return this.origins === '*' ? {} : { vary: 'Origin' };
  }

  private allowOrigin(origin: string): Record<string, string> {
    return this.origins === '*'
      ? { 'access-control-allow-origin': '*' }
      : { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' };
  }
}
