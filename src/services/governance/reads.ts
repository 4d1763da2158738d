import type { Principal } from '../../auth/principal.js';
import { NotFoundError } from '../../errors/errors.js';
import { AGENT_AUTONOMY_KEY, agentAutonomyKey, effectiveAutonomy } from '../../governance/agent-autonomy.js';
import { canActOn, type ActDecision, type ActFacts } from '../../governance/actionable.js';
import type { ChangeRequest } from '../../governance/change-request.js';
import { RUNNING, type StopState } from '../../governance/emergency-target.js';
import type { Environment } from '../../governance/environment.js';
import type { JsonValue } from '../../governance/json.js';
import { adminRolesOf, MFA_POLICY_KEY, sessionRefusal, type MfaPolicy, type SessionRefusal } from '../../governance/mfa-policy.js';
import { findSetting } from '../../governance/setting-catalog.js';
import type { SettingVersion } from '../../governance/setting-history.js';
import type { TransitionResult } from '../../governance/transition-result.js';
import { approve, expire } from '../../governance/transitions.js';
import type { ChangeFilter, DocVersion } from '../../stores/governance-store.js';
import { GovernanceError } from '../../errors/governance-error.js';
import { canGrant } from './policy-in-force.js';
import type { GovernanceDeps } from './deps.js';
import { currentTargetVersion, ehrDraftDocId, settingDocId, stopDocId } from './effects-to-ops.js';
import { applyRefusalOf, transition } from './transition.js';

// The read side of governed changes: settings, stop states, agent autonomy, change requests and EHR-write drafts as
// stored. Reads commit nothing, with one exception: a PENDING change past its time to live is expired as it is read,
// through the core's compare-and-set transition (transition.ts).

/** The filter of the change-request queries; `actionable` keeps only what the caller can act on now. */
export interface ChangeQuery extends ChangeFilter {
  readonly actionable?: boolean | null;
  /** Only the changes the principal asked for (by subject). */
  readonly mine?: boolean | null;
}

/** What canActOn needs about the caller for one change (the resolver answers it from the request's policy). */
export type FactsFor = (change: ChangeRequest) => Promise<ActFacts>;

