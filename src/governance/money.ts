import { z } from 'zod';

// Amounts of money the gateway accepts: a refund (issueRefund) and billing.refundThreshold. One check for both, so a
// threshold can never hold what no refund can be (10.005), and "two decimals" is judged the same way everywhere.
//
// Decimals are judged on cents with a tolerance, never by comparing n * 100 with its rounding: a double is never
// exactly 0.07 (0.07 * 100 is 7.000000000000001), so that comparison refused valid amounts (0.07, 0.57, 1.13...).
// 1e-6 of a cent is far above the error of any double up to MONEY_MAX (about 1e-8 of a cent) and far below a third
// decimal (0.1 of a cent). An accepted amount is kept as its cents / 100, the double nearest to the two-decimal
// amount, so what is stored and summed is the amount people meant.

/** The largest amount accepted (a refund, a threshold). */
export const MONEY_MAX = 1_000_000;

const TOLERANCE_CENTS = 1e-6;

/**
 * The amount in whole cents, or null when it is not an amount of money: a finite number from 0 to MONEY_MAX with at
 * most two decimals. A nonzero amount below half a cent (1e-9) has no cent and is refused, never taken as zero; -0 is 0.
 */
export function moneyCents(n: number): number | null {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > MONEY_MAX) return null;
  const cents = Math.round(n * 100);
  if (Math.abs(n * 100 - cents) >= TOLERANCE_CENTS) return null;
  if (cents === 0) return n === 0 ? 0 : null;
  return cents;
}

/**
 * The zod form of moneyCents for a value that is checked as a setting or a change's value: `least` zero (a threshold
 * of 0 sends every refund to finance) or a cent (a refund). The parsed value is the normalized amount.
 */
export function moneyAmountSchema(least: 'zero' | 'cent'): z.ZodType<number> {
  return z
    .number('must be a number')
    .superRefine((n, ctx) => {
      const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
      if (least === 'zero' ? n < 0 : !(n > 0)) fail(least === 'zero' ? 'must be zero or more' : 'must be more than zero');
      else if (n > MONEY_MAX) fail(`must be at most ${MONEY_MAX}`);
      else if (moneyCents(n) === null) fail('must have at most two decimals');
    })
    .transform((n) => (moneyCents(n) ?? 0) / 100) as unknown as z.ZodType<number>;
}
