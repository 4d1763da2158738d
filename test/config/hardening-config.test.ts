import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { PRODUCTION_ENV, problemsOf } from '../support/production-env.js';

// Issue 7: the defences are configuration, and production refuses a configuration that switches one off, listing
// every problem together with the other production problems.

describe('hardening configuration', () => {
  it('reads every limit', () => {
    const config = parseConfig(
      {
        MAX_DEPTH: '7', MAX_ALIASES: '5', MAX_COST: '900', MAX_DIRECTIVES: '3', MAX_TOKENS: '500', MAX_BODY_BYTES: '4096',
        INTROSPECTION_ROLES: 'security-admin, system-admin', RATE_LIMIT_WINDOW_SEC: '10', RATE_LIMIT_PER_PRINCIPAL: '11',
        RATE_LIMIT_PER_TENANT: '12', RATE_LIMIT_MUTATIONS_PER_PRINCIPAL: '13', RATE_LIMIT_FAILED_AUTH_PER_IP: '14',
        READINESS_TIMEOUT_MS: '300', SHUTDOWN_TIMEOUT_MS: '4000',
      },
      [],
    );
    expect(config).toMatchObject({
      queryLimits: { maxDepth: 7, maxAliases: 5, maxCost: 900, maxDirectives: 3, maxTokens: 500, maxBodyBytes: 4096 },
      introspectionRoles: ['security-admin', 'system-admin'],
      rateLimits: { windowSec: 10, perPrincipal: 11, perTenant: 12, mutationsPerPrincipal: 13, failedAuthPerIp: 14 },
      readinessTimeoutMs: 300,
      shutdownTimeoutMs: 4000,
    });
  });

  it('introspection: everyone in embedded mode, nobody in production unless roles are named', () => {
    expect(parseConfig({}, []).introspectionRoles).toBe('*');
    expect(parseConfig(PRODUCTION_ENV, []).introspectionRoles).toEqual([]);
    expect(parseConfig({ ...PRODUCTION_ENV, INTROSPECTION_ROLES: 'security-admin' }, []).introspectionRoles).toEqual(['security-admin']);
    expect(parseConfig({ INTROSPECTION_ROLES: 'none' }, []).introspectionRoles).toEqual([]);
  });

  it('refuses out-of-range limits and malformed role lists, naming the variable only', () => {
    const problems = problemsOf({ MAX_DEPTH: '0', MAX_BODY_BYTES: '10', MAX_TOKENS: 'lots', INTROSPECTION_ROLES: 'Admin;drop' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['INTROSPECTION_ROLES', 'MAX_BODY_BYTES', 'MAX_DEPTH', 'MAX_TOKENS']);
    expect(problems.join('\n')).not.toContain('drop');
  });

  it('production: refuses introspection for everyone and switched-off rate limits, with the other problems', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      CLEARANCE_DEV_KEYS: '1',
      INTROSPECTION_ROLES: '*',
      RATE_LIMIT_PER_PRINCIPAL: '0',
      RATE_LIMIT_FAILED_AUTH_PER_IP: '0',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^JWKS_URL or JWKS_FILE: required in production/),
        expect.stringMatching(/^REDIS_URL: required in production/),
        expect.stringMatching(/^CLEARANCE_DEV_KEYS: must not be set in production/),
        expect.stringMatching(/^INTROSPECTION_ROLES: introspection for everyone is not allowed in production/),
        expect.stringMatching(/^RATE_LIMIT_PER_PRINCIPAL: must not be 0/),
        expect.stringMatching(/^RATE_LIMIT_FAILED_AUTH_PER_IP: must not be 0/),
      ]),
    );
  });

  it('embedded mode may switch rate limits off (0)', () => {
    expect(parseConfig({ RATE_LIMIT_PER_PRINCIPAL: '0' }, []).rateLimits.perPrincipal).toBe(0);
  });
});
