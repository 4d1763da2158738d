import type { Invoice } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFUND_SYSTEM } from '../../connectors/billing/refund-resource.js';
import { memoryStores } from '../../src/stores/create-store.js';
import { DENNIS } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';
import { APPROVE, ok, refused, type Change } from './governance-operations.js';

// A refund is money: a client that retries issueRefund after a timeout must not refund twice. With an idempotencyKey
// (the one implementation of client keys, src/services/idempotency/idempotent-once.ts) the same key and request answer
// the first refund, a different request under the key is refused, concurrent retries record one refund, a refusal
// frees the key, and a commit whose outcome is unknown keeps it (OUTCOME_UNKNOWN, never a second refund).

const REFUND =
  'mutation($i: ID!, $a: Float!, $r: String!, $k: String) { issueRefund(invoiceId: $i, amount: $a, reason: $r, idempotencyKey: $k) { ' +
  'status changeRequestId invoiceId amount currency threshold } }';
const INVOICES = 'query($id: ID!) { patient(id: $id) { invoices { id status } } }';
type Refund = { status: string; changeRequestId: string; amount: number };

const stores = memoryStores();
// Armed by a test: the next commit is applied and its reply then lost (a store that committed but did not answer).
let loseNextReply = false;
const commit = stores.governance.commit.bind(stores.governance);
stores.governance.commit = async (...args) => {
  const r = await commit(...args);
  if (loseNextReply) {
    loseNextReply = false;
    throw new Error('connection reset after the commit');
  }
  return r;
};

let h: Harness;
let bill: string;
let invoiceId: string;

beforeAll(async () => {
  h = await startHarness({ stores });
  bill = await h.token({ sub: 'bill-key', roles: ['billing-manager'] });
  const p = ok<{ patient: { invoices: { id: string; status: string }[] } }>(await h.gql(bill, INVOICES, { id: DENNIS })).patient;
  invoiceId = p.invoices.find((i) => i.status === 'issued')!.id;
}, 60_000);
afterAll(() => h.stop());

const refundLines = async () =>
  ((await h.running.fhir!.repository('acme').readResource<Invoice>('Invoice', invoiceId)).lineItem ?? []).filter(
    (l) => l.chargeItemCodeableConcept?.coding?.[0]?.system === REFUND_SYSTEM,
  ).length;
const changes = async () => (await stores.governance.listChanges('acme', {}, 500)).filter((c) => c.target.type === 'refund').length;
const refund = (token: string, a: number, k: string | null, r = 'Duplicate charge') =>
  h.gql<{ issueRefund: Refund }>(token, REFUND, { i: invoiceId, a, r, k });

