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
  });
});
