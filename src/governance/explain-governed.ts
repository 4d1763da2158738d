import type { Principal } from '../auth/principal.js';
import { requestInput } from '../../rules/denial.js';
import { explanation, type Explanation } from '../../rules/explanation.js';
import { refusalScope } from './transition-result.js';
import type { PolicyDocument } from '../../rules/policy-document.js';
import { agentActionOf, agentMayActAlone } from './agent-autonomy.js';
import { accessRequestPath, pathFor } from './approval-path.js';
import type { ApprovalRules } from './approval-rules.js';
import { describeTarget, type ChangeTarget } from './change-target.js';
import { editCheck } from './edit-permission.js';
import { breakGlassEligibility } from './access-changes.js';
import { selfAssignmentRefusal } from './access-target.js';
import { stopCheck } from './emergency-stop.js';
import { DEFAULT_STOP_POLICY, type StopPolicy } from './emergency-target.js';
import type { Environment } from './environment.js';
import type { FunctionsOf } from './functions.js';
import type { JsonValue } from './json.js';
import { proposalExplanation } from './refusal-explanation.js';

// `explain` for governed actions, decided by the functions the actions themselves use (describeTarget, editCheck,
// the approval rules), without trying. Pure. Vocabulary (schema/access.graphql): setting:update:<key>,
// resume:<target>, stop:<target>, role:assign:<role>, access:request:<role or grant>, policy:update, break-glass.

export interface GovernedExplainInput {
  readonly action: string;
  readonly principal: Principal;
  readonly environment: Environment;
  readonly rules: ApprovalRules;
  readonly functionsOf: FunctionsOf;
  readonly policy: PolicyDocument;
  readonly at: string;
  readonly stopPolicy?: StopPolicy;
  /** For role:assign: who would get the role. */
  readonly sub?: string | null;
  /** For an agent principal: the autonomy in force for it in `environment` (agent-autonomy.ts, effectiveAutonomy). */
  readonly agentAutonomy?: JsonValue | null;
}

/** null when the action is not a governed action of the vocabulary. */
export function explainGoverned(input: GovernedExplainInput): Explanation | null {
  const { action, principal, policy, at } = input;
  const base = { action, policyVersion: policy.version, at };
  const deny = (rule: string, reason: string, message: string, extra: Partial<Explanation> = {}) =>
    explanation({ ...base, decision: 'DENY', rule, reason, failedScope: 'editor', message, ...extra });
  const m = /^(setting:update|resume|stop|role:assign|access:request):(.+)$/.exec(action);
  const [verb, arg] = m ? [m[1]!, m[2]!] : [action, ''];
  switch (verb) {
    case 'setting:update':
      return governed(input, { type: 'setting', key: arg }, `editors:${arg}`);
    case 'resume':
      return governed(input, { type: 'emergency-resume', target: arg }, `stop-policy:${arg}`);
    case 'policy:update':
      return governed(input, { type: 'policy' }, 'editors:policy');
    case 'role:assign': {
      if (!policy.roles[arg]) return deny('policy:roles', 'UNKNOWN_TARGET', `No role "${arg}" in policy ${policy.version}.`);
      const self = selfAssignmentRefusal(principal.sub, input.sub ?? '(someone)', !principal.roles.includes(arg));
      if (self) return deny('access:self', self.reason, `${sentence(self.message)}`, { failedScope: 'self' });
      const r = governed(input, { type: 'assignment', sub: input.sub ?? '(someone)' }, 'editors:access');
      if (!r || r.decision === 'DENY') return r;
      // The path assignRole's change takes (the role's own function approves too): its approvers and its message.
      const approvalPath = accessRequestPath(input.rules, policy, { role: arg }, principal.kind);
      if (r.decision !== 'NEEDS_APPROVAL') return { ...r, approvalPath };
      return { ...r, approvalPath, message: `You may propose it; it applies after ${approvalPath.summary}.` };
    }
    case 'access:request': {
      const want = policy.roles[arg] ? { role: arg } : policy.grants[arg] ? { grant: arg } : null;
      if (!want) return deny('policy:roles', 'UNKNOWN_TARGET', `No role or grant "${arg}" in policy ${policy.version}.`);
      const approvalPath = accessRequestPath(input.rules, policy, want, principal.kind);
      return explanation({
        ...base,
        decision: 'NEEDS_APPROVAL',
        rule: `approval-rules:${approvalPath.environment}/${approvalPath.risk}`,
        ownerRole: 'security-admin',
        ownerFunction: 'security',
        approvalPath,
        requestAccess: requestInput(want),
        message: `Anyone may ask for access for themselves; it applies when approved: ${approvalPath.summary}.`,
      });
    }
    case 'stop': {
      // The check stop() itself makes (emergency-stop.ts), not a copy of it.
      const may = stopCheck(arg, principal, input.environment, input.stopPolicy ?? DEFAULT_STOP_POLICY);
      if (!may.ok)
        return deny(
          may.error.reason === 'INVALID_INPUT' ? 'stop-policy' : `stop-policy:${arg}`,
          may.error.reason,
          `${sentence(may.error.message)}`,
          { failedScope: refusalScope(may.error.reason) ?? 'editor' },
        );
      return explanation({
        ...base,
        decision: 'ALLOW',
        rule: `stop-policy:${arg}`,
        via: `role:${may.roleUsed}`,
        message: 'Emergency stop is immediate for the roles allowed to (a reason is required); resuming is a governed change.',
      });
    }
    case 'break-glass': {
      // The eligibility openBreakGlass itself checks (access-changes.ts).
      const eligible = breakGlassEligibility(policy, principal);
      return eligible.ok
        ? explanation({
            ...base,
            decision: 'ALLOW',
            rule: 'policy:breakGlass',
            via: `role:${eligible.roleUsed}`,
            message: `Opens one patient for ${eligible.rule.maxMinutes} minutes; flagged in the audit log and listed for review.`,
          })
        : deny('policy:breakGlass', eligible.error.reason, `${sentence(eligible.error.message)}`, { failedScope: 'role' });
    }
    default:
      return null;
  }
}

