import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTenantSeed } from '../../connectors/ehr/seed.js';
import { startHarness, type Harness } from '../support/harness.js';
import { HANK, sensitiveRecordsBundle } from '../support/sensitive-records.js';
import { ok, refused } from './governance-operations.js';

// A tester's findings: an invoice labelled HIV was withheld from Patient.invoices for a billing manager without the
// sensitive grant, yet its amount was in Patient.accountBalance, the billing automation's dry run listed it (patient,
// invoice, amount) with no PHI-read audit record of any row it showed, and issueRefund refunded it (explain: ALLOW).
// Every way a billing role reaches an invoice now decides it as Patient.invoices does.

let h: Harness;
beforeAll(async () => {
  const seed = await defaultTenantSeed();
  h = await startHarness({ fhirSeed: { ...seed, acme: [...seed.acme!, sensitiveRecordsBundle()] } });
}, 60_000);
afterAll(() => h.stop());

type Action = { invoiceId: string; patientId: string; amount: number };
const RUN = 'mutation { runBillingAutomation(dryRun: true) { actions { invoiceId patientId amount } } }';
const REFUND = 'mutation ($id: ID!) { issueRefund(invoiceId: $id, amount: 1, reason: "goodwill") { status } }';
const EXPLAIN = 'query ($id: ID!) { explain(action: "refund:issue", resource: { invoiceId: $id, amount: 1 }) { decision reason } }';

describe('a sensitive invoice, for a billing manager without the grant', () => {
  it('is neither listed nor counted in the balance; both say rows were withheld', async () => {
    const bill = await h.token({ sub: 'bill-no', roles: ['billing-manager'] });
    const r = await h.gql<{ patient: { invoices: { id: string }[]; accountBalance: { amount: number; openInvoices: number } } }>(
      bill,
      'query ($id: ID!) { patient(id: $id) { invoices { id } accountBalance { amount openInvoices } } }',
      { id: HANK },
    );
    expect(r.body.data!.patient.invoices.map((i) => i.id)).toEqual(['hank-invoice-plain']);
    expect(r.body.data!.patient.accountBalance).toEqual({ amount: 100, openInvoices: 1 });
    const withheld = (r.body.errors ?? []).filter((e) => e.extensions?.withheld).map((e) => e.path?.join('.'));
    expect(withheld.sort()).toEqual(['patient.accountBalance', 'patient.invoices']);
  });

  it("is not in the automation's answer, whose shown rows are each audited as PHI reads", async () => {
    const bill = await h.token({ sub: 'bill-run', roles: ['billing-manager'] });
    const r = await h.gql<{ runBillingAutomation: { actions: Action[] } }>(bill, RUN);
    const actions = r.body.data!.runBillingAutomation.actions;
    expect(actions.map((a) => a.invoiceId)).not.toContain('hank-invoice-hiv');
    expect(actions.map((a) => a.invoiceId)).toContain('hank-invoice-plain');
    expect((r.body.errors ?? []).map((e) => e.extensions?.withheld)).toEqual([true]);
    const sec = await h.token({ sub: 'sec-audit', roles: ['security-admin'] });
    const events = ok(await h.gql<{ auditEvents: { edges: { node: { patientId: string; dataClasses: string[] } }[] } }>(
      sec,
      'query ($f: AuditEventFilter) { auditEvents(filter: $f, first: 50) { edges { node { patientId dataClasses } } } }',
      { f: { actor: 'bill-run', action: 'phi.read' } },
    )).auditEvents.edges.map((e) => e.node);
    const audited = new Set(events.map((e) => e.patientId));
    for (const a of actions) expect(audited.has(a.patientId), a.patientId).toBe(true);
    expect(events.every((e) => e.dataClasses.includes('financial'))).toBe(true);
  });

  it('cannot be refunded, and explain says so: as an invoice that is not there', async () => {
    const bill = await h.token({ sub: 'bill-refund', roles: ['billing-manager'], mfa: true });
    refused(await h.gql(bill, REFUND, { id: 'hank-invoice-hiv' }), 'NOT_FOUND');
    refused(await h.gql(bill, REFUND, { id: 'no-such-invoice' }), 'NOT_FOUND');
    for (const id of ['hank-invoice-hiv', 'no-such-invoice']) {
      const explained = ok(await h.gql<{ explain: { decision: string; reason: string } }>(bill, EXPLAIN, { id })).explain;
      expect(explained, id).toEqual({ decision: 'DENY', reason: 'NOT_FOUND' });
    }
    const plain = ok(await h.gql<{ explain: { decision: string } }>(bill, EXPLAIN, { id: 'hank-invoice-plain' })).explain;
    expect(plain.decision).not.toBe('DENY');
  });
});

// A tester's finding: observations(code:) for an HIV viral-load code answered [] with a "Some records were withheld"
// notice for a patient who has one and [] with no notice for one who has none: the notice told the result. A search
// narrowed by code now carries the notice whenever the caller may not see the patient's sensitive rows.
describe('a search narrowed by code tells nothing by its notice', () => {
  const OBS = 'query ($id: ID!, $code: String) { patient(id: $id) { observations(code: $code, count: 5) { id } } }';
  type Answer = { body: { errors?: readonly { path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] } };
  const shape = (r: Answer) =>
    (r.body.errors ?? []).map((e) => ({ path: e.path?.join('.'), withheld: e.extensions?.withheld, scope: e.extensions?.failedScope }));

  it('a sensitive code, a plain one, an unknown one, on a patient with sensitive records and one without: one notice', async () => {
    const seed = await defaultTenantSeed();
    const other = (seed.acme ?? []).flatMap((b) => b.entry ?? []).map((e) => e.resource).find((r) => r?.resourceType === 'Patient')!.id!;
    const departments = ['cardiology', 'oncology', 'pediatrics', 'primary-care'];
    const no = await h.token({ sub: 'dr-no-grant', roles: ['clinician'], departments });
    const notice = [{ path: 'patient.observations', withheld: true, scope: 'grant' }];
    for (const id of [HANK, other]) {
      for (const code of ['25836-8', '29463-7', 'no-such-code']) {
        const r = await h.gql<{ patient: { observations: { id: string }[] } }>(no, OBS, { id, code });
        expect(shape(r), `${id} ${code}`).toEqual(notice);
        expect(r.body.data!.patient.observations.map((o) => o.id)).not.toContain('hank-obs-viral-load');
      }
    }
    // With the grant: the rows, and no notice.
    const yes = await h.token({ sub: 'dr-grant', roles: ['clinician'], departments: ['cardiology'], grants: ['sensitive'] });
    const r = await h.gql<{ patient: { observations: { id: string }[] } }>(yes, OBS, { id: HANK, code: '25836-8' });
    expect(shape(r)).toEqual([]);
    expect(r.body.data!.patient.observations.map((o) => o.id)).toEqual(['hank-obs-viral-load']);
  });
});
