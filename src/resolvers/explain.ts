import type { PatientRow, RowGuard } from '../../connectors/ehr/rows.js';
import { compilePrincipalPolicy, type Decision, type PrincipalPolicy } from '../../rules/decide.js';
import { explainDecision, explanation, type Explanation } from '../../rules/explanation.js';
import { explainFieldAccess } from '../../rules/explain-field.js';
import { fieldRules } from '../../rules/field-access.js';
import type { PolicyDocument } from '../../rules/policy-document.js';
import { decideField } from '../../rules/field-decision.js';
import { decideMedicationRequest, decidePatientAction, type PatientAction } from '../../rules/patient-actions.js';
import type { GatewayContext } from '../context/context.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { ACCESS_ENVIRONMENT } from '../governance/approval-path.js';
import { DEFAULT_APPROVAL_RULES } from '../governance/approval-rules.js';
import { describeTarget } from '../governance/change-target.js';
import { editCheck } from '../governance/edit-permission.js';
import { assigneeProblem, permissionGrant, requestRefusal } from '../governance/access-target.js';
import { explainGoverned, sentence } from '../governance/explain-governed.js';
import { functionsFromPolicy } from '../governance/functions.js';
import { changeExplanation } from '../governance/refusal-explanation.js';
import { refundTarget } from './billing-actions.js';
import { reachRefusal } from './change-target-check.js';
import { NotFoundError } from '../errors/errors.js';
import { refusalScope } from '../governance/transition-result.js';
import { requireFhirId } from './ids.js';
import { invalidInput } from './governance-loaders.js';
import { agentAutonomyOf, findChangeRequest, previewApproval } from '../services/governance/reads.js';

// explain / explainField. Thin: every answer comes from the function the action itself uses (rules/decide.ts for
// reads, rules/field-decision.ts for fields, rules/patient-actions.ts for writes, refunds and messaging,
// explain-governed.ts for governed actions, the approve transition for change:approve). Nothing is tried.

const DATA_ACTION = /^read:([a-z][a-z0-9-]*)$/;

async function policyFor(
  ctx: GatewayContext,
  atIso: string | null,
): Promise<{ access: PrincipalPolicy; at: string; policy: Awaited<ReturnType<GatewayContext['accessAdmin']['policyInForce']>> }> {
  if (!atIso)
    return {
      access: ctx.access,
      at: new Date(ctx.accessAdmin.now()).toISOString(),
      policy: await ctx.accessAdmin.policyInForce(ctx.principal.tenant),
    };
  const atMs = Date.parse(atIso);
  if (!Number.isFinite(atMs)) throw invalidInput('at', 'is not a date-time');
  const then = await ctx.accessAdmin.accessAt(ctx.access.token, atMs);
  return {
    access: compilePrincipalPolicy(then.policy, ctx.access.token, then.options),
    at: new Date(atMs).toISOString(),
    policy: then.policy,
  };
}

/** The patient's row guard, asked only of a caller who may look patients up at all (no existence oracle). */
async function patientTarget(ctx: GatewayContext, access: PrincipalPolicy, patientId: string) {
  const lookup = access.decide({ action: 'read', dataClass: 'demographics' });
  if (lookup.effect === 'DENY') return { denied: lookup as Decision, guard: null, row: null } as const;
  const row = await ctx.ehr.patient(requireFhirId(patientId));
  if (!row) throw new NotFoundError('Patient', 'No such patient.');
  return { denied: null, guard: row.guard, row } as const;
}

/** The mutation each patient action is, whose own field rule is the action's first gate. */
const ACTION_FIELDS: Readonly<Record<string, { readonly field: string; readonly action: PatientAction | 'medication:request' }>> = {
  'write:notes': { field: 'writeBackNote', action: 'write:notes' },
  'write:observations': { field: 'recordObservation', action: 'write:observations' },
  'medication:request': { field: 'proposeMedicationRequest', action: 'medication:request' },
  'message:send': { field: 'sendPatientMessage', action: 'message:send' },
  'message:route': { field: 'routeInboundMessage', action: 'message:route' },
  'refund:issue': { field: 'issueRefund', action: 'refund:issue' },
};