/** A domain message ("break-glass is for: clinician") as a sentence for people. */
export const sentence = (message: string): string =>
  `${message.charAt(0).toUpperCase()}${message.slice(1)}${message.endsWith('.') ? '' : '.'}`;

function governed(input: GovernedExplainInput, target: ChangeTarget, editorsRule: string): Explanation | null {
  const { principal, environment, rules, policy, at, action } = input;
  const described = describeTarget(target, rules, input.stopPolicy, policy);
  if (!described.ok)
    return explanation({
      action,
      decision: 'DENY',
      rule: editorsRule,
      policyVersion: policy.version,
      at,
      reason: 'UNKNOWN_TARGET',
      message: described.problems.map((p) => p.message).join('; '),
    });
  const d = described.descriptor;
  const why = proposalExplanation(d, environment, rules, principal.kind, input.functionsOf);
  const edit = editCheck(d, principal, environment);
  const common = {
    action,
    policyVersion: policy.version,
    at,
    ownerRole: why.ownerRole,
    ownerFunction: d.ownerFunction,
    approvalPath: why.approvalPath,
  };
  if (!edit.ok)
    return explanation({
      ...common,
      decision: 'DENY',
      rule: editorsRule,
      reason: edit.reason,
      failedScope: refusalScope(edit.reason) ?? 'editor',
      requestAccess: why.requestAccess,
      message: `${edit.message}.`,
    });
  // An agent: the same autonomy decision proposeChange makes (setting values are not known here, only the action).
  const alone = agentMayActAlone(
    principal.kind,
    input.agentAutonomy,
    target.type === 'setting' ? agentActionOf(d.target, null) : null,
  ).alone;
  const path = pathFor(rules, d, environment, d.risk[environment], principal.kind, alone);
  return path.requiredApprovals > 0
    ? explanation({
        ...common,
        decision: 'NEEDS_APPROVAL',
        rule: `approval-rules:${environment}/${path.risk}`,
        via: `role:${edit.roleUsed}`,
        message: `You may propose it; it applies after ${path.summary}.`,
      })
    : explanation({
        ...common,
        decision: 'ALLOW',
        rule: `approval-rules:${environment}/${path.risk}`,
        via: `role:${edit.roleUsed}`,
        message: 'You may change it; it applies at once.',
      });
}
