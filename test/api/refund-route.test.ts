import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStores } from '../../src/stores/create-store.js';
import { DENNIS } from '../connectors/ehr/helpers.js';
import { startHarness, type GqlResponse, type Harness } from '../support/harness.js';
import { EMERGENCY_STOP, ok, RESUME } from './governance-operations.js';

// The tester's finding: explain(refund:issue) said ALLOW for a refund issueRefund then sent to PENDING_APPROVAL (the
// unapproved-refund window), ALLOW for -5 (BAD_USER_INPUT) and NEEDS_APPROVAL for 99999 (more than is left). A refund's
// route is now one function (BillingService.refundRoute over refund-target.ts refundRoute: the stored invoice, the
// ledgers' window sums, the threshold) that both ask. Each case below asks explain, then does it, with the same
// token, and asserts the two agree (and what the answer is). PRODUCTION, threshold 100 USD, window 24 h.

const EXPLAIN = 'query($r: ExplainResource) { explain(action: "refund:issue", resource: $r) { decision reason permission message } }';
const REFUND = 'mutation($i: ID!, $a: Float!) { issueRefund(invoiceId: $i, amount: $a, reason: "route") { status amount } }';
const INVOICES = 'query($id: ID!) { patient(id: $id) { invoices { id totalNet } } }';
const EXPLAIN_LITERAL = (amount: string) =>
  `query($i: ID!) { explain(action: "refund:issue", resource: { invoiceId: $i, amount: ${amount} }) { decision reason permission ` +
  'message } }';
const REFUND_LITERAL = (amount: string) =>
  `mutation($i: ID!) { issueRefund(invoiceId: $i, amount: ${amount}, reason: "route") { status amount } }`;
type Explained = { decision: string; reason: string | null; permission: string | null; message: string };
type Refunded = { issueRefund: { status: string; amount: number } | null };

let clock = Date.parse('2026-11-01T09:00:00.000Z');
const HOUR = 3_600_000;
let h: Harness;
let bill: string;
let a: { id: string; totalNet: number };
let b: { id: string; totalNet: number };

beforeAll(async () => {
  h = await startHarness({ stores: memoryStores(), now: () => clock });
  bill = await h.token({ sub: 'bill-route', roles: ['billing-manager'] });
  const invoices = ok<{ patient: { invoices: { id: string; totalNet: number }[] } }>(await h.gql(bill, INVOICES, { id: DENNIS }))
    .patient.invoices.filter((i) => i.totalNet >= 300);
  expect(invoices.length, 'the seed gives the patient two invoices with 300 left').toBeGreaterThanOrEqual(2);
  [a, b] = invoices as [typeof a, typeof b];
}, 60_000);
afterAll(() => h.stop());

/**
 * Asks explain, then issues the refund, and asserts they agree: ALLOW is APPLIED, NEEDS_APPROVAL is PENDING_APPROVAL,
 * DENY is the action's refusal (its code as the reason, with the action's message; or the policy's permission).
 * `literal`: the amount is written into the documents (1e400 cannot be a JSON variable). Returns explain's answer.
 */
async function agreed(
  label: string,
  token: string,
  invoiceId: string,
  amount: number | string,
  literal = false,
  on: Harness = h,
): Promise<Explained> {
  const explainedR = literal
    ? await on.gql<{ explain: Explained }>(token, EXPLAIN_LITERAL(String(amount)), { i: invoiceId })
    : await on.gql<{ explain: Explained }>(token, EXPLAIN, { r: { invoiceId, amount } });
  const explained = ok(explainedR).explain;
  const done: GqlResponse<Refunded> = literal
    ? await on.gql<Refunded>(token, REFUND_LITERAL(String(amount)), { i: invoiceId })
    : await on.gql<Refunded>(token, REFUND, { i: invoiceId, a: amount });
  const error = done.body.errors?.[0];
  const status = done.body.data?.issueRefund?.status;
  const said = `${label}: explain ${JSON.stringify(explained)}, the action ${JSON.stringify(done.body)}`;
  if (explained.decision === 'ALLOW') expect(status, said).toBe('APPLIED');
  else if (explained.decision === 'NEEDS_APPROVAL') expect(status, said).toBe('PENDING_APPROVAL');
  else if (explained.reason === 'BAD_USER_INPUT' || explained.reason === 'NOT_FOUND') {
    expect(error?.extensions?.code, said).toBe(explained.reason);
    expect(error?.message, said).toBe(explained.message);
    if (explained.reason === 'BAD_USER_INPUT') expect(error?.extensions?.field, said).toBe('amount');
  } else if (explained.reason === 'STOPPED' || explained.reason === 'TOO_MANY_OPEN_PROPOSALS') {
    expect(error?.extensions, said).toMatchObject({ code: 'CONFLICT', reason: explained.reason });
  } else {
    expect(error?.extensions, said).toMatchObject({ code: 'FORBIDDEN', permission: explained.permission });
  }
  return explained;
}

