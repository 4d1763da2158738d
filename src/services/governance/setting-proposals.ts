import type { Principal } from '../../auth/principal.js';
import { ConflictError } from '../../errors/errors.js';
import type { Environment } from '../../governance/environment.js';
import type { JsonValue } from '../../governance/json.js';
import { promotionInput, rollbackInput, type SettingVersion } from '../../governance/setting-history.js';
import { GovernanceError } from '../../errors/governance-error.js';
import type { GovernanceDeps, ProposalOutcome } from './deps.js';
import { settingDocId } from './effects-to-ops.js';
import { propose, proposalContext } from './propose.js';
import { assertTargetEditor } from './refusals.js';
import { currentSetting, requireSetting, settingHistory } from './reads.js';

// Governed changes of a catalog setting: a new value, a rollback to an older version, a promotion of the staging
// value to production. Each builds its proposal on the setting as stored; the core (propose.ts) decides and commits.

export interface SettingUpdate {
  readonly key: string;
  readonly environment: Environment;
  readonly value: unknown;
  readonly reason?: string | null;
  readonly ticket?: string | null;
  readonly expectedVersion?: number | null;
}

export async function updateSetting(deps: GovernanceDeps, principal: Principal, input: SettingUpdate): Promise<ProposalOutcome> {
  const def = requireSetting(input.key);
  const expected = input.expectedVersion ?? null;
  // STALE_VERSION names the version as stored: told only to an editor of the setting in that environment (a tester
  // read PRODUCTION's versions with a STAGING-only role), as the proposal's own check would tell anyone else FORBIDDEN.
  if (expected !== null) await assertTargetEditor(deps, principal, { type: 'setting', key: input.key }, input.environment);
  return propose(deps, principal, { environment: input.environment, id: settingDocId(input.key) }, async (current) => {
    if (expected !== null && expected !== current.version) {
      const at = `${input.key} is at version ${current.version} in ${input.environment}, not ${expected}`;
      throw new ConflictError('STALE_VERSION', `${at}: reload and retry.`);
    }
    return {
      ...proposalContext(deps, principal, input),
      environment: input.environment,
      target: { type: 'setting', key: input.key },
      current: { value: current.doc?.value ?? def.defaultValue, version: current.version },
      newValue: input.value,
    };
  });
}

/**
 * Several settings as one compound change (configureConnector): one proposal whose value holds each key's new value,
 * at the highest risk among them, applied in one commit (each setting at its own next version) or not at all.
 */
export async function updateSettings(
  deps: GovernanceDeps,
  principal: Principal,
  input: { environment: Environment; values: Readonly<Record<string, unknown>>; reason?: string | null; ticket?: string | null },
): Promise<ProposalOutcome> {
  const keys = Object.keys(input.values).sort();
  for (const key of keys) requireSetting(key);
  const ref = { environment: input.environment, id: `settings:${keys.join(',')}` };
  return propose(deps, principal, ref, async () => {
    const current = await Promise.all(keys.map((key) => currentSetting(deps, principal.tenant, key, input.environment)));
    return {
      ...proposalContext(deps, principal, input),
      environment: input.environment,
      target: { type: 'settings', entries: current.map((c) => ({ key: c.key, baseVersion: c.version })) },
      current: { value: Object.fromEntries(current.map((c) => [c.key, c.value])), version: current.reduce((sum, c) => sum + c.version, 0) },
      newValue: Object.fromEntries(keys.map((key) => [key, input.values[key]])),
    };
  });
}

export async function rollbackSetting(
  deps: GovernanceDeps,
  principal: Principal,
  input: { key: string; environment: Environment; toVersion: number; reason?: string | null; ticket?: string | null },
): Promise<ProposalOutcome> {
  const def = requireSetting(input.key);
  await assertTargetEditor(deps, principal, { type: 'setting', key: input.key }, input.environment);
  return propose(deps, principal, { environment: input.environment, id: settingDocId(input.key) }, async () => {
    const history = await settingHistory(deps, principal.tenant, input.key, input.environment);
    const versions = history.length ? history : [emptyVersion(input.key, input.environment, def.defaultValue)];
    const r = rollbackInput(versions, input.toVersion, { ...proposalContext(deps, principal, input), defaultValue: def.defaultValue });
    if (!r.ok) throw new GovernanceError(r.error);
    return r.input;
  });
}

export async function promoteSetting(
  deps: GovernanceDeps,
  principal: Principal,
  input: { key: string; reason?: string | null; ticket?: string | null },
): Promise<ProposalOutcome> {
  const def = requireSetting(input.key);
  await assertTargetEditor(deps, principal, { type: 'setting', key: input.key }, 'PRODUCTION');
  return propose(deps, principal, { environment: 'PRODUCTION', id: settingDocId(input.key) }, async () => {
    const [staging, production] = await Promise.all([
      settingHistory(deps, principal.tenant, input.key, 'STAGING'),
      settingHistory(deps, principal.tenant, input.key, 'PRODUCTION'),
    ]);
    const r = promotionInput(staging, production, {
      ...proposalContext(deps, principal, input),
      key: input.key,
      defaultValue: def.defaultValue,
    });
    if (!r.ok) throw new GovernanceError(r.error);
    return r.input;
  });
}

function emptyVersion(key: string, environment: Environment, value: JsonValue): SettingVersion {
  return { key, environment, version: 0, value, changedBy: 'default', changeId: '', at: new Date(0).toISOString(), reason: null };
}
