import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { LiveSocket, type WsMessage } from '../support/live-socket.js';
import { RedisServer } from '../support/redis-server.js';

// The live approval queue (issue 14) over real WebSockets: two gateway replicas (each its own HTTP server) on one
// real Redis; a change proposed and approved on replica B reaches a subscriber on replica A; the subscriber's rights
// are checked again on every event (a revoked role ends the stream); tokens, limits and timeouts close the socket
// with graphql-ws's close codes.

let redis: RedisServer;
let a: Harness;
let b: Harness;
const sockets: LiveSocket[] = [];

beforeAll(async () => {
  redis = await RedisServer.start();
  const shared = mkdtempSync(join(tmpdir(), 'clearance-live-'));
  const env = { REDIS_URL: redis.url };
  a = await startHarness({ env, stateDir: shared, start: { subscriptions: { maxConnectionsPerPrincipal: 2, idleTimeoutMs: 1_500 } } });
  b = await startHarness({ env, stateDir: shared });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await a?.stop();
  await b?.stop();
  await redis?.stop();
});

const wsUrl = (h: Harness, path = '/graphql/ws') => h.url.replace(/\/graphql$/, path);
const open = async (h: Harness, token: string | null, path?: string) => {
  const s = await LiveSocket.open(wsUrl(h, path), token === null ? {} : { authorization: `Bearer ${token}` });
  sockets.push(s);
  return s;
};

const EVENTS = 'subscription { changeEvents { kind changeId approvals change { id status key approvals { sub } } actionable } }';
const ACTIONABLE = 'subscription { actionableChanges { kind changeId actionable change { id status } } }';
const PROPOSE = `mutation ($v: JSON!) { updateSetting(input: { key: "integration.webhookRoutes", environment: PRODUCTION, value: $v, ` +
  `reason: "route approvals" }) {
  status changeRequest { id } } }`;
const APPROVE = 'mutation ($id: ID!) { approveChange(id: $id) { status } }';
let routes = 0;
const propose = async (h: Harness, token: string) => {
  const r = await h.gql<{ updateSetting: { status: string; changeRequest: { id: string } } }>(token, PROPOSE, {
    v: [{ event: 'change.proposed', url: `https://hooks.example.com/${++routes}` }],
  });
  expect(r.body.errors).toBeUndefined();
  expect(r.body.data!.updateSetting.status).toBe('PENDING_APPROVAL');
  return r.body.data!.updateSetting.changeRequest.id;
};
const nexts = (s: LiveSocket, id: string) => s.of(id).filter((m) => m.type === 'next').map((m) => m.payload!);
const eventOf = (m: WsMessage) => (m.payload!.data as { changeEvents: Record<string, unknown> }).changeEvents;

