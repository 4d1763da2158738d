import WebSocket from 'ws';

// A graphql-ws (`graphql-transport-ws`) peer over a real WebSocket, speaking the protocol message by message, so a
// test sees exactly what the server sends, and the close code it ends with.

export interface WsMessage {
  readonly type: string;
  readonly id?: string;
  readonly payload?: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  } & Record<string, unknown>;
}

export class LiveSocket {
  readonly messages: WsMessage[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.messages.push(JSON.parse(data.toString('utf8')) as WsMessage));
    this.closed = new Promise((resolve) =>
      ws.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString('utf8') })),
    );
  }

  /** Opens a socket on `httpUrl` (http://host:port/path) and sends connection_init with `payload` (unless null). */
  static async open(httpUrl: string, payload: Record<string, unknown> | null): Promise<LiveSocket> {
    const ws = new WebSocket(httpUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const socket = new LiveSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    if (payload) ws.send(JSON.stringify({ type: 'connection_init', payload }));
    return socket;
  }

  /** Resolves true once acknowledged, false if the server closed instead. */
  async acked(): Promise<boolean> {
    return Promise.race([this.waitFor((m) => m.type === 'connection_ack').then(() => true), this.closed.then(() => false)]);
  }

  subscribe(id: string, query: string, variables?: Record<string, unknown>): void {
    this.ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, ...(variables ? { variables } : {}) } }));
  }

  /** A subscribe message with any payload (a trusted document named by hash, without `query`, ...), sent as is. */
  subscribeWith(id: string, payload: Record<string, unknown>): void {
    this.ws.send(JSON.stringify({ id, type: 'subscribe', payload }));
  }

  complete(id: string): void {
    this.ws.send(JSON.stringify({ id, type: 'complete' }));
  }

  of(id: string): WsMessage[] {
    return this.messages.filter((m) => m.id === id);
  }

  /** Waits (up to 15 s, a margin of many times what it takes) for a message matching `pred`. */
  async waitFor(pred: (m: WsMessage) => boolean, timeoutMs = 15_000): Promise<WsMessage> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(pred);
      if (found) return found;
      if (Date.now() > end) throw new Error(`no such message; got ${JSON.stringify(this.messages)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.ws.close(1000);
  }
}
