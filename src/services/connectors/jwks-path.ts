import { isTenantId } from '../../config/tenant-id.js';
import { ENVIRONMENTS, type Environment } from '../../governance/environment.js';
import { ID_PATTERN } from '../../governance/setting-catalog.js';

// Where the gateway publishes a connector's public JWKS, for an EHR that registers Clearance as a backend service by
// JWKS URL (https://hl7.org/fhir/smart-app-launch/backend-services.html#registering-a-client-communicating-public-keys):
// GET /connectors/jwks/<tenant>/<ENVIRONMENT>/<connectorId>.json, no authentication (public keys only).

export const JWKS_PREFIX = '/connectors/jwks/';

export function jwksPath(tenant: string, environment: Environment, connectorId: string): string {
  return `${JWKS_PREFIX}${tenant}/${environment}/${connectorId}.json`;
}

export function parseJwksPath(pathname: string): { tenant: string; environment: Environment; connectorId: string } | null {
  const m = /^\/connectors\/jwks\/([^/]+)\/([^/]+)\/([^/]+)\.json$/.exec(pathname);
  if (!m) return null;
  const [, tenant, environment, connectorId] = m as unknown as [string, string, string, string];
  if (!isTenantId(tenant) || !ID_PATTERN.test(connectorId) || !(ENVIRONMENTS as readonly string[]).includes(environment)) return null;
  return { tenant, environment: environment as Environment, connectorId };
}
