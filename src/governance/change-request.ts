import { z } from 'zod';
import { parseDocument } from '../errors/parse-error.js';
import { approvalRequirementSchema } from './approval-rules.js';
import { changeTargetSchema } from './change-target.js';
import { categorySchema, environmentSchema, riskSchema } from './environment.js';
import { jsonValueSchema } from './json.js';

// A change request: the one record of a governed change, from proposal to its end. Plain JSON (the store keeps it
// in Redis): every time is an ISO-8601 string, every value a JSON value. `parseChangeRequest` reads one back.
//
//   PENDING ──approve (complete, atomic)──▶ APPLIED
//   PENDING ──approve (complete, outbox)──▶ APPROVED ──markApplied──▶ APPLIED
//   PENDING ──reject──▶ REJECTED      PENDING ──cancel (requester)──▶ CANCELLED      PENDING ──expire──▶ EXPIRED
//   PENDING | APPROVED ──supersede (target moved)──▶ SUPERSEDED     PENDING | APPROVED ──markFailed──▶ FAILED
//   PENDING ──replace (the requester's newer proposal on the same target)──▶ SUPERSEDED (replacedBy)

export const CHANGE_STATUSES = ['PENDING', 'APPROVED', 'APPLIED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'SUPERSEDED', 'FAILED'] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

const time = z.iso.datetime({ offset: true });
const names = z.array(z.string().min(1));

const diffEntrySchema = z.object({
  path: z.string(),
  op: z.enum(['add', 'remove', 'replace']),
  before: jsonValueSchema.optional(),
  after: jsonValueSchema.optional(),
});

const requesterSchema = z.object({
  sub: z.string().min(1),
  roles: names,
  functions: names,
  kind: z.enum(['user', 'agent', 'service']),
  /**
   * The departments of the requester's token when they proposed (an access request's grant is approved for those
   * they belong to: access-target.ts requesterDepartments). Absent on changes stored before it was kept: none.
   */
  departments: names.optional(),
});
export type Requester = z.infer<typeof requesterSchema>;

const approvalSchema = z.object({
  sub: z.string().min(1),
  /** The role the approval was given in (the first of the approver's roles whose function counted). */
  roleUsed: z.string().min(1),
  /** The approver's functions that are eligible for this change: what the approval can count for. */
  functions: names,
  mfa: z.boolean(),
  comment: z.string().nullable(),
  at: time,
});
export type Approval = z.infer<typeof approvalSchema>;

/** Why the change exists: a direct edit, a rollback to an older version, or a promotion from staging. */
const changeOriginSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('direct') }),
  z.object({ type: z.literal('rollback'), toVersion: z.number().int().min(0) }),
  z.object({ type: z.literal('promotion'), fromEnvironment: environmentSchema, fromVersion: z.number().int().min(0) }),
  z.object({ type: z.literal('access-request') }),
]);
export type ChangeOrigin = z.infer<typeof changeOriginSchema>;

const common = {
  id: z.string().min(1),
  tenant: z.string().min(1),
  environment: environmentSchema,
  target: changeTargetSchema,
  category: categorySchema,
  ownerFunction: z.string().min(1),
  risk: riskSchema,
  requester: requesterSchema,
  reason: z.string().nullable(),
  ticket: z.string().nullable(),
  origin: changeOriginSchema,
  /** atomic: the store applies with the final approval. outbox: approval queues an outbox effect, applied later. */
  applyMode: z.enum(['atomic', 'outbox']),
  /** Version of the target the change was computed against; it applies only over exactly this version. */
  baseVersion: z.number().int().min(0),
  before: jsonValueSchema,
  after: jsonValueSchema,
  diff: z.array(diffEntrySchema),
  /** The approval rule at proposal time: what the requester was told is what is enforced. */
  requirement: approvalRequirementSchema,
  /** Functions that may approve (and reject), owner first. */
  approverFunctions: names,
  createdAt: time,
  expiresAt: time,
  updatedAt: time,
  approvals: z.array(approvalSchema),
};

const by = z.object({ sub: z.string().min(1), at: time });

const changeRequestSchema = z.discriminatedUnion('status', [
  z.object({ ...common, status: z.literal('PENDING') }),
  z.object({ ...common, status: z.literal('APPROVED'), approvedAt: time }),
  z.object({
    ...common,
    status: z.literal('APPLIED'),
    /** null when no approval was needed. */
    approvedAt: time.nullable(),
    appliedVersion: z.number().int().min(1),
    appliedAt: time,
  }),
  z.object({ ...common, status: z.literal('REJECTED'), rejection: by.extend({ functions: names, reason: z.string().min(1) }) }),
  z.object({ ...common, status: z.literal('CANCELLED'), cancellation: by }),
  z.object({ ...common, status: z.literal('EXPIRED'), expiredAt: time }),
  z.object({
    ...common,
    status: z.literal('SUPERSEDED'),
    /** replacedBy: the id of the same requester's newer proposal that replaced it (open-proposals.ts); absent when the target moved. */
    superseded: z.object({ currentVersion: z.number().int().min(0), at: time, replacedBy: z.string().min(1).optional() }),
  }),
  z.object({ ...common, status: z.literal('FAILED'), failure: z.object({ reason: z.string().min(1), at: time }) }),
]);

export type ChangeRequest = z.infer<typeof changeRequestSchema>;
export type ChangeRequestOf<S extends ChangeStatus> = Extract<ChangeRequest, { status: S }>;
type PendingChange = ChangeRequestOf<'PENDING'>;
export type ChangeCommon = Omit<PendingChange, 'status'>;

/** Reads a stored change request back; throws a ParseError naming every bad field. */
export function parseChangeRequest(input: unknown): ChangeRequest {
  return parseDocument('change request', changeRequestSchema, input);
}

/** The common fields of any change (drops the status-specific ones). */
export function commonOf(change: ChangeRequest): ChangeCommon {
  const { id, tenant, environment, target, category, ownerFunction, risk, requester, reason, ticket, origin, applyMode } = change;
  const { baseVersion, before, after, diff, requirement, approverFunctions, createdAt, expiresAt, updatedAt, approvals } = change;
  return {
    id,
    tenant,
    environment,
    target,
    category,
    ownerFunction,
    risk,
    requester,
    reason,
    ticket,
    origin,
    applyMode,
    baseVersion,
    before,
    after,
    diff,
    requirement,
    approverFunctions,
    createdAt,
    expiresAt,
    updatedAt,
    approvals,
  };
}
