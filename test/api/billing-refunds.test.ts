import type { Invoice } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFUND_SYSTEM } from '../../connectors/billing/refund-resource.js';
import { FhirWriter } from '../../connectors/ehr/write/fhir-writer.js';
import { applyEffectFor } from '../../src/governance/transition-result.js';
import { createRefundEffect } from '../../src/services/billing/refund-effect.js';
import { memoryStores } from '../../src/stores/create-store.js';
import { DENNIS } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';
import { APPROVE, ok, refused, type Change } from './governance-operations.js';

// issueRefund over HTTP in PRODUCTION (the default environment), threshold 100 USD (billing.refundThreshold):
// under it the refund is recorded on the FHIR Invoice at once; above it it waits for one finance approver with MFA;
// the FHIR record is idempotent by the change id; only billing roles refund.

const REFUND = `mutation($i: ID!, $a: Float!, $r: String!) { issueRefund(invoiceId: $i, amount: $a, reason: $r) { status changeRequestId ` +
  `invoiceId amount currency threshold } }`;
const INVOICES = `query($id: ID!) { patient(id: $id) { invoices { id status totalNet refunded } accountBalance { amount } } }`;
type Refund = { status: string; changeRequestId: string; invoiceId: string; amount: number; currency: string; threshold: number };

const stores = memoryStores();
const store = stores.governance;
let h: Harness;
let bill: string;
let invoiceId: string;

beforeAll(async () => {
  h = await startHarness({ stores });
  bill = await h.token({ sub: 'bill-lee', roles: ['billing-manager'] });
  const p = ok<{ patient: { invoices: { id: string; status: string }[] } }>(await h.gql(bill, INVOICES, { id: DENNIS })).patient;
  invoiceId = p.invoices.find((i) => i.status === 'issued')!.id;
}, 60_000);
afterAll(() => h.stop());

const fhirInvoice = () => h.running.fhir!.repository('acme').readResource<Invoice>('Invoice', invoiceId);
const refunds = async () =>
  (await fhirInvoice()).lineItem!.filter((l) => l.chargeItemCodeableConcept?.coding?.[0]?.system === REFUND_SYSTEM);
const refund = (token: string, a: number) => h.gql<{ issueRefund: Refund }>(token, REFUND, { i: invoiceId, a, r: 'Duplicate charge' });

describe('issueRefund', () => {
  it('records a refund under the threshold at once, as a discount line item on the Invoice', async () => {
    const r = ok(await refund(bill, 50)).issueRefund;
    expect(r).toMatchObject({ status: 'APPLIED', amount: 50, currency: 'USD', threshold: 100, invoiceId });
    const [item] = await refunds();
    expect(item).toMatchObject({
      chargeItemCodeableConcept: { coding: [{ code: r.changeRequestId }] },
      priceComponent: [{ type: 'discount', amount: { value: 50 } }],
    });
    expect((await fhirInvoice()).totalNet?.value).toBe(1601.96);
    const p = ok<{ patient: { invoices: { id: string; refunded: number; totalNet: number }[]; accountBalance: { amount: number } } }>(
      await h.gql(bill, INVOICES, { id: DENNIS }),
    ).patient;
    expect(p.invoices.find((i) => i.id === invoiceId)).toMatchObject({ refunded: 50, totalNet: 1601.96 });
    expect(p.accountBalance.amount).toBe(1601.96);
  });

  it('queues a refund above the threshold for one finance approver with MFA; nothing reaches FHIR before', async () => {
    const r = ok(await refund(bill, 500)).issueRefund;
    expect(r.status).toBe('PENDING_APPROVAL');
    expect(await refunds()).toHaveLength(1);
    refused(await h.gql(bill, APPROVE, { id: r.changeRequestId }), 'FORBIDDEN', 'SELF_APPROVAL');
    const ops = await h.token({ sub: 'ops-olga', roles: ['ops-manager'], mfa: true });
    refused(await h.gql(ops, APPROVE, { id: r.changeRequestId }), 'FORBIDDEN', 'NOT_AN_APPROVER');
    const finNoMfa = await h.token({ sub: 'fin-fay', roles: ['billing-manager'] });
    refused(await h.gql(finNoMfa, APPROVE, { id: r.changeRequestId }), 'FORBIDDEN', 'MFA_REQUIRED');
    const fin = await h.token({ sub: 'fin-fay', roles: ['billing-manager'], mfa: true });
    expect(ok<{ approveChange: Change }>(await h.gql(fin, APPROVE, { id: r.changeRequestId })).approveChange.status).toBe('APPLIED');
    expect((await refunds()).map((l) => l.priceComponent?.[0]?.amount?.value)).toEqual([50, 500]);
    expect((await fhirInvoice()).totalNet?.value).toBe(1101.96);
  });

  it('records a refund once however often its effect runs (outbox retry after a crash)', async () => {
    const [first] = await store.listChanges('acme', { status: 'APPLIED' }, 50).then((cs) => cs.filter((c) => c.target.type === 'refund'));
    const effect = createRefundEffect({
      store,
      writer: new FhirWriter({ timeoutMs: 2_000 }),
      baseUrlFor: async () => h.running.fhir!.baseUrl('acme'),
      now: () => Date.now(),
    });
    const before = (await fhirInvoice()).meta?.versionId;
    await effect(applyEffectFor(first!));
    await effect(applyEffectFor(first!));
    expect(await refunds()).toHaveLength(2);
    expect((await fhirInvoice()).meta?.versionId).toBe(before);
  });

  it('refuses more than is left, other roles, other tenants and unknown invoices', async () => {
    expect(refused(await refund(bill, 99_999), 'BAD_USER_INPUT').extensions).toMatchObject({ field: 'amount' });
    const clin = await h.token({ sub: 'dr-grey', roles: ['clinician'], departments: ['cardiology'] });
    expect(refused(await refund(clin, 10), 'FORBIDDEN').extensions).toMatchObject({ dataClass: 'financial' });
    const globex = await h.token({ sub: 'bill-globex', roles: ['billing-manager'], tenant: 'globex' });
    refused(await refund(globex, 10), 'NOT_FOUND');
    refused(await h.gql(bill, REFUND, { i: 'invoice-nope', a: 1, r: 'x' }), 'NOT_FOUND');
    expect(await refunds()).toHaveLength(2);
  });
});
