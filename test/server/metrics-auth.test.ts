import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { ParseError } from '../../src/errors/parse-error.js';
import { GatewayMetrics } from '../../src/server/gateway-metrics.js';
import { MetricsRoute, type MetricsAccess } from '../../src/server/metrics-route.js';
import { startProductionHarness, type ProductionHarness } from '../support/production-harness.js';
import { startHarness } from '../support/harness.js';

// Issue 17: who may read /metrics. Production: only with the bearer token (METRICS_TOKEN) or on the separate
// METRICS_PORT listener, never open on the API port; embedded: loopback clients only unless a token is set.

const TOKEN = 'metrics-token-0123456789abcdef';

describe('production gateway with METRICS_TOKEN', () => {
  let h: ProductionHarness;
  let metricsUrl: string;
  beforeAll(async () => {
    h = await startProductionHarness({ env: { METRICS_TOKEN: TOKEN } });
    metricsUrl = h.url.replace(/\/graphql$/, '/metrics');
  });
  afterAll(() => h.stop());

  it('refuses a scrape without the token, with a wrong one, and with a user token', async () => {
    const user = await h.token({ roles: ['security-admin'] });
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, `Bearer ${user}`, TOKEN]) {
      const r = await fetch(metricsUrl, { headers: authorization ? { authorization } : {} });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toContain('Bearer');
      expect(await r.text()).not.toContain('clearance_requests_total');
    }
  });

  it('serves the metrics to the token', async () => {
    const r = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('# TYPE clearance_requests_total counter');
  });
});

describe('gateway with METRICS_PORT', () => {
  it('serves /metrics on its own listener and not on the API port', async () => {
    const h = await startHarness({ env: { METRICS_PORT: '0' } });
    try {
      expect(h.running.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(h.url.replace(/\/graphql$/, '/metrics'))).status).toBe(404);
      const r = await fetch(`${h.running.metricsUrl}/metrics`);
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('clearance_requests_total');
    } finally {
      await h.stop();
    }
  });
});

describe('config', () => {
  it('refuses a short METRICS_TOKEN and reads METRICS_PORT and OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    expect(() => parseConfig({ METRICS_TOKEN: 'short' }, [])).toThrow(ParseError);
    expect(() => parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://x' }, [])).toThrow(ParseError);
    const c = parseConfig({ METRICS_PORT: '9464', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, []);
    expect(c.metrics).toEqual({ token: null, port: 9464 });
    expect(c.otlpEndpoint).toBe('http://127.0.0.1:4318');
  });
});

/** The API port's /metrics behind a real HTTP server, with the client address it would see from elsewhere. */
async function apiPort(access: MetricsAccess, remoteAddress?: string): Promise<{ url: string; server: Server }> {
  const route = new MetricsRoute(new GatewayMetrics(), access);
  const server = createServer((req: IncomingMessage, res) => {
    if (remoteAddress) Object.defineProperty(req.socket, 'remoteAddress', { value: remoteAddress });
    void route.handle(req, res, 'api');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, server };
}

describe('who may scrape, by mode', () => {
  const servers: Server[] = [];
  afterAll(async () => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));
  const status = async (access: MetricsAccess, remote?: string, authorization?: string) => {
    const { url, server } = await apiPort(access, remote);
    servers.push(server);
    return (await fetch(url, { headers: authorization ? { authorization } : {} })).status;
  };

  it('production without token or port: not served on the API port, even to loopback', async () => {
    expect(await status({ token: null, separatePort: false, production: true })).toBe(404);
  });

  it('METRICS_PORT: the API port answers 404; the metrics listener serves (with its token when set)', async () => {
    expect(await status({ token: null, separatePort: true, production: true })).toBe(404);
    for (const token of [null, TOKEN]) {
      const route = new MetricsRoute(new GatewayMetrics(), { token, separatePort: true, production: true });
      const listener = await route.listen(0, '127.0.0.1');
      try {
        expect((await fetch(`${listener.url}/metrics`)).status).toBe(token ? 401 : 200);
        expect((await fetch(`${listener.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
        expect((await fetch(`${listener.url}/graphql`)).status).toBe(404);
      } finally {
        await listener.stop();
      }
    }
  });

  it('embedded: open to loopback clients, refused to any other address unless it has the token', async () => {
    const embedded = { token: null, separatePort: false, production: false };
    expect(await status(embedded)).toBe(200);
    for (const remote of ['10.0.0.7', '203.0.113.9', '::ffff:192.168.1.2', '2001:db8::1']) expect(await status(embedded, remote)).toBe(403);
    expect(await status({ ...embedded, token: TOKEN }, '203.0.113.9', `Bearer ${TOKEN}`)).toBe(200);
    expect(await status({ ...embedded, token: TOKEN }, '127.0.0.1')).toBe(401);
  });
});
