import type { IncomingMessage } from 'node:http';

// Reads a request body up to `limit` bytes. Over the limit the rest is read and dropped (so the client, still
// sending, gets our 413 instead of a broken connection), but only up to `hardCap`: past it the connection is cut,
// so a client streaming gigabytes cannot keep a worker busy. A Content-Length over the cap is cut at once.

export function readBody(req: IncomingMessage, limit: number, hardCap = limit * 8): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > hardCap) {
      req.destroy();
      resolve(null);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (value: string | null) => {
      if (!settled) {
        settled = true;
        resolve(value);
      }
    };
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
      else if (size > hardCap) {
        req.destroy();
        settle(null);
      }
    });
    req.on('end', () => settle(size > limit ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('close', () => settle(null));
    req.on('error', (e) => (settled ? undefined : reject(e)));
  });
}
