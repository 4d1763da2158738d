import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARROLL, DENNIS, FRANKIE } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';
import { LiveSocket } from '../support/live-socket.js';
import { actors, APPROVE, ok, refused, SET_WRITE_BACK, UPDATE_SETTING, type Change, type ChangeResult } from './governance-operations.js';

// Issue 13 item 7: denied reads and mutations are failure events (IHE BALP), one per request; write-back and
// break-glass events carry the patient at the top level, so the patient filter of auditEvents finds them.

const EVENTS = `query($f: AuditEventFilter) { auditEvents(filter: $f, first: 100) { edges { node {
  category action outcome patientId requestId target status detail actor { sub } } } } }`;
type Node = {
  category: string;
  action: string;
  outcome: string;
  patientId: string | null;
  target: string | null;
  status: string | null;
  detail: Record<string, unknown> | null;
  actor: { sub: string } | null;
};

let h: Harness;
let t: Record<'auditor' | 'eng1' | 'eng2' | 'clin' | 'er', string>;

const events = async (f: Record<string, unknown>) =>
  ok<{ auditEvents: { edges: { node: Node }[] } }>(await h.gql(t.auditor, EVENTS, { f })).auditEvents.edges.map((e) => e.node);

beforeAll(async () => {
  h = await startHarness({ env: { GATEWAY_ENVIRONMENT: 'STAGING' } });
  t = {
    ...(await actors(h, {
      auditor: { roles: ['auditor'] },
      eng1: { roles: ['integration-engineer'] },
      eng2: { roles: ['integration-engineer'] },
    })),
    clin: await h.token({ sub: 'dr-grey', roles: ['clinician'], departments: ['cardiology'] }),
    er: await h.token({ sub: 'dr-er', roles: ['clinician'], departments: ['emergency'] }),
  };
  ok(
    await h.gql(t.eng1, UPDATE_SETTING, {
      input: { key: 'integration.ehr.scopes', environment: 'STAGING', reason: 'go-live', value: ['system/DocumentReference.cru'] },
    }),
  );
  const proposed = ok<{ setWriteBack: ChangeResult }>(
    await h.gql(t.eng1, SET_WRITE_BACK, { connectorId: 'ehr', environment: 'STAGING', enabled: true, reason: 'go-live' }),
  );
  expect(
    ok<{ approveChange: Change }>(await h.gql(t.eng2, APPROVE, { id: proposed.setWriteBack.changeRequest.id })).approveChange.status,
  ).toBe('APPLIED');
}, 60_000);
afterAll(() => h.stop());

