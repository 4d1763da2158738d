import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { LiveSocket, type WsMessage } from '../support/live-socket.js';
import { startProductionHarness, type ProductionHarness } from '../support/production-harness.js';
import { EMERGENCY_STOP, ok } from './governance-operations.js';
import { agentStoppedDenials } from '../support/audit-events.js';

// The WebSocket endpoint refuses what the HTTP endpoint refuses, by the same functions (tester findings on
// /graphql/ws): a document outside the trusted-documents manifest (every way a document can arrive: its text, in the
// manifest or not, a hash known or unknown, a hash beside another text), field suggestions in validation errors
// (production and embedded), and an emergency-stopped AI agent (at connect, and on a socket already open when the
// stop happens). Each case is asked of both endpoints and must get the same answer.

type Errors = { message: string; extensions?: Record<string, unknown> }[];
interface HttpAnswer {
  readonly status: number;
  readonly errors: Errors | undefined;
}

const wsUrl = (h: Harness) => h.url.replace(/\/graphql$/, '/graphql/ws');
const sockets: LiveSocket[] = [];
const open = async (h: Harness, token: string) => {
  const s = await LiveSocket.open(wsUrl(h), { authorization: `Bearer ${token}` });
  sockets.push(s);
  return s;
};
async function post(h: Harness, token: string, body: Record<string, unknown>): Promise<HttpAnswer> {
  const r = await fetch(h.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: r.status, errors: ((await r.json()) as { errors?: Errors }).errors };
}
/** The first answer of the server to a subscribe: its `error` message, or its first `next`. */
const firstAnswer = (s: LiveSocket, id: string) => s.waitFor((m) => m.id === id && (m.type === 'error' || m.type === 'next'));
const errorsOf = (m: WsMessage) => m.payload as unknown as Errors;
/** Still open after `ms` (no close frame arrived). */
const staysOpen = async (s: LiveSocket, ms = 300) =>
  Promise.race([s.closed.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), ms))]);

const hashOf = (doc: string) => createHash('sha256').update(doc).digest('hex');
const apq = (hash: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });

const PROPOSE =
  'mutation Propose($v: JSON!) { updateSetting(input: { key: "integration.webhookRoutes", environment: PRODUCTION, value: $v, ' +
  'reason: "route approvals" }) { status changeRequest { id } } }';
let routes = 0;
async function propose(h: Harness, token: string): Promise<string> {
  const r = await h.gql<{ updateSetting: { changeRequest: { id: string } } }>(token, PROPOSE, {
    v: [{ event: 'change.proposed', url: `https://hooks.example.com/parity-${++routes}` }],
  });
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
  return r.body.data!.updateSetting.changeRequest.id;
}

afterAll(() => {
  for (const s of sockets) s.close();
});

