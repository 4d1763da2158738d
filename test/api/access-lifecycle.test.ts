import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARROLL, DENNIS, FRANKIE } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';
import { POLICY } from '../support/api-assertions.js';

// Issue 6, "must hold", over HTTP with an injected clock and no background job: a granted access request works
// until its expiry and not one second after; break-glass opens one patient only, expires, and its PHI-read audit
// events say breakGlass; explain(at:) before a policy change gives the old answer; self-escalation fails.

const T0 = Date.parse('2026-12-01T09:00:00.000Z');
let now = T0;
let h: Harness;

const CONDITIONS = 'query ($id: ID!) { patient(id: $id) { id conditions { id } } }';
const REQUEST = `mutation ($input: RequestAccessInput!) { requestAccess(input: $input) { status changeRequest { id status targetType ` +
  `expiresAt approverFunctions requirement { requiredApprovals mfaRequired } } } }`;
const APPROVE = 'mutation ($id: ID!) { approveChange(id: $id) { status } }';

const clinician = (sub: string, dept = 'cardiology') => h.token({ sub, roles: ['clinician'], departments: [dept] });
const security = (sub = 'sec-sam') => h.token({ sub, roles: ['security-admin'], mfa: true } as never);
const clinicalAdmin = (sub = 'dr-director') => h.token({ sub, roles: ['clinical-admin'], mfa: true } as never);

/**
 * Errors other than the one that says CARROLL's sensitive condition was withheld (she has one; these clinicians hold
 * no sensitive grant, break-glass does not give one): that one is asserted to be there, once.
 */
function unexpectedErrors(body: { errors?: { path?: (string | number)[]; extensions?: Record<string, unknown> }[] }) {
  const withheld = (body.errors ?? []).filter((e) => e.extensions?.withheld === true);
  expect(withheld.every((e) => e.extensions?.failedScope === 'grant' && e.path?.join('.') === 'patient.conditions')).toBe(true);
  return (body.errors ?? []).filter((e) => e.extensions?.withheld !== true);
}

function forbiddenAt(body: { errors?: { path?: (string | number)[]; extensions?: Record<string, unknown> }[] }, field: string) {
  return body.errors?.find((e) => e.path?.join('.') === `patient.${field}`)?.extensions;
}

beforeAll(async () => {
  h = await startHarness({ now: () => now });
});
afterAll(() => h.stop());

