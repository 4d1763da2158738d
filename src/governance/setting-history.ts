import type { ChangeRequestOf } from './change-request.js';
import type { Environment } from './environment.js';
import type { JsonValue } from './json.js';
import type { ProposeChangeInput } from './propose-change.js';
import type { TransitionError } from './transition-result.js';

// The version history of a setting (per tenant, key and environment) and the pure helpers built on it: the current
// value, the history entry an applied change writes, and the proposals for a rollback and for a promotion. Both are
// governed changes like any other: proposeChange decides them, with the risk of the setting in the target
// environment. Comparing two versions: diffVersions in diff.ts.

export interface SettingVersion {
  readonly key: string;
  readonly environment: Environment;
  /** 1, 2, 3...; version 0 is the catalog default, never stored. */
  readonly version: number;
  readonly value: JsonValue;
  readonly changedBy: string;
  readonly changeId: string;
  readonly at: string;
  readonly reason: string | null;
}

export interface CurrentValue {
  readonly value: JsonValue;
  readonly version: number;
}

/** The latest version of a history, or the default at version 0 when the setting was never changed. */
export function currentOf(history: readonly SettingVersion[], defaultValue: JsonValue): CurrentValue {
  const latest = history.reduce<SettingVersion | null>((best, h) => (best === null || h.version > best.version ? h : best), null);
  return latest ? { value: latest.value, version: latest.version } : { value: defaultValue, version: 0 };
}

/** The history entry that an APPLIED setting change writes (null for other targets). */
export function settingVersionFromChange(change: ChangeRequestOf<'APPLIED'>): SettingVersion | null {
  if (change.target.type !== 'setting') return null;
  return {
    key: change.target.key,
    environment: change.environment,
    version: change.appliedVersion,
    value: change.after,
    changedBy: change.requester.sub,
    changeId: change.id,
    at: change.appliedAt,
    reason: change.reason,
  };
}

/** What the caller supplies besides what the history determines. */
export type ProposalContext = Omit<ProposeChangeInput, 'environment' | 'target' | 'current' | 'newValue' | 'origin'>;

export type InputResult =
  { readonly ok: true; readonly input: ProposeChangeInput } | { readonly ok: false; readonly error: TransitionError };

const unknownVersion = (message: string): InputResult => ({ ok: false, error: { code: 'NOT_FOUND', reason: 'UNKNOWN_VERSION', message } });

function oneSetting(history: readonly SettingVersion[]): { key: string; environment: Environment } | null {
  const first = history[0];
  if (!first || history.some((h) => h.key !== first.key || h.environment !== first.environment)) return null;
  return { key: first.key, environment: first.environment };
}

/**
 * A rollback proposes the value of an older version as a new version (history is never rewritten): the same
 * setting, environment and risk as any change of it. Version 0 (the default) needs `defaultValue`.
 */
export function rollbackInput(
  history: readonly SettingVersion[],
  toVersion: number,
  context: ProposalContext & { readonly defaultValue?: JsonValue },
): InputResult {
  const setting = oneSetting(history);
  if (!setting) return unknownVersion('the history is empty or mixes settings: pass the history of one setting in one environment');
  const { defaultValue, ...rest } = context;
  const target = toVersion === 0 && defaultValue !== undefined ? { value: defaultValue } : history.find((h) => h.version === toVersion);
  if (!target) return unknownVersion(`${setting.key} has no version ${toVersion} in ${setting.environment}`);
  return {
    ok: true,
    input: {
      ...rest,
      environment: setting.environment,
      target: { type: 'setting', key: setting.key },
      current: currentOf(history, defaultValue ?? null),
      newValue: target.value,
      origin: { type: 'rollback', toVersion },
    },
  };
}

/**
 * A promotion proposes the current staging value of a setting as a production change, decided with the
 * production risk and approval rules. An empty production history means production has the default.
 */
export function promotionInput(
  staging: readonly SettingVersion[],
  production: readonly SettingVersion[],
  context: ProposalContext & { readonly key: string; readonly defaultValue: JsonValue },
): InputResult {
  const { key, defaultValue, ...rest } = context;
  const ofKey = (h: readonly SettingVersion[], env: Environment) => h.every((v) => v.key === key && v.environment === env);
  if (!ofKey(staging, 'STAGING') || !ofKey(production, 'PRODUCTION'))
    return unknownVersion(`pass the STAGING and PRODUCTION histories of ${key}`);
  if (staging.length === 0) return unknownVersion(`${key} was never set in STAGING: nothing to promote`);
  const from = currentOf(staging, defaultValue);
  return {
    ok: true,
    input: {
      ...rest,
      environment: 'PRODUCTION',
      target: { type: 'setting', key },
      current: currentOf(production, defaultValue),
      newValue: from.value,
      origin: { type: 'promotion', fromEnvironment: 'STAGING', fromVersion: from.version },
    },
  };
}
