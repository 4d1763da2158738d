import type { GatewayContext } from '../context/context.js';
import type { ChangeRequest } from '../governance/change-request.js';
import { parseStopTarget } from '../governance/emergency-target.js';
import type { Environment } from '../governance/environment.js';
import { findSetting } from '../governance/setting-catalog.js';
import type { TransitionError } from '../governance/transition-result.js';
import { GovernanceError } from '../errors/governance-error.js';
import type { SettingModel, StopModel } from './governance-models.js';
import { currentSetting, listChangeRequests, stopState } from '../services/governance/reads.js';

// Reads shared by the settings and approvals resolvers. Thin: every question goes to ctx.governance, scoped to the
// caller's tenant (ctx.principal), never to an argument.

/** Open (PENDING or APPROVED) changes of an environment, newest first. */
export async function openChanges(ctx: GatewayContext, environment: Environment): Promise<ChangeRequest[]> {
  const [pending, approved] = await Promise.all([
    listChangeRequests(ctx.governance, ctx.principal, { status: 'PENDING', environment }),
    listChangeRequests(ctx.governance, ctx.principal, { status: 'APPROVED', environment }),
  ]);
  return [...pending, ...approved].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export const isChangeOfSetting = (key: string) => (c: ChangeRequest) => c.target.type === 'setting' && c.target.key === key;
export const isResumeOf = (target: string) => (c: ChangeRequest) => c.target.type === 'emergency-resume' && c.target.target === target;

/** A setting as it is now. NOT_FOUND (from the service) for a key that is not in the catalog. */
export async function loadSetting(ctx: GatewayContext, key: string, environment: Environment): Promise<SettingModel> {
  const current = await currentSetting(ctx.governance, ctx.principal.tenant, key, environment);
  // currentSetting has just checked the key against the catalog.
  return { definition: findSetting(key)!, current };
}

export function invalidInput(path: string, message: string): GovernanceError {
  const error: TransitionError = {
    code: 'BAD_USER_INPUT',
    reason: 'INVALID_INPUT',
    message: `${path}: ${message}`,
    problems: [{ path, message }],
  };
  return new GovernanceError(error);
}

/** The canonical form of a stop target; BAD_USER_INPUT naming `target` when it is not one. */
export function requireStopTarget(raw: string): string {
  const parsed = parseStopTarget(raw);
  if (!parsed.ok) throw invalidInput('target', parsed.problems[0]?.message ?? 'is not a stop target');
  return parsed.target.id;
}

export async function loadStop(ctx: GatewayContext, target: string, environment: Environment): Promise<StopModel> {
  const { value, version } = await stopState(ctx.governance, ctx.principal.tenant, environment, target);
  return { target, environment, state: value, version };
}
