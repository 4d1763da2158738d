import type { Decision } from './decide.js';
import type { ApprovalPath, RequestAccessInput } from './denial.js';

// The answer of `explain`: one shape for data-class reads (from rules/decide.ts) and governed actions (from
// src/governance/explain-governed.ts), the same facts a FORBIDDEN error carries in its extensions.

type ExplainDecision = 'ALLOW' | 'DENY' | 'NEEDS_APPROVAL';

export interface Explanation {
  readonly action: string;
  readonly decision: ExplainDecision;
  /** The rule that decided: `policy:read:clinical`, `editors:ai.model`, `approval-rules:PRODUCTION/HIGH`. */
  readonly rule: string;
  readonly policyVersion: string;
  readonly at: string;
  readonly via: string | null;
  readonly permission: string | null;
  readonly failedScope: string | null;
  readonly reason: string | null;
  readonly ownerRole: string | null;
  readonly ownerFunction: string | null;
  readonly message: string;
  readonly approvalPath: ApprovalPath | null;
  readonly requestAccess: RequestAccessInput | null;
  /** explainField: `LAST_FOUR` when the value comes back masked. */
  readonly mask?: string | null;
}

const none = {
  via: null,
  permission: null,
  failedScope: null,
  reason: null,
  ownerRole: null,
  ownerFunction: null,
  approvalPath: null,
  requestAccess: null,
};

export function explanation(
  fields: Pick<Explanation, 'action' | 'decision' | 'rule' | 'policyVersion' | 'at' | 'message'> & Partial<Explanation>,
): Explanation {
  const { action, decision, rule, ...rest } = fields;
  return { action, decision, rule, ...none, ...rest };
}

/** A data-class decision as an explanation. */
export function explainDecision(action: string, decision: Decision, policyVersion: string, at: string): Explanation {
  const rule = `policy:${action}`;
  if (decision.effect === 'ALLOW') {
    return explanation({
      action,
      decision: 'ALLOW',
      rule,
      policyVersion,
      at,
      via: decision.via,
      message: `Allowed (${decision.scope} scope) by ${decision.via}.`,
    });
  }
  const d = decision.denial;
  return explanation({
    action,
    decision: 'DENY',
    rule,
    policyVersion: d.policyVersion,
    at,
    permission: d.permission,
    failedScope: d.failedScope,
    reason: d.reason ?? null,
    ownerRole: d.ownerRole,
    ownerFunction: d.ownerFunction,
    message: `${d.message} ${d.howToGet}`,
    approvalPath: d.approvalPath,
    requestAccess: d.requestAccess,
  });
}
