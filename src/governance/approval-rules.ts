import { z } from 'zod';
import type { PrincipalKind } from '../auth/principal.js';
import { defaultGovernance, defaultPolicy } from '../../rules/policy-document.js';
import { parseDocument } from '../errors/parse-error.js';
import { CATEGORIES, CATEGORY_OWNER, ENVIRONMENTS, RISKS, type Category, type Environment, type Risk } from './environment.js';

// Approval rules are policy data, per environment and risk, validated like the policy document. Decisions read a
// parsed document; nothing here knows about stores or tokens.

const name = z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case kebab name');

export const approvalRequirementSchema = z.strictObject({
  /** Approvals needed before the change applies; 0: it applies at once. */
  requiredApprovals: z.number().int().min(0).max(5),
  /** Every counted approval must come from a different function (two-person, two-function rule). */
  distinctFunctions: z.boolean(),
  /** One counted approval must come from the setting's owner function. */
  ownerFunctionRequired: z.boolean(),
  /** Every approval must come from a token with a second factor. */
  mfaRequired: z.boolean(),
  /** One counted approval must come from this function (for example security for CRITICAL policy changes). */
  requiredFunction: name.optional(),
});
export type ApprovalRequirement = z.infer<typeof approvalRequirementSchema>;

const perRisk = z.strictObject(
  Object.fromEntries(RISKS.map((r) => [r, approvalRequirementSchema])) as Record<Risk, typeof approvalRequirementSchema>,
);
const perEnvironment = <T extends z.ZodType>(s: T) =>
  z.strictObject(Object.fromEntries(ENVIRONMENTS.map((e) => [e, s])) as Record<Environment, T>);
const perCategory = z.strictObject(
  Object.fromEntries(CATEGORIES.map((c) => [c, z.array(name).min(1)])) as Record<Category, z.ZodArray<typeof name>>,
);

const approvalRulesSchema = z
  .strictObject({
    version: z.string().min(1),
    /** The functions of the policy document; every function named below must be one of them. */
    functions: z.array(name).min(1),
    requirements: perEnvironment(perRisk),
    /**
     * Functions whose members may approve (and reject) a change of a category, besides the setting's owner
     * function (always eligible). Functions not listed never approve: compliance reads, it does not authorize.
     */
    approverFunctions: perCategory,
    /** A reason is required from this risk upward. */
    reasonRequiredFrom: z.enum(RISKS),
    /** Time to live of a pending change, per environment. */
    pendingTtlMs: perEnvironment(z.number().int().positive()),
    /** A change proposed by an AI agent always waits for at least one human approval from the owner function. */
    agentProposalsNeedApproval: z.boolean(),
    /**
     * Roles that may propose a change, per category, with overrides per exact setting key (emergency escalation
     * rules: clinical-admin only). Proposing is not approving: most proposals still wait for approvers.
     */
    editorRoles: z.strictObject({ categories: perCategory, settings: z.record(z.string(), z.array(name).min(1)) }),
  })
  .superRefine((doc, ctx) => {
    const known = new Set(doc.functions);
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    for (const c of CATEGORIES) {
      doc.approverFunctions[c].forEach((f, i) => known.has(f) || problem(['approverFunctions', c, i], `unknown function "${f}"`));
      if (!known.has(CATEGORY_OWNER[c])) problem(['functions'], `missing owner function "${CATEGORY_OWNER[c]}" of ${c}`);
    }
    for (const e of ENVIRONMENTS) {
      for (const r of RISKS) {
        const req = doc.requirements[e][r];
        const path = ['requirements', e, r];
        if (req.requiredFunction && !known.has(req.requiredFunction))
          problem([...path, 'requiredFunction'], `unknown function "${req.requiredFunction}"`);
        const named = (req.ownerFunctionRequired ? 1 : 0) + (req.requiredFunction ? 1 : 0);
        if (req.requiredApprovals === 0 && (named > 0 || req.distinctFunctions))
          problem(path, 'a requirement of 0 approvals cannot name functions');
        if (req.distinctFunctions && req.requiredApprovals < named)
          problem(path, 'requiredApprovals is smaller than the functions it names');
        if (req.distinctFunctions) {
          for (const c of CATEGORIES) {
            const pool = new Set([CATEGORY_OWNER[c], ...doc.approverFunctions[c], ...(req.requiredFunction ? [req.requiredFunction] : [])]);
            if (pool.size < req.requiredApprovals)
              problem(['approverFunctions', c], `${e} ${r} needs ${req.requiredApprovals} distinct functions, ${c} has ${pool.size}`);
          }
        }
      }
    }
  });
export type ApprovalRules = z.infer<typeof approvalRulesSchema>;

/** Validates an approval rules document; every problem is reported (one ParseError), each with its path. */
export function parseApprovalRules(input: unknown): ApprovalRules {
  return parseDocument('approval rules', approvalRulesSchema, input);
}

/**
 * The gateway's approval rules: the `governance.approvals` section of rules/default-policy.json with the document's
 * functions, so who may approve and propose is written once, beside the roles it names. CRITICAL (policy changes):
 * two approvers of two functions, one of them security.
 */
export const DEFAULT_APPROVAL_RULES: ApprovalRules = parseApprovalRules({
  ...defaultGovernance().approvals,
  functions: defaultPolicy().functions,
});

export function requirementFor(rules: ApprovalRules, environment: Environment, risk: Risk): ApprovalRequirement {
  return rules.requirements[environment][risk];
}

/**
 * The requirement for one proposal: the rule, raised to one owner-function approval for an AI agent's proposal,
 * unless the agent's governed autonomy lets it do this action alone (agentMayActAlone in agent-autonomy.ts).
 */
export function requirementForProposal(
  rules: ApprovalRules,
  environment: Environment,
  risk: Risk,
  requesterKind: PrincipalKind,
  agentAlone = false,
): ApprovalRequirement {
  const base = requirementFor(rules, environment, risk);
  if (requesterKind !== 'agent' || agentAlone || !rules.agentProposalsNeedApproval || base.requiredApprovals > 0) return base;
  return { ...base, requiredApprovals: 1, ownerFunctionRequired: true };
}

/** Functions that may approve a change: the owner function, the category's approvers and a required function. */
export function approverFunctionsFor(
  rules: ApprovalRules,
  category: Category,
  ownerFunction: string,
  requirement: ApprovalRequirement,
): string[] {
  const extra = requirement.requiredFunction ? [requirement.requiredFunction] : [];
  return [...new Set([ownerFunction, ...rules.approverFunctions[category], ...extra])];
}

/** Roles that may propose a change of a setting. */
export function editorRolesFor(rules: ApprovalRules, key: string, category: Category): readonly string[] {
  return rules.editorRoles.settings[key] ?? rules.editorRoles.categories[category];
}

export function reasonRequired(rules: ApprovalRules, risk: Risk): boolean {
  return RISKS.indexOf(risk) >= RISKS.indexOf(rules.reasonRequiredFrom);
}

export { evaluateApprovals, type ApprovalStatus } from './approval-evaluation.js';
