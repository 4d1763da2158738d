import type { Principal } from '../auth/principal.js';
import { DEFAULT_REQUEST_MINUTES } from '../../rules/denial.js';
import { explanation, type Explanation } from '../../rules/explanation.js';
import type { PolicyDocument } from '../../rules/policy-document.js';
import { agentActionOf, agentMayActAlone } from './agent-autonomy.js';
import { accessRequestPath, pathFor } from './approval-path.js';
import type { ApprovalRules } from './approval-rules.js';
import { describeTarget, type ChangeTarget } from './change-target.js';
import { editCheck } from './edit-permission.js';
import { stopRolesFor } from './emergency-stop.js';
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
  const deny = (rule: string, reason: string, message: string, extra: Partial<Explanation> = {}) => explanation({ ...base, decision: 'DENY', rule, reason, failedScope: 'editor', message, ...extra });
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
      if (input.sub === principal.sub) return deny('access:self', 'SELF_ASSIGNMENT', 'Nobody widens their own access: ask with requestAccess; another person approves.', { failedScope: 'self' });
      const r = governed(input, { type: 'assignment', sub: input.sub ?? '(someone)' }, 'editors:access');
      return r && r.decision !== 'DENY' ? { ...r, approvalPath: accessRequestPath(input.rules, policy, { role: arg }, principal.kind) } : r;
    }
    case 'access:request': {
      const want = policy.roles[arg] ? { role: arg } : policy.grants[arg] ? { grant: arg } : null;
      if (!want) return deny('policy:roles', 'UNKNOWN_TARGET', `No role or grant "${arg}" in policy ${policy.version}.`);
      const approvalPath = accessRequestPath(input.rules, policy, want, principal.kind);
      return explanation({
        ...base, decision: 'NEEDS_APPROVAL', rule: `approval-rules:${approvalPath.environment}/${approvalPath.risk}`, ownerRole: 'security-admin', ownerFunction: 'security', approvalPath,
        requestAccess: { requestedRole: want.role ?? null, requestedGrant: want.grant ?? null, scopeDepartments: null, justification: '', durationMinutes: DEFAULT_REQUEST_MINUTES },
        message: `Anyone may ask for access for themselves; it applies when approved: ${approvalPath.summary}.`,
      });
    }
    case 'stop': {
      const roles = stopRolesFor(arg, input.stopPolicy ?? DEFAULT_STOP_POLICY);
      if (!roles) return deny('stop-policy', 'INVALID_INPUT', `"${arg}" is not a stop target.`);
      const via = principal.roles.find((r) => roles.includes(r));
      return via
        ? explanation({ ...base, decision: 'ALLOW', rule: `stop-policy:${arg}`, via: `role:${via}`, message: 'Emergency stop is immediate for the roles allowed to (a reason is required); resuming is a governed change.' })
        : deny(`stop-policy:${arg}`, 'NOT_ALLOWED_TO_STOP', `${arg} may be stopped by: ${roles.join(', ')}.`);
    }
    case 'break-glass': {
      const rule = policy.breakGlass;
      const via = principal.kind === 'user' ? principal.roles.find((r) => rule?.eligibleRoles.includes(r)) : undefined;
      return via && rule
        ? explanation({ ...base, decision: 'ALLOW', rule: 'policy:breakGlass', via: `role:${via}`, message: `Opens one patient for ${rule.maxMinutes} minutes; flagged in the audit log and listed for review.` })
        : deny('policy:breakGlass', 'NOT_ELIGIBLE', `Break-glass is for: ${rule?.eligibleRoles.join(', ') ?? 'nobody in this policy'}.`, { failedScope: 'role' });
    }
    default:
      return null;
  }
}

function governed(input: GovernedExplainInput, target: ChangeTarget, editorsRule: string): Explanation | null {
  const { principal, environment, rules, policy, at, action } = input;
  const described = describeTarget(target, rules, input.stopPolicy, policy);
  if (!described.ok) return explanation({ action, decision: 'DENY', rule: editorsRule, policyVersion: policy.version, at, reason: 'UNKNOWN_TARGET', message: described.problems.map((p) => p.message).join('; ') });
  const d = described.descriptor;
  const why = proposalExplanation(d, environment, rules, principal.kind, input.functionsOf);
  const edit = editCheck(d, principal, environment);
  const common = { action, policyVersion: policy.version, at, ownerRole: why.ownerRole, ownerFunction: d.ownerFunction, approvalPath: why.approvalPath };
  if (!edit.ok) return explanation({ ...common, decision: 'DENY', rule: editorsRule, reason: edit.reason, failedScope: edit.reason === 'ROLE_NOT_IN_ENVIRONMENT' ? 'environment' : 'editor', requestAccess: why.requestAccess, message: `${edit.message}.` });
  // An agent: the same autonomy decision proposeChange makes (setting values are not known here, only the action).
  const alone = agentMayActAlone(principal.kind, input.agentAutonomy, target.type === 'setting' ? agentActionOf(d.target, null) : null).alone;
  const path = pathFor(rules, d, environment, d.risk[environment], principal.kind, alone);
  return path.requiredApprovals > 0
    ? explanation({ ...common, decision: 'NEEDS_APPROVAL', rule: `approval-rules:${environment}/${path.risk}`, via: `role:${edit.roleUsed}`, message: `You may propose it; it applies after ${path.summary}.` })
    : explanation({ ...common, decision: 'ALLOW', rule: `approval-rules:${environment}/${path.risk}`, via: `role:${edit.roleUsed}`, message: 'You may change it; it applies at once.' });
}
