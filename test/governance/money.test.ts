import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/governance/json.js';
import { moneyCents } from '../../src/governance/money.js';
import { refundRoute, refundValueSchema, type RefundState } from '../../src/governance/refund-target.js';
import { validateSettingValue } from '../../src/governance/setting-catalog.js';

// The tester's finding: valid two-decimal refunds (0.07, 0.57, 1.13, 4.35...) were refused as "must have at most two
// decimals" (n * 100 compared with its rounding: 0.07 * 100 is 7.000000000000001), Infinity passed the decimals check,
// and billing.refundThreshold took 10.005 where no refund could. One money check (src/governance/money.ts) now judges
// refunds (refundRoute, and the change's value) and the threshold setting alike.

const STATE: RefundState = {
  invoiceId: 'inv-1',
  left: 1_000_000,
  currency: 'USD',
  threshold: { amount: 100, currency: 'USD' },
  unapprovedBefore: { invoice: 0, patient: 0, windowHours: 24 },
};
const valueOf = (amount: number) => {
  const { left: _left, ...rest } = STATE;
  return { ...rest, amount } as unknown as JsonValue;
};
const route = (amount: number) => refundRoute(amount, 'cents', STATE, 'PRODUCTION');
const threshold = (amount: number) => validateSettingValue('billing.refundThreshold', { amount, currency: 'USD' });

/** Every amount 0.01 .. 9.99 as a client sends it: the decimal text, parsed (what JSON and GraphQL do). */
const TABLE = Array.from({ length: 999 }, (_, i) => Number(`${Math.floor((i + 1) / 100)}.${String((i + 1) % 100).padStart(2, '0')}`));
const REFUSED = [0, -0, -5, -0.01, 0.001, 0.005, 1e-9, 10.005, 0.011, Number.NaN, Infinity, -Infinity, 1e308, 1_000_000.01];
const AMOUNT_ERROR = {
  route: 'REFUSED',
  field: 'amount',
  message: 'amount must be more than zero and at most 1000000, with at most two decimals.',
};

describe('one money check for refunds and billing.refundThreshold', () => {
  it('every amount from 0.01 to 9.99 is a refund, its value as given, and a threshold', () => {
    expect(TABLE).toHaveLength(999);
    expect(TABLE.slice(0, 3)).toEqual([0.01, 0.02, 0.03]);
    for (const n of TABLE) {
      const r = route(n);
      expect(r.route, `refund ${n}`).not.toBe('REFUSED');
      if (r.route !== 'REFUSED') expect(r.value.amount, `refund ${n}`).toBe(n);
      // The change's value is checked again by the governed change: the same check.
      expect(refundValueSchema.safeParse(valueOf(n)).success, `value ${n}`).toBe(true);
      expect(threshold(n), `threshold ${n}`).toEqual({ ok: true, value: { amount: n, currency: 'USD' } });
    }
  });

  it("the tester's amounts, large ones, and a client's float arithmetic (kept as the two-decimal amount)", () => {
    for (const n of [0.07, 0.57, 1.13, 4.35, 0.29, 1.15, 2.01, 123456.78, 999999.99, 1_000_000]) {
      expect(moneyCents(n), String(n)).toBe(Math.round(n * 100));
      expect(route(n).route, String(n)).not.toBe('REFUSED');
    }
    const sum = 0.1 + 0.2; // 0.30000000000000004
    const r = route(sum);
    expect(r.route !== 'REFUSED' && r.value.amount).toBe(0.3);
    expect(threshold(sum)).toEqual({ ok: true, value: { amount: 0.3, currency: 'USD' } });
  });

  it('refuses zero, negatives, a third decimal, less than a cent, NaN, infinities and more than 1000000, as one error', () => {
    for (const n of REFUSED) {
      expect(route(n), String(n)).toEqual(AMOUNT_ERROR);
      expect(refundValueSchema.safeParse(valueOf(n)).success, `value ${n}`).toBe(false);
    }
    // A blank reason is the action's other input refusal.
    expect(refundRoute(5, '  ', STATE, 'PRODUCTION')).toMatchObject({ route: 'REFUSED', field: 'reason' });
  });

  it('the threshold refuses the same values, except zero (a threshold of 0 sends every refund to finance)', () => {
    for (const n of REFUSED.filter((x) => x !== 0)) expect(threshold(n).ok, `threshold ${n}`).toBe(false);
    expect(threshold(0)).toEqual({ ok: true, value: { amount: 0, currency: 'USD' } });
    expect(threshold(10.005)).toEqual({ ok: false, problems: [{ path: 'value.amount', message: 'must have at most two decimals' }] });
    expect(threshold(1e-9)).toEqual({ ok: false, problems: [{ path: 'value.amount', message: 'must have at most two decimals' }] });
    expect(threshold(1e308)).toEqual({ ok: false, problems: [{ path: 'value.amount', message: 'must be at most 1000000' }] });
  });

  it('more than is left on the invoice is refused on the amount; the route then says whether it waits', () => {
    expect(refundRoute(12.01, 'x', { ...STATE, left: 12 }, 'PRODUCTION')).toEqual({
      route: 'REFUSED',
      field: 'amount',
      message: 'amount is more than is left on the invoice (12.00).',
    });
    expect(route(100).route).toBe('APPLY');
    expect(route(100.01).route).toBe('NEEDS_APPROVAL');
    const used = { ...STATE, unapprovedBefore: { invoice: 60, patient: 60, windowHours: 24 } };
    expect(refundRoute(50, 'x', used, 'PRODUCTION').route).toBe('NEEDS_APPROVAL');
  });
});
