import { z } from 'zod';

// The vocabulary of governed changes: environments, risk levels and setting categories. Pure data.

export const ENVIRONMENTS = ['STAGING', 'PRODUCTION'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
export const environmentSchema = z.enum(ENVIRONMENTS);

/** Ordered from least to most risky: `riskAtLeast` relies on this order. CRITICAL is for policy changes. */
export const RISKS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Risk = (typeof RISKS)[number];
export const riskSchema = z.enum(RISKS);

export const CATEGORIES = ['ai-behavior', 'integration', 'billing-automation', 'messaging', 'access', 'audit'] as const;
export type Category = (typeof CATEGORIES)[number];
export const categorySchema = z.enum(CATEGORIES);

/** The function that owns a category (README, "Governed changes"); a setting may name another owner. */
export const CATEGORY_OWNER: Readonly<Record<Category, string>> = {
  'ai-behavior': 'clinical',
  integration: 'technical',
  'billing-automation': 'finance',
  messaging: 'operations',
  access: 'security',
  audit: 'security',
};

/** A point in time: an ISO-8601 string or epoch milliseconds. Decisions never read the clock themselves. */
export type Instant = string | number;

/** Normalizes an instant to an ISO-8601 UTC string; throws RangeError on a value that is not a time. */
export function toIso(instant: Instant): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid instant: ${String(instant)}`);
  return new Date(ms).toISOString();
}

export function toEpochMs(instant: Instant): number {
  return Date.parse(toIso(instant));
}
