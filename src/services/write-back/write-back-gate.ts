import { parseSmartScope } from '../../../spec/smart-scopes.js';

// Whether the EHR connector may write a resource now: pure, from the governed settings of the gateway's environment
// (write-back enabled, the connector's SMART scopes) and the connector's emergency stop. Who may write is decided
// apart, by the policy (rules/decide.ts); both must say yes.

export interface WriteBackSettings {
  readonly environment: string;
  readonly enabled: boolean;
  readonly stopped: boolean;
  /** `integration.ehr.scopes`: the SMART v2 scopes the connector may use. */
  readonly scopes: readonly string[];
  /**
   * `integration.ehr.writeBackMappings`: which resource types drafts become, and how (create, update). Empty: every
   * write the scopes allow; otherwise only the mapped (resourceType, mode) pairs are written.
   */
  readonly mappings?: readonly { readonly resourceType: string; readonly mode: 'create' | 'update' }[];
}

type WriteRefusalReason = 'WRITE_BACK_DISABLED' | 'CONNECTOR_STOPPED' | 'SCOPE_NOT_CONFIGURED' | 'NOT_MAPPED';

export interface WriteRefusal {
  readonly reason: WriteRefusalReason;
  readonly message: string;
}

/** True when one of the scopes (system/ or user/ context) allows `interaction` (c, u...) on `resourceType`. */
function connectorScopesAllow(scopes: readonly string[], resourceType: string, interaction: string): boolean {
  return scopes.some((raw) => {
    const s = parseSmartScope(raw);
    return s !== null && s.context !== 'patient' && (s.resource === '*' || s.resource === resourceType) && s.interactions.has(interaction);
  });
}

export function writeBackRefusal(settings: WriteBackSettings, resourceType: string, interaction: 'c' | 'u'): WriteRefusal | null {
  if (settings.stopped)
    return {
      reason: 'CONNECTOR_STOPPED',
      message: `The ehr connector is stopped in ${settings.environment}: nothing is written until it is resumed.`,
    };
  if (!settings.enabled) {
    return {
      reason: 'WRITE_BACK_DISABLED',
      message: `EHR write-back is disabled in ${settings.environment}: enable it with setWriteBack (a governed change).`,
    };
  }
  if (!connectorScopesAllow(settings.scopes, resourceType, interaction)) {
    const wanted = `system/${resourceType}.${interaction}`;
    return {
      reason: 'SCOPE_NOT_CONFIGURED',
      message: `The ehr connector's scopes in ${settings.environment} do not include ${wanted}: add it with configureConnector.`,
    };
  }
  const mappings = settings.mappings ?? [];
  const mode = interaction === 'c' ? 'create' : 'update';
  if (mappings.length > 0 && !mappings.some((m) => m.resourceType === resourceType && m.mode === mode)) {
    return {
      reason: 'NOT_MAPPED',
      message: `The ehr connector's write-back mappings in ${settings.environment} do not map drafts to ${resourceType} (${mode}): add ` +
        `it with configureConnector.`,
    };
  }
  return null;
}