describe('access request: a time-limited grant that expires by itself', () => {
  it('works until its expiry and not one second after', async () => {
    now = T0;
    const grey = await clinician('dr-grey');
    const before = await h.gql(grey, CONDITIONS, { id: CARROLL });
    const denial = forbiddenAt(before.body, 'conditions');
    expect(denial).toMatchObject({
      code: 'FORBIDDEN',
      failedScope: 'department',
      requestAccess: { requestedRole: 'clinician', scopeDepartments: ['oncology'] },
    });
    expect((denial?.approvalPath as { approverFunctions: string[] }).approverFunctions).toEqual(
      expect.arrayContaining(['security', 'clinical']),
    );

    // The denial's requestAccess is the ready input: add a justification and send it.
    const input = { ...(denial!.requestAccess as object), justification: 'Covering oncology on-call tonight', durationMinutes: 60 };
    const asked = await h.gql<{ requestAccess: { status: string; changeRequest: { id: string; targetType: string } } }>(grey, REQUEST, {
      input,
    });
    expect(asked.body.errors).toBeUndefined();
    expect(asked.body.data!.requestAccess).toMatchObject({ status: 'PENDING_APPROVAL', changeRequest: { targetType: 'ACCESS_REQUEST' } });
    const id = asked.body.data!.requestAccess.changeRequest.id;

    const self = await h.gql(grey, APPROVE, { id });
    // A clinician cannot even read the queue; either way, never their own approval.
    expect(self.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', approvalPath: { requiredApprovals: 2 } });
    // An engineer (technical, an approver function of access) holds no clinical read: cannot give it away, so the
    // change does not name technical among its approvers.
    const eng = await h.token({ sub: 'eng-ana', roles: ['system-admin'], mfa: true } as never);
    const engR = await h.gql(eng, APPROVE, { id });
    expect(engR.body.errors?.[0]?.extensions).toMatchObject({ reason: 'NOT_AN_APPROVER' });
    expect((await h.gql(await security(), APPROVE, { id })).body.data).toEqual({ approveChange: { status: 'PENDING' } });
    expect((await h.gql(await clinicalAdmin(), APPROVE, { id })).body.data).toEqual({ approveChange: { status: 'APPLIED' } });

    const during = await h.gql(grey, CONDITIONS, { id: CARROLL });
    expect(unexpectedErrors(during.body)).toEqual([]);
    expect(during.body.errors).toHaveLength(1);
    // Only the department asked for: a primary-care patient stays out of reach.
    expect(forbiddenAt((await h.gql(grey, CONDITIONS, { id: FRANKIE })).body, 'conditions')).toMatchObject({ failedScope: 'department' });

    now = T0 + 60 * 60_000 - 1_000;
    expect(unexpectedErrors((await h.gql(grey, CONDITIONS, { id: CARROLL })).body)).toEqual([]);
    now = T0 + 60 * 60_000;
    expect(forbiddenAt((await h.gql(grey, CONDITIONS, { id: CARROLL })).body, 'conditions')).toMatchObject({ failedScope: 'department' });

    const mine = await h.gql<{
      myAccessRequests: { id: string; status: string }[];
      myAccess: { id: string; active: boolean; expiresAt: string }[];
    }>(grey, '{ myAccessRequests { id status } myAccess { id active expiresAt } }');
    expect(mine.body.data!.myAccessRequests).toEqual([{ id, status: 'APPLIED' }]);
    expect(mine.body.data!.myAccess).toEqual([{ id, active: false, expiresAt: new Date(T0 + 60 * 60_000).toISOString() }]);
  });
});

describe('self-escalation', () => {
  const ASSIGN = `mutation ($input: AssignRoleInput!) { assignRole(input: $input) { status changeRequest { id } } }`;

  it('nobody assigns themselves a role', async () => {
    now = T0;
    const r = await h.gql(await security('sec-ivy'), ASSIGN, {
      input: { assignee: 'sec-ivy', assignedRole: 'auditor', reason: 'need the audit view' },
    });
    expect(r.body.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'SELF_ASSIGNMENT',
      ownerRole: 'security-admin',
      approvalPath: { risk: 'HIGH' },
    });
  });

  it('nobody approves their own access request', async () => {
    now = T0;
    const house = await clinicalAdmin('dr-house');
    const asked = await h.gql<{ requestAccess: { changeRequest: { id: string } } }>(house, REQUEST, {
      input: {
        requestedRole: 'clinician',
        scopeDepartments: ['oncology'],
        justification: 'Seeing patients this week',
        durationMinutes: 120,
      },
    });
    const r = await h.gql(house, APPROVE, { id: asked.body.data!.requestAccess.changeRequest.id });
    expect(r.body.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'SELF_APPROVAL',
      ownerFunction: 'security',
      approvalPath: { requiredApprovals: 2, approverFunctions: ['security', 'clinical'] },
    });
  });

  it('nobody approves a grant to themselves requested by a colleague', async () => {
    now = T0;
    const r = await h.gql<{ assignRole: { status: string; changeRequest: { id: string } } }>(await security('sec-sam'), ASSIGN, {
      input: { assignee: 'dr-director', assignedRole: 'clinician', scopeDepartments: ['cardiology'], reason: 'covers clinic on Fridays' },
    });
    expect(r.body.data!.assignRole.status).toBe('PENDING_APPROVAL');
    const mine = await h.gql(await clinicalAdmin('dr-director'), APPROVE, { id: r.body.data!.assignRole.changeRequest.id });
    expect(mine.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'SELF_BENEFIT' });
  });
});

