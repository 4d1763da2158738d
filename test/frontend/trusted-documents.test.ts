import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors/parse-error.js';
import { startHarness, type Harness } from '../support/harness.js';

// Issue 14, item 6: trusted documents. The console's own operations ship as a manifest in graphql-codegen's
// persisted-documents format; with TRUSTED_DOCUMENTS_FILE the gateway runs those and refuses anything else with a
// stable code, whichever way the request is shaped.

const MANIFEST_FILE = join(import.meta.dirname, '../../console/src/gql/persisted-documents.json');
const MANIFEST = JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')) as Record<string, string>;
const hashOf = (doc: string) => createHash('sha256').update(doc).digest('hex');
const [ME_HASH, ME_DOC] = Object.entries(MANIFEST).find(([, doc]) => doc.startsWith('query ConsoleMe '))!;

interface Answer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string; reason?: string } }[] };
}

async function post(h: Harness, token: string | null, body: unknown, contentType = 'application/json'): Promise<Answer> {
  const r = await fetch(h.url, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as Answer['body'] };
}

async function get(h: Harness, token: string, params: Record<string, string>): Promise<Answer> {
  const r = await fetch(`${h.url}?${new URLSearchParams(params).toString()}`, {
    headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
  });
  return { status: r.status, body: (await r.json()) as Answer['body'] };
}

const apq = (hash: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });

describe('trusted documents', () => {
  it('the console manifest is codegen\'s persisted-documents format: every key is the sha256 of its document', () => {
    expect(Object.keys(MANIFEST).length).toBeGreaterThan(5);
    for (const [hash, doc] of Object.entries(MANIFEST)) expect(hashOf(doc)).toBe(hash);
  });

  describe('enforce (TRUSTED_DOCUMENTS_FILE set)', () => {
    let h: Harness;
    let token: string;
    beforeAll(async () => {
      h = await startHarness({ env: { TRUSTED_DOCUMENTS_FILE: MANIFEST_FILE } });
      token = await h.token({ roles: ['security-admin'], mfa: true });
    });
    afterAll(() => h?.stop());

    it('runs a manifest document named by hash (Apollo extension, documentId, sha256: prefix, GET) or sent as its exact text', async () => {
      const me = { me: { sub: 'security-admin-1', roles: ['security-admin'], tenant: 'acme', departments: [], mfa: true } };
      for (const body of [
        apq(ME_HASH),
        { documentId: ME_HASH },
        { documentId: `sha256:${ME_HASH}` },
        { query: ME_DOC },
        { query: ME_DOC, ...apq(ME_HASH) },
      ]) {
        const r = await post(h, token, body);
        expect(r, JSON.stringify(body)).toEqual({ status: 200, body: { data: me } });
      }
      expect(await get(h, token, { documentId: ME_HASH })).toEqual({ status: 200, body: { data: me } });
      expect(await get(h, token, { extensions: JSON.stringify(apq(ME_HASH).extensions) })).toEqual({ status: 200, body: { data: me } });
    });

    it('with a hash, the manifest document runs, never the text sent beside it', async () => {
      const r = await post(h, token, { query: '{ auditEvents { edges { node { id } } } }', ...apq(ME_HASH) });
      expect(r.status).toBe(200);
      expect(Object.keys(r.body.data ?? {})).toEqual(['me']);
    });

    it.each([
      ['another query', { query: '{ me { sub } }' }],
      ['introspection', { query: '{ __schema { types { name } } }' }],
      ['a manifest document with one space more', { query: `${ME_DOC} ` }],
      ['a mutation', { query: 'mutation { requestAccess(input: { role: "auditor", reason: "x" }) { id } }' }],
      ['no document at all', { variables: {} }],
      ['a batch', [{ query: ME_DOC }]],
    ])('refuses %s: 403 FORBIDDEN TRUSTED_DOCUMENT_REQUIRED before anything runs', async (_name, body) => {
      const r = await post(h, token, body);
      expect(r.status).toBe(403);
      expect(r.body).toEqual({
        errors: [
          { message: expect.stringContaining('trusted documents'), extensions: { code: 'FORBIDDEN', reason: 'TRUSTED_DOCUMENT_REQUIRED' } },
        ],
      });
    });

    it('refuses other documents over GET and as a text/plain body too', async () => {
      expect((await get(h, token, { query: '{ me { sub } }' })).body.errors?.[0]?.extensions?.reason).toBe('TRUSTED_DOCUMENT_REQUIRED');
      const plain = await post(h, token, JSON.stringify({ query: '{ me { sub } }' }), 'text/plain');
      expect(plain.status).toBe(403);
    });

    it.each([
      ['an unknown sha256', apq('0'.repeat(64))],
      ['the hash of a document that is not in the manifest', { documentId: hashOf('{ me { sub } }') }],
      ['a documentId that is not a string', { documentId: 42 }],
      ['a sha256Hash that is not a string', apq(null as unknown as string)],
    ])('refuses %s: 400 BAD_USER_INPUT TRUSTED_DOCUMENT_UNKNOWN', async (_name, body) => {
      const r = await post(h, token, body);
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'TRUSTED_DOCUMENT_UNKNOWN' });
    });
  });

  it('accept mode: manifest hashes and any document run', async () => {
    const h = await startHarness({ env: { TRUSTED_DOCUMENTS_FILE: MANIFEST_FILE, TRUSTED_DOCUMENTS: 'accept' } });
    try {
      const token = await h.token({ roles: ['auditor'] });
      expect((await post(h, token, apq(ME_HASH))).body.data).toMatchObject({ me: { sub: 'auditor-1' } });
      expect((await post(h, token, { query: '{ me { sub } }' })).body).toEqual({ data: { me: { sub: 'auditor-1' } } });
    } finally {
      await h.stop();
    }
  });

  it('off (default): the console\'s hash beside its text runs the text; a bare hash is refused with TRUSTED_DOCUMENTS_OFF', async () => {
    const h = await startHarness();
    try {
      const token = await h.token({ roles: ['auditor'] });
      expect((await post(h, token, { query: '{ me { sub } }', ...apq(ME_HASH) })).body).toEqual({ data: { me: { sub: 'auditor-1' } } });
      const bare = await post(h, token, apq(ME_HASH));
      expect(bare.status).toBe(400);
      expect(bare.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'TRUSTED_DOCUMENTS_OFF' });
    } finally {
      await h.stop();
    }
  });

  it.each([
    ['an edited document', (m: Record<string, string>) => ({ ...m, [ME_HASH]: `${ME_DOC} ` }), 'is not the sha256 of its document'],
    ['a key that is not a hash', () => ({ 'not-a-hash': '{ me { sub } }' }), 'not a hex hash'],
    ['an empty manifest', () => ({}), 'holds no document'],
    ['not JSON', () => 'nope', 'cannot read'],
  ])('refuses to start with %s', async (_name, edit, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'clearance-trusted-'));
    const file = join(dir, 'persisted-documents.json');
    const content = edit(MANIFEST);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    const started = startHarness({ env: { TRUSTED_DOCUMENTS_FILE: file } });
    await expect(started).rejects.toBeInstanceOf(ParseError);
    await expect(started).rejects.toThrow(message);
  });
});