/** The rows of the patient's record explainField can be asked about by id (the lists that carry them). */
const ROWS_OF: Readonly<Record<string, (ctx: GatewayContext, p: PatientRow) => Promise<readonly { id: string; guard: RowGuard }[]>>> = {
  Condition: (ctx, p) => ctx.ehr.conditions(p),
  Observation: (ctx, p) => ctx.ehr.observations(p, { count: 100 }),
  MedicationRequest: (ctx, p) => ctx.ehr.medications(p),
  AllergyIntolerance: (ctx, p) => ctx.ehr.allergies(p),
  Immunization: (ctx, p) => ctx.ehr.immunizations(p),
  Encounter: (ctx, p) => ctx.ehr.encounters(p),
  CarePlan: (ctx, p) => ctx.ehr.carePlans(p),
  ClinicalNote: (ctx, p) => ctx.ehr.notes(p),
  Coverage: (ctx, p) => ctx.ehr.coverage(p),
  Claim: (ctx, p) => ctx.ehr.claims(p),
  ExplanationOfBenefit: (ctx, p) => ctx.ehr.explanationOfBenefits(p),
  Invoice: (ctx, p) => ctx.ehr.invoices(p),
};

/** explain for a patient action: the mutation's field rule, then the kernel's decision on the stored patient. */
async function explainPatientAction(
  ctx: GatewayContext,
  action: string,
  resource: { patientId?: string | null; invoiceId?: string | null; amount?: number | null } | null,
  when: string,
): Promise<Explanation> {
  const spec = ACTION_FIELDS[action]!;
  const access = ctx.access;
  const gate = decideField(access, 'Mutation', spec.field);
  if (gate.decision.effect === 'DENY') return explainDecision(action, gate.decision, access.policyVersion, when);
  if (spec.action === 'refund:issue') return explainRefund(ctx, action, resource, when);
  if (!resource?.patientId) throw invalidInput('resource.patientId', `${action} needs resource.patientId`);
  const patient = await ctx.ehr.patient(requireFhirId(resource.patientId));
  if (!patient) throw new NotFoundError('Patient', 'No such patient.');
  const row = { ...patient.guard, patientId: patient.id };
  if (spec.action === 'medication:request') {
    const m = decideMedicationRequest(access, row);
    const e = explainDecision(action, m.decision, access.policyVersion, when);
    if (m.decision.effect === 'DENY') return e;
    const closed = await writeBackClosed(ctx, action, 'MedicationRequest', when);
    if (closed || m.mode === 'write') return closed ?? e;
    return {
      ...e,
      decision: 'NEEDS_APPROVAL',
      message: "You may propose it; a clinician of the patient's department approves it before it is written.",
    };
  }
  const e = explainDecision(action, decidePatientAction(access, spec.action, row), access.policyVersion, when);
  const written = WRITTEN_AS[spec.action];
  return (e.decision === 'ALLOW' && written ? await writeBackClosed(ctx, action, written, when) : null) ?? e;
}

/** The resource each write action creates (the write-back gate is asked for it). */
const WRITTEN_AS: Partial<Record<PatientAction, string>> = { 'write:notes': 'DocumentReference', 'write:observations': 'Observation' };

/**
 * The write-back gate after the policy allowed a write (the order the mutations ask in): the refusal the write, a
 * proposal of it and its approval answer while it is closed (WriteBackService.gateRefusal), as a DENY; null when open.
 */
async function writeBackClosed(ctx: GatewayContext, action: string, resourceType: string, when: string): Promise<Explanation | null> {
  const writeBack = ctx.connectors.writeBack;
  const refusal = await writeBack.gateRefusal(ctx.principal.tenant, resourceType, 'c');
  if (!refusal) return null;
  return explanation({
    action,
    decision: 'DENY',
    rule: `write-back:${writeBack.environment}`,
    policyVersion: ctx.access.policyVersion,
    at: when,
    reason: refusal.reason,
    failedScope: 'connector',
    ownerFunction: 'technical',
    message: refusal.message,
  });
}

/**
 * explain for refund:issue: the steps issueRefund takes, each asked of the function the action asks, in its order:
 * the invoice and the policy on its patient (billing-actions.ts refundTarget), the refund's route on what is stored
 * (BillingService.refundRoute: the invoice read again, the ledgers' window sums, the threshold), and whether the
 * caller may propose the governed change. The action's refusals are answered as DENY with its code as the reason
 * (NOT_FOUND, BAD_USER_INPUT with the action's message); a refund that would wait is NEEDS_APPROVAL.
 */
