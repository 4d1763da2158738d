import type { JsonValue } from '../governance/json.js';
import type { Principal } from '../auth/principal.js';
import type { AuditActor, ChangeEvent } from './audit-event.js';

// Denied reads and mutations are audit events too (IHE BALP records the failed attempt with a failure outcome, as
// FHIR AuditEvent.outcome 4): one `access.denied` event per request that was answered FORBIDDEN, naming what was
// refused (permission, data class, the scope that failed, the response path), never a value. One event per
// request, with at most MAX_PATHS paths, however many rows or fields were refused: a denial cannot flood the log.

const MAX_PATHS = 20;

export interface DeniedError {
  readonly path?: readonly (string | number)[];
  readonly extensions?: { readonly [key: string]: unknown };
}

export interface DenialContext {
  readonly tenant: string;
  readonly actor: AuditActor;
  readonly requestId: string;
  readonly environment: string;
  readonly operation: string | null;
  readonly at: string;
}

/** The context of a principal's denial now: its tenant and the principal as the actor (every writer of one asks here). */
export function denialContextOf(
  p: Pick<Principal, 'tenant' | 'sub' | 'kind' | 'roles'>,
  at: { readonly requestId: string; readonly environment: string; readonly operation: string | null; readonly at: string },
): DenialContext {
  return { tenant: p.tenant, actor: { sub: p.sub, kind: p.kind, roles: [...p.roles] }, ...at };
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The request's denial event, or null when nothing was refused. */
export function denialEvent(errors: readonly DeniedError[] | undefined, c: DenialContext): ChangeEvent | null {
  const denied = (errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN');
  if (denied.length === 0) return null;
  const distinct = (pick: (e: DeniedError) => string | null) => [...new Set(denied.map(pick).filter((v): v is string => v !== null))];
  const detail: { [key: string]: JsonValue } = {
    denials: denied.length,
    paths: denied.slice(0, MAX_PATHS).map((e) => (e.path ?? []).join('.')),
    permissions: distinct((e) => text(e.extensions?.permission)),
    failedScopes: distinct((e) => text(e.extensions?.failedScope)),
    reasons: distinct((e) => text(e.extensions?.reason)),
    operation: c.operation,
  };
  return {
    category: 'access',
    at: c.at,
    tenant: c.tenant,
    action: 'access.denied',
    outcome: 'failure',
    actor: c.actor,
    requestId: c.requestId,
    changeId: null,
    environment: c.environment,
    target: `graphql:${c.operation ?? '(anonymous)'}`,
    settingCategory: null,
    risk: null,
    status: 'DENIED',
    before: null,
    after: null,
    reason: null,
    ticket: null,
    approvals: [],
    detail,
  };
}
