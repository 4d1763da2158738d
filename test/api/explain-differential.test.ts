import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARROLL, CHET, DENNIS, FRANKIE } from '../connectors/ehr/helpers.js';
import { startHarness, type GqlResponse, type Harness } from '../support/harness.js';
import { setWriteBackApplied } from './governance-operations.js';

// Issue 13, item 2: explain and explainField answer exactly what the action then does, for random principals,
// actions and rows, write actions included (write-back, refunds, messaging, medication requests): both ask the same
// kernel functions (rules/field-decision.ts, rules/patient-actions.ts) and the same governance checks.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  // Open, so writes and proposals reach every answer (explain and the action say the gate's refusal alike when closed:
  // test/api/write-back-gate-entry-points.test.ts).
  await setWriteBackApplied(h, true, 'acme', 'PRODUCTION');
}, 60_000);
afterAll(() => h.stop());

function prng(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

const ROLES = [
  'clinician',
  'nurse',
  'billing-manager',
  'front-desk',
  'ops-manager',
  'care-coordinator',
  'ai-agent',
  'auditor',
  'clinical-admin',
  'support',
];
const DEPARTMENTS = ['cardiology', 'oncology', 'primary-care'];
const PATIENTS = [CARROLL, CHET, DENNIS, FRANKIE];
const PATIENT_FIELDS = ['name', 'address', 'mrn', 'ssn', 'conditions', 'observations', 'medications', 'encounters', 'notes', 'invoices'];

type Explained = { decision: string; permission: string | null; failedScope: string | null; reason: string | null; mask: string | null };
const EXPLAIN = `query ($a: String!, $r: ExplainResource) { explain(action: $a, resource: $r) { decision permission failedScope reason ` +
  `mask } }`;
const EXPLAIN_FIELD = `query ($t: String!, $f: String!, $p: ID, $r: ID) { explainField(type: $t, field: $f, patientId: $p, rowId: $r) { ` +
  `decision permission failedScope reason mask } }`;

interface Drawn {
  readonly sub: string;
  readonly roles: string[];
  readonly departments: string[];
  readonly grants: string[];
  readonly kind: 'user' | 'agent';
}

function draw(rand: () => number, i: number): Drawn {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const roles = [...new Set([pick(ROLES), ...(rand() < 0.3 ? [pick(ROLES)] : [])])];
  const kind = roles.includes('ai-agent') && rand() < 0.8 ? 'agent' : 'user';
  const grants = ['sensitive', 'identifiers'].filter(() => rand() < 0.4);
  return { sub: `p${i}`, roles, departments: [pick(DEPARTMENTS)], grants, kind };
}

const FIXED: Drawn[] = [
  { sub: 'agent-card', roles: ['ai-agent'], departments: ['cardiology'], grants: [], kind: 'agent' },
  { sub: 'bm-big', roles: ['billing-manager'], departments: ['cardiology'], grants: [], kind: 'user' },
  { sub: 'dr-card', roles: ['clinician'], departments: ['cardiology'], grants: [], kind: 'user' },
];

/** Refusals explain names by their reason: the editor check, and the write-back gate a write and a proposal meet. */
const GOVERNANCE_REASONS = ['NOT_AN_EDITOR', 'WRITE_BACK_DISABLED', 'CONNECTOR_STOPPED', 'SCOPE_NOT_CONFIGURED', 'NOT_MAPPED'];

/** The error that a policy decision made (it names the missing permission), or a governance refusal. */
function policyError(body: GqlResponse['body']) {
  return (
    (body.errors ?? []).find(
      (e) => e.extensions?.code === 'FORBIDDEN' &&
        (e.extensions.permission !== undefined || GOVERNANCE_REASONS.includes(String(e.extensions.reason))),
    )?.extensions ?? null
  );
}

function agrees(explained: Explained, body: GqlResponse['body'], pending: boolean, label: string) {
  const error = policyError(body);
  if (explained.decision === 'DENY') {
    expect(error, `${label}: explain DENY, the action was not refused by the policy`).not.toBeNull();
    if (explained.permission) expect(error!.permission, label).toBe(explained.permission);
    else expect(error!.reason, label).toBe(explained.reason);
    return;
  }
  expect(error, `${label}: explain ${explained.decision}, the action was refused: ${JSON.stringify(error)}`).toBeNull();
  expect(pending, `${label}: explain ${explained.decision}`).toBe(explained.decision === 'NEEDS_APPROVAL');
}

describe('explain == what the action does', () => {
  it('for random principals, patients and write actions', async () => {
    const rand = prng(1313);
    const billing = await h.token({ sub: 'bm', roles: ['billing-manager'] });
    const invoices = new Map<string, { id: string; totalNet: number | null }[]>();
    for (const p of PATIENTS) {
      const r = await h.gql<{ patient: { invoices: { id: string; totalNet: number | null }[] } }>(
        billing,
        'query ($id: ID!) { patient(id: $id) { invoices { id totalNet } } }',
        { id: p },
      );
      invoices.set(p, r.body.data!.patient.invoices);
    }
    let compared = 0;
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      // The first draws are pinned so every kind of answer is reached; the rest are random.
      const d = FIXED[i] ?? draw(rand, i);
      const token = await h.token(d as never);
      const patient = i < FIXED.length ? DENNIS : PATIENTS[Math.floor(rand() * PATIENTS.length)]!;
      const key = `diff-key-${i}-${Math.floor(rand() * 1e9)}`;
      const actions: {
        action: string;
        resource: Record<string, unknown>;
        run: () => Promise<{ body: GqlResponse['body']; pending: boolean }>;
      }[] = [
        {
          action: 'write:notes',
          resource: { patientId: patient },
          run: async () => ({
            body: (
              await h.gql(token, 'mutation ($p: ID!, $i: WriteBackNoteInput!) { writeBackNote(patientId: $p, input: $i) { id } }', {
                p: patient,
                i: { idempotencyKey: key, title: 't', text: 'x' },
              })
            ).body,
            pending: false,
          }),
        },
        {
          action: 'write:observations',
          resource: { patientId: patient },
          run: async () => ({
            body: (
              await h.gql(token, 'mutation ($p: ID!, $i: RecordObservationInput!) { recordObservation(patientId: $p, input: $i) { id } }', {
                p: patient,
                i: { idempotencyKey: key, code: '8867-4', display: 'Heart rate', value: 70, unit: '/min' },
              })
            ).body,
            pending: false,
          }),
        },
        {
          action: 'medication:request',
          resource: { patientId: patient },
          run: async () => {
            const r = await h.gql<{ proposeMedicationRequest: { status: string } | null }>(
              token,
              'mutation ($p: ID!, $i: ProposeMedicationRequestInput!) { proposeMedicationRequest(patientId: $p, input: $i) { status } }',
              { p: patient, i: { idempotencyKey: key, medication: 'lisinopril 10 MG Oral Tablet', dosage: '1 daily' } },
            );
            return { body: r.body, pending: r.body.data?.proposeMedicationRequest?.status === 'PENDING_APPROVAL' };
          },
        },
        {
          action: 'message:send',
          resource: { patientId: patient },
          run: async () => ({
            body: (
              await h.gql(token, 'mutation ($p: ID!) { sendPatientMessage(patientId: $p, templateId: "no-such-template") { status } }', {
                p: patient,
              })
            ).body,
            pending: false,
          }),
        },
      ];
      const invoice = invoices.get(patient)?.find((x) => (x.totalNet ?? 0) > 1);
      if (invoice) {
        const amount = i >= FIXED.length && rand() < 0.5 ? 0.01 : Math.min(invoice.totalNet! - 0.5, 5000);
        actions.push({
          action: 'refund:issue', resource: { invoiceId: invoice.id, amount },
          run: async () => {
            const r = await h.gql<{ issueRefund: { status: string } | null }>(
              token,
              'mutation ($i: ID!, $a: Float!) { issueRefund(invoiceId: $i, amount: $a, reason: "differential") { status } }',
              { i: invoice.id, a: amount },
            );
            return { body: r.body, pending: r.body.data?.issueRefund?.status === 'PENDING_APPROVAL' };
          },
        });
      }
      for (const a of actions) {
        const explained = (await h.gql<{ explain: Explained }>(token, EXPLAIN, { a: a.action, r: a.resource })).body.data!.explain;
        const done = await a.run();
        agrees(explained, done.body, done.pending, `${JSON.stringify(d)} ${a.action} ${JSON.stringify(a.resource)}`);
        seen.add(`${a.action}:${explained.decision}`);
        compared++;
      }
      // explainField against the read itself, including masks.
      const field = PATIENT_FIELDS[Math.floor(rand() * PATIENT_FIELDS.length)]!;
      const sub = ['conditions', 'observations', 'medications', 'encounters', 'notes', 'invoices'].includes(field)
        ? ' { id }'
        : ['address'].includes(field)
          ? ' { city }'
          : '';
      const read = await h.gql<{ patient: Record<string, unknown> | null }>(
        token,
        `query ($id: ID!) { patient(id: $id) { ${field}${sub} } }`,
        { id: patient },
      );
      const ex = (await h.gql<{ explainField: Explained }>(token, EXPLAIN_FIELD, { t: 'Patient', f: field, p: patient })).body;
      if (ex.errors) continue; // explainField refuses to look the patient up for a caller who may not (as the read does)
      const fieldError =
        (read.body.errors ?? []).find((e) => e.path?.join('.') === `patient.${field}` && !e.extensions?.withheld) ??
        (read.body.data?.patient ? null : read.body.errors?.[0]);
      expect(ex.data!.explainField.decision === 'DENY', `${JSON.stringify(d)} Patient.${field}`).toBe(Boolean(fieldError));
      if (ex.data!.explainField.mask === 'LAST_FOUR') expect(String(read.body.data!.patient![field])).toMatch(/^\*+.{4}$/);
      if ((field === 'ssn' || field === 'mrn') && ex.data!.explainField.decision === 'ALLOW' && !ex.data!.explainField.mask) {
        expect(String(read.body.data!.patient![field])).not.toMatch(/^\*+/);
      }
      compared++;
    }
    expect(compared).toBeGreaterThan(150);
    // The draw reached every kind of answer of the write actions.
    for (const x of [
      'write:notes:ALLOW',
      'write:notes:DENY',
      'medication:request:NEEDS_APPROVAL',
      'medication:request:DENY',
      'message:send:ALLOW',
      'message:send:DENY',
      'refund:issue:DENY',
      'refund:issue:NEEDS_APPROVAL',
    ]) {
      expect([...seen]).toContain(x);
    }
  }, 240_000);

  it('explainField(Patient, ssn) says the value comes back masked, and what unmasks it', async () => {
    const token = await h.token({ sub: 'fd', roles: ['front-desk'] });
    const r = await h.gql<{ explainField: Explained }>(token, EXPLAIN_FIELD, { t: 'Patient', f: 'ssn', p: DENNIS });
    expect(r.body.data!.explainField).toMatchObject({ decision: 'ALLOW', mask: 'LAST_FOUR', permission: 'read:identifiers' });
    const granted = await h.token({ sub: 'fd2', roles: ['front-desk'], grants: ['identifiers'] });
    expect(
      (await h.gql<{ explainField: Explained }>(granted, EXPLAIN_FIELD, { t: 'Patient', f: 'ssn', p: DENNIS })).body.data!.explainField,
    ).toMatchObject({ decision: 'ALLOW', mask: null });
  });
});
