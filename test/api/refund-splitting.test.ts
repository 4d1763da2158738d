import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStores } from '../../src/stores/create-store.js';
import { DENNIS } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';
import { APPROVE, UPDATE_SETTING, actors, ok, type Change } from './governance-operations.js';

// Issue 13 item 11: a refund threshold cannot be split. Over HTTP in PRODUCTION, billing.refundThreshold 100 USD:
// what was refunded without approval within billing.refundWindowHours (24 h by default) on the invoice and for the
// patient counts toward the threshold; refunds of one patient run one at a time, so concurrent ones neither slip
// through together nor fail on a race; a refund whose apply is refused is FAILED at once, audited and visible to
// its requester. The gateway's clock is injected: each test starts a day after the last, outside the window.

const REFUND = `mutation($i: ID!, $a: Float!, $r: String!) { issueRefund(invoiceId: $i, amount: $a, reason: $r) { status changeRequestId ` +
  `amount } }`;
const INVOICES = `query($id: ID!) { patient(id: $id) { invoices { id status totalNet } } }`;
const MINE = `query($s: ChangeStatus) { changeRequests(mine: true, status: $s) { id status targetType failureReason failedAt requester { ` +
  `sub } } }`;
const ONE = `query($id: ID!) { changeRequest(id: $id) { id status failureReason after } }`;
type Refund = { status: string; changeRequestId: string; amount: number };

const stores = memoryStores();
const store = stores.governance;
let clock = Date.parse('2026-12-01T09:00:00.000Z');
let h: Harness;
let t: Record<'bill' | 'bill2' | 'fin' | 'sec' | 'nurse', string>;
const HOUR = 3_600_000;

const invoicesOf = async (patientId: string) =>
  ok<{ patient: { invoices: { id: string; status: string; totalNet: number }[] } }>(await h.gql(t.bill, INVOICES, { id: patientId }))
    .patient.invoices;
const refund = async (token: string, invoiceId: string, a: number) =>
  ok<{ issueRefund: Refund }>(await h.gql(token, REFUND, { i: invoiceId, a, r: 'Overcharge' })).issueRefund;

beforeAll(async () => {
  h = await startHarness({ stores, now: () => clock });
  t = await actors(h, {
    bill: { roles: ['billing-manager'] },
    bill2: { roles: ['billing-manager'] },
    fin: { roles: ['billing-manager'], mfa: true },
    sec: { roles: ['security-admin'], mfa: true },
    nurse: { roles: ['nurse'] },
  });
}, 60_000);
afterAll(() => h.stop());

