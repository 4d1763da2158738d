import type { PolicyDocument } from '../../rules/policy-document.js';
import { ParseError } from '../errors/parse-error.js';
import type { GatewayConfig } from '../config/config.js';
import { createRateLimiter } from '../stores/create-rate-limiter.js';
import type { Stores } from '../stores/stores.js';
import type { GatewayHardening } from './gateway.js';
import type { Logger } from './logger.js';
import { RequestRateLimiter } from './rate-limit.js';
import { fhirMetadataCheck, storeCheck } from './readiness.js';

// Builds the gateway's defences from config (composition root helper for start-clearance.ts): the rate limiter on
// REDIS_URL or in memory, readiness checks for the store and every tenant's FHIR server, and the checks config
// cannot make alone (introspection roles must exist in the policy document: a typo would silently mean nobody).

export interface StartedHardening {
  readonly hardening: GatewayHardening;
  close(): Promise<void>;
}

export async function createHardening(
  config: GatewayConfig,
  deps: {
    readonly stores: Stores;
    readonly baseUrls: Readonly<Record<string, string>>;
    readonly policy: PolicyDocument;
    readonly logger: Logger;
  },
): Promise<StartedHardening> {
  const roles = config.introspectionRoles;
  const unknown = roles === '*' ? [] : roles.filter((r) => !(r in deps.policy.roles));
  if (unknown.length > 0) {
    const problem = `INTROSPECTION_ROLES: unknown role(s) ${unknown.join(', ')} (not in policy ${deps.policy.version})`;
    throw new ParseError('configuration', [problem]);
  }
  const limiter = await createRateLimiter(config.redisUrl);
  return {
    hardening: {
      queryLimits: config.queryLimits,
      introspectionRoles: roles,
      rateLimiter: new RequestRateLimiter(limiter, config.rateLimits, deps.logger),
      readiness: [storeCheck(deps.stores), ...Object.entries(deps.baseUrls).map(([tenant, url]) => fhirMetadataCheck(tenant, url))],
      readinessTimeoutMs: config.readinessTimeoutMs,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
    },
    close: () => limiter.close(),
  };
}
