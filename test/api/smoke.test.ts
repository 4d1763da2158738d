import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

describe('gateway over HTTP', () => {
  it('answers me from the verified token', async () => {
    const t = await h.token({ roles: ['nurse'], departments: ['cardiology'], sub: 'nurse-7' });
    const r = await h.gql<{ me: { sub: string; tenant: string; roles: string[] } }>(t, '{ me { sub tenant roles } }');
    expect(r.status).toBe(200);
    expect(r.body.data?.me).toEqual({ sub: 'nurse-7', tenant: 'acme', roles: ['nurse'] });
  });
});