describe('refund thresholds cannot be split', () => {
  it('two refunds of 99 on one invoice (threshold 100): the second waits for approval, also from another requester', async () => {
    clock += 25 * HOUR;
    const [invoice] = (await invoicesOf(DENNIS)).filter((i) => i.totalNet >= 300);
    const first = await refund(t.bill, invoice!.id, 99);
    expect(first.status).toBe('APPLIED');
    const second = await refund(t.bill, invoice!.id, 99);
    expect(second.status).toBe('PENDING_APPROVAL');
    // Another billing manager does not start a fresh count, and a cent more is not under the threshold either.
    expect((await refund(t.bill2, invoice!.id, 1.01)).status).toBe('PENDING_APPROVAL');
    expect((await refund(t.bill2, invoice!.id, 1)).status).toBe('APPLIED');
    const { changeRequest } = ok<{ changeRequest: { after: { unapprovedBefore: unknown } } }>(
      await h.gql(t.bill, ONE, { id: second.changeRequestId }),
    );
    expect(changeRequest.after.unapprovedBefore).toEqual({ invoice: 99, patient: 99, windowHours: 24 });
  });

  it('counts per patient: a second invoice of the same patient does not restart the count', async () => {
    clock += 25 * HOUR;
    const open = (await invoicesOf(DENNIS)).filter((i) => i.totalNet >= 60);
    expect(open.length, 'the seed gives this patient two invoices with something left').toBeGreaterThanOrEqual(2);
    expect((await refund(t.bill, open[0]!.id, 60)).status).toBe('APPLIED');
    expect((await refund(t.bill, open[1]!.id, 60)).status).toBe('PENDING_APPROVAL');
  });

  it('three concurrent refunds of 40: exactly two apply, the third waits; none is refused by a race', async () => {
    clock += 25 * HOUR;
    const [invoice] = (await invoicesOf(DENNIS)).filter((i) => i.totalNet >= 200);
    const before = invoice!.totalNet;
    const answers = await Promise.all(
      [t.bill, t.bill2, t.bill].map((token) => h.gql<{ issueRefund: Refund }>(token, REFUND, { i: invoice!.id, a: 40, r: 'Overcharge' })),
    );
    const statuses = answers.map((r) => ok(r).issueRefund.status).sort();
    expect(statuses).toEqual(['APPLIED', 'APPLIED', 'PENDING_APPROVAL']);
    const after = (await invoicesOf(DENNIS)).find((i) => i.id === invoice!.id)!;
    expect(after.totalNet).toBeCloseTo(before - 80, 2);
  });

  it('a refund whose apply is refused is FAILED at once, audited, and its requester sees it', async () => {
    clock += 25 * HOUR;
    const [invoice] = (await invoicesOf(DENNIS)).filter((i) => i.totalNet >= 300);
    // 60 % each: either fits on the invoice alone, not both.
    const half = Math.floor(invoice!.totalNet * 60) / 100;
    const a = await refund(t.bill, invoice!.id, half);
    const b = await refund(t.bill, invoice!.id, half);
    expect([a.status, b.status]).toEqual(['PENDING_APPROVAL', 'PENDING_APPROVAL']);
    expect(ok<{ approveChange: Change }>(await h.gql(t.fin, APPROVE, { id: a.changeRequestId })).approveChange.status).toBe('APPLIED');
    // Both fitted when asked; after the first, the second no longer does: refused for good, not retried for seconds.
    const failed = ok<{ approveChange: Change }>(await h.gql(t.fin, APPROVE, { id: b.changeRequestId })).approveChange;
    expect(failed.status).toBe('FAILED');
    expect(failed.failureReason).toMatch(/more than is left on the invoice/);
    // The requester (no configuration read needed) finds it among their own changes and opens it.
    const mine = ok<{ changeRequests: { id: string; status: string; failureReason: string; requester: { sub: string } }[] }>(
      await h.gql(t.bill, MINE, { s: 'FAILED' }),
    ).changeRequests;
    expect(mine.map((c) => c.id)).toEqual([b.changeRequestId]);
    expect(mine[0]!.requester.sub).toBe('bill');
    expect(ok<{ changeRequest: { status: string } }>(await h.gql(t.bill, ONE, { id: b.changeRequestId })).changeRequest.status).toBe(
      'FAILED',
    );
    // Nobody else's: another billing manager's `mine` does not list it.
    expect(ok<{ changeRequests: { id: string }[] }>(await h.gql(t.bill2, MINE, { s: 'FAILED' })).changeRequests).toEqual([]);
    const records = await stores.audit.records('acme', 1, 100_000);
    expect(records.some((r) => r.includes('change.failed') && r.includes(b.changeRequestId))).toBe(true);
    // The approver notification outbox holds the `change.failed` event for the change (delivered to webhook routes).
    const claimed = await store.claimOutbox('acme', clock, 1, 1_000);
    expect(claimed.some((e) => e.idempotencyKey.startsWith('notify:FAILED:') && e.changeId === b.changeRequestId)).toBe(true);
  });

  it('billing.refundWindowHours: refunds older than the window no longer count; a governed change widens it', async () => {
    clock += 25 * HOUR;
    const [invoice] = (await invoicesOf(DENNIS)).filter((i) => i.totalNet >= 200);
    expect((await refund(t.bill, invoice!.id, 60)).status).toBe('APPLIED');
    clock += 23 * HOUR;
    expect((await refund(t.bill, invoice!.id, 60)).status).toBe('PENDING_APPROVAL');
    clock += 2 * HOUR;
    // 25 hours after the first: outside the default 24-hour window.
    expect((await refund(t.bill, invoice!.id, 60)).status).toBe('APPLIED');
    const proposed = ok<{ updateSetting: { changeRequest: Change } }>(
      await h.gql(t.bill, UPDATE_SETTING, {
        input: { key: 'billing.refundWindowHours', environment: 'PRODUCTION', value: 72, reason: 'split refunds over days' },
      }),
    ).updateSetting.changeRequest;
    ok(await h.gql(t.fin, APPROVE, { id: proposed.id }));
    expect(ok<{ approveChange: Change }>(await h.gql(t.sec, APPROVE, { id: proposed.id })).approveChange.status).toBe('APPLIED');
    clock += 30 * HOUR;
    // 30 hours after the last one given without approval: inside the 72-hour window now.
    expect((await refund(t.bill, invoice!.id, 60)).status).toBe('PENDING_APPROVAL');
  });
});
