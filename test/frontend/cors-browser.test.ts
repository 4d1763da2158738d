import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/browser.js';
import { startHarness, type Harness } from '../support/harness.js';

// Issue 14, item 1: a browser app on its own origin. A real Chromium loads a page from another loopback port and
// calls the gateway with fetch: the listed origin reads the answer, an unlisted one cannot, and simple cross-site
// requests (which skip the preflight) are still refused by CSRF prevention before anything runs.

async function pageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>frontend</title><p>app</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('CORS from a real browser on another origin', () => {
  let h: Harness;
  let allowed: { server: Server; origin: string };
  let other: { server: Server; origin: string };
  let context: BrowserContext;
  let profile: string;
  let token: string;

  beforeAll(async () => {
    allowed = await pageServer();
    other = await pageServer();
    h = await startHarness({ env: { CORS_ORIGINS: `https://app.example.org, ${allowed.origin}` } });
    token = await h.token({ roles: ['clinician'], departments: ['cardiology'] });
    profile = mkdtempSync(join(tmpdir(), 'clearance-cors-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    await h?.stop();
    allowed?.server.close();
    other?.server.close();
  });

  /** fetch() from a page of `origin`, as a frontend would send it (JSON with a bearer token: a preflighted request). */
  async function fetchFrom(origin: string, init: { contentType?: string; auth?: boolean; query?: string } = {}) {
    const page = await context.newPage();
    try {
      await page.goto(`${origin}/`);
      return await page.evaluate(
        async ({ url, token, contentType, query }) => {
          try {
            const headers: Record<string, string> = { 'content-type': contentType };
            if (token) headers.authorization = `Bearer ${token}`;
            const r = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query }) });
            return { ok: true as const, status: r.status, body: await r.text(), requestId: r.headers.get('x-request-id') };
          } catch (e) {
            return { ok: false as const, error: String(e) };
          }
        },
        {
          url: h.url,
          token: init.auth === false ? null : token,
          contentType: init.contentType ?? 'application/json',
          query: init.query ?? '{ me { sub roles } }',
        },
      );
    } finally {
      await page.close();
    }
  }

  it('the listed origin queries and reads the answer (and the exposed request id)', async () => {
    const r = await fetchFrom(allowed.origin);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ data: { me: { sub: 'clinician-1', roles: ['clinician'] } } });
    expect(r.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('another origin cannot read the answer: the preflight is refused, the browser blocks the call', async () => {
    const r = await fetchFrom(other.origin);
    expect(r).toEqual({ ok: false, error: expect.stringContaining('Failed to fetch') });
  });

  it('a simple cross-site request (text/plain, no preflight) from an unlisted origin is not executed', async () => {
    // The browser sends it without asking; the gateway refuses it before execution (CSRF prevention), and the page
    // cannot read even that refusal.
    const r = await fetchFrom(other.origin, { contentType: 'text/plain', auth: false, query: 'mutation { __typename }' });
    expect(r.ok).toBe(false);
    const direct = await fetch(h.url, {
      method: 'POST',
      headers: { origin: other.origin, 'content-type': 'text/plain' },
      body: '{"query":"{ __typename }"}',
    });
    expect(direct.status).toBe(400);
    expect(direct.headers.get('access-control-allow-origin')).toBeNull();
    const get = await fetch(`${h.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { origin: other.origin } });
    expect(get.status).toBe(400);
  });

  it('the preflight names the allowed methods and headers, exact origin, credentials, no wildcard', async () => {
    const r = await fetch(h.url, {
      method: 'OPTIONS',
      headers: {
        origin: allowed.origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe(allowed.origin);
    expect(r.headers.get('access-control-allow-credentials')).toBe('true');
    expect(r.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(r.headers.get('access-control-allow-headers')?.split(', ')).toEqual(expect.arrayContaining(['authorization', 'content-type']));
    expect(r.headers.get('vary')).toBe('Origin');
    for (const [origin, method, reason] of [
      [other.origin, 'POST', 'CORS_ORIGIN_NOT_ALLOWED'],
      ['null', 'POST', 'CORS_ORIGIN_NOT_ALLOWED'],
      [`${allowed.origin}.evil.example`, 'POST', 'CORS_ORIGIN_NOT_ALLOWED'],
      [allowed.origin.replace('http:', 'https:'), 'POST', 'CORS_ORIGIN_NOT_ALLOWED'],
      [allowed.origin, 'DELETE', 'CORS_METHOD_NOT_ALLOWED'],
      [allowed.origin, 'PUT', 'CORS_METHOD_NOT_ALLOWED'],
    ]) {
      const refused = await fetch(h.url, { method: 'OPTIONS', headers: { origin: origin!, 'access-control-request-method': method! } });
      expect(refused.status, `${origin} ${method}`).toBe(403);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      expect(((await refused.json()) as { errors: { extensions: { reason: string } }[] }).errors[0]!.extensions.reason).toBe(reason);
    }
  });
});
