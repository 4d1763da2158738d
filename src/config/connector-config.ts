import { envField } from './env-field.js';
import { oneOf } from './env-parsers.js';

// Configuration of the acting connectors: which environment's governed settings (write-back enabled, the
// connector's scopes and base URL) this gateway obeys. Parsed by config.ts with every other variable.

export const CONNECTOR_ENV = {
  GATEWAY_ENVIRONMENT: envField(oneOf(['STAGING', 'PRODUCTION'] as const)),
};

export interface ConnectorConfig {
  /** The environment this gateway serves (default PRODUCTION: the stricter approval rules govern it). */
  readonly environment: 'STAGING' | 'PRODUCTION';
}

export function connectorConfig(e: { GATEWAY_ENVIRONMENT?: 'STAGING' | 'PRODUCTION' | undefined }): ConnectorConfig {
  return { environment: e.GATEWAY_ENVIRONMENT ?? 'PRODUCTION' };
}
