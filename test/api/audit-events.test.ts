import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUnguardedSchema } from '../../src/server/build-schema.js';
import { startHarness, type Harness } from '../support/harness.js';
import { EMERGENCY_STOP, UPDATE_SETTING, actors, ok, refused } from './governance-operations.js';

// auditEvents and auditVerify over HTTP against the real gateway: filters, newest-first paging with opaque cursors,
// only for security-admin and auditor, and no way at all to edit or delete audit records through the API.

const EVENTS = `query($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id seq index category action at outcome actor { sub kind roles } patientId dataClasses fields operation breakGlass
      changeId environment target settingCategory risk status before after reason ticket approvals { sub roleUsed functions mfa } detail } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const VERIFY = `{ auditVerify { ok storage archivedThrough retainedWindow resumedAfter records firstSeq headSeq checkpointsVerified ` +
  `problem seq message } }`;

interface Node {
  id: string;
  seq: number;
  index: number;
  category: string;
  action: string;
  at: string;
  outcome: string;
  actor: { sub: string; kind: string | null } | null;
  patientId: string | null;
  settingCategory: string | null;
  reason: string | null;
  [k: string]: unknown;
}
type Page = { auditEvents: { edges: { cursor: string; node: Node }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

let h: Harness;
let t: Record<'sec' | 'auditor' | 'clin' | 'fd' | 'ops' | 'support', string>;
let drPatients: string[] = [];
let afterReads = '';

const page = async (token: string, variables: Record<string, unknown> = {}) => ok(await h.gql<Page>(token, EVENTS, variables)).auditEvents;
const nodes = async (token: string, filter: Record<string, unknown> = {}) =>
  (await page(token, { filter, first: 200 })).edges.map((e) => e.node);
const pause = () => new Promise((r) => setTimeout(r, 5));

beforeAll(async () => {
  h = await startHarness();
  t = await actors(h, {
    sec: { roles: ['security-admin'], mfa: true },
    auditor: { roles: ['auditor'] },
    clin: { roles: ['clinician'] },
    fd: { roles: ['front-desk'] },
    ops: { roles: ['ops-manager'] },
    support: { roles: ['support'] },
  });
  t.clin = await h.token({ sub: 'clin', roles: ['clinician'], departments: ['cardiology', 'oncology', 'pediatrics', 'primary-care'] });
  const read = ok(
    await h.gql<{ patients: { edges: { node: { id: string } }[] } }>(
      t.clin,
      'query ReadThree { patients(first: 3) { edges { node { id name } } } }',
    ),
  );
  drPatients = read.patients.edges.map((e) => e.node.id);
  ok(await h.gql(t.fd, 'query Desk { patients(first: 2) { edges { node { name } } } }'));
  await pause();
  afterReads = new Date().toISOString();
  await pause();
  ok(
    await h.gql(t.ops, UPDATE_SETTING, {
      input: { key: 'messaging.officeHours', environment: 'STAGING', value: { timezone: 'UTC', weekly: [] }, reason: 'winter hours' },
    }),
  );
  ok(await h.gql(t.sec, EMERGENCY_STOP, { target: 'connector:ehr', environment: 'STAGING', reason: 'duplicate notes' }));
  const bad = await h.gql(`${t.clin.slice(0, -4)}AAAA`, '{ me { sub } }');
  expect(bad.status).toBe(401);
  // Failed logins are counted per source and window; the open window is written now.
  await h.running.failedLogins.flush();
});
afterAll(() => h.stop());

describe('auditEvents', () => {
  it('lists every kind of event, newest first, with record seq and index', async () => {
    const all = await nodes(t.sec);
    expect(new Set(all.map((n) => n.category))).toEqual(new Set(['phi-read', 'change', 'emergency', 'auth']));
    const positions = all.map((n) => [n.seq, n.index] as const);
    const sorted = [...positions].sort((a, b) => b[0] - a[0] || b[1] - a[1]);
    expect(positions).toEqual(sorted);
    expect(all[0]).toMatchObject({
      category: 'auth',
      action: 'auth.failed',
      outcome: 'FAILURE',
      actor: null,
      detail: { count: 1, claimedSubjects: ['clin'] },
    });
    expect(all.every((n) => n.id === `${n.seq}.${n.index}`)).toBe(true);
  });

  it('filters by actor, patient, category (event or setting category), action, outcome and time', async () => {
    const byDr = await nodes(t.auditor, { actor: 'clin', category: 'phi-read' });
    expect(byDr.map((n) => n.patientId).sort()).toEqual([...drPatients].sort());
    expect(byDr[0]).toMatchObject({ operation: 'ReadThree', dataClasses: ['demographics'], fields: ['Patient.id', 'Patient.name'] });

    const onePatient = await nodes(t.auditor, { patientId: drPatients[0] });
    expect(onePatient.length).toBeGreaterThanOrEqual(1);
    expect(onePatient.every((n) => n.patientId === drPatients[0] && n.category === 'phi-read')).toBe(true);

    expect((await nodes(t.auditor, { category: 'phi-read' })).length).toBe(5);
    const messaging = await nodes(t.auditor, { category: 'messaging' });
    expect(messaging.length).toBeGreaterThanOrEqual(1);
    expect(messaging.every((n) => n.category === 'change' && n.settingCategory === 'messaging')).toBe(true);
    expect((await nodes(t.auditor, { category: 'change' })).map((n) => n.id)).toEqual(messaging.map((n) => n.id));
    expect(await nodes(t.auditor, { category: 'emergency' })).toMatchObject([
      // Who stopped it, as what (an emergency stop has no change request to carry the actor's kind and roles).
      {
        action: 'emergency.stopped',
        actor: { sub: 'sec', kind: 'user', roles: ['security-admin'] },
        reason: 'duplicate notes',
        target: 'stop:connector:ehr',
      },
    ]);
    expect(await nodes(t.auditor, { action: 'emergency.stopped' })).toHaveLength(1);
    expect(await nodes(t.auditor, { outcome: 'FAILURE' })).toMatchObject([{ category: 'auth', reason: 'BAD_SIGNATURE' }]);

    const later = await nodes(t.auditor, { from: afterReads });
    expect(later.some((n) => n.category === 'phi-read')).toBe(false);
    expect(later.length).toBeGreaterThanOrEqual(3);
    const earlier = await nodes(t.auditor, { to: afterReads });
    expect(earlier.every((n) => n.category === 'phi-read')).toBe(true);
    expect(earlier.length + later.length).toBe((await nodes(t.auditor)).length);
  });

  it('pages with opaque cursors: no event twice, none missed', async () => {
    const all = (await nodes(t.auditor)).map((n) => n.id);
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 50; i++) {
      const p = await page(t.auditor, { first: 2, after });
      seen.push(...p.edges.map((e) => e.node.id));
      expect(p.edges.length).toBeLessThanOrEqual(2);
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
    // A filtered page continues within the filter.
    const first = await page(t.auditor, { filter: { category: 'phi-read' }, first: 3 });
    const rest = await page(t.auditor, { filter: { category: 'phi-read' }, first: 3, after: first.pageInfo.endCursor });
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect([...first.edges, ...rest.edges].map((e) => e.node.category)).toEqual(Array(5).fill('phi-read'));
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a forged cursor, a page over 200 and an unknown category', async () => {
    refused(await h.gql(t.sec, EVENTS, { after: 'b2Zmc2V0OjEw', first: 5 }), 'BAD_USER_INPUT');
    refused(await h.gql(t.sec, EVENTS, { first: 201 }), 'BAD_USER_INPUT');
    refused(await h.gql(t.sec, EVENTS, { filter: { category: 'everything' } }), 'BAD_USER_INPUT');
  });

  it('reading the log writes nothing to it', async () => {
    const before = ok(await h.gql<{ auditVerify: { headSeq: number } }>(t.sec, VERIFY)).auditVerify.headSeq;
    await nodes(t.sec);
    expect(ok(await h.gql<{ auditVerify: { headSeq: number } }>(t.sec, VERIFY)).auditVerify.headSeq).toBe(before);
  });
});

describe('auditVerify', () => {
  it('reports an intact chain to security-admin and auditor', async () => {
    for (const token of [t.sec, t.auditor]) {
      const v = ok(await h.gql<{ auditVerify: Record<string, unknown> }>(token, VERIFY)).auditVerify;
      // The embedded default says where its log is: in memory, with no archive.
      // Bounded (issue 17): the newest 1,000 records per tenant are kept, and auditVerify says so.
      expect(v).toMatchObject({
        ok: true,
        storage: 'MEMORY',
        archivedThrough: null,
        retainedWindow: 1_000,
        resumedAfter: null,
        firstSeq: 1,
        problem: null,
        seq: null,
        message: null,
      });
      expect(v.records).toBe(v.headSeq);
    }
  });

  it('fromCheckpoint resumes after the mark the last full verify left at a signed checkpoint', async () => {
    await h.running.audit.checkpoint('acme');
    const full = ok(await h.gql<{ auditVerify: Record<string, unknown> }>(t.sec, VERIFY)).auditVerify;
    const resumed = ok(
      await h.gql<{ auditVerify: { ok: boolean; resumedAfter: number; records: number; headSeq: number } }>(
        t.sec,
        '{ auditVerify(fromCheckpoint: true) { ok resumedAfter records headSeq } }',
      ),
    ).auditVerify;
    expect(resumed.ok).toBe(true);
    expect(resumed.resumedAfter).toBeGreaterThan(0);
    expect(resumed.records).toBe(resumed.headSeq - resumed.resumedAfter);
    expect(resumed.records).toBeLessThan(full.records as number);
  });
});

describe('who may read the audit log', () => {
  it.each(['clin', 'support', 'fd', 'ops'] as const)('%s is FORBIDDEN (no audit data class), with who owns it', async (who) => {
    for (const [query, field] of [[EVENTS, 'auditEvents'], [VERIFY, 'auditVerify']] as const) {
      const r = await h.gql<Record<string, unknown>>(t[who], query);
      const e = refused(r, 'FORBIDDEN');
      expect(e.extensions).toMatchObject({
        dataClass: 'audit',
        permission: 'read:audit',
        ownerRole: 'security-admin',
        rolesWithPermission: ['security-admin', 'auditor'],
      });
      expect(r.body.data?.[field] ?? null).toBeNull();
    }
  });

  it('no mutation edits, deletes or otherwise touches audit records', () => {
    // Names, arguments and types: descriptions may say a mutation is audited (emergencyStop is).
    const mutation = buildUnguardedSchema().getMutationType()!;
    const mentions = Object.values(mutation.getFields()).filter((f) =>
      /audit/i.test([f.name, String(f.type), ...f.args.map((a) => `${a.name} ${String(a.type)}`)].join(' ')),
    );
    expect(mentions.map((f) => f.name)).toEqual([]);
  });
});
