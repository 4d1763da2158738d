import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors/parse-error.js';
import { detectMode, parseConfig } from '../../src/config/config.js';

function problemsOf(env: Record<string, string | undefined>, argv: string[] = []): readonly string[] {
  try {
    parseConfig(env, argv);
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    return (error as ParseError).problems;
  }
  throw new Error('expected a ParseError');
}

const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  JWT_ISSUER: 'https://idp.example.org',
  JWKS_URL: 'https://idp.example.org/.well-known/jwks.json',
  REDIS_URL: 'rediss://:s3cret@redis.internal:6380',
  FHIR_BASE_URLS: '{"acme":"https://fhir.acme.example/r4","beta-clinic":"https://fhir.internal:8080/fhir"}',
  AUDIT_HMAC_KEY: 'k'.repeat(48),
  SECRETS_KEK: `kek-1:${Buffer.alloc(32, 7).toString('base64')}`,
};

describe('parseConfig: embedded mode', () => {
  it('has working defaults with an empty environment', () => {
    expect(parseConfig({}, [])).toEqual({
      mode: 'embedded',
      port: 4000,
      host: '127.0.0.1',
      stateDir: '.clearance',
      auth: {
        issuer: 'clearance-dev',
        audience: 'clearance',
        algorithms: ['ES256', 'RS256'],
        jwksUrl: null,
        jwksFile: null,
        clockToleranceSec: 30,
        maxTokenLifetimeSec: 86_400,
        maxTokenAgeSec: 86_400,
      },
      redisUrl: null,
      fhir: { baseUrls: null, timeoutMs: 5000 },
      limits: { defaultPageSize: 20, maxPageSize: 100, maxOpenProposalsPerRequester: 100 },
      statistics: { suppressionThreshold: 5 },
      logLevel: 'info',
      executionEngine: 'jit',
      audit: { hmacKey: null, archiveUrl: null, archiveOwnerUrl: null, hot: { maxRecords: 1_000_000, maxAgeMs: 86_400_000 } },
      secrets: { kek: null, kekFile: null, previousKeks: [] },
      metrics: { token: null, port: null },
      otlpEndpoint: null,
      environment: 'PRODUCTION',
      messaging: { smtpUrl: null, from: 'Clearance <no-reply@clearance.local>', smsProviderUrl: null, timeoutMs: 10_000, publicUrl: null },
      queryLimits: { maxDepth: 10, maxAliases: 30, maxCost: 5000, maxDirectives: 20, maxTokens: 2000, maxBodyBytes: 1_000_000 },
      introspectionRoles: '*',
      corsOrigins: [],
      trustedDocuments: { mode: 'off', file: null },
      graphiql: true,
      rateLimits: { windowSec: 60, perPrincipal: 600, perTenant: 6000, mutationsPerPrincipal: 60, failedAuthPerIp: 60 },
      readinessTimeoutMs: 2000,
      shutdownTimeoutMs: 10_000,
      oidc: null,
    });
  });

  it('is deeply frozen', () => {
    const config = parseConfig({ FHIR_BASE_URLS: '{"acme":"http://localhost:8103/fhir/R4"}' }, []);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.auth)).toBe(true);
    expect(Object.isFrozen(config.auth.algorithms)).toBe(true);
    expect(Object.isFrozen(config.fhir.baseUrls)).toBe(true);
    expect(Object.isFrozen(config.limits)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => {
      (config.auth.algorithms as string[]).push('HS256');
    }).toThrow(TypeError);
  });

  it('reads every variable', () => {
    const config = parseConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        CLEARANCE_STATE_DIR: '/var/lib/clearance',
        JWT_ISSUER: 'https://idp.test',
        JWT_AUDIENCE: 'gw',
        JWT_ALGORITHMS: 'RS256, RS256',
        JWT_CLOCK_TOLERANCE_SEC: '5',
        JWKS_FILE: './jwks.json',
        REDIS_URL: 'redis://localhost:6379',
        FHIR_BASE_URLS: '{"acme":"http://localhost:8103/fhir/R4"}',
        FHIR_TIMEOUT_MS: '2500',
        DEFAULT_PAGE_SIZE: '10',
        MAX_PAGE_SIZE: '50',
        MAX_OPEN_PROPOSALS_PER_REQUESTER: '7',
        STATS_SUPPRESSION_THRESHOLD: '11',
        LOG_LEVEL: 'debug',
        EXECUTION_ENGINE: 'graphql-js',
      },
      [],
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      stateDir: '/var/lib/clearance',
      auth: {
        issuer: 'https://idp.test',
        audience: 'gw',
        algorithms: ['RS256'],
        jwksFile: './jwks.json',
        jwksUrl: null,
        clockToleranceSec: 5,
      },
      redisUrl: 'redis://localhost:6379',
      fhir: { baseUrls: { acme: 'http://localhost:8103/fhir/R4' }, timeoutMs: 2500 },
      limits: { defaultPageSize: 10, maxPageSize: 50, maxOpenProposalsPerRequester: 7 },
      statistics: { suppressionThreshold: 11 },
      logLevel: 'debug',
      executionEngine: 'graphql-js',
    });
  });

  it('treats blank variables as unset', () => {
    expect(parseConfig({ PORT: '', JWT_ISSUER: '  ' }, []).port).toBe(4000);
  });

  it('reports every invalid value at once, naming the variable and not the value', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      JWT_ALGORITHMS: 'HS256,none',
      JWKS_URL: 'not a url',
      REDIS_URL: 'http://user:hunter2@redis:6379',
      FHIR_BASE_URLS: '{"Acme":"http://x","ok":"ftp://x","b":42}',
      FHIR_TIMEOUT_MS: '-1',
      DEFAULT_PAGE_SIZE: '500',
      MAX_PAGE_SIZE: '100',
      STATS_SUPPRESSION_THRESHOLD: '0',
      LOG_LEVEL: 'loud',
      JWT_CLOCK_TOLERANCE_SEC: '3600',
      EXECUTION_ENGINE: 'interpreted',
    });
    const joined = problems.join('\n');
    for (const name of [
      'PORT',
      'JWT_ALGORITHMS',
      'JWKS_URL',
      'REDIS_URL',
      'FHIR_TIMEOUT_MS',
      'DEFAULT_PAGE_SIZE',
      'STATS_SUPPRESSION_THRESHOLD',
      'LOG_LEVEL',
      'JWT_CLOCK_TOLERANCE_SEC',
      'EXECUTION_ENGINE',
    ]) {
      expect(joined).toContain(`${name}:`);
    }
    expect(problems.filter((p) => p.startsWith('FHIR_BASE_URLS:'))).toHaveLength(3);
    expect(joined).not.toContain('hunter2');
    expect(joined).not.toContain('eighty');
  });

  it('refuses JWKS_URL and JWKS_FILE together', () => {
    expect(problemsOf({ JWKS_URL: 'https://idp/jwks', JWKS_FILE: 'jwks.json' })).toEqual(['JWKS_URL and JWKS_FILE: set only one']);
  });

  it('reads the audit archive and hot window, and refuses an archive without Redis or with a non-PostgreSQL URL', () => {
    const env = {
      REDIS_URL: 'redis://127.0.0.1:6379',
      AUDIT_ARCHIVE_URL: 'postgres://clearance_archive:pw@db/audit',
      AUDIT_ARCHIVE_OWNER_URL: 'postgresql://owner@db/audit',
      AUDIT_HOT_RECORDS: '5000',
      AUDIT_HOT_HOURS: '2',
    };
    expect(parseConfig(env, []).audit).toEqual({
      hmacKey: null,
      archiveUrl: env.AUDIT_ARCHIVE_URL,
      archiveOwnerUrl: env.AUDIT_ARCHIVE_OWNER_URL,
      hot: { maxRecords: 5000, maxAgeMs: 7_200_000 },
    });
    expect(problemsOf({ AUDIT_ARCHIVE_URL: 'postgres://db/audit' })).toEqual([
      'AUDIT_ARCHIVE_URL: needs REDIS_URL (the archive takes sealed segments from Redis)',
    ]);
    expect(
      problemsOf({ REDIS_URL: 'redis://r', AUDIT_ARCHIVE_URL: 'mysql://db/audit', AUDIT_HOT_RECORDS: '0' }).map((p) => p.split(':')[0]),
    ).toEqual(['AUDIT_ARCHIVE_URL', 'AUDIT_HOT_RECORDS']);
  });

  it('refuses an empty or non-object FHIR_BASE_URLS', () => {
    expect(problemsOf({ FHIR_BASE_URLS: '{}' })[0]).toMatch(/^FHIR_BASE_URLS: must name at least one tenant/);
    expect(problemsOf({ FHIR_BASE_URLS: '["http://x"]' })[0]).toMatch(/^FHIR_BASE_URLS: must be a JSON object/);
    expect(problemsOf({ FHIR_BASE_URLS: '{nope' })[0]).toMatch(/^FHIR_BASE_URLS: must be JSON/);
  });
});

