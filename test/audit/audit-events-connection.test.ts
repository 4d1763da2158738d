import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/audit-event.js';
import { ARCHIVE_ROLE, migrateAuditArchive } from '../../src/stores/postgres-audit-schema.js';
import { startHarness, type Harness } from '../support/harness.js';
import { PostgresServer } from '../support/postgres-server.js';
import { RedisServer } from '../support/redis-server.js';

// `auditEventsConnection` (issue 14 item 7) over real HTTP: the filter of `auditEvents`, Relay paging forward and
// backward with signed cursors, over the embedded in-memory log and over a log that spans the PostgreSQL archive
// and the Redis hot window. Walking every page forward, or every page backward, gives exactly the list `auditEvents`
// gives, once each, in the same order.

const CONNECTION = `query ($f: AuditEventFilter, $first: Int, $after: String, $last: Int, $before: String) {
  auditEventsConnection(filter: $f, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id seq patientId action } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
const LIST = 'query ($f: AuditEventFilter) { auditEvents(filter: $f, first: 200) { edges { node { id } } } }';

type Page = {
  edges: { cursor: string; node: { id: string; seq: number; patientId: string | null; action: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
};

const read = (actor: string, i: number): AuditEvent => ({
  category: 'phi-read',
  at: new Date(Date.now() - 10_000 + i).toISOString(),
  tenant: 'acme',
  action: 'phi.read',
  outcome: 'success',
  actor: { sub: actor, roles: ['clinician'] },
  patientId: `pat-${i}`,
  dataClasses: ['notes'],
  fields: ['Patient.notes'],
  operation: 'Q',
  breakGlass: false,
});

/** Writes `n` records: mostly clin-1's reads, every third record holding two events (one of another actor). */
async function fill(h: Harness, n: number): Promise<void> {
  for (let i = 1; i <= n; i++)
    await h.running.audit.write('acme', i % 3 === 0 ? [read('clin-2', 1000 + i), read('clin-1', i)] : [read('clin-1', i)]);
}

function pager(h: Harness, token: string) {
  const page = async (vars: Record<string, unknown>): Promise<Page> => {
    const r = await h.gql<{ auditEventsConnection: Page }>(token, CONNECTION, vars);
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
    return r.body.data!.auditEventsConnection;
  };
  return {
    page,
    async list(f: Record<string, unknown>): Promise<string[]> {
      const r = await h.gql<{ auditEvents: { edges: { node: { id: string } }[] } }>(token, LIST, { f });
      return r.body.data!.auditEvents.edges.map((e) => e.node.id);
    },
    async forward(f: Record<string, unknown>, first: number): Promise<string[]> {
      const ids: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 100; guard++) {
        const p: Page = await page({ f, first, after });
        ids.push(...p.edges.map((e) => e.node.id));
        expect(p.pageInfo.hasPreviousPage).toBe(after !== null);
        if (!p.pageInfo.hasNextPage) return ids;
        after = p.pageInfo.endCursor;
      }
      throw new Error('did not end');
    },
    async backward(f: Record<string, unknown>, last: number): Promise<string[]> {
      const ids: string[] = [];
      let before: string | null = null;
      for (let guard = 0; guard < 100; guard++) {
        const p: Page = await page({ f, last, before });
        ids.unshift(...p.edges.map((e) => e.node.id));
        expect(p.pageInfo.hasNextPage).toBe(before !== null);
        if (!p.pageInfo.hasPreviousPage) return ids;
        before = p.pageInfo.startCursor;
      }
      throw new Error('did not end');
    },
  };
}

describe('auditEventsConnection on the embedded log', () => {
  let h: Harness;
  let sec: string;
  beforeAll(async () => {
    h = await startHarness();
    sec = await h.token({ sub: 'sec-sam', roles: ['security-admin'] });
    await fill(h, 30);
  }, 60_000);
  afterAll(() => h?.stop());

  it('pages forward and backward through exactly the list auditEvents gives, with its filter', async () => {
    const p = pager(h, sec);
    const f = { actor: 'clin-1' };
    const all = await p.list(f);
    expect(all).toHaveLength(30);
    expect(await p.forward(f, 7)).toEqual(all);
    expect(await p.backward(f, 7)).toEqual(all);
    // Another filter: only the other actor's events, in records that hold two.
    const other = await p.list({ actor: 'clin-2' });
    expect(other).toHaveLength(10);
    expect(await p.forward({ actor: 'clin-2' }, 3)).toEqual(other);
    expect(await p.backward({ actor: 'clin-2' }, 4)).toEqual(other);
  });

  it('first/after and last/before meet in the middle; the first page says nothing is newer', async () => {
    const p = pager(h, sec);
    const f = { actor: 'clin-1' };
    const all = await p.list(f);
    const head = await p.page({ f, first: 10 });
    expect(head.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    expect(head.pageInfo.startCursor).toBe(head.edges[0]!.cursor);
    const next = await p.page({ f, first: 10, after: head.pageInfo.endCursor });
    expect(next.edges.map((e) => e.node.id)).toEqual(all.slice(10, 20));
    // Back from the second page's start: the first page again.
    const back = await p.page({ f, last: 10, before: next.pageInfo.startCursor });
    expect(back.edges.map((e) => e.node.id)).toEqual(all.slice(0, 10));
    expect(back.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    // `last` alone: the oldest events of the list.
    const tail = await p.page({ f, last: 5 });
    expect(tail.edges.map((e) => e.node.id)).toEqual(all.slice(25));
    expect(tail.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    // Between two cursors.
    const window = await p.page({ f, first: 50, after: head.edges[2]!.cursor, before: next.edges[3]!.cursor });
    expect(window.edges.map((e) => e.node.id)).toEqual(all.slice(3, 13));
  });

  it('keeps its place while new events are appended at the head', async () => {
    const p = pager(h, sec);
    const f = { actor: 'clin-1' };
    const before = await p.list(f);
    const head = await p.page({ f, first: 5 });
    await h.running.audit.write('acme', [read('clin-1', 99)]);
    const next = await p.page({ f, first: 5, after: head.pageInfo.endCursor });
    expect(next.edges.map((e) => e.node.id)).toEqual(before.slice(5, 10));
    const newer = await p.page({ f, last: 5, before: head.pageInfo.startCursor });
    expect(newer.edges.map((e) => e.node.patientId)).toEqual(['pat-99']);
  });

  it('refuses a cursor it did not sign, an edited one, another list\'s, and page sizes out of bounds', async () => {
    const head = await pager(h, sec).page({ f: { actor: 'clin-1' }, first: 2 });
    const cursor = head.pageInfo.endCursor!;
    const [body, mac] = cursor.split('.');
    const forged = `${Buffer.from(JSON.stringify([1, 0])).toString('base64url')}.${mac}`;
    const changes = await h.gql<{ changeRequestsConnection: { pageInfo: { endCursor: string | null } } }>(
      sec,
      '{ changeRequestsConnection(first: 1) { pageInfo { endCursor } } }',
    );
    const bad = [forged, `${body}.${'A'.repeat(22)}`, 'bm90LWEtY3Vyc29y', Buffer.from('audit:1:0').toString('base64url')];
    const other = changes.body.data!.changeRequestsConnection.pageInfo.endCursor;
    if (other) bad.push(other);
    for (const c of bad) {
      for (const field of ['after', 'before'] as const) {
        const r = await h.gql(sec, CONNECTION, { first: field === 'after' ? 2 : null, last: field === 'before' ? 2 : null, [field]: c });
        expect(r.body.errors?.[0]?.extensions, `${field}=${c}`).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
    }
    for (const vars of [{ first: 201 }, { last: 201 }, { first: -1 }]) {
      expect((await h.gql(sec, CONNECTION, vars)).body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    }
  });

  it('is for the audit readers only: a clinician gets FORBIDDEN', async () => {
    const clin = await h.token({ sub: 'dr-grey', roles: ['clinician'], departments: ['cardiology'] });
    const r = await h.gql(clin, CONNECTION, { first: 1 });
    expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(r.body.data?.auditEventsConnection ?? null).toBeNull();
  });
});

describe('auditEventsConnection across the PostgreSQL archive and the Redis hot window', () => {
  let redis: RedisServer;
  let postgres: PostgresServer;
  let h: Harness;
  beforeAll(async () => {
    [redis, postgres] = await Promise.all([RedisServer.start(), PostgresServer.start()]);
    await migrateAuditArchive(postgres.ownerUrl, 'pw');
    h = await startHarness({
      env: { REDIS_URL: redis.url, AUDIT_ARCHIVE_URL: postgres.urlFor(ARCHIVE_ROLE, 'pw'), AUDIT_HOT_RECORDS: '5' },
    });
    await fill(h, 24);
    await h.running.auditArchiver!.runAll();
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
    await redis?.stop();
    await postgres?.destroy();
  });

  it('pages over one log: archived and hot events, forward and backward, each once, in order', async () => {
    const sec = await h.token({ sub: 'sec-sam', roles: ['security-admin'] });
    const verify = await h.gql<{ auditVerify: { archivedThrough: number; headSeq: number } }>(
      sec,
      '{ auditVerify { archivedThrough headSeq } }',
    );
    const { archivedThrough, headSeq } = verify.body.data!.auditVerify;
    expect(archivedThrough).toBeGreaterThan(0);
    expect(archivedThrough).toBeLessThan(headSeq);
    const p = pager(h, sec);
    for (const f of [{ actor: 'clin-1' }, { actor: 'clin-2' }, { action: 'phi.read' }]) {
      const all = await p.list(f);
      expect(all.length).toBeGreaterThan(5);
      expect(await p.forward(f, 4)).toEqual(all);
      expect(await p.backward(f, 4)).toEqual(all);
    }
    const page = await p.page({ f: { actor: 'clin-1' }, first: 200 });
    const seqs = page.edges.map((e) => e.node.seq);
    expect(seqs.some((s) => s <= archivedThrough) && seqs.some((s) => s > archivedThrough)).toBe(true);
  });
});
