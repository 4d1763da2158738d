import type { Principal } from '../../auth/principal.js';
import { emptyAccessDoc } from '../../governance/access-entries.js';
import { ACCESS_ENVIRONMENT } from '../../governance/approval-path.js';
import type { ChangeOrigin } from '../../governance/change-request.js';
import { accessDocId, type ChangeTarget } from '../../governance/change-target.js';
import type { JsonValue } from '../../governance/json.js';
import type { GovernanceDeps, ProposalOutcome } from './deps.js';
import { policyInForce } from './policy-in-force.js';
import { propose, proposalContext } from './propose.js';
import { assertTargetEditor } from './refusals.js';

// Governed changes of an access document (assignments, access requests) or of the tenant's policy, judged against
// the policy in force (policy-in-force.ts). AccessService (access-service.ts) computes the new documents; this is the
// governed path they take.

/** A governed change of an access document or the policy: `next` computes the new value from the stored one. */
export async function proposeAccess(
  deps: GovernanceDeps,
  principal: Principal,
  target: Extract<ChangeTarget, { type: 'assignment' | 'access-request' | 'policy' }>,
  input: {
    reason?: string | null;
    ticket?: string | null;
    origin?: ChangeOrigin;
    /** When what the change gives ends by itself (an assignment's expiresAt, epoch ms): the change waits no longer. */
    endsAt?: number | null;
  },
  next: (current: JsonValue | null, changeId: string, now: number) => JsonValue,
): Promise<ProposalOutcome> {
  const policy = await policyInForce(deps, principal.tenant);
  // The editor check before `next` reads the stored document (a revocation of a role not held is NOT_FOUND there).
  await assertTargetEditor(deps, principal, target, ACCESS_ENVIRONMENT);
  return propose(deps, principal, { environment: ACCESS_ENVIRONMENT, id: accessDocId(target) }, async (current) => {
    const context = proposalContext(deps, principal, input);
    const base = current.doc?.value ?? (target.type === 'policy' ? (policy as unknown as JsonValue) : emptyAccessDoc(target.sub));
    const newValue = next(current.doc?.value ?? null, context.id, Number(context.now));
    // A dated assignment's change expires with the date at the latest: nobody approves one that would apply nothing.
    const ttlMs = Math.min(deps.rules.pendingTtlMs[ACCESS_ENVIRONMENT], (input.endsAt ?? Infinity) - Number(context.now));
    return {
      ...context,
      ...(input.endsAt == null ? {} : { ttlMs: Math.max(1, Math.floor(ttlMs)) }),
      policy,
      environment: ACCESS_ENVIRONMENT,
      target,
      origin: input.origin,
      current: { value: base, version: current.version },
      newValue,
    };
  });
}
