import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { PRODUCTION_BASE_ENV as PRODUCTION_ENV, problemsOf } from '../support/production-env.js';

// Issue 15: console sign-in at an OpenID provider. OIDC_ISSUER + OIDC_CLIENT_ID go together; the issuer is the one
// the gateway verifies against, and in production it is enough on its own (its discovery document names the keys).

describe('OIDC configuration', () => {
  it('is off unless set; when set the issuer is the JWT issuer', () => {
    expect(parseConfig({}, []).oidc).toBeNull();
    const c = parseConfig({ OIDC_ISSUER: 'http://127.0.0.1:9999', OIDC_CLIENT_ID: 'console' }, []);
    expect(c.oidc).toEqual({ issuer: 'http://127.0.0.1:9999', clientId: 'console' });
    expect(c.auth.issuer).toBe('http://127.0.0.1:9999');
  });

  it('production needs no JWKS_URL or JWT_ISSUER with an https OIDC_ISSUER', () => {
    const c = parseConfig(
      { ...PRODUCTION_ENV, OIDC_ISSUER: 'https://login.example.org/realms/acme', OIDC_CLIENT_ID: 'clearance-console' },
      [],
    );
    expect(c.auth.issuer).toBe('https://login.example.org/realms/acme');
    expect(c.auth.jwksUrl).toBeNull();
  });

  it('refuses half a configuration, plain http off loopback in production, and a different JWT_ISSUER', () => {
    expect(problemsOf({ OIDC_ISSUER: 'https://login.example.org' })).toContainEqual(expect.stringMatching(/^OIDC_CLIENT_ID: required/));
    expect(problemsOf({ OIDC_CLIENT_ID: 'console' })).toContainEqual(expect.stringMatching(/^OIDC_ISSUER: required/));
    expect(problemsOf({ OIDC_ISSUER: 'not a url', OIDC_CLIENT_ID: 'c' })).toContainEqual(
      expect.stringMatching(/^OIDC_ISSUER: must be an absolute URL/),
    );
    expect(problemsOf({ ...PRODUCTION_ENV, OIDC_ISSUER: 'http://login.example.org', OIDC_CLIENT_ID: 'c' })).toContain(
      'OIDC_ISSUER: must use https in production',
    );
    expect(parseConfig({ ...PRODUCTION_ENV, OIDC_ISSUER: 'http://127.0.0.1:8080', OIDC_CLIENT_ID: 'c' }, []).oidc?.issuer).toBe(
      'http://127.0.0.1:8080',
    );
    expect(problemsOf({ OIDC_ISSUER: 'https://a.example.org', OIDC_CLIENT_ID: 'c', JWT_ISSUER: 'https://b.example.org' })).toContainEqual(
      expect.stringMatching(/^JWT_ISSUER: must equal OIDC_ISSUER/),
    );
  });
});
