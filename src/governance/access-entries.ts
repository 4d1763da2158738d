import { z } from 'zod';
import { environmentSchema, toEpochMs, type Environment, type Instant } from './environment.js';
import type { JsonValue } from './json.js';

// Role assignments, time-limited grants and break-glass of one principal: the value of the versioned document
// `assignment:<sub>` (per tenant; kept under PRODUCTION, see access-target.ts). Pure data and pure questions about
// it; the governed path (proposeChange/approve) writes it like any other target, so every version is kept and
// "what could this person do at time t" is a lookup in its history.

const time = z.iso.datetime({ offset: true });

const ENTRY_KINDS = ['role', 'grant', 'break-glass'] as const;

const reviewSchema = z.strictObject({
  by: z.string().min(1),
  at: time,
  decision: z.enum(['KEEP', 'REVOKE']),
  comment: z.string().nullable(),
});

const accessEntrySchema = z.strictObject({
  /** The id of the change that created it (or of the break-glass event): stable, used for usage and reviews. */
  id: z.string().min(1),
  kind: z.enum(ENTRY_KINDS),
  /** A role of the policy (kind role), a grant of the policy (kind grant), `break-glass`. */
  name: z.string().min(1),
  /** Break-glass only: the one patient it opens. */
  patientId: z.string().min(1).nullable(),
  /** Departments the entry is for; null: the departments the token says. */
  departments: z.array(z.string().min(1)).nullable(),
  environments: z.array(environmentSchema).min(1),
  /** null: standing (a role assignment); otherwise it ends by itself at this instant. */
  expiresAt: time.nullable(),
  /** assignment: standing, by security. access-request: asked for and approved. break-glass: self-service, reviewed. */
  source: z.enum(['assignment', 'access-request', 'break-glass']),
  reason: z.string().min(1),
  ticket: z.string().nullable(),
  grantedAt: time,
  revoked: z.strictObject({ by: z.string().min(1), at: time, reason: z.string().min(1) }).nullable(),
  reviews: z.array(reviewSchema),
});
export type AccessEntry = z.infer<typeof accessEntrySchema>;

const accessDocSchema = z.strictObject({ sub: z.string().min(1), entries: z.array(accessEntrySchema) });
export type AccessDoc = z.infer<typeof accessDocSchema>;
/** The schema as the governance path needs it (a JSON value schema). */
export const accessDocValueSchema = accessDocSchema as unknown as z.ZodType<JsonValue>;

export const emptyAccessDoc = (sub: string): AccessDoc => ({ sub, entries: [] });

/** Reads a stored value leniently: anything unreadable is no access at all (fail closed). */
export function readAccessDoc(sub: string, value: unknown): AccessDoc {
  const parsed = accessDocSchema.safeParse(value);
  return parsed.success ? parsed.data : emptyAccessDoc(sub);
}

/** In force at `now`: not revoked and not expired. Expiry is decided here, at evaluation, never by a sweeper. */
export function isActive(entry: AccessEntry, now: Instant): boolean {
  return entry.revoked === null && (entry.expiresAt === null || toEpochMs(now) < toEpochMs(entry.expiresAt));
}

export const activeEntries = (doc: AccessDoc, now: Instant) => doc.entries.filter((e) => isActive(e, now));

/** The fields that decide what an entry gives: a change of any of them on an active entry is a widening. */
const grantShape = (e: AccessEntry) =>
  JSON.stringify([e.kind, e.name, e.patientId, e.departments, [...e.environments].sort(), e.expiresAt]);

/**
 * Entries of `after` that give something `before` did not (new, re-activated, or reshaped): the widening a
 * governed change must be approved for. Revocations and reviews never widen.
 */
export function widenedEntries(before: AccessDoc, after: AccessDoc, now: Instant): AccessEntry[] {
  const was = new Map(activeEntries(before, now).map((e) => [e.id, grantShape(e)]));
  return activeEntries(after, now).filter((e) => was.get(e.id) !== grantShape(e));
}

/** Whether an entry counts in an environment (data reads count as PRODUCTION: patient data is production data). */
export const entryIn = (entry: AccessEntry, environment: Environment) => entry.environments.includes(environment);
