import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TrustedDocumentError, IntrospectionRefusedError } from '../../src/errors/document-errors.js';
import { ERROR_CODES } from '../../src/errors/error-codes.js';
import {
  AuditUnavailableError,
  BadUserInputError,
  ClearanceError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  StoreUnavailableError,
  UnauthenticatedError,
  UpstreamUnavailableError,
} from '../../src/errors/errors.js';
import { GovernanceError } from '../../src/errors/governance-error.js';
import { RateLimitedError } from '../../src/errors/rate-limited-error.js';

// Issue 19: one error module. Every code a client can see is in ERROR_CODES (and the README), every code there is
// thrown by something, every ClearanceError subclass lives in src/errors and keeps its wire shape, and no error class
// is written twice anywhere in the project.

const ROOT = new URL('../../', import.meta.url);

function sources(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const entry of readdirSync(new URL(dir, ROOT), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory() && path !== 'src/generated') out.push(...sources(path));
    else if (entry.name.endsWith('.ts')) out.push({ file: path, text: readFileSync(new URL(path, ROOT), 'utf8') });
  }
  return out;
}

const SRC = sources('src');

/** Code literals in the places a client-visible code is written: constructors, refusals, the edge's own answers. */
function codesWritten(): Map<string, string[]> {
  const patterns = [
    /new ClearanceError\(\s*'([A-Z_]+)'/g,
    /super\(\s*'([A-Z_]+)'/g,
    /\bcode: '([A-Z_]+)'/g,
    /\[\s*'([A-Z_]+)', \d{3},/g,
    /sendError\([^,]+, \d{3}, '([A-Z_]+)'/g,
    /\brefuse\(\s*'([A-Z_]+)'/g,
  ];
  const found = new Map<string, string[]>();
  for (const { file, text } of SRC) {
    if (file === 'src/errors/error-codes.ts') continue;
    for (const pattern of patterns) {
      for (const m of text.matchAll(pattern)) found.set(m[1]!, [...(found.get(m[1]!) ?? []), file]);
    }
  }
  return found;
}

describe('the error code catalogue', () => {
  it('is this list: clients switch on these codes', () => {
    expect([...ERROR_CODES]).toEqual([
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'BAD_USER_INPUT',
      'NOT_FOUND',
      'CONFLICT',
      'RATE_LIMITED',
      'UPSTREAM_UNAVAILABLE',
      'AUDIT_UNAVAILABLE',
      'STORE_UNAVAILABLE',
      'INTERNAL',
    ]);
  });

  it('holds every code the source writes, and every code in it is written somewhere (none is dead)', () => {
    const written = codesWritten();
    const unknown = [...written].filter(([code]) => !(ERROR_CODES as readonly string[]).includes(code));
    expect(unknown, 'codes written but not in ERROR_CODES').toEqual([]);
    expect(ERROR_CODES.filter((code) => !written.has(code)), 'codes nobody writes').toEqual([]);
  });

  it('a high-risk change is data, not an error: no APPROVAL_REQUIRED anywhere in the product', () => {
    const places = [...SRC, ...sources('schema').concat(sources('console/src'))].filter(({ text }) => text.includes('APPROVAL_REQUIRED'));
    expect(places.map((p) => p.file)).toEqual([]);
  });

  it('is documented: the README names every code', () => {
    const readme = readFileSync(new URL('README.md', ROOT), 'utf8');
    const errors = readme.slice(readme.indexOf('- **Errors**'));
    const section = errors.slice(0, errors.indexOf('\n\n'));
    expect(ERROR_CODES.filter((code) => !section.includes(code))).toEqual([]);
  });
});

describe('the error module', () => {
  it('every error class of src/ is declared in src/errors, and no error class name is declared twice in the project', () => {
    const declared = [...SRC, ...sources('connectors'), ...sources('rules')].flatMap(({ file, text }) =>
      [...text.matchAll(/^(?:export )?class (\w+) extends (\w+)/gm)]
        .filter((m) => /Error$/.test(m[1]!) || /Error$/.test(m[2]!))
        .map((m) => ({ file, name: m[1]! })),
    );
    expect(declared.filter((d) => d.file.startsWith('src/') && !d.file.startsWith('src/errors/'))).toEqual([]);
    const names = declared.map((d) => d.name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  // One sample per ClearanceError subclass; a new subclass fails the next test until it has one here.
  const SAMPLES: Record<string, ClearanceError> = {
    UnauthenticatedError: new UnauthenticatedError('EXPIRED', 'The token has expired.'),
    BadUserInputError: new BadUserInputError('bad', 'field'),
    NotFoundError: new NotFoundError('Patient', 'No such patient.'),
    ConflictError: new ConflictError('STALE', 'Read again.'),
    UpstreamUnavailableError: new UpstreamUnavailableError('jwks', 'timeout', 'Token signing keys are unavailable; try again shortly.'),
    ForbiddenError: new ForbiddenError('no', {
      permission: 'read',
      dataClass: 'demographics',
      failedScope: 'ROLE',
      ownerRole: 'privacy-officer',
      ownerFunction: 'privacy',
      rolesWithPermission: [],
      grant: null,
      howToGet: 'ask',
      approvalPath: null,
      requestAccess: null,
      policyVersion: '1',
    }),
    StoreUnavailableError: new StoreUnavailableError('governance'),
    AuditUnavailableError: new AuditUnavailableError(),
    RateLimitedError: new RateLimitedError('principal', 1.2),
    GovernanceError: new GovernanceError({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_INPUT',
      message: 'reason: x',
      problems: [{ path: 'reason', message: 'x' }],
    }),
    TrustedDocumentError: new TrustedDocumentError('TRUSTED_DOCUMENT_REQUIRED'),
    IntrospectionRefusedError: new IntrospectionRefusedError(),
  };

  it('every ClearanceError subclass exported by src/errors has a sample, and its code is in the catalogue', async () => {
    const exported: string[] = [];
    for (const file of readdirSync(new URL('src/errors/', ROOT)).filter((f) => f.endsWith('.ts'))) {
      const module = (await import(/* @vite-ignore */ new URL(`src/errors/${file}`, ROOT).pathname)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module)) {
        if (typeof value === 'function' && value.prototype instanceof ClearanceError) exported.push(name);
      }
    }
    expect(exported.sort()).toEqual(Object.keys(SAMPLES).sort());
    for (const error of Object.values(SAMPLES)) expect(ERROR_CODES).toContain(error.extensions.code);
  });

  it('the moved classes answer on the wire exactly as before (code, message, extensions, HTTP status)', () => {
    const wire = (e: ClearanceError) => ({ message: e.message, extensions: e.extensions });
    expect(wire(SAMPLES.StoreUnavailableError!)).toEqual({
      message: 'The store is unavailable; nothing was changed. Retry later.',
      extensions: { code: 'STORE_UNAVAILABLE', store: 'governance', http: { status: 503 } },
    });
    expect(wire(SAMPLES.AuditUnavailableError!)).toEqual({
      message: 'The audit log could not be written, so nothing was returned or changed. Retry later.',
      extensions: { code: 'AUDIT_UNAVAILABLE', retryable: true, http: { status: 503 } },
    });
    expect(wire(SAMPLES.GovernanceError!)).toEqual({
      message: 'reason: x',
      // `field`: the first input at fault, as every other BAD_USER_INPUT names it (added 2026-12-03).
      extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT', problems: [{ path: 'reason', message: 'x' }], field: 'reason' },
    });
    const refused = new GovernanceError({ code: 'FORBIDDEN', reason: 'NOT_AN_APPROVER', message: 'no' }, { ownerFunction: 'privacy' });
    expect(wire(refused)).toEqual({
      message: 'no',
      extensions: { code: 'FORBIDDEN', ownerFunction: 'privacy', reason: 'NOT_AN_APPROVER' },
    });
    expect(wire(SAMPLES.IntrospectionRefusedError!)).toEqual({
      message: 'Introspection is not allowed for your roles.',
      extensions: { code: 'FORBIDDEN', reason: 'INTROSPECTION_NOT_ALLOWED', http: { status: 403 } },
    });
    expect(wire(SAMPLES.TrustedDocumentError!)).toEqual({
      message: 'Only trusted documents run on this gateway: send the hash of a document from its manifest.',
      extensions: { code: 'FORBIDDEN', reason: 'TRUSTED_DOCUMENT_REQUIRED', http: { status: 403 } },
    });
    expect(wire(new TrustedDocumentError('TRUSTED_DOCUMENT_UNKNOWN'))).toEqual({
      message: 'No trusted document has this hash.',
      extensions: { code: 'BAD_USER_INPUT', reason: 'TRUSTED_DOCUMENT_UNKNOWN', http: { status: 400 } },
    });
    expect(wire(new TrustedDocumentError('TRUSTED_DOCUMENTS_OFF'))).toEqual({
      message: 'This gateway has no trusted-documents manifest: send the document itself.',
      extensions: { code: 'BAD_USER_INPUT', reason: 'TRUSTED_DOCUMENTS_OFF', http: { status: 400 } },
    });
  });
});
