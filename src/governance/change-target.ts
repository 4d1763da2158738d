import { z } from 'zod';
import type { PolicyDocument } from '../../rules/policy-document.js';
import {
  ACCESS_SCHEMA,
  POLICY_RISK,
  POLICY_SCHEMA,
  accessEditors,
  accessRequestRules,
  assignmentRules,
  type DynamicTargetRules,
} from './access-target.js';
import { editorRolesFor, type ApprovalRequirement, type ApprovalRules } from './approval-rules.js';
import { CATEGORY_OWNER, RISKS, type Category, type Environment, type Risk } from './environment.js';
import { DEFAULT_STOP_POLICY, parseStopTarget, resumeValueSchema, type StopPolicy } from './emergency-target.js';
import type { JsonValue } from './json.js';
import { EHR_WRITE_TARGET, ehrWriteValueSchema } from './ehr-write-target.js';
import { REFUND_TARGET, refundApproval, refundValueSchema } from './refund-target.js';
import { findSetting, type Problem, type SettingDefinition } from './setting-catalog.js';

// What a governed change changes. One mutation path for all of them: a setting, the resume of a stopped target,
// and later role assignments and policy changes (add a member here and a case in describeTarget).

export const changeTargetSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('setting'), key: z.string().min(1) }),
  /**
   * Several settings changed together as one change (configureConnector): all apply in one commit or none does.
   * Each entry states the version of its setting the change was computed against.
   */
  z.strictObject({
    type: z.literal('settings'),
    entries: z.array(z.strictObject({ key: z.string().min(1), baseVersion: z.number().int().min(0) })).min(2).max(10),
  }),
  z.strictObject({ type: z.literal('emergency-resume'), target: z.string().min(1) }),
  /** A clinical write an AI agent proposed (connectors/ehr): the draft id names the stored draft it writes. */
  z.strictObject({ type: z.literal('ehr-write'), draftId: z.string().regex(/^[a-z0-9-]{1,80}$/) }),
  /** A refund on an invoice (issueRefund): a new id per refund (a client's idempotencyKey replays, never re-proposes). */
  z.strictObject({ type: z.literal('refund'), refundId: z.string().regex(/^[a-z0-9-]{1,80}$/) }),
  /** A principal's role assignments and grants, changed by security (assignRole/revokeRole). */
  z.strictObject({ type: z.literal('assignment'), sub: z.string().min(1) }),
  /** The same document, changed by its subject asking for time-limited access (requestAccess). */
  z.strictObject({ type: z.literal('access-request'), sub: z.string().min(1) }),
  /** The tenant's policy document. */
  z.strictObject({ type: z.literal('policy') }),
]);
export type ChangeTarget = z.infer<typeof changeTargetSchema>;

/** Everything a decision needs to know about a target, whatever its type. */
export interface TargetDescriptor {
  readonly target: ChangeTarget;
  readonly category: Category;
  readonly ownerFunction: string;
  readonly risk: Readonly<Record<Environment, Risk>>;
  readonly schema: z.ZodType<JsonValue>;
  /** Roles that may propose a change of this target. */
  readonly editorRoles: readonly string[];
  /** Value-dependent rules of access targets (risk of a widening, self-assignment...). */
  readonly dynamic?: DynamicTargetRules;
  /** The target's own say on its approvers, given the category's (approval-path.ts pathFor asks it too). */
  readonly approversOf?: (base: readonly string[]) => readonly string[];
  /** A target whose approval path is its own (refunds: finance only, by amount), instead of the rules' by risk. */
  readonly approvalOf?: (
    value: JsonValue,
    environment: Environment,
  ) => { readonly requirement: ApprovalRequirement; readonly approverFunctions: readonly string[] };
}

export type DescribeResult =
  { readonly ok: true; readonly descriptor: TargetDescriptor } | { readonly ok: false; readonly problems: Problem[] };

export function describeTarget(
  target: ChangeTarget,
  rules: ApprovalRules,
  stopPolicy: StopPolicy = DEFAULT_STOP_POLICY,
  policy?: PolicyDocument,
): DescribeResult {
  switch (target.type) {
    case 'assignment':
    case 'access-request':
    case 'policy': {
      // Access targets are judged against the policy in force: without it, nothing about access is decided.
      if (!policy) return { ok: false, problems: [{ path: 'target', message: 'access changes need the policy document in force' }] };
      const base = { category: 'access' as const, ownerFunction: CATEGORY_OWNER.access };
      if (target.type === 'policy')
        return { ok: true, descriptor: { target, ...base, risk: POLICY_RISK, schema: POLICY_SCHEMA, editorRoles: accessEditors(rules) } };
      const request = target.type === 'access-request';
      const dynamic = request ? accessRequestRules(policy, target.sub) : assignmentRules(policy, target.sub);
      // Anyone may ask for access for themselves; only the access editors assign and revoke.
      const editorRoles = request ? Object.keys(policy.roles) : accessEditors(rules);
      return {
        ok: true,
        descriptor: { target, ...base, risk: { STAGING: 'HIGH', PRODUCTION: 'HIGH' }, schema: ACCESS_SCHEMA, editorRoles, dynamic },
      };
    }
    case 'setting': {
      const d = findSetting(target.key);
      if (!d) return { ok: false, problems: [{ path: 'key', message: `unknown setting "${target.key}"` }] };
      const { category, ownerFunction, risk, schema } = d;
      return {
        ok: true,
        descriptor: { target, category, ownerFunction, risk, schema, editorRoles: settingEditors(rules, d, policy) },
      };
    }
    case 'settings':
      return describeSettings(target, rules, policy);
    case 'emergency-resume': {
      const parsed = parseStopTarget(target.target);
      if (!parsed.ok) return parsed;
      const rule = stopPolicy.rules[parsed.target.kind];
      return {
        ok: true,
        descriptor: {
          target: { type: 'emergency-resume', target: parsed.target.id },
          category: rule.category,
          ownerFunction: CATEGORY_OWNER[rule.category],
          risk: stopPolicy.resumeRisk,
          schema: resumeValueSchema,
          editorRoles: rule.stopRoles,
        },
      };
    }
    case 'ehr-write':
      return { ok: true, descriptor: { target, ...EHR_WRITE_TARGET, schema: ehrWriteValueSchema } };
    case 'refund':
      return { ok: true, descriptor: { target, ...REFUND_TARGET, schema: refundValueSchema, approvalOf: refundApproval } };
  }
}