async function explainRefund(
  ctx: GatewayContext,
  action: string,
  resource: { invoiceId?: string | null; amount?: number | null } | null,
  when: string,
): Promise<Explanation> {
  if (!resource?.invoiceId || resource.amount === null || resource.amount === undefined)
    throw invalidInput('resource', 'refund:issue needs resource.invoiceId and resource.amount');
  const access = ctx.access;
  const { policyVersion } = access;
  const refused = (rule: string, reason: string, message: string) =>
    explanation({ action, decision: 'DENY', rule, policyVersion, at: when, reason, ownerFunction: 'finance', message });
  const target = await refundTarget(ctx, resource.invoiceId);
  if (!target) return refused('refund-route:invoice', 'NOT_FOUND', 'No such invoice.');
  const e = explainDecision(action, target.decision, access.policyVersion, when);
  if (target.decision.effect === 'DENY') return e;
  const billing = ctx.connectors.billing;
  const route = await billing.refundRoute(ctx.principal.tenant, target.found, resource.amount, null);
  if (route.route === 'REFUSED') return refused(`refund-route:${route.field}`, 'BAD_USER_INPUT', route.message);
  // A refund is a governed change: who may propose it is the refund target's own rule (checked when it is proposed).
  const environment = billing.environment;
  const described = describeTarget({ type: 'refund', refundId: 'explain' }, DEFAULT_APPROVAL_RULES);
  if (!described.ok) return e;
  const edit = editCheck(described.descriptor, ctx.principal, environment);
  if (!edit.ok)
    return explanation({
      action,
      decision: 'DENY',
      rule: 'editors:refund',
      policyVersion: access.policyVersion,
      at: when,
      reason: edit.reason,
      failedScope: 'editor',
      ownerFunction: 'finance',
      message: `${edit.message}.`,
    });
  const refusal = await billing.refundRefusal(ctx.principal, route.route);
  if (refusal) {
    const rule = refusal.reason === 'STOPPED' ? 'refund:connector-stop' : 'refund:open-proposals';
    return refused(rule, refusal.reason, sentence(refusal.message));
  }
  if (route.route === 'APPLY') return e;
  const { threshold, unapprovedBefore: before } = route.value;
  const counted = before && (before.invoice > 0 || before.patient > 0)
    ? `, with what was refunded without approval in the last ${before.windowHours} h (invoice ${before.invoice}, patient ${before.patient})`
    : '';
  return {
    ...e,
    decision: 'NEEDS_APPROVAL',
    rule: `refund-threshold:${environment}`,
    ownerFunction: 'finance',
    message: `Above the refund threshold (${threshold.amount} ${threshold.currency})${counted}: it waits for an approval from finance.`,
  };
}

/**
 * explain(access:request:<role or grant>) refused, by the checks requestAccess makes, in its order (propose-change.ts):
 * the editor check (anyone holding a role may ask for themselves: a person whose only role was revoked may not), then,
 * whether what is asked for would give the caller anything (requestRefusal: a grant's eligible roles, a role's principal
 * kinds, a grant's departments: resource.scopeDepartments against those the caller belongs to), on the caller's
 * effective roles and assignments at `at`. Null: explain-governed.ts
 * answers (unknown names, and who approves a request that may be made). A name that is a role is asked for as the role.
 */