describe('explain(refund:issue) answers what issueRefund then does', () => {
  it('under and over the threshold, the window already used on the invoice, a split across two invoices of the patient', async () => {
    expect((await agreed('under', bill, a.id, 50)).decision).toBe('ALLOW');
    // The tester's case: 50 already given without approval in the window, 60 more is 110.
    expect(await agreed('window used', bill, a.id, 60)).toMatchObject({
      decision: 'NEEDS_APPROVAL',
      message: expect.stringContaining('refunded without approval in the last 24 h (invoice 50, patient 50)'),
    });
    // Another invoice of the same patient does not start a fresh count: 50 + 40 is at the threshold, a cent more is over.
    expect((await agreed('split, at', bill, b.id, 40)).decision).toBe('ALLOW');
    expect((await agreed('split, over', bill, b.id, 10.01)).decision).toBe('NEEDS_APPROVAL');
    clock += 25 * HOUR;
    expect((await agreed('two decimals', bill, a.id, 0.07)).decision).toBe('ALLOW');
    expect((await agreed('over', bill, a.id, 100)).decision).toBe('NEEDS_APPROVAL');
    clock += 25 * HOUR;
    expect((await agreed('at', bill, b.id, 100)).decision).toBe('ALLOW');
    expect((await agreed('over, alone', bill, a.id, 100.01)).decision).toBe('NEEDS_APPROVAL');
  });

  it("negative, zero, a third decimal, Infinity, more than 1000000, more than is left: DENY with the action's BAD_USER_INPUT", async () => {
    for (const amount of [-5, 0, 0.001, 10.005, 1e308]) {
      expect(await agreed(`amount ${amount}`, bill, a.id, amount), String(amount)).toMatchObject({
        decision: 'DENY',
        reason: 'BAD_USER_INPUT',
        message: 'amount must be more than zero and at most 1000000, with at most two decimals.',
      });
    }
    for (const literal of ['1e400', '-0']) {
      expect((await agreed(`literal ${literal}`, bill, a.id, literal, true)).reason, literal).toBe('BAD_USER_INPUT');
    }
    expect(await agreed('more than left', bill, a.id, 99_999)).toMatchObject({
      decision: 'DENY',
      reason: 'BAD_USER_INPUT',
      message: expect.stringMatching(/^amount is more than is left on the invoice \(\d+\.\d\d\)\.$/),
    });
  });

  it("an unknown or malformed invoice, another tenant's: DENY with the action's NOT_FOUND; no financial right: its FORBIDDEN", async () => {
    for (const id of ['invoice-nope', 'not/an/id']) expect((await agreed(id, bill, id, 10)).reason).toBe('NOT_FOUND');
    const globex = await h.token({ sub: 'bill-globex', roles: ['billing-manager'], tenant: 'globex' });
    expect((await agreed('other tenant', globex, a.id, 10)).reason).toBe('NOT_FOUND');
    const clinician = await h.token({ sub: 'dr-route', roles: ['clinician'], departments: ['cardiology'] });
    expect(await agreed('clinician', clinician, a.id, 10)).toMatchObject({ decision: 'DENY', permission: 'read:financial' });
  });
});

describe('explain(refund:issue) asks what issueRefund refuses after the route', () => {
  let capped: Harness;
  beforeAll(async () => {
    capped = await startHarness({ stores: memoryStores(), now: () => clock, env: { MAX_OPEN_PROPOSALS_PER_REQUESTER: '2' } });
  }, 60_000);
  afterAll(() => capped.stop());

  it('a refund that would wait beside the most open proposals allowed: DENY TOO_MANY_OPEN_PROPOSALS, as the action', async () => {
    clock += 25 * HOUR;
    const token = await capped.token({ sub: 'bill-cap', roles: ['billing-manager'] });
    for (const n of [1, 2]) expect((await agreed(`over ${n}`, token, a.id, 100.01 + n, false, capped)).decision).toBe('NEEDS_APPROVAL');
    expect(await agreed('over, capped', token, a.id, 103, false, capped)).toMatchObject({
      decision: 'DENY',
      reason: 'TOO_MANY_OPEN_PROPOSALS',
      message: expect.stringContaining('You have 2 open proposals (at most 2 per requester)'),
    });
    // One that applies at once leaves nothing open: the cap does not refuse it.
    expect((await agreed('under, capped', token, a.id, 10, false, capped)).decision).toBe('ALLOW');
  });

  it('while connector:ehr is stopped: one that would apply at once is DENY STOPPED, as the action; one that waits queues', async () => {
    clock += 25 * HOUR;
    const sec = await capped.token({ sub: 'sec-stop', roles: ['security-admin'], mfa: true } as never);
    const token = await capped.token({ sub: 'bill-stop', roles: ['billing-manager'] });
    ok(await capped.gql(sec, EMERGENCY_STOP, { target: 'connector:ehr', environment: 'PRODUCTION', reason: 'refund test' }));
    expect(await agreed('under, stopped', token, b.id, 10, false, capped)).toMatchObject({
      decision: 'DENY',
      reason: 'STOPPED',
      message: expect.stringContaining('emergency-stopped in PRODUCTION'),
    });
    expect((await agreed('over, stopped', token, b.id, 150, false, capped)).decision).toBe('NEEDS_APPROVAL');
    const resumed = ok<{ resume: { status: string } }>(
      await capped.gql(sec, RESUME, { target: 'connector:ehr', environment: 'PRODUCTION', reason: 'refund test over' }),
    );
    expect(resumed.resume.status).not.toBe('REJECTED');
  });
});
