import type { Principal } from '../auth/principal.js';
import { DEFAULT_STOP_POLICY, parseStopTarget, RUNNING, type StopPolicy, type StopState } from './emergency-target.js';
import { toIso, type Environment, type Instant } from './environment.js';
import { heldOnlyElsewhere, rolesIn } from './environment-roles.js';
import type { JsonValue } from './json.js';
import type { ProposalContext, InputResult } from './setting-history.js';
import type { AuditEffect, TransitionError } from './transition-result.js';

// Emergency stop: immediate for the roles allowed to, with a reason, audited. No approval: containment must be
// fast. Resuming is a governed change (HIGH in production): resumeInput builds its proposal.

export interface StopOptions {
  readonly tenant: string;
  readonly environment: Environment;
  readonly reason: string;
  readonly now: Instant;
  /** The target's stop state as stored now (version 0, running, when never stopped). */
  readonly current: { readonly value: StopState; readonly version: number };
  readonly policy?: StopPolicy;
}

interface StopRecord {
  readonly tenant: string;
  readonly environment: Environment;
  readonly target: string;
  readonly state: Extract<StopState, { stopped: true }>;
  /** current.version + 1: the store writes it only over current.version. */
  readonly version: number;
  readonly stoppedBy: { readonly sub: string; readonly roles: readonly string[] };
}

export interface StopTargetEffect {
  readonly type: 'stop-target';
  readonly tenant: string;
  readonly environment: Environment;
  readonly target: string;
  readonly value: JsonValue;
  readonly version: number;
  readonly idempotencyKey: string;
}

export type StopResult =
  | { readonly ok: true; readonly record: StopRecord; readonly effects: readonly (StopTargetEffect | AuditEffect)[] }
  | { readonly ok: false; readonly error: TransitionError };

const fail = (code: TransitionError['code'], reason: TransitionError['reason'], message: string, path?: string): StopResult => ({
  ok: false,
  error: path ? { code, reason, message, problems: [{ path, message }] } : { code, reason, message },
});

/** Roles that may stop a target (and propose its resume), or null for a malformed target. */
export function stopRolesFor(target: string, policy: StopPolicy = DEFAULT_STOP_POLICY): readonly string[] | null {
  const parsed = parseStopTarget(target);
  return parsed.ok ? policy.rules[parsed.target.kind].stopRoles : null;
}

/**
 * Who may stop a target in `environment`: the check stop() makes, and the one `explain(stop:...)` asks. Only roles
 * whose assignment covers the environment count (environment-roles.ts), as for every other governed action.
 */
export function stopCheck(
  target: string,
  principal: Pick<Principal, 'roles' | 'rolesByEnvironment'>,
  environment: Environment,
  policy: StopPolicy = DEFAULT_STOP_POLICY,
):
  | { readonly ok: true; readonly roleUsed: string; readonly target: Extract<ReturnType<typeof parseStopTarget>, { ok: true }>['target'] }
  | { readonly ok: false; readonly error: TransitionError } {
  const parsed = parseStopTarget(target);
  if (!parsed.ok)
    return {
      ok: false,
      error: {
        code: 'BAD_USER_INPUT',
        reason: 'INVALID_INPUT',
        message: parsed.problems[0]?.message ?? 'bad target',
        problems: parsed.problems,
      },
    };
  const roles = policy.rules[parsed.target.kind].stopRoles;
  const roleUsed = rolesIn(principal, environment).find((r) => roles.includes(r));
  if (roleUsed) return { ok: true, roleUsed, target: parsed.target };
  const elsewhere = heldOnlyElsewhere(principal, environment, (r) => roles.includes(r));
  const message = `${parsed.target.id} in ${environment} may be stopped by: ${roles.join(', ')}`;
  if (!elsewhere) return { ok: false, error: { code: 'FORBIDDEN', reason: 'NOT_ALLOWED_TO_STOP', message } };
  const notHere = `your assignment of ${elsewhere} does not cover ${environment}: ${message}`;
  return { ok: false, error: { code: 'FORBIDDEN', reason: 'ROLE_NOT_IN_ENVIRONMENT', message: notHere } };
}

export function stop(target: string, principal: Principal, options: StopOptions): StopResult {
  const policy = options.policy ?? DEFAULT_STOP_POLICY;
  if (principal.tenant !== options.tenant) return fail('FORBIDDEN', 'WRONG_TENANT', 'the target belongs to another tenant');
  const may = stopCheck(target, principal, options.environment, policy);
  if (!may.ok) return may;
  const parsed = { target: may.target };
  const reason = options.reason.trim();
  if (!reason) return fail('BAD_USER_INPUT', 'REASON_REQUIRED', 'reason: is required for an emergency stop', 'reason');
  if (options.current.value.stopped) return fail('CONFLICT', 'ALREADY_STOPPED', `${parsed.target.id} is already stopped`);
  const at = toIso(options.now);
  // The roles that count where it stops: the record and its audit event say who acted as what there.
  const acting = [...rolesIn(principal, options.environment)];
  const state = { stopped: true as const, reason, by: principal.sub, at };
  const version = options.current.version + 1;
  const record: StopRecord = {
    tenant: options.tenant,
    environment: options.environment,
    target: parsed.target.id,
    state,
    version,
    stoppedBy: { sub: principal.sub, roles: acting },
  };
  const key = `stop:${options.tenant}:${options.environment}:${parsed.target.id}:${version}`;
  return {
    ok: true,
    record,
    effects: [
      {
        type: 'stop-target',
        tenant: options.tenant,
        environment: options.environment,
        target: parsed.target.id,
        value: state,
        version,
        idempotencyKey: key,
      },
      {
        type: 'audit',
        action: 'emergency.stopped',
        changeId: null,
        tenant: options.tenant,
        environment: options.environment,
        actor: principal.sub,
        acting: { kind: principal.kind, roles: acting },
        at,
        detail: { target: parsed.target.id, reason, version },
      },
    ],
  };
}

/** The proposal that resumes a stopped target: a governed change of its stop state to `{ stopped: false }`. */
export function resumeInput(
  target: string,
  context: ProposalContext & {
    readonly environment: Environment;
    readonly current: { readonly value: StopState; readonly version: number };
  },
): InputResult {
  const parsed = parseStopTarget(target);
  if (!parsed.ok)
    return {
      ok: false,
      error: {
        code: 'BAD_USER_INPUT',
        reason: 'INVALID_INPUT',
        message: parsed.problems[0]?.message ?? 'bad target',
        problems: parsed.problems,
      },
    };
  if (!context.current.value.stopped)
    return { ok: false, error: { code: 'CONFLICT', reason: 'NOT_STOPPED', message: `${parsed.target.id} is not stopped` } };
  return {
    ok: true,
    input: { ...context, target: { type: 'emergency-resume', target: parsed.target.id }, newValue: RUNNING, origin: { type: 'direct' } },
  };
}
