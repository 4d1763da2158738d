import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import type { ParseError } from '../../src/errors/parse-error.js';

// SECRETS_KEK: the connector secrets' own key encryption key. Required in production, refused when malformed or
// set twice, and never repeated in a problem.

const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_ISSUER: 'https://idp.example.org',
  JWKS_URL: 'https://idp.example.org/.well-known/jwks.json',
  REDIS_URL: 'redis://redis.internal:6379',
  FHIR_BASE_URLS: '{"acme":"https://fhir.acme.example/r4"}',
  AUDIT_HMAC_KEY: 'k'.repeat(48),
};
const KEK = `kek-1:${Buffer.alloc(32, 9).toString('base64')}`;

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env, []);
    return [];
  } catch (e) {
    return [...(e as ParseError).problems];
  }
}

describe('SECRETS_KEK', () => {
  it('is required in production (or SECRETS_KEK_FILE), and optional in embedded mode', () => {
    expect(problemsOf(PRODUCTION)).toEqual(['SECRETS_KEK or SECRETS_KEK_FILE: required in production (encrypts connector credentials)']);
    expect(problemsOf({ ...PRODUCTION, SECRETS_KEK: KEK })).toEqual([]);
    expect(problemsOf({ ...PRODUCTION, SECRETS_KEK_FILE: '/run/secrets/kek' })).toEqual([]);
    expect(parseConfig({}, []).secrets).toEqual({ kek: null, kekFile: null, previousKeks: [] });
  });

  it('refuses a malformed key or two sources, without repeating the key', () => {
    for (const bad of ['no-colon', 'kek-1:c2hvcnQ=', `bad id:${Buffer.alloc(32).toString('base64')}`]) {
      const problems = problemsOf({ ...PRODUCTION, SECRETS_KEK: bad });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^SECRETS_KEK: must be <id>:<base64 of 32 bytes>/);
      expect(problems.join(' ')).not.toContain(bad);
    }
    expect(problemsOf({ ...PRODUCTION, SECRETS_KEK: KEK, SECRETS_KEK_FILE: '/k' })).toEqual([
      'SECRETS_KEK and SECRETS_KEK_FILE: set only one',
    ]);
    expect(problemsOf({ ...PRODUCTION, SECRETS_KEK: KEK, SECRETS_KEK_PREVIOUS: `${KEK},oops` })[0]).toMatch(/^SECRETS_KEK_PREVIOUS:/);
    expect(parseConfig({ ...PRODUCTION, SECRETS_KEK: KEK, SECRETS_KEK_PREVIOUS: KEK }, []).secrets.previousKeks).toEqual([KEK]);
  });
});
