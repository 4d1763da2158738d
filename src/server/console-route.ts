import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrCreateDevKeys, mintToken } from '../auth/dev-keys.js';
import { isTenantId } from '../config/tenant-id.js';
import type { GatewayConfig } from '../config/config.js';
import type { PolicyDocument } from '../../rules/policy-document.js';
import { readBody } from './http-body.js';
import { sendError, sendJson } from './http-responses.js';
import { isLoopbackClient } from './loopback.js';

// The approver console (issue 9): the built single-page app in console/dist, served at /console with a CSP that
// allows this origin only, and, in embedded mode only, POST /console/dev-token that mints a dev token for a role
// picker, to loopback clients only. In production the dev-token route does not exist (404, like any unknown route):
// people paste a token.

const CONSOLE_DIST = fileURLToPath(new URL('../../console/dist/', import.meta.url));

/**
 * Nothing from another origin: scripts, styles, fonts, images, fetches, frames, form targets. The one exception is
 * the configured OpenID provider's origin in connect-src: the browser fetches its discovery document and redeems
 * the authorization code at its token endpoint (the sign-in page itself is a top-level navigation, not a fetch).
 */
function consoleCsp(identityProviderOrigin: string | null = null): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    identityProviderOrigin ? `connect-src 'self' ${identityProviderOrigin}` : "connect-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const CONSOLE_CSP = consoleCsp();

function securityHeaders(csp: string) {
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  } as const;
}