describe('issueRefund with an idempotencyKey', () => {
  it('a retry with the same key and request answers the first refund and records none more', async () => {
    const [lines, proposed] = [await refundLines(), await changes()];
    const first = ok(await refund(bill, 10, 'refund-retry-1')).issueRefund;
    expect(first.status).toBe('APPLIED');
    const again = ok(await refund(bill, 10, 'refund-retry-1')).issueRefund;
    expect(again).toEqual(first);
    expect(await refundLines()).toBe(lines + 1);
    expect(await changes()).toBe(proposed + 1);
  });

  it('without a key every call is a new refund (what the key is for)', async () => {
    const lines = await refundLines();
    const a = ok(await refund(bill, 1, null)).issueRefund;
    const b = ok(await refund(bill, 1, null)).issueRefund;
    expect(a.changeRequestId).not.toBe(b.changeRequestId);
    expect(await refundLines()).toBe(lines + 2);
  });

  it('the key with another amount or reason is CONFLICT IDEMPOTENCY_KEY_REUSED and records nothing', async () => {
    ok(await refund(bill, 2, 'refund-reuse-1'));
    const [lines, proposed] = [await refundLines(), await changes()];
    refused(await refund(bill, 3, 'refund-reuse-1'), 'CONFLICT', 'IDEMPOTENCY_KEY_REUSED');
    refused(await refund(bill, 2, 'refund-reuse-1', 'Another reason'), 'CONFLICT', 'IDEMPOTENCY_KEY_REUSED');
    expect([await refundLines(), await changes()]).toEqual([lines, proposed]);
  });

  it('concurrent retries with one key record one refund; the others answer it or are told it is in flight', async () => {
    const [lines, proposed] = [await refundLines(), await changes()];
    const all = await Promise.all(Array.from({ length: 6 }, () => refund(bill, 4, 'refund-race-1')));
    const ids = new Set(all.filter((r) => !r.body.errors).map((r) => r.body.data!.issueRefund.changeRequestId));
    expect(ids.size).toBe(1);
    for (const r of all.filter((x) => x.body.errors)) refused(r, 'CONFLICT', 'IDEMPOTENCY_KEY_IN_FLIGHT');
    expect([await refundLines(), await changes()]).toEqual([lines + 1, proposed + 1]);
  });

  it('a refund waiting for finance is answered as it stands now once approved', async () => {
    const first = ok(await refund(bill, 400, 'refund-approve-1')).issueRefund;
    expect(first.status).toBe('PENDING_APPROVAL');
    const fin = await h.token({ sub: 'fin-key', roles: ['billing-manager'], mfa: true });
    expect(ok<{ approveChange: Change }>(await h.gql(fin, APPROVE, { id: first.changeRequestId })).approveChange.status).toBe('APPLIED');
    const again = ok(await refund(bill, 400, 'refund-approve-1')).issueRefund;
    expect(again).toEqual({ ...first, status: 'APPLIED' });
  });

  it('a refund finance rejected is answered REJECTED, not FAILED', async () => {
    const first = ok(await refund(bill, 300, 'refund-reject-1')).issueRefund;
    const fin = await h.token({ sub: 'fin-key', roles: ['billing-manager'], mfa: true });
    const REJECT = 'mutation ($id: ID!) { rejectChange(id: $id, reason: "not a duplicate") { status } }';
    const rejected = ok<{ rejectChange: { status: string } }>(await h.gql(fin, REJECT, { id: first.changeRequestId }));
    expect(rejected.rejectChange.status).toBe('REJECTED');
    expect(ok(await refund(bill, 300, 'refund-reject-1')).issueRefund).toEqual({ ...first, status: 'REJECTED' });
  });

  it('keys are the caller\'s: another billing manager with the same key string records their own refund', async () => {
    const other = await h.token({ sub: 'bill-other', roles: ['billing-manager'] });
    const mine = ok(await refund(bill, 5, 'refund-shared-name')).issueRefund;
    const theirs = ok(await refund(other, 5, 'refund-shared-name')).issueRefund;
    expect(theirs.changeRequestId).not.toBe(mine.changeRequestId);
  });

  it('a caller the invoice is refused to is refused, not replayed the first answer', async () => {
    ok(await refund(bill, 1, 'refund-not-yours'));
    const nurse = await h.token({ sub: 'bill-key', roles: ['nurse'], departments: ['cardiology'] });
    refused(await refund(nurse, 1, 'refund-not-yours'), 'FORBIDDEN');
  });

  it('a malformed key is BAD_USER_INPUT idempotencyKey and records nothing', async () => {
    const [lines, proposed] = [await refundLines(), await changes()];
    for (const k of ['', 'a b', 'x'.repeat(201), 'ключ']) {
      const e = refused(await refund(bill, 1, k), 'BAD_USER_INPUT');
      expect(e.extensions?.field).toBe('idempotencyKey');
    }
    expect([await refundLines(), await changes()]).toEqual([lines, proposed]);
  });

  it('a refusal before anything was recorded frees the key: the corrected retry goes ahead', async () => {
    refused(await refund(bill, 1_000_000, 'refund-too-much'), 'BAD_USER_INPUT');
    const lines = await refundLines();
    // The same key, the same request: it runs again (and is refused again), not replayed as "unknown".
    refused(await refund(bill, 1_000_000, 'refund-too-much'), 'BAD_USER_INPUT');
    expect(await refundLines()).toBe(lines);
    // Nothing was done under the key, so it was freed: a corrected request under it runs (not IDEMPOTENCY_KEY_REUSED).
    expect(ok(await refund(bill, 6, 'refund-too-much')).issueRefund.status).toBe('APPLIED');
  });

  it('a commit whose reply was lost keeps the key: a retry is OUTCOME_UNKNOWN and records no second refund', async () => {
    const proposed = await changes();
    loseNextReply = true;
    const lost = await refund(bill, 7, 'refund-lost-reply');
    expect(lost.body.errors?.length).toBe(1);
    expect(await changes()).toBe(proposed + 1);
    refused(await refund(bill, 7, 'refund-lost-reply'), 'CONFLICT', 'IDEMPOTENCY_KEY_OUTCOME_UNKNOWN');
    expect(await changes()).toBe(proposed + 1);
  });
});
