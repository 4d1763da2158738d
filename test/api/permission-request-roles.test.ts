import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// A tester's finding: requestAccess(permission: "read:financial") by an agent was told to "request one of the roles
// billing-manager", a role no agent can use (requestAccess refuses it NOT_ELIGIBLE), and the refusal carried no
// `field`. For every kind of principal and every permission only roles carry, the refusal names exactly the roles
// that kind can use (or says there are none), explain says the same, and the input at fault is named as `field`.

const policy = JSON.parse(readFileSync(new URL('../../rules/default-policy.json', import.meta.url), 'utf8')) as {
  roles: Record<string, { principalKinds: string[]; permissions: { dataClasses: string[]; actions: string[] }[] }>;
  grants: Record<string, { permissions: { dataClasses: string[]; actions: string[] }[] }>;
};
const carries = (perms: { dataClasses: string[]; actions: string[] }[], action: string, dataClass: string) =>
  perms.some((p) => p.dataClasses.includes(dataClass) && p.actions.includes(action));
const named = Object.values(policy.roles).flatMap((r) =>
  r.permissions.flatMap((p) => p.actions.flatMap((a) => p.dataClasses.map((c) => `${a}:${c}`))),
);
const permissions = [...new Set(named)].filter((perm) => {
  const [a, c] = perm.split(':') as [string, string];
  return !Object.values(policy.grants).some((g) => carries(g.permissions, a, c));
});
const REQUEST = 'mutation ($i: RequestAccessInput!) { requestAccess(input: $i) { status } }';
const EXPLAIN = 'query ($a: String!) { explain(action: $a) { decision message } }';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

it.each(['user', 'agent', 'service'] as const)('a %s asking for a permission only roles carry', async (kind) => {
  const roles = { user: ['nurse'], agent: ['ai-agent'], service: ['integration-engineer'] }[kind];
  const token = await h.token({ sub: `${kind}-asks`, kind, roles, departments: ['cardiology'] } as never);
  for (const permission of permissions) {
    const [a, c] = permission.split(':') as [string, string];
    const usable = Object.entries(policy.roles).filter(([, r]) => r.principalKinds.includes(kind) && carries(r.permissions, a, c));
    const r = await h.gql(token, REQUEST, { i: { permission, justification: 'needed for work', durationMinutes: 60 } });
    const e = r.body.errors?.[0];
    expect(e?.extensions, permission).toMatchObject({ code: 'BAD_USER_INPUT', field: 'permission' });
    const expected = usable.length ? `request one of the roles ${usable.map(([n]) => n).join(', ')}` : `for a principal of kind ${kind}`;
    expect(e?.message, permission).toContain(expected);
    const x = await h.gql<{ explain: { decision: string; message: string } }>(token, EXPLAIN, { a: `access:request:${permission}` });
    expect(x.body.data?.explain.message, permission).toContain(expected);
  }
});

// The same for a grant asked for by name: a principal of a kind none of the grant's roles is for is told so, never
// offered a role it cannot use (an agent asking for identifiers was told "only for: clinician, nurse, front-desk").
it.each(['user', 'agent', 'service'] as const)('a %s asking for a grant none of its roles is for', async (kind) => {
  const roles = { user: ['marketing-analyst'], agent: ['ai-agent'], service: ['integration-engineer'] }[kind];
  const token = await h.token({ sub: `${kind}-grant`, kind, roles, departments: ['cardiology'] } as never);
  const grants = JSON.parse(readFileSync(new URL('../../rules/default-policy.json', import.meta.url), 'utf8')) as {
    grants: Record<string, { eligibleRoles: string[] }>;
  };
  for (const [grant, g] of Object.entries(grants.grants)) {
    if (g.eligibleRoles.some((r) => roles.includes(r))) continue;
    const r = await h.gql(token, REQUEST, { i: { requestedGrant: grant, justification: 'needed for work', durationMinutes: 60 } });
    const e = r.body.errors?.[0];
    expect(e?.extensions, grant).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NOT_ELIGIBLE', field: 'requestedGrant' });
    const usable = g.eligibleRoles.filter((role) => policy.roles[role]!.principalKinds.includes(kind));
    for (const role of g.eligibleRoles) expect(e?.message.includes(`${role}`), `${grant}: ${role}`).toBe(usable.includes(role));
  }
});
