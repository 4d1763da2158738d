import type { PrincipalKind } from '../auth/principal.js';
import type { ChangeTarget } from './change-target.js';
import type { JsonValue } from './json.js';
import { ID_PATTERN } from './setting-catalog.js';

// May this AI agent do action X alone? One pure function, fed the autonomy setting in force; asked by proposeChange
// (an agent's proposal skips the extra human approval only when this says yes), by `explain` (ALLOW vs
// NEEDS_APPROVAL for an agent) and by the settings catalog.
//
// Where autonomy lives (decided, issue #6): per agent, in the governed family `ai.agentAutonomy.<agentId>` (the
// agent principal's `sub`, lower-case kebab), per environment; an agent with no own value (version 0) falls back to
// the tenant-wide `ai.agentAutonomy`. Both are ai-behavior settings owned by clinical, HIGH in every environment,
// so changing what an agent may do alone is itself a governed change two people sign off in production.
//
// The rule: an action is done alone only when the level is `autonomous` AND the action is listed in
// `allowedActions`. Default (`draft-only`, nothing listed): nothing alone. Autonomy never lowers the approval rules
// a human would face: it only removes the extra owner-function approval an agent's proposal gets
// (requirementForProposal); a HIGH change stays two-person whoever proposes it. An agent never changes autonomy
// alone (`setting:update:ai.agentAutonomy*` is never autonomous).

export const AGENT_AUTONOMY_KEY = 'ai.agentAutonomy';

/** The key of one agent's own autonomy setting, or null when the id cannot name a setting (fail closed). */
export function agentAutonomyKey(agentId: string): string | null {
  return ID_PATTERN.test(agentId) ? `${AGENT_AUTONOMY_KEY}.${agentId}` : null;
}

/** The action a governed proposal amounts to: `setting:update:<key>`, `ehr:write:<ResourceType>`; null otherwise. */
export function agentActionOf(target: ChangeTarget, value: unknown): string | null {
  if (target.type === 'setting') return `setting:update:${target.key}`;
  if (target.type === 'ehr-write') {
    const rt = (value as { resourceType?: unknown } | null)?.resourceType;
    return typeof rt === 'string' ? `ehr:write:${rt}` : null;
  }
  return null;
}

/** The autonomy in force for an agent: its own value when ever set (version > 0), else the tenant-wide value. */
export function effectiveAutonomy(
  own: { readonly value: JsonValue; readonly version: number } | null,
  tenantWide: JsonValue | null,
): JsonValue | null {
  return own && own.version > 0 ? own.value : tenantWide;
}

export type AutonomyDecision = { readonly alone: true } | { readonly alone: false; readonly why: string };

/** The one answer: may a principal of this kind, under this autonomy value, do `action` without a human? */
export function agentMayActAlone(kind: PrincipalKind, autonomy: JsonValue | null | undefined, action: string | null): AutonomyDecision {
  if (kind !== 'agent') return { alone: false, why: 'not an agent' };
  if (!action) return { alone: false, why: 'this action is never done by an agent alone' };
  if (action.startsWith(`setting:update:${AGENT_AUTONOMY_KEY}`)) return { alone: false, why: 'an agent never changes autonomy alone' };
  const a = autonomy as { level?: unknown; allowedActions?: unknown } | null | undefined;
  if (!a || a.level !== 'autonomous')
    return { alone: false, why: `autonomy level is ${typeof a?.level === 'string' ? a.level : 'unset'}, not autonomous` };
  if (!Array.isArray(a.allowedActions) || !a.allowedActions.includes(action))
    return { alone: false, why: `${action} is not in the agent's allowedActions` };
  return { alone: true };
}