/** What the console needs to know before sign-in (GET /console/config.json): where to sign in, nothing secret. */
interface ConsoleClientConfig {
  /** The OpenID provider and the console's public client id; null: no IdP sign-in. */
  readonly oidc: { readonly issuer: string; readonly clientId: string } | null;
}

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Clearance console: not built</title></head>
<body><main><h1>The Clearance console is not built</h1>
<p>Build it with <code>npm run build:console</code> (or start the gateway with <code>npm start</code>, which builds it
when it is missing), then reload this page.</p></main></body></html>
`;

/** What the role picker may ask for; anything else is refused. */
interface DevTokenRequest {
  readonly role: string;
  readonly sub: string;
  readonly mfa: boolean;
  readonly tenant: string;
  readonly departments: readonly string[];
}

export interface DevTokenMinter {
  /** Roles of the policy, for the picker. */
  readonly roles: readonly string[];
  mint(request: DevTokenRequest): Promise<string>;
}

export interface ConsoleRouteOptions {
  /** Built files (default console/dist). */
  readonly distDir?: string;
  /** null: production (or embedded with an external JWKS): no dev tokens, /console/dev-token is 404. */
  readonly devTokens: DevTokenMinter | null;
  /** OIDC sign-in for the console (OIDC_ISSUER, OIDC_CLIENT_ID); null or absent: none. */
  readonly oidc?: ConsoleClientConfig['oidc'];
}

const DEV_TOKEN_TTL_SECONDS = 8 * 60 * 60;
const SUB = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const DEPARTMENT = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * Dev tokens only where the gateway itself verifies with the dev key pair: embedded mode without JWKS_URL/JWKS_FILE
 * (a token minted with the dev key would not verify anywhere else, and production never has dev keys).
 */
export async function devTokenMinterFor(config: GatewayConfig, policy: PolicyDocument): Promise<DevTokenMinter | null> {
  if (config.mode !== 'embedded' || config.auth.jwksUrl !== null || config.auth.jwksFile !== null || config.oidc !== null) return null;
  const keys = await loadOrCreateDevKeys(config.stateDir);
  return {
    roles: Object.keys(policy.roles),
    mint: (r) =>
      mintToken(
        keys,
        {
          sub: r.sub,
          tenant: r.tenant,
          roles: [r.role],
          mfa: r.mfa,
          ...(r.departments.length > 0 ? { departments: [...r.departments] } : {}),
        },
        { issuer: config.auth.issuer, audience: config.auth.audience, ttlSeconds: DEV_TOKEN_TTL_SECONDS },
      ),
  };
}

function parseDevTokenRequest(body: unknown, roles: readonly string[]): DevTokenRequest | string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b.role !== 'string' || !roles.includes(b.role)) return 'role: not a role of the policy';
  if (typeof b.sub !== 'string' || !SUB.test(b.sub)) return 'sub: 1-64 letters, digits, . _ @ -';
  const tenant = b.tenant ?? 'acme';
  if (typeof tenant !== 'string' || !isTenantId(tenant)) return 'tenant: not a tenant id';
  const departments = b.departments ?? [];
  if (!Array.isArray(departments) || departments.length > 8 || !departments.every((d) => typeof d === 'string' && DEPARTMENT.test(d))) {
    return 'departments: a list of department codes';
  }
  if (b.mfa !== undefined && typeof b.mfa !== 'boolean') return 'mfa: true or false';
  return { role: b.role, sub: b.sub, tenant, mfa: b.mfa === true, departments: departments as string[] };
}

export class ConsoleRoute {
  private readonly distDir: string;
  private readonly headers: ReturnType<typeof securityHeaders>;

  constructor(private readonly options: ConsoleRouteOptions) {
    this.distDir = resolve(options.distDir ?? CONSOLE_DIST);
    this.headers = securityHeaders(consoleCsp(options.oidc ? new URL(options.oidc.issuer).origin : null));
  }

  static matches(pathname: string): boolean {
    return pathname === '/console' || pathname.startsWith('/console/');
  }

  async handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    if (pathname === '/console/dev-token') return this.devToken(req, res, method);
    if (pathname === '/console/config.json' && (method === 'GET' || method === 'HEAD')) {
      const config: ConsoleClientConfig = { oidc: this.options.oidc ?? null };
      return sendJson(res, 200, config, { 'cache-control': 'no-store', ...this.headers });
    }
    if (method !== 'GET' && method !== 'HEAD')
      return sendError(res, 405, 'BAD_USER_INPUT', 'Method not allowed', { reason: 'METHOD_NOT_ALLOWED' }, { allow: 'GET, HEAD' });
    if (pathname === '/console') {
      res.writeHead(308, { location: '/console/', ...this.headers }).end();
      return;
    }
    const relative = pathname === '/console/' ? 'index.html' : pathname.slice('/console/'.length);
    // Built file names only: no dot segments, no encoded characters, no hidden files.
    if (!/^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(relative) || relative.includes('..')) {
      return sendError(res, 404, 'NOT_FOUND', 'Not found', { resource: 'route' });
    }
    const file = join(this.distDir, relative);
    if (!file.startsWith(this.distDir + sep)) return sendError(res, 404, 'NOT_FOUND', 'Not found', { resource: 'route' });
    const contentType = CONTENT_TYPES[extname(file)];
    const found = contentType ? await stat(file).then((s) => s.isFile(), () => false) : false;
    if (!found) {
      if (relative === 'index.html') return this.notBuilt(res, method);
      return sendError(res, 404, 'NOT_FOUND', 'Not found', { resource: 'route' });
    }
    const body = await readFile(file);
    // Vite puts a content hash in every asset's name: cache those for good, never the page that names them.
    const cache = relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    res.writeHead(200, { 'content-type': contentType!, 'content-length': String(body.length), 'cache-control': cache, ...this.headers });
    res.end(method === 'HEAD' ? undefined : body);
  }

  private notBuilt(res: ServerResponse, method: string): void {
    res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...this.headers });
    res.end(method === 'HEAD' ? undefined : NOT_BUILT);
  }

  /** GET: the roles for the picker; POST {role, sub, mfa, tenant, departments}: a dev token. 404 unless embedded. */
  private async devToken(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const minter = this.options.devTokens;
    if (!minter) return sendError(res, 404, 'NOT_FOUND', 'Not found', { resource: 'route' });
    // It mints any role, MFA included: only for someone on this machine (an embedded gateway on HOST=0.0.0.0 handed
    // security-admin to the network). Elsewhere, mint with the CLI on the gateway's machine and paste the token.
    if (!isLoopbackClient(req)) {
      return sendError(res, 403, 'FORBIDDEN', 'Dev tokens are minted for loopback clients only', { reason: 'DEV_TOKENS_LOOPBACK_ONLY' });
    }
    const noStore = { 'cache-control': 'no-store' };
    if (method === 'GET') return sendJson(res, 200, { roles: minter.roles }, noStore);
    if (method !== 'POST')
      return sendError(res, 405, 'BAD_USER_INPUT', 'Method not allowed', { reason: 'METHOD_NOT_ALLOWED' }, { allow: 'GET, POST' });
    // JSON only: a cross-site form cannot send it without a CORS preflight, which this route never answers.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendError(res, 415, 'BAD_USER_INPUT', 'Send application/json', { reason: 'UNSUPPORTED_MEDIA_TYPE' });
    }
    const raw = await readBody(req, 4096);
    if (raw === null) return sendError(res, 413, 'BAD_USER_INPUT', 'Request body too large', { reason: 'BODY_TOO_LARGE' });
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return sendError(res, 400, 'BAD_USER_INPUT', 'Body is not valid JSON', { reason: 'INVALID_JSON' });
    }
    const parsed = parseDevTokenRequest(body, minter.roles);
    if (typeof parsed === 'string') return sendError(res, 400, 'BAD_USER_INPUT', parsed, { reason: 'INVALID_DEV_TOKEN_REQUEST' });
    sendJson(res, 200, { token: await minter.mint(parsed), expiresIn: DEV_TOKEN_TTL_SECONDS }, noStore);
  }
}
