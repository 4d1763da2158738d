import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DENNIS } from '../connectors/ehr/helpers.js';
import { expectForbidden } from '../support/api-assertions.js';
import { startHarness, type Harness } from '../support/harness.js';
import { ok } from './governance-operations.js';

// Patient.invoices and Patient.accountBalance: the seeded FHIR Invoices (linked to the Account) for billing roles,
// guarded as financial on every path, and a billing manager never sees a clinical field on the way.

type Invoice = { id: string; status: string; totalGross: number; totalNet: number; currency: string; refunded: number };
const Q = `query($id: ID!) { patient(id: $id) { name invoices { id status date totalGross totalNet currency refunded ` +
  `failedPaymentAttempts } accountBalance { amount currency openInvoices } conditions { code } notes { text } medications { medication } ` +
  `} }`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(() => h.stop());

describe('invoices and balance', () => {
  it('gives a billing manager the invoices and the open balance, and no clinical field', async () => {
    const bill = await h.token({ sub: 'bill-lee', roles: ['billing-manager'] });
    const r = await h.gql<{
      patient: {
        invoices: Invoice[];
        accountBalance: { amount: number; currency: string; openInvoices: number };
        conditions: null;
        notes: null;
        medications: null;
      };
    }>(bill, Q, { id: DENNIS });
    const p = r.body.data!.patient;
    expect(p.invoices).toHaveLength(3);
    expect(p.invoices.filter((i) => i.status === 'issued')).toEqual([
      expect.objectContaining({ totalGross: 7959.78, totalNet: 1651.96, currency: 'USD', refunded: 0 }),
    ]);
    expect(p.invoices.filter((i) => i.status === 'balanced')).toHaveLength(2);
    expect(p.accountBalance).toEqual({ amount: 1651.96, currency: 'USD', openInvoices: 1 });
    expect([p.conditions, p.notes, p.medications]).toEqual([null, null, null]);
    for (const [field, dataClass] of [
      ['conditions', 'clinical'],
      ['notes', 'notes'],
      ['medications', 'medications'],
    ] as const)
      expectForbidden(r.body, ['patient', field], dataClass, 'role');
    expect(JSON.stringify(r.body)).not.toMatch(/Progress note|lisinopril/i);
  });

  it('refuses invoices and balance to clinical and front-desk roles, also through Encounter.subject', async () => {
    const clin = await h.token({ sub: 'dr-grey', roles: ['clinician'], departments: ['cardiology'] });
    const r = await h.gql(clin, `query($id: ID!) { patient(id: $id) { invoices { id } accountBalance { amount } } }`, { id: DENNIS });
    expectForbidden(r.body, ['patient', 'invoices'], 'financial', 'role');
    expectForbidden(r.body, ['patient', 'accountBalance'], 'financial', 'role');
    const desk = await h.token({ sub: 'desk-dee', roles: ['front-desk'] });
    const e = await h.gql(desk, `query($id: ID!) { patient(id: $id) { invoices { id } } }`, { id: DENNIS });
    expectForbidden(e.body, ['patient', 'invoices'], 'financial', 'role');
    const enc = ok<{ patient: { encounters: { id: string }[] } }>(
      await h.gql(clin, `query($id: ID!) { patient(id: $id) { encounters { id } } }`, { id: DENNIS }),
    ).patient.encounters[0]!;
    const via = await h.gql(clin, `query($id: ID!) { node(id: $id) { ... on Encounter { subject { invoices { id } } } } }`, {
      id: `Encounter/${enc.id}`,
    });
    expectForbidden(via.body, ['node', 'subject', 'invoices'], 'financial', 'role');
  });
});
