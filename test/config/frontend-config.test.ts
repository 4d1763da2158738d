import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { PRODUCTION_ENV, problemsOf } from '../support/production-env.js';

// Issue 14: CORS origins, trusted documents and the IDE as configuration; production refuses a wildcard origin.

describe('frontend configuration', () => {
  it('CORS_ORIGINS: exact origins, deduplicated; none by default; * only outside production', () => {
    expect(parseConfig({}, []).corsOrigins).toEqual([]);
    expect(parseConfig({ CORS_ORIGINS: 'https://app.example.org, http://localhost:5173,https://app.example.org' }, []).corsOrigins).toEqual(
      ['https://app.example.org', 'http://localhost:5173'],
    );
    expect(parseConfig({ CORS_ORIGINS: '*' }, []).corsOrigins).toBe('*');
    expect(parseConfig({ ...PRODUCTION_ENV, CORS_ORIGINS: 'https://app.example.org' }, []).corsOrigins).toEqual([
      'https://app.example.org',
    ]);
    expect(problemsOf({ ...PRODUCTION_ENV, CORS_ORIGINS: '*' })).toEqual([
      expect.stringContaining('CORS_ORIGINS: * is not allowed in production'),
    ]);
  });

  it.each([
    'https://app.example.org/',
    'https://app.example.org/path',
    'https://*.example.org',
    'app.example.org',
    'ftp://app.example.org',
    'https://app.example.org, *',
    'https://user@app.example.org',
    'null',
  ])('CORS_ORIGINS refuses %s (not an exact origin)', (value) => {
    expect(problemsOf({ CORS_ORIGINS: value })).toEqual([
      expect.stringMatching(/^CORS_ORIGINS: must be \*, none, or comma-separated exact origins/),
    ]);
  });

  it('trusted documents: a file alone means enforce; a mode without a file is refused', () => {
    expect(parseConfig({}, []).trustedDocuments).toEqual({ mode: 'off', file: null });
    expect(parseConfig({ TRUSTED_DOCUMENTS_FILE: 'docs.json' }, []).trustedDocuments).toEqual({ mode: 'enforce', file: 'docs.json' });
    expect(parseConfig({ TRUSTED_DOCUMENTS_FILE: 'docs.json', TRUSTED_DOCUMENTS: 'accept' }, []).trustedDocuments).toEqual({
      mode: 'accept',
      file: 'docs.json',
    });
    expect(problemsOf({ TRUSTED_DOCUMENTS: 'enforce' })).toEqual(['TRUSTED_DOCUMENTS: enforce needs TRUSTED_DOCUMENTS_FILE']);
    expect(problemsOf({ TRUSTED_DOCUMENTS: 'sometimes' })).toEqual([
      expect.stringContaining('TRUSTED_DOCUMENTS: must be one of off, accept, enforce'),
    ]);
  });

  it('GraphiQL: on in embedded mode, off in production unless GRAPHIQL=on', () => {
    expect(parseConfig({}, []).graphiql).toBe(true);
    expect(parseConfig({ GRAPHIQL: 'off' }, []).graphiql).toBe(false);
    expect(parseConfig(PRODUCTION_ENV, []).graphiql).toBe(false);
    expect(parseConfig({ ...PRODUCTION_ENV, GRAPHIQL: 'on', INTROSPECTION_ROLES: 'system-admin' }, []).graphiql).toBe(true);
    expect(problemsOf({ ...PRODUCTION_ENV, GRAPHIQL: 'on' })).toEqual(['GRAPHIQL: on in production needs INTROSPECTION_ROLES']);
    // `none`, and commas naming no role, name nobody, as unset does.
    for (const INTROSPECTION_ROLES of ['none', ',', ' , ,', '  ']) {
      expect(problemsOf({ ...PRODUCTION_ENV, GRAPHIQL: 'on', INTROSPECTION_ROLES })).toEqual([
        'GRAPHIQL: on in production needs INTROSPECTION_ROLES',
      ]);
    }
  });

  it('CORS_ORIGINS in production: https only (loopback excepted), since credentials go to a listed origin', () => {
    expect(problemsOf({ ...PRODUCTION_ENV, CORS_ORIGINS: 'https://app.example.org,http://evil.example,http://10.0.0.2:8080' })).toEqual([
      'CORS_ORIGINS: origins must use https in production (found http://evil.example, http://10.0.0.2:8080)',
    ]);
    expect(parseConfig({ ...PRODUCTION_ENV, CORS_ORIGINS: 'http://localhost:5173,http://127.0.0.1:3000' }, []).corsOrigins).toHaveLength(2);
    expect(parseConfig({ CORS_ORIGINS: 'http://app.example.org' }, []).corsOrigins).toEqual(['http://app.example.org']);
  });

  it('METRICS_PORT must differ from PORT (the default 4000 included); 0 picks a free port', () => {
    expect(problemsOf({ METRICS_PORT: '4000' })).toEqual(['METRICS_PORT: must differ from PORT (the metrics listener is a second server)']);
    expect(problemsOf({ PORT: '5000', METRICS_PORT: '5000' })).toHaveLength(1);
    expect(parseConfig({ PORT: '5000', METRICS_PORT: '5001' }, []).metrics.port).toBe(5001);
    expect(parseConfig({ PORT: '0', METRICS_PORT: '0' }, []).metrics.port).toBe(0);
  });
});