const higher = (a: Risk, b: Risk): Risk => (RISKS.indexOf(a) >= RISKS.indexOf(b) ? a : b);

/**
 * Who may propose a change of a setting: its editor roles, and for a setting whose change needs a data permission
 * (`changeNeeds`: connector credentials need `write` on `credentials`) only those of them whose role holds it in the
 * policy in force. The one decision the proposal (every path: update, rollback, promotion, a connector mutation),
 * explain and the settings catalog ask, through editCheck. Without the policy, nobody: fail closed.
 */
function settingEditors(rules: ApprovalRules, d: SettingDefinition, policy: PolicyDocument | undefined): readonly string[] {
  const editors = editorRolesFor(rules, d.key, d.category);
  const need = d.changeNeeds;
  if (!need) return editors;
  const holds = (role: string) =>
    policy?.roles[role]?.permissions.some((p) => p.actions.includes(need.action) && p.dataClasses.includes(need.dataClass)) ?? false;
  return editors.filter(holds);
}

/**
 * A compound setting change: its settings share one category and owner; its risk in each environment is the highest
 * of theirs (so it needs the approvals of its riskiest field); its editors are those who may edit every one; its value
 * is an object with each key's value, checked by each setting's own schema.
 */
function describeSettings(
  target: Extract<ChangeTarget, { type: 'settings' }>,
  rules: ApprovalRules,
  policy: PolicyDocument | undefined,
): DescribeResult {
  const keys = target.entries.map((e) => e.key);
  if (new Set(keys).size !== keys.length) return { ok: false, problems: [{ path: 'key', message: 'names a setting twice' }] };
  const defs = keys.map((key) => findSetting(key));
  const missing = keys.filter((_, i) => !defs[i]);
  if (missing.length > 0) return { ok: false, problems: missing.map((key) => ({ path: 'key', message: `unknown setting "${key}"` })) };
  const found = defs as NonNullable<(typeof defs)[number]>[];
  const [head] = found;
  if (!head || found.some((d) => d.category !== head.category || d.ownerFunction !== head.ownerFunction)) {
    return { ok: false, problems: [{ path: 'key', message: 'settings changed together must share their category and owner' }] };
  }
  const risk = { STAGING: found.map((d) => d.risk.STAGING).reduce(higher), PRODUCTION: found.map((d) => d.risk.PRODUCTION).reduce(higher) };
  const editorRoles = found.map((d) => settingEditors(rules, d, policy)).reduce((a, b) => a.filter((r) => b.includes(r)));
  const schema = z.strictObject(Object.fromEntries(found.map((d) => [d.key, d.schema]))) as unknown as z.ZodType<JsonValue>;
  return { ok: true, descriptor: { target, category: head.category, ownerFunction: head.ownerFunction, risk, schema, editorRoles } };
}

/** A short label for people and audit records: `setting ai.model`, `resume connector:ehr`. */
export function targetLabel(target: ChangeTarget): string {
  switch (target.type) {
    case 'setting':
      return `setting ${target.key}`;
    case 'settings':
      return `settings ${target.entries.map((e) => e.key).join(', ')}`;
    case 'emergency-resume':
      return `resume ${target.target}`;
    case 'ehr-write':
      return `ehr-write ${target.draftId}`;
    case 'refund':
      return `refund ${target.refundId}`;
    case 'assignment':
      return `assignment ${target.sub}`;
    case 'access-request':
      return `access request of ${target.sub}`;
    case 'policy':
      return 'policy document';
  }
}

export const POLICY_DOC_ID = 'policy:document';

/** The document an access target writes: `assignment:<sub>` (both kinds) or the policy document. */
export function accessDocId(target: Extract<ChangeTarget, { type: 'assignment' | 'access-request' | 'policy' }>): string {
  return target.type === 'policy' ? POLICY_DOC_ID : `assignment:${target.sub}`;
}

/** Whose access a change widens, if any: they may never approve it. */
export const beneficiaryOf = (target: ChangeTarget): string | null =>
  target.type === 'assignment' || target.type === 'access-request' ? target.sub : null;