export interface CurrentSetting {
  readonly key: string;
  readonly environment: Environment;
  readonly value: JsonValue;
  readonly version: number;
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

function toSettingVersion(doc: DocVersion): SettingVersion {
  return {
    key: doc.ref.id.slice('setting:'.length),
    environment: doc.ref.environment,
    version: doc.version,
    value: doc.value,
    changedBy: doc.changedBy,
    changeId: doc.changeId ?? '',
    at: doc.at,
    reason: doc.reason,
  };
}

export function requireSetting(key: string) {
  const def = findSetting(key);
  if (!def) throw new NotFoundError('Setting', `No setting ${JSON.stringify(key).slice(0, 80)} in the catalog.`);
  return def;
}

export async function currentSetting(deps: GovernanceDeps, tenant: string, key: string, environment: Environment): Promise<CurrentSetting> {
  const def = requireSetting(key);
  const doc = await deps.store.getDoc(tenant, { environment, id: settingDocId(key) });
  return {
    key,
    environment,
    value: doc?.value ?? def.defaultValue,
    version: doc?.version ?? 0,
    updatedAt: doc?.at ?? null,
    updatedBy: doc?.changedBy ?? null,
  };
}

export async function settingHistory(
  deps: GovernanceDeps,
  tenant: string,
  key: string,
  environment: Environment,
): Promise<SettingVersion[]> {
  requireSetting(key);
  return (await deps.store.history(tenant, { environment, id: settingDocId(key) })).map(toSettingVersion);
}

export async function stopState(
  deps: GovernanceDeps,
  tenant: string,
  environment: Environment,
  target: string,
): Promise<{ value: StopState; version: number }> {
  const doc = await deps.store.getDoc(tenant, { environment, id: stopDocId(target) });
  return { value: (doc?.value as StopState | undefined) ?? RUNNING, version: doc?.version ?? 0 };
}

/** Current versions of every setting ever set in an environment (the catalog supplies defaults for the rest). */
export async function storedSettings(deps: GovernanceDeps, tenant: string, environment: Environment): Promise<CurrentSetting[]> {
  const docs = await deps.store.listDocs(tenant, environment, 'setting:');
  return docs.map((d) => ({
    key: d.ref.id.slice('setting:'.length),
    environment,
    value: d.value,
    version: d.version,
    updatedAt: d.at,
    updatedBy: d.changedBy,
  }));
}

/** Every target with a stop state in an environment: stopped now, or stopped once and resumed since. */
export async function stopStates(
  deps: GovernanceDeps,
  tenant: string,
  environment: Environment,
): Promise<{ target: string; value: StopState; version: number; at: string }[]> {
  const docs = await deps.store.listDocs(tenant, environment, 'stop:');
  return docs.map((d) => ({ target: d.ref.id.slice('stop:'.length), value: d.value as StopState, version: d.version, at: d.at }));
}

/**
 * The autonomy in force for an agent in an environment: its own `ai.agentAutonomy.<sub>` when ever set, else the
 * tenant-wide `ai.agentAutonomy` (null for people and services). Fed to proposeChange and explain.
 */
export async function agentAutonomyOf(
  deps: GovernanceDeps,
  principal: Pick<Principal, 'tenant' | 'sub' | 'kind'>,
  environment: Environment,
): Promise<JsonValue | null> {
  if (principal.kind !== 'agent') return null;
  const key = agentAutonomyKey(principal.sub);
  const [own, tenantWide] = await Promise.all([
    key ? currentSetting(deps, principal.tenant, key, environment) : null,
    currentSetting(deps, principal.tenant, AGENT_AUTONOMY_KEY, environment),
  ]);
  return effectiveAutonomy(own, tenantWide.value);
}

/**
 * What `approve` would decide for this principal now, by the same pure transition, without committing anything
 * (the API's `viewerCanApprove`).
 */
export async function previewApproval(deps: GovernanceDeps, principal: Principal, change: ChangeRequest): Promise<TransitionResult> {
  const currentVersion = await currentTargetVersion(deps.store, principal.tenant, change.environment, change.target);
  return approve(change, principal, {
    now: deps.now(),
    currentVersion,
    functionsOf: deps.functionsOf,
    canGrant: await canGrant(deps, principal.tenant),
    applyRefusal: await applyRefusalOf(deps, principal.tenant, change),
  });
}

export async function findChangeRequest(deps: GovernanceDeps, principal: Principal, id: string): Promise<ChangeRequest | null> {
  const stored = await deps.store.getChange(principal.tenant, id);
  return stored ? expireIfDue(deps, principal.tenant, stored.change) : null;
}

/**
 * The one filter of change requests (changeRequests and its connection share it). `actionable`: only the pending
 * changes this principal can act on now (canActOn in src/governance/actionable.ts), with `facts` about the caller.
 */
export async function listChangeRequests(
  deps: GovernanceDeps,
  principal: Principal,
  filter: ChangeQuery,
  limit = 200,
  facts?: FactsFor,
): Promise<ChangeRequest[]> {
  // Expiry is lazy (no sweeper needed): a PENDING change past its time to live is expired as it is read, so an
  // EXPIRED filter must also look at PENDING ones.
  const status = filter.actionable ? 'PENDING' : filter.status;
  // The caller's own: looked for among the tenant's recent changes (the store keeps no index by requester).
  const scan = filter.mine ? Math.max(limit, MINE_SCAN) : limit;
  const query = {
    environment: filter.environment ?? null,
    category: filter.category ?? null,
    status: status === 'EXPIRED' ? null : status,
  };
  const changes = await deps.store.listChanges(principal.tenant, query, scan);
  const own = filter.mine ? changes.filter((c) => c.requester.sub === principal.sub).slice(0, limit) : changes;
  const current = await Promise.all(own.map((c) => expireIfDue(deps, principal.tenant, c)));
  const listed = status ? current.filter((c) => c.status === status) : current;
  if (!filter.actionable) return listed;
  if (!facts) return [];
  const acts = await Promise.all(listed.map(async (change) => (await canActOnChange(deps, principal, change, facts)).canAct));
  return listed.filter((_, i) => acts[i]);
}

/** Whether the principal can act on this change now (canActOn, on the target's version as stored). */
export async function canActOnChange(
  deps: GovernanceDeps,
  principal: Principal,
  change: ChangeRequest,
  facts: FactsFor,
): Promise<ActDecision> {
  const currentVersion = await currentTargetVersion(deps.store, principal.tenant, change.environment, change.target);
  const options = { now: deps.now(), currentVersion, functionsOf: deps.functionsOf, canGrant: await canGrant(deps, principal.tenant) };
  return canActOn(change, principal, await facts(change), options);
}

/** The stored draft of an ehr-write change (never part of the change itself). */
export async function ehrDraft(deps: GovernanceDeps, tenant: string, environment: Environment, draftId: string): Promise<JsonValue | null> {
  return (await deps.store.getDoc(tenant, { environment, id: ehrDraftDocId(draftId) }))?.value ?? null;
}

/** The roles `admins-and-approvers` names, once per rules document (asked on every request). */
const adminRoles = new WeakMap<GovernanceDeps['rules'], ReadonlySet<string>>();

/**
 * Why the applied `access.mfaPolicy` refuses this request (mfa-policy.ts), or null. The PRODUCTION value counts:
 * requests read patient data, which is production data (as stored-access-of.ts). Until the policy is first
 * applied, nothing is refused on its account.
 */
export async function mfaSessionRefusal(deps: GovernanceDeps, principal: Principal, nowMs: number): Promise<SessionRefusal | null> {
  const doc = await deps.store.getDoc(principal.tenant, { environment: 'PRODUCTION', id: settingDocId(MFA_POLICY_KEY) });
  if (!doc) return null;
  let roles = adminRoles.get(deps.rules);
  if (!roles) adminRoles.set(deps.rules, (roles = adminRolesOf(deps.rules)));
  return sessionRefusal(doc.value as unknown as MfaPolicy, principal, roles, nowMs);
}

async function expireIfDue(deps: GovernanceDeps, tenant: string, change: ChangeRequest): Promise<ChangeRequest> {
  if (change.status !== 'PENDING' || Date.parse(change.expiresAt) > deps.now()) return change;
  try {
    return await transition(deps, tenant, change.id, (c) => expire(c, deps.now()), []);
  } catch (e) {
    if (e instanceof GovernanceError) return (await deps.store.getChange(tenant, change.id))?.change ?? change;
    throw e;
  }
}

/** How many recent changes `mine` looks through. */
const MINE_SCAN = 1_000;