describe('break-glass', () => {
  it('explains a patient that is not there as breakGlass answers it (not found), one that is as allowed', async () => {
    const cruz = await clinician('dr-cruz-explain');
    const EXPLAIN = 'query ($id: ID!) { explain(action: "break-glass", resource: { patientId: $id }) { decision } }';
    const missing = '00000000-0000-4000-8000-000000000000';
    const opened = await h.gql(cruz, 'mutation ($id: ID!) { breakGlass(patientId: $id, reason: "Unconscious patient in the ED") { id } }', {
      id: missing,
    });
    expect(opened.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    const explained = await h.gql(cruz, EXPLAIN, { id: missing });
    expect(explained.body.data?.explain ?? null).toBeNull();
    expect(explained.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect((await h.gql<{ explain: { decision: string } }>(cruz, EXPLAIN, { id: CARROLL })).body.data!.explain.decision).toBe('ALLOW');
  });

  it('opens one patient only, expires, and flags its PHI-read audit events', async () => {
    now = T0 + 2 * 60 * 60_000;
    const cruz = await clinician('dr-cruz');
    expect(forbiddenAt((await h.gql(cruz, CONDITIONS, { id: CARROLL })).body, 'conditions')).toMatchObject({ failedScope: 'department' });
    const bg = await h.gql<{ breakGlass: { kind: string; patientId: string; expiresAt: string } }>(
      cruz,
      'mutation ($id: ID!) { breakGlass(patientId: $id, reason: "Unconscious patient in the ED, chart needed") { kind patientId ' +
      'expiresAt } }',
      { id: CARROLL },
    );
    expect(bg.body.data!.breakGlass).toMatchObject({
      kind: 'BREAK_GLASS',
      patientId: CARROLL,
      expiresAt: new Date(now + 60 * 60_000).toISOString(),
    });
    expect(unexpectedErrors((await h.gql(cruz, CONDITIONS, { id: CARROLL })).body)).toEqual([]);
    expect(forbiddenAt((await h.gql(cruz, CONDITIONS, { id: FRANKIE })).body, 'conditions')).toMatchObject({ failedScope: 'department' });
    expect((await h.gql(cruz, CONDITIONS, { id: DENNIS })).body.errors).toBeUndefined();

    const events = await h.gql<{ auditEvents: { edges: { node: { patientId: string; breakGlass: boolean; actor: { sub: string } } }[] } }>(
      await security(),
      'query ($f: AuditEventFilter) { auditEvents(filter: $f, first: 100) { edges { node { patientId breakGlass actor { sub } } } } }',
      { f: { actor: 'dr-cruz', action: 'phi.read' } },
    );
    const reads = events.body.data!.auditEvents.edges.map((e) => e.node);
    expect(reads.filter((e) => e.patientId === CARROLL).map((e) => e.breakGlass)).toContain(true);
    expect(reads.filter((e) => e.patientId === DENNIS).every((e) => !e.breakGlass)).toBe(true);

    const review = await h.gql<{ accessReview: { grant: { sub: string; patientId: string }; flags: string[] }[] }>(
      await security(),
      '{ accessReview(staleDays: 90) { grant { sub patientId } flags } }',
    );
    expect(review.body.data!.accessReview).toContainEqual({ grant: { sub: 'dr-cruz', patientId: CARROLL }, flags: ['BREAK_GLASS'] });

    now += 60 * 60_000;
    expect(forbiddenAt((await h.gql(cruz, CONDITIONS, { id: CARROLL })).body, 'conditions')).toMatchObject({ failedScope: 'department' });
  });

  it('is refused to a nurse (not eligible by the policy)', async () => {
    const nurse = await h.token({ sub: 'rn-lee', roles: ['nurse'], departments: ['cardiology'] });
    const r = await h.gql(nurse, `mutation { breakGlass(patientId: "${CARROLL}", reason: "Patient collapsed in the hallway") { id } }`);
    expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_ELIGIBLE' });
  });
});

describe('policy versions and explain(at:)', () => {
  it('explain at a time before a policy change gives the old answer', async () => {
    now = T0 + 5 * 60 * 60_000;
    const before = new Date(now - 1_000).toISOString();
    const nurse = await h.token({ sub: 'rn-kim', roles: ['nurse'], departments: ['cardiology'] });
    const EXPLAIN = 'query ($at: DateTime) { explain(action: "read:observations", at: $at) { decision rule policyVersion } }';
    expect((await h.gql(nurse, EXPLAIN)).body.data).toEqual({
      explain: { decision: 'ALLOW', rule: 'policy:read:observations', policyVersion: POLICY.version },
    });

    const current = (await h.gql<{ policyVersions: { version: number }[] }>(await security(), '{ policyVersions { version } }')).body.data!
      .policyVersions;
    expect(current.map((v) => v.version)).toEqual([0]);
    const { readFileSync } = await import('node:fs');
    const doc = JSON.parse(readFileSync(new URL('../../rules/default-policy.json', import.meta.url), 'utf8')) as {
      version: string;
      roles: Record<string, { permissions: { dataClasses: string[] }[] }>;
    };
    doc.version = '2026-12-01.1';
    for (const p of doc.roles.nurse!.permissions) p.dataClasses = p.dataClasses.filter((c) => c !== 'observations');
    const proposed = await h.gql<{
      proposePolicy: {
        status: string;
        changeRequest: { id: string; risk: string; requirement: { requiredApprovals: number; requiredFunction: string } };
      };
    }>(
      await security('sec-ivy'),
      'mutation ($d: JSON!) { proposePolicy(document: $d, reason: "Observations move to the clinical team", ticket: "POL-7") { status ' +
      'changeRequest { id risk requirement { requiredApprovals requiredFunction } } } }',
      { d: doc },
    );
    expect(proposed.body.data!.proposePolicy).toMatchObject({
      status: 'PENDING_APPROVAL',
      changeRequest: { risk: 'CRITICAL', requirement: { requiredApprovals: 2, requiredFunction: 'security' } },
    });
    const id = proposed.body.data!.proposePolicy.changeRequest.id;
    now += 1_000;
    expect((await h.gql(await security('sec-sam'), APPROVE, { id })).body.data).toEqual({ approveChange: { status: 'PENDING' } });
    const eng = await h.token({ sub: 'eng-ben', roles: ['integration-engineer'], mfa: true } as never);
    expect((await h.gql(eng, APPROVE, { id })).body.data).toEqual({ approveChange: { status: 'APPLIED' } });
    now += 1_000;

    expect((await h.gql(nurse, EXPLAIN)).body.data).toEqual({
      explain: { decision: 'DENY', rule: 'policy:read:observations', policyVersion: '2026-12-01.1' },
    });
    expect((await h.gql(nurse, EXPLAIN, { at: before })).body.data).toEqual({
      explain: { decision: 'ALLOW', rule: 'policy:read:observations', policyVersion: POLICY.version },
    });
    const diff = await h.gql<{ policyDiff: { path: string }[] }>(await security(), '{ policyDiff(from: 0, to: 1) { path } }');
    expect(diff.body.data!.policyDiff.map((d) => d.path)).toEqual(expect.arrayContaining(['/version']));
  });
});

describe('settings catalog and governance denials explain themselves', () => {
  const CATALOG =
    '{ settingsCatalog(environment: PRODUCTION) { key ownerRole ownerFunction canEdit requiresApproval lockedReason status approvalPath ' +
    '{ requiredApprovals approverFunctions mfaRequired } } }';
  type Row = {
    key: string;
    ownerRole: string;
    canEdit: boolean;
    requiresApproval: boolean;
    lockedReason: string | null;
    status: string;
    approvalPath: { requiredApprovals: number };
  };

  it('renders a disabled control with its reason and owner, an editable one with its approval path', async () => {
    now = T0;
    const support = await h.token({ sub: 'sup-1', roles: ['support'] });
    const locked = (await h.gql<{ settingsCatalog: Row[] }>(support, CATALOG)).body.data!.settingsCatalog.find(
      (s) => s.key === 'ai.model',
    )!;
    expect(locked).toMatchObject({
      ownerRole: 'clinical-admin',
      canEdit: false,
      status: 'DEFAULT',
      approvalPath: { requiredApprovals: 2 },
    });
    expect(locked.lockedReason).toContain('clinical-admin');
    const editable = (await h.gql<{ settingsCatalog: Row[] }>(await clinicalAdmin(), CATALOG)).body.data!.settingsCatalog.find(
      (s) => s.key === 'ai.model',
    )!;
    expect(editable).toMatchObject({ canEdit: true, requiresApproval: true, lockedReason: null });

    // The same answers from explain and from the refusal itself (NOT_AN_EDITOR carries owner and approval path).
    const ex = await h.gql(
      support,
      '{ explain(action: "setting:update:ai.model") { decision reason ownerRole approvalPath { requiredApprovals } requestAccess { ' +
      'requestedRole } } }',
    );
    expect(ex.body.data).toEqual({
      explain: {
        decision: 'DENY',
        reason: 'NOT_AN_EDITOR',
        ownerRole: 'clinical-admin',
        approvalPath: { requiredApprovals: 2 },
        requestAccess: { requestedRole: 'clinical-admin' },
      },
    });
    const r = await h.gql(
      support,
      'mutation { updateSetting(input: { key: "ai.model", environment: PRODUCTION, value: { provider: "x", model: "y", temperature: 0.1 ' +
      '}, reason: "try" }) { status } }',
    );
    expect(r.body.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_AN_EDITOR',
      ownerRole: 'clinical-admin',
      ownerFunction: 'clinical',
      approvalPath: { requiredApprovals: 2, mfaRequired: true },
    });
    const needs = await h.gql(await clinicalAdmin(), '{ explain(action: "setting:update:ai.model") { decision via } }');
    expect(needs.body.data).toEqual({ explain: { decision: 'NEEDS_APPROVAL', via: 'role:clinical-admin' } });
  });
});
