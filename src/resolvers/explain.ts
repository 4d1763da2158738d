import { compilePrincipalPolicy, type Decision, type PrincipalPolicy } from '../../rules/decide.js';
import { explainDecision, explanation, type Explanation } from '../../rules/explanation.js';
import { explainFieldAccess } from '../../rules/explain-field.js';
import { fieldRules } from '../../rules/field-access.js';
import { evaluateFieldRule } from '../../rules/evaluate-field-rule.js';
import type { GatewayContext } from '../context/context.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { DEFAULT_APPROVAL_RULES } from '../governance/approval-rules.js';
import { explainGoverned } from '../governance/explain-governed.js';
import { functionsFromPolicy } from '../governance/functions.js';
import { changeExplanation } from '../governance/refusal-explanation.js';
import { requireFhirId } from './ids.js';
import { invalidInput } from './governance-loaders.js';

// explain / explainField. Thin: every answer comes from the function the action itself uses (rules/decide.ts for
// reads, explain-governed.ts for governed actions, the approve transition for change:approve). Nothing is tried.

const DATA_ACTION = /^read:([a-z][a-z0-9-]*)$/;

async function policyFor(ctx: GatewayContext, atIso: string | null): Promise<{ access: PrincipalPolicy; at: string; policy: Awaited<ReturnType<GatewayContext['accessAdmin']['policyInForce']>> }> {
  if (!atIso) return { access: ctx.access, at: new Date(ctx.accessAdmin.now()).toISOString(), policy: await ctx.accessAdmin.policyInForce(ctx.principal.tenant) };
  const atMs = Date.parse(atIso);
  if (!Number.isFinite(atMs)) throw invalidInput('at', 'is not a date-time');
  const then = await ctx.accessAdmin.accessAt(ctx.access.token, atMs);
  return { access: compilePrincipalPolicy(then.policy, ctx.access.token, then.options), at: new Date(atMs).toISOString(), policy: then.policy };
}

/** The patient's row guard, asked only of a caller who may look patients up at all (no existence oracle). */
async function patientTarget(ctx: GatewayContext, access: PrincipalPolicy, patientId: string) {
  const lookup = access.decide({ action: 'read', dataClass: 'demographics' });
  if (lookup.effect === 'DENY') return { denied: lookup as Decision, guard: null };
  const row = await ctx.ehr.patient(requireFhirId(patientId));
  if (!row) throw invalidInput('resource.patientId', 'no such patient');
  return { denied: null, guard: row.guard };
}

export const explainResolvers: Resolvers = {
  Query: {
    explain: async (_p, { action, resource, environment, at }, ctx): Promise<Explanation> => {
      const { access, at: when, policy } = await policyFor(ctx, at ?? null);
      const data = DATA_ACTION.exec(action);
      if (data) {
        const request = { action: 'read' as const, dataClass: data[1]! };
        if (!policy.dataClasses[request.dataClass]) throw invalidInput('action', `no data class "${request.dataClass}" in policy ${policy.version}`);
        if (!resource?.patientId) return explainDecision(action, access.decide(request), access.policyVersion, when);
        const target = await patientTarget(ctx, access, resource.patientId);
        return explainDecision(action, target.denied ?? access.decide(request, target.guard), access.policyVersion, when);
      }
      const approve = /^change:approve:(.+)$/.exec(action);
      if (approve) {
        const change = await ctx.governance.changeRequest(ctx.principal, approve[1]!);
        if (!change) throw invalidInput('action', 'no such change request');
        const r = await ctx.governance.previewApproval(ctx.principal, change);
        const why = changeExplanation(change, null, functionsFromPolicy(policy));
        const common = { action, rule: `approval-rules:${change.environment}/${change.risk}`, policyVersion: policy.version, at: when, ownerFunction: change.ownerFunction, approvalPath: why.approvalPath };
        return r.ok
          ? explanation({ ...common, decision: 'ALLOW', message: 'Your approval would be accepted now.' })
          : explanation({ ...common, decision: 'DENY', reason: r.error.reason, failedScope: 'approver', message: r.error.message });
      }
      const env = environment ?? 'PRODUCTION';
      const governed = explainGoverned({
        action, principal: ctx.principal, environment: env, rules: DEFAULT_APPROVAL_RULES, functionsOf: functionsFromPolicy(policy), policy, at: when, sub: resource?.assignee ?? null,
        agentAutonomy: await ctx.governance.agentAutonomy(ctx.principal, env),
      });
      if (!governed) throw invalidInput('action', 'unknown action: see the description of Query.explain for the vocabulary');
      return governed;
    },
    explainField: async (_p, { type, field, patientId }, ctx): Promise<Explanation> => {
      const at = new Date(ctx.accessAdmin.now()).toISOString();
      const rule = fieldRules[type]?.[field];
      // Without a patient (or for a rule that is not per row), the same answer as `clearance operations check`.
      if (!rule || rule.kind !== 'read' || !rule.row || !patientId) return explainFieldAccess(type, field, ctx.access, at).explanation;
      const action = `${type}.${field}`;
      const request = { action: 'read' as const, dataClass: rule.dataClass };
      const target = await patientTarget(ctx, ctx.access, patientId);
      if (target.denied) return { ...explainDecision(`read:demographics`, target.denied, ctx.access.policyVersion, at), action };
      const v = evaluateFieldRule(rule, ctx.access, { guard: target.guard });
      const decision = v.allowed ? ctx.access.decide(request, target.guard) : ctx.access.decide({ action: 'read', dataClass: String(v.error.extensions.dataClass) }, target.guard);
      return { ...explainDecision(`read:${rule.dataClass}`, decision, ctx.access.policyVersion, at), action };
    },
  },
};
