import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayMetrics } from './gateway-metrics.js';
import { sendError } from './http-responses.js';
import { isLoopbackClient } from './loopback.js';

// GET /metrics, Prometheus text format (issue 17). Who may scrape (src/config/observability-config.ts):
// - METRICS_TOKEN set: only `Authorization: Bearer <token>`, wherever it is served;
// - METRICS_PORT set: served on that listener only (the API port answers 404), open there unless a token is set;
// - neither: embedded mode serves it on the API port to loopback clients only; production does not serve it.
// Metrics hold counts by operation, rule, risk and tenant; still, who calls what how often is not for the internet.

export interface MetricsAccess {
  readonly token: string | null;
  /** A separate listener serves /metrics (METRICS_PORT). */
  readonly separatePort: boolean;
  readonly production: boolean;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export class MetricsRoute {
  private readonly tokenDigest: Buffer | null;

  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly access: MetricsAccess,
  ) {
    this.tokenDigest = access.token === null ? null : digest(access.token);
  }

  /** Does the API port serve /metrics at all? */
  get onApiPort(): boolean {
    return !this.access.separatePort && (this.access.token !== null || !this.access.production);
  }

  async handle(req: IncomingMessage, res: ServerResponse, listener: 'api' | 'metrics'): Promise<void> {
    if (listener === 'api' && !this.onApiPort) return sendError(res, 404, 'NOT_FOUND', 'Not found', { resource: 'route' });
    if (req.method !== 'GET') return sendError(res, 405, 'BAD_USER_INPUT', 'Method not allowed', { reason: 'METHOD_NOT_ALLOWED' });
    if (this.tokenDigest) {
      const header = req.headers.authorization ?? '';
      const presented = header.startsWith('Bearer ') ? header.slice(7) : '';
      // Compared as digests: constant time, whatever the length presented.
      if (!timingSafeEqual(digest(presented), this.tokenDigest)) {
        res.setHeader('www-authenticate', 'Bearer realm="metrics"');
        return sendError(res, 401, 'UNAUTHENTICATED', 'Metrics need the metrics bearer token', { reason: 'METRICS_TOKEN_REQUIRED' });
      }
    } else if (listener === 'api' && !isLoopbackClient(req)) {
      return sendError(res, 403, 'FORBIDDEN', 'Metrics are served to loopback clients only (set METRICS_TOKEN)', {
        reason: 'METRICS_LOOPBACK_ONLY',
      });
    }
    const text = await this.metrics.text();
    res.writeHead(200, { 'content-type': this.metrics.contentType, 'cache-control': 'no-store' });
    res.end(text);
  }

  /** The METRICS_PORT listener: /metrics and nothing else. */
  async listen(port: number, host: string): Promise<{ readonly url: string; stop(): Promise<void> }> {
    const server: Server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://metrics.local').pathname;
      if (path !== '/metrics') return sendError(res, 404, 'NOT_FOUND', 'Not found', { resource: 'route' });
      this.handle(req, res, 'metrics').catch(() => {
        if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'Internal error');
        else res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    const { port: bound } = server.address() as AddressInfo;
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
      stop: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }
}
