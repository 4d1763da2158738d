import { expect } from 'vitest';
import { ParseError } from '../../src/errors/parse-error.js';
import { parseConfig } from '../../src/config/config.js';

// The smallest production environment that parses (the config tests change one thing at a time from it), and the
// problems a configuration is refused with.

/** Without the identity provider: each test adds JWT_ISSUER + JWKS_URL or OIDC_ISSUER as it needs. */
export const PRODUCTION_BASE_ENV = {
  NODE_ENV: 'production',
  REDIS_URL: 'redis://redis.internal:6379',
  FHIR_BASE_URLS: '{"acme":"https://fhir.acme.example/r4"}',
  AUDIT_HMAC_KEY: 'k'.repeat(48),
  SECRETS_KEK: `kek-1:${Buffer.alloc(32, 7).toString('base64')}`,
};

export const PRODUCTION_ENV = {
  ...PRODUCTION_BASE_ENV,
  JWT_ISSUER: 'https://idp.example.org',
  JWKS_URL: 'https://idp.example.org/.well-known/jwks.json',
};

export function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    parseConfig(env, []);
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    return (error as ParseError).problems;
  }
  throw new Error('expected a ParseError');
}