describe('parseConfig: production mode', () => {
  it('is chosen by NODE_ENV=production or --production', () => {
    expect(detectMode({ NODE_ENV: 'production' }, [])).toBe('production');
    expect(detectMode({ NODE_ENV: 'test' }, ['--production'])).toBe('production');
    expect(detectMode({ NODE_ENV: 'development' }, [])).toBe('embedded');
  });

  it('reports all production problems together', () => {
    const problems = problemsOf({ NODE_ENV: 'production', CLEARANCE_DEV_KEYS: '1', PORT: 'x' });
    expect(problems).toHaveLength(8);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT:/),
        expect.stringMatching(/^JWKS_URL or JWKS_FILE: required in production/),
        expect.stringMatching(/^REDIS_URL: required in production/),
        expect.stringMatching(/^FHIR_BASE_URLS: required in production/),
        expect.stringMatching(/^JWT_ISSUER: required in production/),
        expect.stringMatching(/^CLEARANCE_DEV_KEYS: must not be set in production/),
        expect.stringMatching(/^AUDIT_HMAC_KEY: required in production/),
        expect.stringMatching(/^SECRETS_KEK or SECRETS_KEK_FILE: required in production/),
      ]),
    );
  });

  it('lists every problem in the error message', () => {
    try {
      parseConfig({}, ['--production']);
      expect.unreachable();
    } catch (error) {
      const e = error as ParseError;
      expect(e.message).toMatch(/^Invalid configuration \(6 problems\):/);
      for (const problem of e.problems) expect(e.message).toContain(problem);
    }
  });

  it('accepts a complete production environment and does not default the issuer', () => {
    const config = parseConfig(PRODUCTION_ENV, []);
    expect(config.mode).toBe('production');
    expect(config.auth.issuer).toBe('https://idp.example.org');
    expect(config.fhir.baseUrls).toEqual({ acme: 'https://fhir.acme.example/r4', 'beta-clinic': 'https://fhir.internal:8080/fhir' });
  });

  it('requires https for every non-loopback FHIR base URL in production, all reported together', () => {
    const urls = {
      acme: 'http://fhir.acme.example/r4',
      'beta-clinic': 'http://10.0.0.7/fhir',
      local: 'http://127.0.0.1:8103/fhir',
      lo: 'http://localhost/fhir',
      ok: 'https://x.example',
    };
    const problems = problemsOf({ ...PRODUCTION_ENV, FHIR_BASE_URLS: JSON.stringify(urls), JWKS_URL: 'http://idp.example.org/jwks' });
    expect(problems).toEqual([
      'JWKS_URL: must use https in production',
      'FHIR_BASE_URLS: the URL for tenant "acme" must use https in production',
      'FHIR_BASE_URLS: the URL for tenant "beta-clinic" must use https in production',
    ]);
    const loopback = { local: urls.local, lo: urls.lo, ok: urls.ok };
    expect(parseConfig({ ...PRODUCTION_ENV, FHIR_BASE_URLS: JSON.stringify(loopback) }, []).fhir.baseUrls).toEqual(loopback);
    // Embedded mode is for trying it out: plain http stays allowed there.
    expect(parseConfig({ FHIR_BASE_URLS: JSON.stringify(urls) }, []).fhir.baseUrls).toEqual(urls);
  });

  it('bounds token lifetime and age (JWT_MAX_TOKEN_LIFETIME_SEC, JWT_MAX_TOKEN_AGE_SEC)', () => {
    expect(parseConfig({}, []).auth).toMatchObject({ maxTokenLifetimeSec: 86_400, maxTokenAgeSec: 86_400 });
    expect(parseConfig({ JWT_MAX_TOKEN_LIFETIME_SEC: '3600', JWT_MAX_TOKEN_AGE_SEC: '600' }, []).auth).toMatchObject({
      maxTokenLifetimeSec: 3600,
      maxTokenAgeSec: 600,
    });
    const problems = problemsOf({ JWT_MAX_TOKEN_LIFETIME_SEC: '0', JWT_MAX_TOKEN_AGE_SEC: 'soon' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['JWT_MAX_TOKEN_LIFETIME_SEC', 'JWT_MAX_TOKEN_AGE_SEC']);
  });

  it('requires https for a non-loopback JWKS_URL in production', () => {
    expect(problemsOf({ ...PRODUCTION_ENV, JWKS_URL: 'http://idp.example.org/jwks' })).toEqual(['JWKS_URL: must use https in production']);
    expect(parseConfig({ ...PRODUCTION_ENV, JWKS_URL: 'http://127.0.0.1:8080/jwks' }, []).auth.jwksUrl).toBe('http://127.0.0.1:8080/jwks');
  });
});
