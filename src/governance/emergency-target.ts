import { z } from 'zod';
import { defaultGovernance } from '../../rules/policy-document.js';
import { CATEGORIES, RISKS, type Category, type Environment, type Risk } from './environment.js';
import type { Problem } from './setting-catalog.js';

// What can be stopped in an emergency, who may stop it, and what resuming it is (a governed change).
// Targets: `connector:<id>`, `automation:billing`, `automation:messaging`, `agent:<id>`.

export type StopTargetKind = 'connector' | 'automation:billing' | 'automation:messaging' | 'agent';

interface StopTarget {
  /** The canonical string: `connector:ehr`, `automation:billing`, `agent:triage-bot`. */
  readonly id: string;
  readonly kind: StopTargetKind;
}

interface StopRule {
  readonly category: Category;
  /** Roles that may stop at once; the same roles may propose the (governed) resume. */
  readonly stopRoles: readonly string[];
}

export interface StopPolicy {
  readonly rules: Readonly<Record<StopTargetKind, StopRule>>;
  readonly resumeRisk: Readonly<Record<Environment, Risk>>;
}

const stopRuleSchema = z.strictObject({ category: z.enum(CATEGORIES), stopRoles: z.array(z.string()).min(1) });
const stopPolicySchema = z.strictObject({
  rules: z.strictObject({
    connector: stopRuleSchema,
    'automation:billing': stopRuleSchema,
    'automation:messaging': stopRuleSchema,
    agent: stopRuleSchema,
  }),
  resumeRisk: z.strictObject({ STAGING: z.enum(RISKS), PRODUCTION: z.enum(RISKS) }),
});

/**
 * Who may stop what: the `governance.stops` section of rules/default-policy.json (its roles checked against the
 * document's there), every stop target kind present.
 */
export const DEFAULT_STOP_POLICY: StopPolicy = stopPolicySchema.parse(defaultGovernance().stops) satisfies StopPolicy;

const ID = /^[a-z][a-z0-9-]{0,62}$/;

export type StopTargetResult = { readonly ok: true; readonly target: StopTarget } | { readonly ok: false; readonly problems: Problem[] };

export function parseStopTarget(raw: string): StopTargetResult {
  if (raw === 'automation:billing' || raw === 'automation:messaging') return { ok: true, target: { id: raw, kind: raw } };
  const m = /^(connector|agent):(.+)$/.exec(raw);
  if (m && ID.test(m[2] ?? '')) return { ok: true, target: { id: raw, kind: m[1] as 'connector' | 'agent' } };
  return {
    ok: false,
    problems: [
      {
        path: 'target',
        message: 'must be connector:<id>, automation:billing, automation:messaging or agent:<id> (ids lower-case kebab-case)',
      },
    ],
  };
}

/** The value of a target's stop state: the store keeps it versioned like a setting (version 0: never stopped). */
export type StopState = { stopped: true; reason: string; by: string; at: string } | { stopped: false };

/** A resume may only set `{ stopped: false }`. */
export const resumeValueSchema = z.strictObject({ stopped: z.literal(false, 'a resume sets stopped to false') });
export const RUNNING: StopState = { stopped: false };
