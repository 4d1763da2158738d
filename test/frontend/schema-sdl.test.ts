import { buildSchema, printSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { startHarness, type Harness } from '../support/harness.js';

// Issue 14, item 8: the schema for tools. `clearance schema print` and GET /graphql/schema.graphql (bearer token of
// an introspection role) give the same SDL, the one the gateway serves.

async function cliSchema(): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(['schema', 'print'], { env: {}, stdout: (t) => void (out += t), stderr: () => undefined });
  return { code, out };
}

describe('schema for tools', () => {
  let h: Harness;
  let base: string;

  beforeAll(async () => {
    h = await startHarness({ env: { INTROSPECTION_ROLES: 'security-admin,system-admin', CORS_ORIGINS: 'https://app.example.org' } });
    base = h.running.url;
  });
  afterAll(() => h?.stop());

  it('clearance schema print writes the SDL; it parses and has the operations root types', async () => {
    const { code, out } = await cliSchema();
    expect(code).toBe(0);
    const schema = buildSchema(out);
    expect(schema.getQueryType()?.getFields().changeRequests).toBeDefined();
    expect(printSchema(schema)).toBe(out.trimEnd());
  });

  it('an introspection role reads the same SDL at /graphql/schema.graphql; a listed origin may read it too', async () => {
    const token = await h.token({ roles: ['security-admin'] });
    const r = await fetch(`${base}/graphql/schema.graphql`, {
      headers: { authorization: `Bearer ${token}`, origin: 'https://app.example.org' },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/graphql; charset=utf-8');
    expect(r.headers.get('access-control-allow-origin')).toBe('https://app.example.org');
    expect(await r.text()).toBe((await cliSchema()).out);
  });

  it('refused without a valid token (401) and for every role that may not introspect (403)', async () => {
    const none = await fetch(`${base}/graphql/schema.graphql`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED', reason: 'MISSING_TOKEN' } }] });
    const forged = await fetch(`${base}/graphql/schema.graphql`, { headers: { authorization: 'Bearer not.a.token' } });
    expect(forged.status).toBe(401);
    for (const role of ['clinician', 'nurse', 'auditor', 'support', 'front-desk', 'integration-engineer']) {
      const token = await h.token({ roles: [role] });
      const r = await fetch(`${base}/graphql/schema.graphql`, { headers: { authorization: `Bearer ${token}` } });
      expect(r.status, role).toBe(403);
      expect(await r.json()).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN', reason: 'INTROSPECTION_NOT_ALLOWED' } }] });
    }
    const token = await h.token({ roles: ['system-admin'] });
    const post = await fetch(`${base}/graphql/schema.graphql`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(post.status).toBe(405);
  });
});
