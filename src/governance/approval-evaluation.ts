import type { ApprovalRequirement } from './approval-rules.js';

// Whether the approvals a change has collected satisfy its requirement, and what is still needed, in human terms.
//
// An approval counts for one function among those it may count for (the approver's functions that are eligible for
// the change). The evaluation looks for the best way to count the approvals (a tiny exhaustive search: a change
// never has more than a handful), so the order in which people approved never matters.

export interface CountableApproval {
  readonly sub: string;
  readonly functions: readonly string[];
  readonly mfa: boolean;
}

export interface ApprovalContext {
  readonly ownerFunction: string;
  /** Functions that may approve this change, owner first (see approverFunctionsFor). */
  readonly approverFunctions: readonly string[];
  /** The requester's approvals never count, whatever a store holds. */
  readonly requesterSub?: string;
}

export interface ApprovalStatus {
  readonly satisfied: boolean;
  /** Approvals still needed, at the least. */
  readonly remaining: number;
  /** Functions whose member could give the next approval that counts. */
  readonly stillNeededFrom: string[];
  /** For people: "needs 1 more from: clinical or security". */
  readonly summary: string;
}

/** Approvals still needed, with the best counting of the given ones. */
export function remainingApprovals(req: ApprovalRequirement, ctx: ApprovalContext, approvals: readonly CountableApproval[]): number {
  if (req.requiredApprovals === 0) return 0;
  const eligible = new Set(ctx.approverFunctions);
  const seen = new Set<string>();
  const options: string[][] = [];
  for (const a of approvals) {
    if (seen.has(a.sub) || a.sub === ctx.requesterSub || (req.mfaRequired && !a.mfa)) continue;
    seen.add(a.sub);
    const fns = [...new Set(a.functions)].filter((f) => eligible.has(f));
    if (fns.length > 0) options.push(fns);
  }
  let best = Number.POSITIVE_INFINITY;
  const search = (i: number, used: string[]): void => {
    if (best === 0) return;
    if (i === options.length) {
      const missing = new Set<string>();
      if (req.ownerFunctionRequired && !used.includes(ctx.ownerFunction)) missing.add(ctx.ownerFunction);
      if (req.requiredFunction && !used.includes(req.requiredFunction)) missing.add(req.requiredFunction);
      best = Math.min(best, Math.max(req.requiredApprovals - used.length, missing.size, 0));
      return;
    }
    search(i + 1, used);
    for (const f of options[i] ?? []) {
      if (req.distinctFunctions && used.includes(f)) continue;
      search(i + 1, [...used, f]);
    }
  };
  search(0, []);
  return best;
}

export function evaluateApprovals(req: ApprovalRequirement, ctx: ApprovalContext, approvals: readonly CountableApproval[]): ApprovalStatus {
  const remaining = remainingApprovals(req, ctx, approvals);
  if (remaining === 0) {
    const summary = req.requiredApprovals === 0 ? 'no approval needed' : `approved: ${req.requiredApprovals} of ${req.requiredApprovals}`;
    return { satisfied: true, remaining, stillNeededFrom: [], summary };
  }
  const stillNeededFrom = ctx.approverFunctions.filter(
    (f) => remainingApprovals(req, ctx, [...approvals, { sub: `\u0000candidate:${f}`, functions: [f], mfa: true }]) < remaining,
  );
  const notes: string[] = [];
  if (remaining > 1 && req.distinctFunctions) notes.push('each from a different function');
  if (req.mfaRequired) notes.push('with MFA');
  const summary = `needs ${remaining} more from: ${stillNeededFrom.join(' or ')}${notes.length ? ` (${notes.join(', ')})` : ''}`;
  return { satisfied: false, remaining, stillNeededFrom, summary };
}