describe('trusted documents over WebSocket: the HTTP path\'s decision (TrustedDocuments.resolve), every way a document arrives', () => {
  const TRUSTED = 'subscription TrustedEvents { changeEvents { kind changeId } }';
  const HASH = hashOf(TRUSTED);
  const OTHER = 'subscription Other { changeEvents { kind changeId approvals } }';
  const UNKNOWN = hashOf('subscription Unknown { changeEvents { kind } }');
  const REQUIRED = { code: 'FORBIDDEN', reason: 'TRUSTED_DOCUMENT_REQUIRED' };
  const UNKNOWN_HASH = { code: 'BAD_USER_INPUT', reason: 'TRUSTED_DOCUMENT_UNKNOWN' };
  // What each way of sending a document runs, or how it is refused (the HTTP answer's code and reason).
  const CASES: [string, Record<string, unknown>, 'runs' | Record<string, string>][] = [
    ['the text of a manifest document', { query: TRUSTED }, 'runs'],
    ['a text not in the manifest', { query: OTHER }, REQUIRED],
    ['an empty text and no hash', { query: '' }, REQUIRED],
    ['a known hash alone (extensions.persistedQuery, no query)', apq(HASH), 'runs'],
    ['a known hash alone (documentId)', { documentId: HASH }, 'runs'],
    ['a known hash alone (documentId sha256:)', { documentId: `sha256:${HASH}` }, 'runs'],
    ['a known hash with query ""', { query: '', ...apq(HASH) }, 'runs'],
    ['a known hash beside another text (the manifest document runs)', { query: OTHER, ...apq(HASH) }, 'runs'],
    ['a known hash beside another text (documentId)', { query: OTHER, documentId: HASH }, 'runs'],
    ['an unknown hash (extensions.persistedQuery)', apq(UNKNOWN), UNKNOWN_HASH],
    ['an unknown hash (documentId)', { documentId: `sha256:${UNKNOWN}` }, UNKNOWN_HASH],
    ['an unknown hash beside a manifest text', { query: TRUSTED, ...apq(UNKNOWN) }, UNKNOWN_HASH],
  ];

  let h: Harness;
  let watcher: string;
  let proposer: string;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clearance-ws-trusted-'));
    const manifest = join(dir, 'persisted-documents.json');
    writeFileSync(manifest, JSON.stringify(Object.fromEntries([TRUSTED, PROPOSE].map((d) => [hashOf(d), d]))));
    h = await startHarness({ env: { TRUSTED_DOCUMENTS_FILE: manifest } });
    watcher = await h.token({ sub: 'eng-trusted-watch', roles: ['integration-engineer'], mfa: true });
    proposer = await h.token({ sub: 'eng-trusted-prop', roles: ['integration-engineer'], mfa: true });
  });
  afterAll(() => h?.stop());

  it.each(CASES.filter(([, , outcome]) => outcome !== 'runs'))(
    '%s: refused on one subscription id with the HTTP answer\'s error; the socket stays open',
    async (_what, payload, expected) => {
      const http = await post(h, watcher, payload);
      expect(http.status).toBe(expected === REQUIRED ? 403 : 400);
      expect(http.errors?.map((e) => e.extensions)).toEqual([expected]);
      const s = await open(h, watcher);
      expect(await s.acked()).toBe(true);
      s.subscribeWith('x', payload);
      const answer = await firstAnswer(s, 'x');
      expect(answer.type).toBe('error');
      expect(errorsOf(answer)).toEqual(http.errors);
      expect(await staysOpen(s)).toBe(true);
      // The same socket runs a trusted document afterwards.
      s.subscribe('ok', TRUSTED);
      expect(await staysOpen(s)).toBe(true);
      expect(s.of('ok').filter((m) => m.type === 'error')).toEqual([]);
      s.close();
    },
  );

  it('every accepted way runs the manifest document (never a text sent beside a hash), as HTTP accepts the same bodies', async () => {
    const accepted = CASES.filter(([, , outcome]) => outcome === 'runs');
    for (const [what, payload] of accepted) {
      // Over HTTP a subscription passes the trusted-documents check and is then refused as a subscription over HTTP.
      const http = await post(h, watcher, payload);
      expect(http.errors?.map((e) => e.extensions?.reason), what).toEqual(['SUBSCRIPTION_OVER_HTTP']);
    }
    const s = await open(h, watcher);
    expect(await s.acked()).toBe(true);
    accepted.forEach(([, payload], i) => s.subscribeWith(`s${i}`, payload));
    await new Promise((r) => setTimeout(r, 300)); // every subscription listens before the change is proposed
    const id = await propose(h, proposer);
    for (const [i, [what]] of accepted.entries()) {
      const answer = await firstAnswer(s, `s${i}`);
      expect(answer.type, what).toBe('next');
      // The manifest document's selection (kind, changeId), not OTHER's (which adds approvals).
      expect(answer.payload, what).toEqual({ data: { changeEvents: { kind: 'PROPOSED', changeId: id } } });
    }
    expect(await staysOpen(s)).toBe(true);
  });
});

describe('no field suggestions over WebSocket, as over HTTP', () => {
  const TYPOS = [
    ['a field', 'subscription { changeEvents { kind change { requestr { sub } } } }'],
    ['a type in a fragment', 'subscription { changeEvents { ...F } } fragment F on ChangeEvnt { kind }'],
    ['a field of the root', 'subscription { changeEvent { kind } }'],
  ] as const;

  async function expectNoSuggestions(h: Harness, token: string): Promise<void> {
    const s = await open(h, token);
    expect(await s.acked()).toBe(true);
    for (const [i, [what, query]] of TYPOS.entries()) {
      const http = await post(h, token, { query });
      expect(http.status, what).toBe(400);
      expect(JSON.stringify(http.errors), what).not.toMatch(/Did you mean|requester|ChangeEvent"|changeEvents"/);
      s.subscribe(`t${i}`, query);
      const answer = await firstAnswer(s, `t${i}`);
      expect(answer.type, what).toBe('error');
      expect(errorsOf(answer), what).toEqual(http.errors);
      expect(JSON.stringify(answer.payload), what).not.toMatch(/Did you mean|requester|ChangeEvent"|changeEvents"/);
    }
    s.close();
  }

  it('embedded mode', async () => {
    const h = await startHarness();
    try {
      await expectNoSuggestions(h, await h.token({ roles: ['integration-engineer'], mfa: true }));
    } finally {
      await h.stop();
    }
  });

  it('production mode', async () => {
    let h: ProductionHarness | undefined;
    try {
      h = await startProductionHarness();
      await expectNoSuggestions(h, await h.token({ roles: ['integration-engineer'], mfa: true }));
    } finally {
      await h?.stop();
    }
  }, 60_000);
});

