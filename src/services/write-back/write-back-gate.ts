import { parseSmartScope } from '../../../rules/smart-scopes.js';

// Whether the EHR connector may write a resource now: pure, from the governed settings of the gateway's environment
// (write-back enabled, the connector's SMART scopes) and the connector's emergency stop. Who may write is decided
// apart, by the policy (rules/decide.ts); both must say yes.

export interface WriteBackSettings {
  readonly environment: string;
  readonly enabled: boolean;
  readonly stopped: boolean;
  /** `integration.ehr.scopes`: the SMART v2 scopes the connector may use. */
  readonly scopes: readonly string[];
}

export type WriteRefusalReason = 'WRITE_BACK_DISABLED' | 'CONNECTOR_STOPPED' | 'SCOPE_NOT_CONFIGURED';

export interface WriteRefusal {
  readonly reason: WriteRefusalReason;
  readonly message: string;
}

/** True when one of the scopes (system/ or user/ context) allows `interaction` (c, u...) on `resourceType`. */
export function connectorScopesAllow(scopes: readonly string[], resourceType: string, interaction: string): boolean {
  return scopes.some((raw) => {
    const s = parseSmartScope(raw);
    return s !== null && s.context !== 'patient' && (s.resource === '*' || s.resource === resourceType) && s.interactions.has(interaction);
  });
}

export function writeBackRefusal(settings: WriteBackSettings, resourceType: string, interaction: 'c' | 'u'): WriteRefusal | null {
  if (settings.stopped) return { reason: 'CONNECTOR_STOPPED', message: `The ehr connector is stopped in ${settings.environment}: nothing is written until it is resumed.` };
  if (!settings.enabled) {
    return { reason: 'WRITE_BACK_DISABLED', message: `EHR write-back is disabled in ${settings.environment}: enable it with setWriteBack (a governed change).` };
  }
  if (!connectorScopesAllow(settings.scopes, resourceType, interaction)) {
    const wanted = `system/${resourceType}.${interaction}`;
    return { reason: 'SCOPE_NOT_CONFIGURED', message: `The ehr connector's scopes in ${settings.environment} do not include ${wanted}: add it with configureConnector.` };
  }
  return null;
}
