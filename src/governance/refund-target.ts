import { z } from 'zod';
import type { ApprovalRequirement } from './approval-rules.js';
import type { Category, Environment, Risk } from './environment.js';
import type { JsonValue } from './json.js';
import { FHIR_ID_PATTERN } from '../../spec/fhir-id.js';

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
  amount: z
    .number()
    .positive('must be more than zero')
    .max(1_000_000)
    .refine((n) => Math.round(n * 100) === n * 100, 'must have at most two decimals'),
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** The threshold in force when the refund was asked: above it the refund waits for finance. */
  threshold: z.strictObject({ amount: z.number().min(0).max(1_000_000), currency: z.string().regex(/^[A-Z]{3}$/) }),
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