describe('an emergency-stopped AI agent over WebSocket: refused as over HTTP (403 AGENT_STOPPED), and audited', () => {
  const ACTIONABLE = 'subscription AgentInbox { actionableChanges { kind changeId actionable } }';
  const READ = 'query AgentMe { me { sub } }';
  const STOPPED = { code: 'FORBIDDEN', reason: 'AGENT_STOPPED', environment: 'STAGING' };
  let h: Harness;
  let sec: string;
  let proposer: string;
  const agent = (sub: string) => h.token({ sub, roles: ['ai-agent'], departments: ['cardiology'], kind: 'agent' });
  const stop = async (sub: string) =>
    ok(await h.gql(sec, EMERGENCY_STOP, { target: `agent:${sub}`, environment: 'STAGING', reason: 'ws parity test' }));
  /** The access.denied AGENT_STOPPED events written for `sub`. */
  const denials = (sub: string) => agentStoppedDenials(h.running.audit.rawRecords('acme'), sub);
  const unexpected = () => h.logLines.filter((l) => l.includes('unexpected error') || l.includes('is emergency-stopped'));

  beforeAll(async () => {
    h = await startHarness({ env: { GATEWAY_ENVIRONMENT: 'STAGING' } });
    sec = await h.token({ sub: 'sec-ws', roles: ['security-admin'], mfa: true });
    proposer = await h.token({ sub: 'eng-ws-prop', roles: ['integration-engineer'], mfa: true });
  });
  afterAll(() => h?.stop());

  it('at connect: no connection_ack, closed 4403 "Forbidden: AGENT_STOPPED", one access.denied, as its HTTP request', async () => {
    const token = await agent('bot-ws-connect');
    await stop('bot-ws-connect');
    const http = await post(h, token, { query: READ });
    expect(http.status).toBe(403);
    expect(http.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining(STOPPED)]);
    expect(await denials('bot-ws-connect')).toBe(1);

    const s = await open(h, token);
    expect(await s.acked()).toBe(false);
    expect(await s.closed).toEqual({ code: 4403, reason: 'Forbidden: AGENT_STOPPED' });
    expect(s.messages).toEqual([]);
    expect(await denials('bot-ws-connect')).toBe(2);
    expect(unexpected()).toEqual([]);
  });

  it('a socket open when the stop happens: its streams end with FORBIDDEN AGENT_STOPPED at the next event, a new subscribe '
    + 'is refused, each audited; another agent goes on', async () => {
    const stoppedToken = await agent('bot-ws-open');
    const otherToken = await agent('bot-ws-other');
    const s = await open(h, stoppedToken);
    const other = await open(h, otherToken);
    expect(await s.acked()).toBe(true);
    expect(await other.acked()).toBe(true);
    s.subscribe('a1', ACTIONABLE);
    s.subscribe('a2', ACTIONABLE);
    other.subscribe('o', ACTIONABLE);
    await new Promise((r) => setTimeout(r, 300));

    await stop('bot-ws-open');
    await propose(h, proposer); // an event of the tenant: every stream asks admission again before delivering it
    for (const id of ['a1', 'a2']) {
      const end = await s.waitFor((m) => m.id === id && m.type === 'next');
      expect(end.payload!.data ?? null).toBeNull();
      expect(end.payload!.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining(STOPPED)]);
      await s.waitFor((m) => m.id === id && m.type === 'complete');
      expect(s.of(id).filter((m) => m.type === 'next' && m.payload?.data)).toEqual([]);
    }
    expect(await denials('bot-ws-open')).toBe(2);

    // A new subscription on the same socket: a graphql-ws error for its id, with the HTTP answer's error.
    const http = await post(h, stoppedToken, { query: READ });
    expect(http.status).toBe(403);
    s.subscribe('a3', ACTIONABLE);
    const refused = await firstAnswer(s, 'a3');
    expect(refused.type).toBe('error');
    expect(errorsOf(refused)).toEqual(http.errors);
    expect(await denials('bot-ws-open')).toBe(4); // the HTTP request's and the subscribe's

    // The agent that is not stopped keeps its stream.
    expect(other.of('o').filter((m) => m.type !== 'next' || m.payload?.errors)).toEqual([]);
    expect(await staysOpen(other)).toBe(true);
    expect(unexpected()).toEqual([]);
  });
});