function accessRequestRefusal(
  action: string,
  policy: PolicyDocument,
  access: PrincipalPolicy,
  at: string,
  scopeDepartments: readonly string[] | null,
): Explanation | null {
  const name = /^access:request:(.+)$/.exec(action)?.[1];
  const isRole = name !== undefined && Object.hasOwn(policy.roles, name);
  if (!name || (!isRole && !Object.hasOwn(policy.grants, name))) return null;
  const base = { action, decision: 'DENY' as const, policyVersion: policy.version, at };
  const described = describeTarget({ type: 'access-request', sub: access.principal.sub }, DEFAULT_APPROVAL_RULES, undefined, policy);
  const edit = described.ok ? editCheck(described.descriptor, access.principal, ACCESS_ENVIRONMENT) : null;
  if (edit && !edit.ok)
    return explanation({
      ...base, rule: 'editors:access-request', reason: edit.reason, failedScope: 'editor', message: sentence(edit.message),
    });
  // The departments the caller belongs to for the grant, as the kernel compiled them (token and assignments of roles
  // the grant is for).
  const asker = { ...access.principal, departments: isRole ? access.principal.departments : (access.memberDepartments[name] ?? []) };
  const departments = scopeDepartments?.length ? scopeDepartments : null;
  const refusal = requestRefusal(policy, asker, { kind: isRole ? 'role' : 'grant', name, departments });
  if (!refusal) return null;
  if (refusal.reason === 'OUTSIDE_DEPARTMENTS') {
    const rule = `policy:grants:${name}:permissions`;
    return explanation({ ...base, rule, reason: refusal.reason, failedScope: 'department', message: sentence(refusal.message) });
  }
  if (isRole) {
    const rule = `policy:roles:${name}:principalKinds`;
    return explanation({ ...base, rule, reason: refusal.reason, failedScope: 'principal-kind', message: sentence(refusal.message) });
  }
  return explanation({
    ...base,
    rule: `policy:grants:${name}:eligibleRoles`,
    reason: refusal.reason,
    failedScope: 'role',
    ownerRole: policy.grants[name]!.owner,
    ownerFunction: policy.roles[policy.grants[name]!.owner]?.function ?? null,
    message: sentence(refusal.message),
  });
}