describe('across replicas', () => {
  it('a change proposed and approved on replica B reaches a subscriber on replica A, read through the schema', async () => {
    const watcher = await open(a, await a.token({ sub: 'eng-watch', roles: ['integration-engineer'], mfa: true }));
    expect(await watcher.acked()).toBe(true);
    watcher.subscribe('1', EVENTS);
    await new Promise((r) => setTimeout(r, 200)); // the subscription listens before anything is published
    const id = await propose(b, await b.token({ sub: 'eng-req', roles: ['integration-engineer'], mfa: true }));
    const proposed = eventOf(await watcher.waitFor((m) => m.id === '1' && m.type === 'next'));
    expect(proposed).toEqual({
      kind: 'PROPOSED',
      changeId: id,
      approvals: 0,
      change: { id, status: 'PENDING', key: 'integration.webhookRoutes', approvals: [] },
      actionable: true,
    });
    const approved = await b.gql(await b.token({ sub: 'eng-ok', roles: ['integration-engineer'], mfa: true }), APPROVE, { id });
    expect(approved.body.data).toEqual({ approveChange: { status: 'APPLIED' } });
    await watcher.waitFor((m) => m.id === '1' && m.type === 'next' && eventOf(m).kind === 'APPLIED');
    const kinds = nexts(watcher, '1').map((p) => (p.data as { changeEvents: { kind: string } }).changeEvents.kind);
    expect(kinds).toEqual(['PROPOSED', 'APPLIED']);
    const applied = nexts(watcher, '1').at(-1)!.data as {
      changeEvents: { change: { status: string; approvals: { sub: string }[] }; actionable: boolean };
    };
    expect(applied.changeEvents).toMatchObject({ change: { status: 'APPLIED', approvals: [{ sub: 'eng-ok' }] }, actionable: false });
    watcher.complete('1');
  });

  it('the graphql-ws client (what a frontend uses) at /graphql receives the same events', async () => {
    const token = await a.token({ sub: 'eng-client', roles: ['integration-engineer'], mfa: true });
    const client = createClient({
      url: wsUrl(a, '/graphql'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    const got: unknown[] = [];
    const dispose = client.subscribe(
      { query: 'subscription { changeEvents { kind changeId } }' },
      { next: (v) => void got.push(v.data), error: () => {}, complete: () => {} },
    );
    await new Promise((r) => setTimeout(r, 300));
    const id = await propose(b, await b.token({ sub: 'eng-req2', roles: ['integration-engineer'], mfa: true }));
    for (let i = 0; i < 1500 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(got).toEqual([{ changeEvents: { kind: 'PROPOSED', changeId: id } }]);
    dispose();
    await client.dispose();
  });

  it("actionableChanges: a change becomes actionable for an approver, and leaves when another's approval completes it", async () => {
    const approver = await open(a, await a.token({ sub: 'eng-appr', roles: ['integration-engineer'], mfa: true }));
    const requester = await open(a, await a.token({ sub: 'eng-req3', roles: ['integration-engineer'], mfa: true }));
    expect(await approver.acked()).toBe(true);
    expect(await requester.acked()).toBe(true);
    approver.subscribe('q', ACTIONABLE);
    requester.subscribe('q', ACTIONABLE);
    await new Promise((r) => setTimeout(r, 200));
    const id = await propose(b, await b.token({ sub: 'eng-req3', roles: ['integration-engineer'], mfa: true }));
    const first = await approver.waitFor((m) => m.id === 'q' && m.type === 'next');
    expect(first.payload!.data).toEqual({
      actionableChanges: { kind: 'PROPOSED', changeId: id, actionable: true, change: { id, status: 'PENDING' } },
    });
    await b.gql(await b.token({ sub: 'eng-other', roles: ['integration-engineer'], mfa: true }), APPROVE, { id });
    const gone = await approver.waitFor(
      (m) =>
        m.id === 'q' &&
        m.type === 'next' &&
        (m.payload!.data as { actionableChanges: { kind: string } }).actionableChanges.kind === 'APPLIED',
    );
    expect(gone.payload!.data).toMatchObject({ actionableChanges: { changeId: id, actionable: false } });
    // The requester can never approve their own change: nothing for them.
    await new Promise((r) => setTimeout(r, 200));
    expect(nexts(requester, 'q')).toEqual([]);
  });
});

describe('rights, checked again on every event', () => {
  it('a role revoked (on replica B) ends the stream on replica A with FORBIDDEN', async () => {
    const sup = await a.token({ sub: 'sup-rev', roles: ['support'] });
    const s = await open(a, sup);
    expect(await s.acked()).toBe(true);
    s.subscribe('r', 'subscription { changeEvents { kind changeId } }');
    await new Promise((r) => setTimeout(r, 200));
    const sec = (sub: string) => b.token({ sub, roles: ['security-admin'], mfa: true });
    // A standing assignment first (with none stored, the token alone decides), then its revocation: both governed.
    const governed = async (mutation: string, field: string) => {
      const r = await b.gql<Record<string, { status: string; changeRequest: { id: string } }>>(await sec('sec-a'), mutation);
      expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
      let status = r.body.data![field]!.status;
      const id = r.body.data![field]!.changeRequest.id;
      for (const approver of [await sec('sec-b'), await b.token({ sub: 'eng-x', roles: ['integration-engineer'], mfa: true })]) {
        if (status === 'APPLIED') break;
        const ok = await b.gql<{ approveChange: { status: string } }>(approver, APPROVE, { id });
        expect(ok.body.errors, JSON.stringify(ok.body.errors)).toBeUndefined();
        status = ok.body.data!.approveChange.status;
      }
      expect(status).toBe('APPLIED');
    };
    await governed(
      'mutation { assignRole(input: { assignee: "sup-rev", assignedRole: "support", reason: "joins support" }) { status changeRequest { ' +
      'id } } }',
      'assignRole',
    );
    await s.waitFor(
      (m) =>
        m.id === 'r' &&
        m.type === 'next' &&
        (m.payload!.data as { changeEvents?: { kind: string } } | null)?.changeEvents?.kind === 'APPLIED',
    );
    expect((await a.gql(sup, '{ changeRequests { id } }')).body.errors).toBeUndefined();
    await governed(
      'mutation { revokeRole(assignee: "sup-rev", assignedRole: "support", reason: "left the team") { status changeRequest { id } } }',
      'revokeRole',
    );
    const end = await s.waitFor((m) => m.id === 'r' && m.type === 'next' && !!m.payload!.errors);
    expect(end.payload!.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', dataClass: 'configuration' });
    await s.waitFor((m) => m.id === 'r' && m.type === 'complete');
    // Over HTTP the same principal is refused too: one decision.
    const http = await a.gql(sup, '{ changeRequests { id } }');
    expect(http.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('a caller whose role cannot read the queue is refused at subscribe, with the denial explained', async () => {
    const s = await open(a, await a.token({ sub: 'rn-1', roles: ['nurse'], departments: ['cardiology'] }));
    expect(await s.acked()).toBe(true);
    s.subscribe('n', EVENTS);
    const m = await s.waitFor((x) => x.id === 'n' && (x.type === 'next' || x.type === 'error'));
    const errors = m.type === 'error' ? (m.payload as unknown as { extensions?: Record<string, unknown> }[]) : m.payload!.errors!;
    expect(errors[0]!.extensions).toMatchObject({ code: 'FORBIDDEN', dataClass: 'configuration' });
  });

  it("never delivers another tenant's events", async () => {
    const other = await open(a, await a.token({ sub: 'eng-globex', tenant: 'globex', roles: ['integration-engineer'], mfa: true }));
    expect(await other.acked()).toBe(true);
    other.subscribe('g', EVENTS);
    await new Promise((r) => setTimeout(r, 200));
    await propose(b, await b.token({ sub: 'eng-req4', roles: ['integration-engineer'], mfa: true }));
    await new Promise((r) => setTimeout(r, 500));
    expect(other.of('g')).toEqual([]);
  });
});

describe('connection rules and close codes', () => {
  it('refuses connection_init without a token, or with a forged one: 4403', async () => {
    const good = await a.token({ roles: ['support'] });
    // A character inside the signature (the last one can carry only padding bits).
    const forged = `${good.slice(0, -10)}${good.at(-10) === 'A' ? 'B' : 'A'}${good.slice(-9)}`;
    for (const token of [null, 'not-a-jwt', forged]) {
      const s = await open(a, token);
      expect(await s.acked()).toBe(false);
      expect((await s.closed).code).toBe(4403);
    }
  });

  it('closes with 4408 when connection_init never comes, and with 4408 after the idle timeout without a subscription', async () => {
    const idle = await open(a, await a.token({ sub: 'eng-idle', roles: ['integration-engineer'] }));
    expect(await idle.acked()).toBe(true);
    expect(await idle.closed).toEqual({ code: 4408, reason: 'Idle timeout: no subscription' });
  });

  it('ends the connection with 4401 when the token expires', async () => {
    const s = await open(a, await a.token({ sub: 'eng-short', roles: ['integration-engineer'] }, 2));
    expect(await s.acked()).toBe(true);
    s.subscribe('x', EVENTS);
    expect(await s.closed).toEqual({ code: 4401, reason: 'Unauthorized: token expired' });
  });

  it('allows at most the configured connections per principal (4429), counting again once one closes', async () => {
    const token = await a.token({ sub: 'eng-many', roles: ['integration-engineer'] });
    const [one, two] = [await open(a, token), await open(a, token)];
    expect(await one.acked()).toBe(true);
    expect(await two.acked()).toBe(true);
    one.subscribe('1', EVENTS);
    two.subscribe('1', EVENTS);
    const three = await open(a, token);
    expect(await three.acked()).toBe(false);
    expect((await three.closed).code).toBe(4429);
    one.close();
    await one.closed;
    await new Promise((r) => setTimeout(r, 100));
    const four = await open(a, token);
    expect(await four.acked()).toBe(true);
    four.close();
    two.close();
  });

  it('runs only subscriptions over WebSocket: a query is refused with a stable reason', async () => {
    const s = await open(a, await a.token({ sub: 'eng-q', roles: ['integration-engineer'] }));
    expect(await s.acked()).toBe(true);
    s.subscribe('q', '{ changeRequests { id before after } }');
    const m = await s.waitFor((x) => x.id === 'q');
    expect(m.type).toBe('error');
    expect(m.payload).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'NOT_A_SUBSCRIPTION' }) }),
    ]);
    s.close();
  });

  it('refuses invalid operations with the codes HTTP gives them, and a subscription sent over HTTP with a stable reason', async () => {
    const s = await open(a, await a.token({ sub: 'eng-v', roles: ['integration-engineer'] }));
    expect(await s.acked()).toBe(true);
    s.subscribe('v', 'subscription { changeEvents { kind nope } }');
    s.subscribe('p', 'subscription { changeEvents { ');
    const invalid = await s.waitFor((x) => x.id === 'v');
    const syntax = await s.waitFor((x) => x.id === 'p');
    expect(invalid.payload).toEqual([
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' } }),
    ]);
    expect(syntax.payload).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', reason: 'GRAPHQL_PARSE_FAILED' } })]);
    s.close();
    const http = await a.gql(await a.token({ sub: 'eng-v', roles: ['integration-engineer'] }), 'subscription { changeEvents { kind } }');
    expect(http.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'SUBSCRIPTION_OVER_HTTP' });
  });

  it('answers 404 to a WebSocket upgrade on any other path', async () => {
    await expect(LiveSocket.open(wsUrl(a, '/console'), null)).rejects.toThrow(/404/);
  });
});
