import type { Principal } from '../auth/principal.js';
import { grantCheck } from '../governance/access-approval.js';
import { emptyAccessDoc } from '../governance/access-entries.js';
import { ACCESS_ENVIRONMENT } from '../governance/approval-path.js';
import type { ChangeOrigin, ChangeRequest } from '../governance/change-request.js';
import { accessDocId, type ChangeTarget } from '../governance/change-target.js';
import type { FunctionsOf } from '../governance/functions.js';
import type { JsonValue } from '../governance/json.js';
import { defaultPolicy, type PolicyDocument } from '../../rules/policy-document.js';
import type { ContextOf, ProposalOutcome, Propose } from './governance-parts.js';

// Governed changes of an access document (assignments, access requests) or of the tenant's policy, judged against
// the policy in force, and the grant check that approving any change applies under that policy. AccessService
// (access-service.ts) computes the new documents; this is the governed path they take.

export interface AccessProposalsDeps {
  readonly functionsOf: FunctionsOf;
  readonly now: () => number;
  /** The tenant's policy in force. Default: the default policy. */
  readonly policyOf?: (tenant: string) => Promise<PolicyDocument>;
  readonly propose: Propose;
  readonly context: ContextOf;
}

export class AccessProposals {
  constructor(private readonly deps: AccessProposalsDeps) {}

  /** A governed change of an access document or the policy: `next` computes the new value from the stored one. */
  async proposeAccess(
    principal: Principal,
    target: Extract<ChangeTarget, { type: 'assignment' | 'access-request' | 'policy' }>,
    input: { reason?: string | null; ticket?: string | null; origin?: ChangeOrigin },
    next: (current: JsonValue | null, changeId: string, now: number) => JsonValue,
  ): Promise<ProposalOutcome> {
    const policy = await this.policyFor(principal.tenant);
    return this.deps.propose(principal, { environment: ACCESS_ENVIRONMENT, id: accessDocId(target) }, async (current) => {
      const context = this.deps.context(principal, input);
      const base = current.doc?.value ?? (target.type === 'policy' ? (policy as unknown as JsonValue) : emptyAccessDoc(target.sub));
      return { ...context, policy, environment: ACCESS_ENVIRONMENT, target, origin: input.origin, current: { value: base, version: current.version }, newValue: next(current.doc?.value ?? null, context.id, Number(context.now)) };
    });
  }

  async canGrant(tenant: string) {
    const policy = await this.policyFor(tenant);
    return (approver: Principal, change: ChangeRequest) => grantCheck(policy, this.deps.functionsOf, approver, change, this.deps.now());
  }

  private policyFor(tenant: string): Promise<PolicyDocument> {
    return this.deps.policyOf?.(tenant) ?? Promise.resolve(defaultPolicy());
  }
}