describe('denials are audited', () => {
  it('a denied read is one failure event naming what was refused, never a value', async () => {
    const r = await h.gql(t.clin, `query Peek($id: ID!) { patient(id: $id) { conditions { display } medications { medication } } }`, {
      id: CARROLL,
    });
    expect(r.body.errors?.some((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
    const denied = (await events({ outcome: 'FAILURE', actor: 'dr-grey' })).filter((e) => e.action === 'access.denied');
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({
      category: 'access',
      outcome: 'FAILURE',
      status: 'DENIED',
      target: 'graphql:Peek',
      actor: { sub: 'dr-grey' },
    });
    expect(denied[0]!.detail).toMatchObject({ failedScopes: ['department'], operation: 'Peek' });
    expect(JSON.stringify(denied[0])).not.toContain(CARROLL);
  });

  it('a denied mutation is a failure event', async () => {
    refused(await h.gql(t.clin, `mutation Refund { issueRefund(invoiceId: "x", amount: 1, reason: "r") { status } }`), 'FORBIDDEN');
    expect((await events({ outcome: 'FAILURE', actor: 'dr-grey' })).filter((e) => e.target === 'graphql:Refund')).toHaveLength(1);
    const note = { idempotencyKey: 'denied-1', title: 'x', text: 'y' };
    refused(
      await h.gql(t.clin, `mutation Write($p: ID!, $i: WriteBackNoteInput!) { writeBackNote(patientId: $p, input: $i) { id } }`, {
        p: CARROLL,
        i: note,
      }),
      'FORBIDDEN',
    );
    const denied = (await events({ outcome: 'FAILURE', actor: 'dr-grey' })).filter((e) => e.target === 'graphql:Write');
    expect(denied).toHaveLength(1);
    expect(denied[0]!.detail).toMatchObject({ permissions: ['write:notes'], paths: ['writeBackNote'] });
  });
});

describe('every way a request is refused writes its access.denied (found: withheld rows and subscriptions wrote none)', () => {
  /** The access.denied events of one actor, newest last. */
  const deniedOf = async (sub: string) =>
    (await events({ outcome: 'FAILURE', actor: sub })).filter((e) => e.action === 'access.denied');

  it('over HTTP: a field guard, another department, and sensitive rows withheld from a list beside readable ones', async () => {
    const pc = await h.token({ sub: 'dr-pc', roles: ['clinician'], departments: ['primary-care'] });
    const entries: [string, string, Record<string, unknown>][] = [
      ['field guard', 'query FieldGuard { auditEvents(first: 1) { edges { node { action } } } }', {}],
      ['another department', 'query OtherDept($id: ID!) { patient(id: $id) { medications { medication } } }', { id: CARROLL }],
      // Frankie's HIV condition and notes without the `sensitive` grant: withheld from the lists, the rest answered.
      ['rows withheld from lists', 'query Withheld($id: ID!) { patient(id: $id) { name conditions { display } } }', { id: FRANKIE }],
    ];
    for (const [what, query, variables] of entries) {
      const before = (await deniedOf('dr-pc')).length;
      const r = await h.gql(pc, query, variables);
      expect(r.body.errors?.some((e) => e.extensions?.code === 'FORBIDDEN'), what).toBe(true);
      const after = await deniedOf('dr-pc');
      expect(after.length - before, what).toBe(1);
      const event = after.find((e) => e.target === `graphql:${/query (\w+)/.exec(query)![1]}`);
      expect(event?.detail, what).toMatchObject({ denials: r.body.errors!.filter((e) => e.extensions?.code === 'FORBIDDEN').length });
    }
    const withheld = (await deniedOf('dr-pc')).find((e) => e.target === 'graphql:Withheld')!;
    expect(withheld.detail).toMatchObject({ failedScopes: ['grant'], paths: ['patient.conditions'] });
    expect(JSON.stringify(withheld)).not.toMatch(/HIV|human immunodeficiency/i);
  });

  it('over WebSocket: a subscription refused at subscribe', async () => {
    const nurse = await h.token({ sub: 'rn-sub', roles: ['nurse'], departments: ['cardiology'] });
    const s = await LiveSocket.open(h.url.replace(/\/graphql$/, '/graphql/ws'), { authorization: `Bearer ${nurse}` });
    try {
      expect(await s.acked()).toBe(true);
      s.subscribe('n', 'subscription Live { changeEvents { kind changeId } }');
      await s.waitFor((x) => x.id === 'n' && (x.type === 'next' || x.type === 'error'));
    } finally {
      s.close();
    }
    const denied = await deniedOf('rn-sub');
    expect(denied).toHaveLength(1);
    expect(denied[0]!.detail).toMatchObject({ permissions: ['read:configuration'], operation: 'Live' });
  });
});

describe('patient filter', () => {
  it('finds write-back and break-glass events by their patient', async () => {
    ok(
      await h.gql(t.clin, `mutation($p: ID!, $i: WriteBackNoteInput!) { writeBackNote(patientId: $p, input: $i) { id } }`, {
        p: DENNIS,
        i: { idempotencyKey: 'audited-1', title: 'x', text: 'y' },
      }),
    );
    expect((await events({ patientId: DENNIS })).filter((e) => e.action === 'ehr.create')).toMatchObject([
      { patientId: DENNIS, actor: { sub: 'dr-grey' } },
    ]);
    ok(await h.gql(t.er, `mutation { breakGlass(patientId: "${CARROLL}", reason: "Unconscious patient in the ED") { id } }`));
    expect((await events({ patientId: CARROLL })).filter((e) => e.action === 'access.break-glass')).toMatchObject([
      { patientId: CARROLL, actor: { sub: 'dr-er' } },
    ]);
    // Who broke the glass, as what: no change request carries the kind and roles of a direct action.
    const ACTOR = '{ auditEvents(filter: { action: "access.break-glass" }, first: 5) { edges { node { actor { sub kind roles } } } } }';
    const opened = ok<{ auditEvents: { edges: { node: unknown }[] } }>(await h.gql(t.auditor, ACTOR)).auditEvents.edges;
    expect(opened.map((e) => e.node)).toEqual([
      { actor: { sub: 'dr-er', kind: 'user', roles: ['clinician'] } },
    ]);
    // The opening is flagged like the reads it allows (schema/audit.graphql breakGlass).
    const flagged = ok<{ auditEvents: { edges: { node: { action: string; breakGlass: boolean | null } }[] } }>(
      await h.gql(t.auditor, '{ auditEvents(filter: { action: "access.break-glass" }, first: 5) { edges { node { action breakGlass } } } ' +
        '}'),
    ).auditEvents.edges.map((e) => e.node);
    expect(flagged).toEqual([{ action: 'access.break-glass', breakGlass: true }]);
  });
});