export const explainResolvers: Resolvers = {
  Query: {
    explain: async (_p, { action, resource, environment, at }, ctx): Promise<Explanation> => {
      const { access, at: when, policy } = await policyFor(ctx, at ?? null);
      const data = DATA_ACTION.exec(action);
      if (data) {
        const request = { action: 'read' as const, dataClass: data[1]! };
        if (!policy.dataClasses[request.dataClass])
          throw invalidInput('action', `no data class "${request.dataClass}" in policy ${policy.version}`);
        // Configuration is an environment's (its settings, stops, connectors, changes): the roles that count there decide.
        if (request.dataClass === 'configuration') {
          return explainDecision(action, access.readsConfigurationIn(environment ?? 'PRODUCTION'), access.policyVersion, when);
        }
        if (!resource?.patientId) return explainDecision(action, access.decide(request), access.policyVersion, when);
        const target = await patientTarget(ctx, access, resource.patientId);
        return explainDecision(action, target.denied ?? access.decide(request, target.guard), access.policyVersion, when);
      }
      if (Object.hasOwn(ACTION_FIELDS, action)) return explainPatientAction(ctx, action, resource ?? null, when);
      const approve = /^change:approve:(.+)$/.exec(action);
      if (approve) {
        const change = await findChangeRequest(ctx.governance, ctx.principal, approve[1]!);
        // As approveChange answers: an unknown id NOT_FOUND, then whether the caller may reach the change and act on its
        // target (change-target-check.ts reachRefusal), then the approve transition itself.
        if (!change) throw new NotFoundError('ChangeRequest', 'No such change request.');
        const refusal = await reachRefusal(ctx, change, 'act');
        if (refusal?.effect === 'MISSING') throw new NotFoundError('Patient', 'No such patient.');
        if (refusal) return explainDecision(action, refusal, access.policyVersion, when);
        const r = await previewApproval(ctx.governance, ctx.principal, change);
        const why = changeExplanation(change, null, functionsFromPolicy(policy));
        const common = {
          action,
          rule: `approval-rules:${change.environment}/${change.risk}`,
          policyVersion: policy.version,
          at: when,
          ownerFunction: change.ownerFunction,
          approvalPath: why.approvalPath,
        };
        return r.ok
          ? explanation({ ...common, decision: 'ALLOW', message: 'Your approval would be accepted now.' })
          : explanation({
            ...common,
            decision: 'DENY',
            reason: r.error.reason,
            failedScope: refusalScope(r.error.reason) ?? 'approver',
            message: r.error.message,
          });
      }
      // breakGlass answers NOT_FOUND for a patient that is not there: its explanation names it too (it answered ALLOW),
      // as every explanation about a patient does (patientTarget: only to a caller who may look patients up).
      if (action === 'break-glass' && resource?.patientId) await patientTarget(ctx, access, resource.patientId);
      // A permission (access:request:read:identifiers) is asked for as the grant requestAccess(permission:) asks for.
      const permission = /^access:request:([a-z]+:[a-z0-9-]+)$/.exec(action)?.[1];
      const carried = permission === undefined ? null : permissionGrant(policy, permission, ctx.principal.kind);
      if (carried && 'problem' in carried) {
        const message = sentence(`permission ${permission}: ${carried.problem}`);
        const { version: policyVersion } = policy;
        return explanation({ action, decision: 'DENY', rule: 'policy:grants', policyVersion, at: when, reason: 'BAD_USER_INPUT', message });
      }
      const asked = carried ? `access:request:${carried.grant}` : action;
      const refused = accessRequestRefusal(asked, policy, access, when, resource?.scopeDepartments ?? null);
      if (refused) return { ...refused, action };
      const env = environment ?? 'PRODUCTION';
      const governed = explainGoverned({
        action: asked,
        principal: ctx.principal,
        environment: env,
        rules: DEFAULT_APPROVAL_RULES,
        functionsOf: functionsFromPolicy(policy),
        policy,
        at: when,
        sub: resource?.assignee ?? null,
        agentAutonomy: await agentAutonomyOf(ctx.governance, ctx.principal, env),
      });
      if (!governed) throw invalidInput('action', 'unknown action: see the description of Query.explain for the vocabulary');
      // The assignee is vetted as assignRole vets it, after the same refusals come first (a non-editor is refused by
      // assignRole's field rule before its input is read): explain never says "you may propose" what assignRole refuses.
      const assignee = action.startsWith('role:assign:') && resource?.assignee != null ? assigneeProblem(resource.assignee) : null;
      if (assignee && governed.decision !== 'DENY') throw invalidInput('resource.assignee', assignee);
      return { ...governed, action };
    },
    explainField: async (_p, { type, field, patientId, rowId }, ctx): Promise<Explanation> => {
      const at = new Date(ctx.accessAdmin.now()).toISOString();
      const rule = Object.hasOwn(fieldRules, type) ? fieldRules[type]?.[field] : undefined;
      // Without a patient (or for a rule that is not per row), the same answer as `clearance operations check`.
      if (!rule || rule.kind !== 'read' || !rule.row || !patientId) return explainFieldAccess(type, field, ctx.access, at).explanation;
      const action = `${type}.${field}`;
      const target = await patientTarget(ctx, ctx.access, patientId);
      if (target.denied) return { ...explainDecision(`read:demographics`, target.denied, ctx.access.policyVersion, at), action };
      let facts: RowGuard = target.guard;
      if (rowId) {
        const rows = ROWS_OF[type];
        if (!rows) throw invalidInput('rowId', `${type} rows are not asked for by id`);
        const row = (await rows(ctx, target.row)).find((r) => r.id === rowId);
        // No existence oracle: to a caller who may not see sensitive rows, an unknown id is answered as a withheld
        // row is (DENY, grant); only a caller who would see every row is told there is no such row.
        const hidden = { ...target.guard, sensitive: true };
        if (!row && decideField(ctx.access, type, field, hidden).decision.effect === 'ALLOW')
          throw invalidInput('rowId', `no such ${type} of the patient`);
        facts = row?.guard ?? hidden;
      }
      // The kernel's field decision: the one the read makes, the mask and the sensitive rows included.
      const d = decideField(ctx.access, type, field, facts);
      const permission = d.decision.effect === 'DENY' ? d.decision.denial.dataClass : rule.dataClass;
      const e = { ...explainDecision(`read:${permission}`, d.decision, ctx.access.policyVersion, at), action };
      if (d.mask === null) return e;
      const why = d.maskDenial;
      return {
        ...e,
        mask: d.mask,
        permission: why?.permission ?? null,
        failedScope: why?.failedScope ?? null,
        requestAccess: why?.requestAccess ?? null,
        approvalPath: why?.approvalPath ?? null,
        message: `Returned masked to the last four characters. ${why ? `${why.message} ${why.howToGet}` : ''}`.trim(),
      };
    },
  },
};
