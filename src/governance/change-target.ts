import { z } from 'zod';
import { editorRolesFor, type ApprovalRules } from './approval-rules.js';
import { CATEGORY_OWNER, type Category, type Environment, type Risk } from './environment.js';
import { DEFAULT_STOP_POLICY, parseStopTarget, resumeValueSchema, type StopPolicy } from './emergency-target.js';
import type { JsonValue } from './json.js';
import { findSetting, type Problem } from './setting-catalog.js';

// What a governed change changes. One mutation path for all of them: a setting, the resume of a stopped target,
// and later role assignments and policy changes (add a member here and a case in describeTarget).

export const changeTargetSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('setting'), key: z.string().min(1) }),
  z.strictObject({ type: z.literal('emergency-resume'), target: z.string().min(1) }),
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
}

export type DescribeResult = { readonly ok: true; readonly descriptor: TargetDescriptor } | { readonly ok: false; readonly problems: Problem[] };

export function describeTarget(target: ChangeTarget, rules: ApprovalRules, stopPolicy: StopPolicy = DEFAULT_STOP_POLICY): DescribeResult {
  switch (target.type) {
    case 'setting': {
      const d = findSetting(target.key);
      if (!d) return { ok: false, problems: [{ path: 'key', message: `unknown setting "${target.key}"` }] };
      const { category, ownerFunction, risk, schema } = d;
      return { ok: true, descriptor: { target, category, ownerFunction, risk, schema, editorRoles: editorRolesFor(rules, d.key, category) } };
    }
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
  }
}

/** A short label for people and audit records: `setting ai.model`, `resume connector:ehr`. */
export function targetLabel(target: ChangeTarget): string {
  switch (target.type) {
    case 'setting':
      return `setting ${target.key}`;
    case 'emergency-resume':
      return `resume ${target.target}`;
  }
}
