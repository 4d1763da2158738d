import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENT_TYPES } from './console-route.js';
import { sendError } from './http-responses.js';

// GraphiQL (issue 14), built by Vite from console/ide (npm run build:ide) to console/dist-ide and served here:
// the page at GET /graphql for a browser (Accept: text/html), its files under /graphql/ide/. The CSP allows this
// origin only; Monaco, the editor inside GraphiQL, sets inline styles and runs its language services in workers.
// The page carries no data: every query it sends is a normal /graphql request with the caller's token, where
// introspection is decided per role (INTROSPECTION_ROLES).

const IDE_DIST = fileURLToPath(new URL('../../console/dist-ide/', import.meta.url));
const IDE_PREFIX = '/graphql/ide/';

const IDE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': IDE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
} as const;

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Clearance GraphiQL: not built</title></head>
<body><main><h1>GraphiQL is not built</h1><p>Build it with <code>npm run build:ide</code> (<code>npm start</code> builds it
when it is missing), then reload this page.</p></main></body></html>
`;

export class GraphiqlRoute {
  private readonly distDir: string;

  constructor(distDir: string = IDE_DIST) {
    this.distDir = resolve(distDir);
  }

  static matches(pathname: string): boolean {
    return pathname.startsWith(IDE_PREFIX);
  }

  /** `/graphql` (the page) or `/graphql/ide/<built file>`; GET and HEAD only. */
  async handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'HEAD')
      return sendError(res, 405, 'BAD_USER_INPUT', 'Method not allowed', { reason: 'METHOD_NOT_ALLOWED' }, { allow: 'GET, HEAD' });
    const relative = pathname === '/graphql' ? 'index.html' : pathname.slice(IDE_PREFIX.length);
    if (!/^assets\/[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(relative) && relative !== 'index.html')
      return sendError(res, 404, 'NOT_FOUND', 'Not found', { resource: 'route' });
    const file = join(this.distDir, relative);
    const contentType = CONTENT_TYPES[extname(file)];
    const found = file.startsWith(this.distDir + sep) && contentType ? await stat(file).then((s) => s.isFile(), () => false) : false;
    if (!found) {
      if (relative !== 'index.html') return sendError(res, 404, 'NOT_FOUND', 'Not found', { resource: 'route' });
      res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS });
      res.end(method === 'HEAD' ? undefined : NOT_BUILT);
      return;
    }
    const body = await readFile(file);
    const cache = relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    res.writeHead(200, {
      'content-type': contentType!,
      'content-length': String(body.length),
      'cache-control': cache,
      ...SECURITY_HEADERS,
    });
    res.end(method === 'HEAD' ? undefined : body);
  }
}
