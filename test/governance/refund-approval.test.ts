import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/governance/json.js';
import { countedTowardThreshold, refundApproval, refundValueSchema, type RefundValue } from '../../src/governance/refund-target.js';

// Issue 13 item 11, the pure decision: what counts toward billing.refundThreshold is the refund plus what was refunded
// without approval in the window on its invoice or for its patient (the larger). Every combination of where the
// earlier refunds are (none, invoice, patient, both) against every side of the threshold (under, at, a cent over).

const value = (amount: number, invoice: number, patient: number): RefundValue => ({
  invoiceId: 'inv-1',
  amount,
  currency: 'USD',
  threshold: { amount: 100, currency: 'USD' },
  unapprovedBefore: { invoice, patient, windowHours: 24 },
});
const waits = (v: RefundValue) => refundApproval(v as unknown as JsonValue, 'PRODUCTION').requirement.requiredApprovals > 0;

describe('refundApproval counts earlier unapproved refunds', () => {
  const earlier: [string, number, number][] = [
    ['none', 0, 0],
    ['invoice', 60, 60],
    ['patient only', 0, 60],
    ['both, patient larger', 30, 60],
  ];
  for (const [where, invoice, patient] of earlier) {
    const prior = Math.max(invoice, patient);
    it(`earlier refunds on ${where}: under and at the threshold apply, a cent over waits`, () => {
      expect(waits(value(100 - prior - 1, invoice, patient))).toBe(false);
      expect(waits(value(100 - prior, invoice, patient))).toBe(false);
      expect(waits(value(Math.round((100 - prior + 0.01) * 100) / 100, invoice, patient))).toBe(true);
      expect(countedTowardThreshold(value(10, invoice, patient))).toBe(10 + prior);
    });
  }

  it('a value stored before the ledger (no unapprovedBefore) decides on its amount alone; another currency always waits', () => {
    const old = { invoiceId: 'inv-1', amount: 99, currency: 'USD', threshold: { amount: 100, currency: 'USD' } };
    expect(refundValueSchema.safeParse(old).success).toBe(true);
    expect(waits(old)).toBe(false);
    expect(waits({ ...value(1, 0, 0), currency: 'EUR' })).toBe(true);
    expect(refundValueSchema.safeParse({ ...value(1, 0, 0), unapprovedBefore: { invoice: -1, patient: 0, windowHours: 24 } }).success).toBe(
      false,
    );
  });
});
