import type { IncomingMessage } from 'node:http';

// Routes that are safe only on the machine itself (the embedded default's dev-token minter, /metrics without its
// token) answer loopback clients alone: a gateway bound to a network address (HOST=0.0.0.0) must not hand them to the
// network. The peer's address is the socket's, never a header a client could set (X-Forwarded-For).

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export const isLoopbackClient = (req: IncomingMessage): boolean => LOOPBACK.has(req.socket.remoteAddress ?? '');
