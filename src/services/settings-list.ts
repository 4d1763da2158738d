import type { Category, Environment } from '../governance/environment.js';
import { CONNECTOR_FIELDS, SETTING_DEFINITIONS, connectorSettingKey, findSetting } from '../governance/setting-catalog.js';
import type { SettingDefinition } from '../governance/setting-catalog.js';
import type { GovernanceDeps } from './governance/deps.js';
import { storedSettings, type CurrentSetting } from './governance/reads.js';

// The settings of a tenant in an environment as a reader sees them: the catalog merged with what is stored. A
// setting never changed shows its default at version 0; a stored key the catalog no longer knows is history, not a
// setting. `settings` and `settingsCatalog` both list through here.

/** Connectors that exist without configuration: their settings are listed even at their defaults. */
const BUILT_IN_CONNECTORS = ['ehr'] as const;

const builtInKeys = BUILT_IN_CONNECTORS.flatMap((id) =>
  CONNECTOR_FIELDS.flatMap((field) => {
    const k = connectorSettingKey(id, field);
    return k.ok ? [k.key] : [];
  }),
);

export interface ListedSetting {
  readonly definition: SettingDefinition;
  readonly current: CurrentSetting;
}

/** Every known setting (of one category when given), sorted by key. */
export async function listSettings(
  deps: GovernanceDeps,
  tenant: string,
  environment: Environment,
  category: Category | null,
): Promise<ListedSetting[]> {
  const stored = await storedSettings(deps, tenant, environment);
  const byKey = new Map(stored.map((s) => [s.key, s]));
  const keys = [...new Set([...SETTING_DEFINITIONS.map((d) => d.key), ...builtInKeys, ...byKey.keys()])].sort();
  return keys.flatMap((key): ListedSetting[] => {
    const definition = findSetting(key);
    if (!definition || (category && definition.category !== category)) return [];
    const atDefault = { key, environment, value: definition.defaultValue, version: 0, updatedAt: null, updatedBy: null };
    return [{ definition, current: byKey.get(key) ?? atDefault }];
  });
}
