import { mkdtempSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../rules/policy-document.js';
import { parseConfig } from '../../src/config/config.js';
import { CONSOLE_CSP, ConsoleRoute, devTokenMinterFor } from '../../src/server/console-route.js';
import { startHarness, type Harness } from '../support/harness.js';
import { CONSOLE_INDEX } from './browser.js';

// The gateway's /console route over HTTP: built files with their content types and a CSP that allows this origin
// only; no way out of console/dist; the dev-token route in embedded mode only (404 in production).

interface Raw {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A request with the path exactly as given (fetch would normalise `..` away before sending). */
function raw(origin: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Raw> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const postJson = (origin: string, path: string, body: unknown) =>
  raw(origin, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

let h: Harness;
let origin: string;

beforeAll(async () => {
  h = await startHarness();
  origin = h.running.url;
});
afterAll(() => h.stop());

describe('/console: the built single-page app', () => {
  it('serves index.html and its assets with their content types, the CSP and no-sniff', async () => {
    const redirect = await raw(origin, '/console');
    expect(redirect.status).toBe(308);
    expect(redirect.headers.location).toBe('/console/');

    const page = await raw(origin, '/console/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("default-src 'none'");
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).toContain("connect-src 'self'");
    expect(CONSOLE_CSP).not.toMatch(/https?:|\*|unsafe/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['cache-control']).toBe('no-cache');
    // Nothing in the page names another origin.
    expect(page.body).not.toMatch(/\bhttps?:\/\//);

    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    const style = /href="(\/console\/assets\/[^"]+\.css)"/.exec(page.body)?.[1];
    expect(script).toBeTruthy();
    expect(style).toBeTruthy();
    const js = await raw(origin, script!);
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    expect(js.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect((await raw(origin, style!)).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it.each([
    '/console/assets/missing.js',
    '/console/../package.json',
    '/console/%2e%2e/package.json',
    '/console/..%2fpackage.json',
    '/console/assets/../../../package.json',
    '/console/.vite/manifest.json',
    '/console/index.html%00.js',
  ])('%s: 404, nothing outside console/dist', async (path) => {
    const r = await raw(origin, path);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('"name": "clearance"');
  });

  it('only GET and HEAD', async () => {
    expect((await raw(origin, '/console/', { method: 'POST' })).status).toBe(405);
    const head = await raw(origin, '/console/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('says how to build it when console/dist is missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'console-empty-'));
    const { url, close } = await serve(new ConsoleRoute({ distDir: empty, devTokens: null }));
    try {
      const r = await raw(url, '/console/');
      expect(r.status).toBe(503);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(r.body).toContain('npm run build:console');
    } finally {
      await close();
    }
  });

  it('the built console exists (scripts/test.sh builds it before these tests)', async () => {
    const { existsSync } = await import('node:fs');
    expect(existsSync(CONSOLE_INDEX)).toBe(true);
  });
});

describe('/console/dev-token: embedded mode only', () => {
  it('lists the policy roles and mints a token the gateway accepts', async () => {
    const roles = JSON.parse((await raw(origin, '/console/dev-token')).body) as { roles: string[] };
    expect(roles.roles).toEqual(expect.arrayContaining(['integration-engineer', 'security-admin', 'auditor']));
    const r = await postJson(origin, '/console/dev-token', { role: 'security-admin', sub: 'sec-sam', mfa: true });
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const { token } = JSON.parse(r.body) as { token: string };
    const me = await h.gql<{ me: { sub: string; roles: string[]; mfa: boolean; tenant: string } }>(
      token,
      '{ me { sub roles mfa tenant } }',
    );
    expect(me.body.data?.me).toEqual({ sub: 'sec-sam', roles: ['security-admin'], mfa: true, tenant: 'acme' });
  });

  it.each([
    [{ role: 'root', sub: 'x' }, 'role'],
    [{ role: 'auditor', sub: '' }, 'sub'],
    [{ role: 'auditor', sub: 'a b' }, 'sub'],
    [{ role: 'auditor', sub: 'a', tenant: '../acme' }, 'tenant'],
    [{ role: 'auditor', sub: 'a', departments: ['x'.repeat(50)] }, 'departments'],
    [{ role: 'auditor', sub: 'a', mfa: 'yes' }, 'mfa'],
  ])('refuses %j (400, names %s)', async (body, field) => {
    const r = await postJson(origin, '/console/dev-token', body);
    expect(r.status).toBe(400);
    expect((JSON.parse(r.body) as { errors: { message: string }[] }).errors[0]!.message).toMatch(new RegExp(`^${field}:`));
  });

  it('JSON only: a form post (no CORS preflight) is refused', async () => {
    const r = await raw(origin, '/console/dev-token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'role=auditor&sub=x',
    });
    expect(r.status).toBe(415);
  });

  it('answers loopback clients only: from a network address, 403 DEV_TOKENS_LOOPBACK_ONLY and no token', async () => {
    const minter = await devTokenMinterFor(parseConfig({ CLEARANCE_STATE_DIR: mkdtempSync(join(tmpdir(), 'dev-')) }, []), defaultPolicy());
    expect(minter).not.toBeNull();
    for (const [from, allowed] of [['192.0.2.2', false], ['10.0.0.7', false], ['::ffff:192.0.2.2', false], ['fe80::1', false],
      ['127.0.0.1', true], ['::1', true], ['::ffff:127.0.0.1', true]] as const) {
      const { url, close } = await serve(new ConsoleRoute({ devTokens: minter }), from);
      try {
        const r = await postJson(url, '/console/dev-token', { role: 'security-admin', sub: 'attacker', mfa: true });
        const roles = await raw(url, '/console/dev-token');
        if (allowed) {
          expect([r.status, roles.status], from).toEqual([200, 200]);
        } else {
          expect([r.status, roles.status], from).toEqual([403, 403]);
          expect(r.body, from).toContain('DEV_TOKENS_LOOPBACK_ONLY');
          expect(r.body, from).not.toContain('token"');
        }
      } finally {
        await close();
      }
    }
  });

  it('production: no minter, and the route is 404 like any unknown route', async () => {
    const production = parseConfig({
      NODE_ENV: 'production',
      JWT_ISSUER: 'https://idp.example.org',
      JWKS_URL: 'https://idp.example.org/.well-known/jwks.json',
      REDIS_URL: 'redis://redis.internal:6379',
      FHIR_BASE_URLS: '{"acme":"https://fhir.acme.example/r4"}',
      AUDIT_HMAC_KEY: 'k'.repeat(48),
      SECRETS_KEK: `kek-1:${Buffer.alloc(32, 1).toString('base64')}`,
      INTROSPECTION_ROLES: '',
    }, []);
    expect(production.mode).toBe('production');
    expect(await devTokenMinterFor(production, defaultPolicy())).toBeNull();
    // Embedded mode with an external identity provider cannot mint either: its tokens would not verify.
    const embeddedWithIdp = parseConfig({ JWKS_URL: 'https://idp.example.org/.well-known/jwks.json' }, []);
    expect(await devTokenMinterFor(embeddedWithIdp, defaultPolicy())).toBeNull();

    const { url, close } = await serve(new ConsoleRoute({ devTokens: null }));
    try {
      expect((await raw(url, '/console/dev-token')).status).toBe(404);
      const r = await postJson(url, '/console/dev-token', { role: 'security-admin', sub: 'sec-sam', mfa: true });
      expect(r.status).toBe(404);
      expect(r.body).not.toContain('token"');
    } finally {
      await close();
    }
  });
});

/** `from`: the peer address the route sees (a client on the network, for a gateway bound to HOST=0.0.0.0). */
async function serve(route: ConsoleRoute, from?: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (from) Object.defineProperty(req.socket, 'remoteAddress', { value: from });
    void route.handle(req, res, new URL(req.url ?? '/', 'http://x').pathname);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
