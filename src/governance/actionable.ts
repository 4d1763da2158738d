import type { Principal } from '../auth/principal.js';
import type { ChangeRequest } from './change-request.js';
import { entryIn, isActive, type AccessDoc } from './access-entries.js';
import { ENVIRONMENTS, type Environment, type Instant } from './environment.js';
import type { TransitionError } from './transition-result.js';
import { approve, reject, type ApproveOptions } from './transitions.js';

// Can this principal act on this change now: give it the next counted approval, or reject it? One pure decision,
// asked by the actionable query (`changeRequests(actionable: true)`), notifications and subscriptions alike. It runs
// the same pure transitions the mutations run, plus the target's own check:
// - a clinical write (ehr-write) needs the right to write its data class on its patient (the department check of
//   rules/decide.ts, passed in as `targetAllowed`): a clinical-admin with no right on the patient cannot act;
// - every other change is configuration, reached only by a principal who reads configuration (the shield's rule for
//   approveChange and rejectChange), so a clinician never acts on a prompt or a billing setting.

export interface ActFacts {
  /** The rules/ decision on the change's target for this principal: write on the ehr-write's patient; null: none. */
  readonly targetAllowed: boolean | null;
  /** Whether the principal reads the configuration of the change's environment (rules/decide.ts readsConfigurationIn). */
  readonly readsConfiguration: boolean;
}

export type ActDecision =
  | { readonly canAct: true; readonly approve: boolean; readonly reject: boolean }
  | { readonly canAct: false; readonly reason: string; readonly message: string };

/** Whether the change's target carries its own right (a clinical write on a patient). */
const needsTargetRight = (change: ChangeRequest) => change.target.type === 'ehr-write';

export function canActOn(change: ChangeRequest, principal: Principal, facts: ActFacts, options: ApproveOptions): ActDecision {
  if (needsTargetRight(change)) {
    if (facts.targetAllowed !== true)
      return {
        canAct: false,
        reason: 'NO_RIGHT_ON_TARGET',
        message: "You may not write this patient's record: you cannot approve a change of it.",
      };
  } else if (!facts.readsConfiguration) {
    return {
      canAct: false,
      reason: 'NO_CONFIGURATION_READ',
      message: 'Configuration changes are approved by roles that read configuration.',
    };
  }
  const approval = approve(change, principal, options);
  // A refusal that ends the change (expired, or its target moved): nobody acts on it any more.
  if (!approval.ok && approval.next) return { canAct: false, reason: approval.error.reason, message: approval.error.message };
  const canApprove = approval.ok && approval.next !== undefined;
  const rejection = reject(change, principal, {
    now: options.now,
    reason: 'other', // a reason every change takes, clinical ones included (transitions.ts CLINICAL_REJECTION_REASONS)
    functionsOf: options.functionsOf,
    ...(options.canApprove ? { canApprove: options.canApprove } : {}),
  });
  const canReject = rejection.ok && rejection.next !== undefined;
  if (canApprove || canReject) return { canAct: true, approve: canApprove, reject: canReject };
  const error: TransitionError | undefined = !approval.ok ? approval.error : !rejection.ok ? rejection.error : undefined;
  return { canAct: false, reason: error?.reason ?? 'NOT_ACTIONABLE', message: error?.message ?? 'Nothing to do on this change.' };
}

/**
 * The people a tenant knows by their stored role assignments (access docs), each as the principal they would be
 * when signed in with a second factor: who could act on a change, before anyone signs in. Principals whose roles
 * come only from their identity provider's token are not known to the gateway until they call it.
 */
export function knownApprovers(tenant: string, docs: readonly AccessDoc[], now: Instant): Principal[] {
  return docs.flatMap((doc) => {
    // Each role where its assignment says (environment-roles.ts): a STAGING-only approver approves no PRODUCTION change.
    const rolesIn = (environment: Environment) => [
      ...new Set(doc.entries.filter((e) => e.kind === 'role' && isActive(e, now) && entryIn(e, environment)).map((e) => e.name)),
    ];
    const rolesByEnvironment = Object.fromEntries(ENVIRONMENTS.map((e) => [e, rolesIn(e)]));
    if (ENVIRONMENTS.every((e) => rolesByEnvironment[e]!.length === 0)) return [];
    const principal = { sub: doc.sub, tenant, kind: 'user' as const, departments: [], mfa: true, scopes: null, grants: [] };
    return [{ ...principal, roles: rolesIn('PRODUCTION'), rolesByEnvironment }];
  });
}
