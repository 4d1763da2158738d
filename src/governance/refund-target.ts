import { z } from 'zod';
import type { ApprovalRequirement } from './approval-rules.js';
import type { Category, Environment, Risk } from './environment.js';
import type { JsonValue } from './json.js';
import { FHIR_ID_PATTERN } from '../../spec/fhir-id.js';
import { MONEY_MAX, moneyAmountSchema, moneyCents } from './money.js';

// The governed change of a refund (issueRefund): owned by finance, proposed by a billing role. Every refund is a
// change, so every one is audited and executed the same way (through the outbox, idempotent by the change id);
// the threshold (`billing.refundThreshold` in force when it was asked, carried in the value) decides whether it
// applies at once or waits. Above it: one approval from finance itself, not from any billing-automation approver
// (operations and security approve settings of the category, but money back is finance's call), with MFA in
// production. The value carries the invoice and the amount (what the approver decides on), never the patient.

export const REFUND_TARGET: {
  readonly category: Category;
  readonly ownerFunction: string;
  readonly risk: Readonly<Record<Environment, Risk>>;
  readonly editorRoles: readonly string[];
} = {
  category: 'billing-automation',
  ownerFunction: 'finance',
  risk: { STAGING: 'HIGH', PRODUCTION: 'HIGH' },
  editorRoles: ['billing-manager'],
};


export const refundValueSchema = z.strictObject({
  invoiceId: z.string().regex(FHIR_ID_PATTERN),
  /** Checked by the one money check (money.ts); issueRefund refuses a bad amount before (refundRoute). */
  amount: moneyAmountSchema('cent'),
  currency: z.string().regex(/^[A-Z]{3}$/),
  /**
   * The threshold in force when the refund was asked: above it the refund waits for finance. A copy of the setting,
   * checked when it was set; not judged again here, so a threshold stored before the money check (10.005) still decides.
   */
  threshold: z.strictObject({ amount: z.number().min(0).max(MONEY_MAX), currency: z.string().regex(/^[A-Z]{3}$/) }),
  /** Refunded without approval before this one, within the window (billing.refundWindowHours), in this currency. */
  unapprovedBefore: z
    .strictObject({ invoice: z.number().min(0), patient: z.number().min(0), windowHours: z.number().int().min(1) })
    .optional(),
}) as unknown as z.ZodType<JsonValue>;

export interface RefundValue {
  readonly invoiceId: string;
  readonly amount: number;
  readonly currency: string;
  readonly threshold: { readonly amount: number; readonly currency: string };
  readonly unapprovedBefore?: { readonly invoice: number; readonly patient: number; readonly windowHours: number };
}

/**
 * What counts toward the threshold: this refund plus what was refunded without approval within the window on the
 * same invoice or for the same patient (the larger of the two), so a refund split into parts waits like the whole.
 */
export function countedTowardThreshold(v: RefundValue): number {
  const before = v.unapprovedBefore;
  return Math.round((v.amount + Math.max(before?.invoice ?? 0, before?.patient ?? 0)) * 100) / 100;
}

/**
 * The approval a refund needs: none while what counts toward the threshold stays at or under it, one from finance
 * above it (with MFA in production).
 */
export function refundApproval(
  value: JsonValue,
  environment: Environment,
): { requirement: ApprovalRequirement; approverFunctions: readonly string[] } {
  const v = value as unknown as RefundValue;
  const above = countedTowardThreshold(v) > v.threshold.amount || v.currency !== v.threshold.currency;
  const requirement: ApprovalRequirement = above
    ? { requiredApprovals: 1, distinctFunctions: false, ownerFunctionRequired: true, mfaRequired: environment === 'PRODUCTION' }
    : { requiredApprovals: 0, distinctFunctions: false, ownerFunctionRequired: false, mfaRequired: false };
  return { requirement, approverFunctions: ['finance'] };
}

/** What a refund is decided on, read from the store and the FHIR server (BillingService.refundRoute reads it). */
export interface RefundState {
  readonly invoiceId: string;
  /** What is left on the stored invoice (its totalNet), read again under the patient's lease by issueRefund. */
  readonly left: number;
  readonly currency: string;
  readonly threshold: { readonly amount: number; readonly currency: string };
  /** The refund ledgers' sums within the window: what was refunded without approval on the invoice and for the patient. */
  readonly unapprovedBefore: { readonly invoice: number; readonly patient: number; readonly windowHours: number };
}

/** Where a refund goes: refused (the action's BAD_USER_INPUT, on `field`), applied at once, or waiting for finance. */
export type RefundRoute =
  | { readonly route: 'REFUSED'; readonly field: 'amount' | 'reason'; readonly message: string }
  | { readonly route: 'APPLY' | 'NEEDS_APPROVAL'; readonly value: RefundValue };

const AMOUNT_MESSAGE = `amount must be more than zero and at most ${MONEY_MAX}, with at most two decimals.`;

/**
 * The amount's and the reason's own check, before anything is read: the first step of refundRoute. `reason` null
 * when it is not known (explain asks without one).
 */
export function refundInputProblem(amount: number, reason: string | null): Extract<RefundRoute, { route: 'REFUSED' }> | null {
  const cents = moneyCents(amount);
  if (cents === null || cents === 0) return { route: 'REFUSED', field: 'amount', message: AMOUNT_MESSAGE };
  if (reason !== null && !reason.trim()) return { route: 'REFUSED', field: 'reason', message: 'reason is required for a refund.' };
  return null;
}

/**
 * THE route of a refund, asked by issueRefund (which then does what it says) and by explain (which says it): refused
 * for its input or for more than is left on the invoice, else the value the change carries and whether that value
 * waits for finance (refundApproval, the approval the governed change is then given). Pure.
 */
export function refundRoute(amount: number, reason: string | null, state: RefundState, environment: Environment): RefundRoute {
  const problem = refundInputProblem(amount, reason);
  if (problem) return problem;
  // The amount as its cents / 100 (money.ts): what is compared, stored and summed is the two-decimal amount.
  const asked = moneyCents(amount)! / 100;
  if (asked > state.left)
    return { route: 'REFUSED', field: 'amount', message: `amount is more than is left on the invoice (${state.left.toFixed(2)}).` };
  const { invoiceId, currency, threshold, unapprovedBefore } = state;
  const value: RefundValue = { invoiceId, amount: asked, currency, threshold, unapprovedBefore };
  const waits = refundApproval(value as unknown as JsonValue, environment).requirement.requiredApprovals > 0;
  return { route: waits ? 'NEEDS_APPROVAL' : 'APPLY', value };
}
