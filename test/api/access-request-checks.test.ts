import { readFileSync, readdirSync } from 'node:fs';
import { buildSchema, getNamedType, isInputObjectType, type GraphQLInputType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../rules/policy-document.js';
import { startHarness, type Harness } from '../support/harness.js';

// Access requests are refused up front when they could never give anything: a grant for a person who holds none of
// its eligible roles (rules/decide.ts would ignore it), and a department scope that names no department. Nothing is
// stored; explain answers the same through the same check (src/governance/access-target.ts requestRefusal).

const T0 = Date.parse('2026-12-01T09:00:00.000Z');
let h: Harness;

const REQUEST = 'mutation ($input: RequestAccessInput!) { requestAccess(input: $input) { status changeRequest { id after } } }';
const ASSIGN = 'mutation ($input: AssignRoleInput!) { assignRole(input: $input) { status changeRequest { id after } } }';
const APPROVE = 'mutation ($id: ID!) { approveChange(id: $id) { status } }';
const EXPLAIN = 'query ($a: String!) { explain(action: $a) { decision reason failedScope message } }';
const MINE = '{ myAccessRequests { id } myAccess { id } }';

const security = (sub = 'sec-sam') => h.token({ sub, roles: ['security-admin'], mfa: true } as never);
const sensitive = { requestedGrant: 'sensitive', justification: 'need it', durationMinutes: 60 };
type Extensions = Record<string, unknown> | undefined;

beforeAll(async () => {
  h = await startHarness({ now: () => T0 });
});
afterAll(() => h.stop());

/** Assigns `role` to `sub` through the governed path (security proposes, security and clinical-admin approve). */
async function assigned(sub: string, role: string): Promise<void> {
  const r = await h.gql<{ assignRole: { changeRequest: { id: string } } }>(await security(), ASSIGN, {
    input: { assignee: sub, assignedRole: role, reason: 'covers the ward' },
  });
  const id = r.body.data!.assignRole.changeRequest.id;
  expect((await h.gql(await security('sec-ivy'), APPROVE, { id })).body.data).toEqual({ approveChange: { status: 'PENDING' } });
  // A clinical-admin who is a clinician too: holds every class the role gives (clinical-admin alone lacks demographics).
  const senior = await h.token({ sub: 'dr-senior', roles: ['clinical-admin', 'clinician'], mfa: true } as never);
  expect((await h.gql(senior, APPROVE, { id })).body).toEqual({ data: { approveChange: { status: 'APPLIED' } } });
}

async function explained(token: string, action: string) {
  return (await h.gql<{ explain: { decision: string; reason: string | null } }>(token, EXPLAIN, { a: action })).body.data!.explain;
}

// A tester's finding: a person asking for `ai-agent`, or an agent for `clinician`, was accepted, approved, and given
// nothing (the role's principal kinds exclude them). Every role of the policy, asked for by a user and by an agent.
describe('a role the requester\'s kind of principal cannot use', () => {
  const policy = defaultPolicy();
  const cases = Object.keys(policy.roles).flatMap((role) => (['user', 'agent'] as const).map((kind) => [role, kind] as const));
  it.each(cases)('%s asked for by a %s', async (role, kind) => {
    const usable = policy.roles[role]!.principalKinds.includes(kind);
    const sub = `asker-${role}-${kind}`;
    const holds = kind === 'agent' ? ['ai-agent'] : ['nurse'];
    const t = await h.token({ sub, roles: holds, kind, departments: ['cardiology'] } as never);
    const r = await h.gql(t, REQUEST, { input: { requestedRole: role, justification: 'cover the ward', durationMinutes: 60 } });
    const ext = r.body.errors?.[0]?.extensions as Extensions;
    const why = await explained(t, `access:request:${role}`);
    if (usable) {
      expect(ext?.reason, JSON.stringify(r.body)).not.toBe('NOT_ELIGIBLE');
      expect(why.reason).not.toBe('NOT_ELIGIBLE');
    } else {
      expect(ext).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NOT_ELIGIBLE', problems: [{ path: 'requestedRole' }] });
      expect(r.body.data?.requestAccess ?? null).toBeNull();
      expect(why).toMatchObject({ decision: 'DENY', reason: 'NOT_ELIGIBLE', failedScope: 'principal-kind' });
      expect((await h.gql(t, MINE)).body.data).toEqual({ myAccessRequests: [], myAccess: [] });
    }
  });

  it('a denial suggests only roles the reader\'s kind can use', async () => {
    const nurse = await h.token({ sub: 'nurse-howto', roles: ['nurse'], departments: ['cardiology'] });
    const dennis = '0ac13d55-d566-450a-aea0-f6a71f1ad73b';
    const r = await h.gql(nurse, 'query ($id: ID!) { patient(id: $id) { notes { title } } }', { id: dennis });
    const howToGet = String(r.body.errors?.[0]?.extensions?.howToGet);
    expect(howToGet).toContain('clinician');
    expect(howToGet).not.toContain('ai-agent');
  });
});

describe('a grant for someone who holds none of its eligible roles', () => {
  it('is refused up front (NOT_ELIGIBLE, naming the roles), nothing stored, and explain says so', async () => {
    const billing = await h.token({ sub: 'bill-ann', roles: ['billing-manager'] });
    for (const input of [sensitive, { ...sensitive, requestedGrant: undefined, permission: 'read:sensitive' }]) {
      const r = await h.gql(billing, REQUEST, { input });
      expect(r.body.data?.requestAccess ?? null).toBeNull();
      const ext = r.body.errors?.[0]?.extensions as Extensions;
      // The input sent is named: `permission` for a request made by permission (test/api/access-input-names.test.ts).
      const field = 'permission' in input ? 'permission' : 'requestedGrant';
      expect(ext).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NOT_ELIGIBLE', problems: [{ path: field }], field });
      expect(r.body.errors![0]!.message).toContain('only for: clinician');
    }
    expect((await h.gql(billing, MINE)).body.data).toEqual({ myAccessRequests: [], myAccess: [] });
    expect(await explained(billing, 'access:request:sensitive')).toMatchObject({ decision: 'DENY', reason: 'NOT_ELIGIBLE' });

    const clinician = await h.token({ sub: 'dr-able', roles: ['clinician'], departments: ['cardiology'] });
    expect(await explained(clinician, 'access:request:sensitive')).toMatchObject({ decision: 'NEEDS_APPROVAL', reason: null });
    const asked = await h.gql<{ requestAccess: { status: string } }>(clinician, REQUEST, { input: sensitive });
    expect(asked.body.data?.requestAccess.status).toBe('PENDING_APPROVAL');
  });

  it('is judged on the roles that count, as decisions count them: a standing assignment adds, a revoked one removes', async () => {
    // A nurse holding clinician by a standing assignment (not in her token) is eligible.
    await assigned('rn-bo', 'clinician');
    const nurse = await h.token({ sub: 'rn-bo', roles: ['nurse'], departments: ['cardiology'] });
    expect(await explained(nurse, 'access:request:sensitive')).toMatchObject({ decision: 'NEEDS_APPROVAL' });
    expect((await h.gql<{ requestAccess: { status: string } }>(nurse, REQUEST, { input: sensitive })).body.data?.requestAccess.status).toBe(
      'PENDING_APPROVAL',
    );

    // A token that still says clinician after the store revoked that role is not (its nurse role still counts).
    await assigned('dr-gone', 'clinician');
    const revoked = await h.gql<{ revokeRole: { status: string } }>(
      await security(),
      'mutation { revokeRole(assignee: "dr-gone", assignedRole: "clinician", reason: "left the ward") { status } }',
    );
    expect(revoked.body.data?.revokeRole.status).toBe('APPLIED');
    const gone = await h.token({ sub: 'dr-gone', roles: ['clinician', 'nurse'], departments: ['cardiology'] });
    expect(await explained(gone, 'access:request:sensitive')).toMatchObject({ decision: 'DENY', reason: 'NOT_ELIGIBLE' });
    const r = await h.gql(gone, REQUEST, { input: sensitive });
    expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NOT_ELIGIBLE' });
    expect((await h.gql<{ myAccessRequests: unknown[] }>(gone, MINE)).body.data!.myAccessRequests).toEqual([]);
  });

  it('explain(access:request:<permission>) answers what requestAccess(permission:) does, for every role and permission', async () => {
    const policy = defaultPolicy();
    const permissions = [
      ...new Set(
        Object.values(policy.roles).flatMap((r) =>
          r.permissions.flatMap((p) => p.actions.flatMap((a) => p.dataClasses.map((d) => `${a}:${d}`))),
        ),
      ),
      'read:no-such-class',
    ].sort();
    for (const role of Object.keys(policy.roles)) {
      const token = await h.token({ sub: `perm-${role}`, roles: [role], departments: ['cardiology'] });
      for (const permission of permissions) {
        const said = await explained(token, `access:request:${permission}`);
        const r = await h.gql<{ requestAccess: { status: string; changeRequest: { id: string } } }>(token, REQUEST, {
          input: { permission, justification: 'explain agrees', durationMinutes: 30 },
        });
        const label = `${role} ${permission}: explain ${JSON.stringify(said)}, the action ${JSON.stringify(r.body)}`;
        const error = r.body.errors?.[0]?.extensions as Extensions;
        if (said.decision === 'NEEDS_APPROVAL') {
          expect(r.body.data?.requestAccess?.status, label).toBe('PENDING_APPROVAL');
          // Withdrawn, so the next request of this person is judged alone (a new request would replace it anyway).
          const id = r.body.data!.requestAccess.changeRequest.id;
          await h.gql(token, 'mutation($id: ID!) { cancelChange(id: $id) { status } }', { id });
        } else {
          expect(said.decision, label).toBe('DENY');
          expect([error?.reason, error?.code], label).toContain(said.reason);
        }
      }
    }
  });

  it('for a person whose only role was revoked: explain answers what requestAccess answers, for a role and a grant', async () => {
    await assigned('dr-left', 'clinician');
    const revoked = await h.gql<{ revokeRole: { status: string } }>(
      await security(),
      'mutation { revokeRole(assignee: "dr-left", assignedRole: "clinician", reason: "left the hospital") { status } }',
    );
    expect(revoked.body.data?.revokeRole.status).toBe('APPLIED');
    const left = await h.token({ sub: 'dr-left', roles: ['clinician'], departments: ['cardiology'] });
    const role = { requestedRole: 'clinician', justification: 'back on the ward', durationMinutes: 60 };
    for (const [action, input] of [['access:request:sensitive', sensitive], ['access:request:clinician', role]] as const) {
      const r = await h.gql(left, REQUEST, { input });
      expect(r.body.data?.requestAccess ?? null).toBeNull();
      const ext = r.body.errors?.[0]?.extensions as Extensions;
      expect(await explained(left, action), action).toMatchObject({ decision: 'DENY', reason: ext?.reason });
    }
    expect((await h.gql<{ myAccessRequests: unknown[] }>(left, MINE)).body.data!.myAccessRequests).toEqual([]);
  });
});

// ---- departments ---------------------------------------------------------------------------------------------------

const SCHEMA_DIR = new URL('../../schema/', import.meta.url);
const sdl = readdirSync(SCHEMA_DIR)
  .filter((f) => f.endsWith('.graphql'))
  .sort()
  .map((f) => readFileSync(new URL(f, SCHEMA_DIR), 'utf8'))
  .join('\n');

/** Mutations with an argument whose input type (at any depth) has a field named like `departments`. */
function mutationsTakingDepartments(): string[] {
  const schema = buildSchema(sdl);
  const hasDepartments = (type: GraphQLInputType, seen = new Set<string>()): boolean => {
    const named = getNamedType(type);
    if (!isInputObjectType(named) || seen.has(named.name)) return false;
    seen.add(named.name);
    return Object.values(named.getFields()).some((f) => /departments$/i.test(f.name) || hasDepartments(f.type, seen));
  };
  const fields = schema.getMutationType()!.getFields();
  return Object.keys(fields)
    .filter((name) => fields[name]!.args.some((a) => /departments$/i.test(a.name) || hasDepartments(a.type)))
    .sort();
}

interface DepartmentCase {
  /** Sends the mutation with these departments; answers the response's first error extensions, or its status. */
  send(departments: unknown[]): Promise<{ ext: Extensions; status: string | null; after: unknown }>;
  /** How many changes the mutation's caller has stored. */
  stored(): Promise<number>;
}

const CASES: Record<string, () => Promise<DepartmentCase>> = {
  requestAccess: async () => {
    const token = await h.token({ sub: 'dr-dept', roles: ['clinician'], departments: ['cardiology'] });
    return {
      async send(departments) {
        const input = { requestedRole: 'clinician', scopeDepartments: departments, justification: 'on call', durationMinutes: 60 };
        const r = await h.gql<{ requestAccess: { status: string; changeRequest: { after: unknown } } }>(token, REQUEST, { input });
        const done = r.body.data?.requestAccess;
        return { ext: r.body.errors?.[0]?.extensions, status: done?.status ?? null, after: done?.changeRequest.after };
      },
      stored: async () => (await h.gql<{ myAccessRequests: unknown[] }>(token, MINE)).body.data!.myAccessRequests.length,
    };
  },
  assignRole: async () => {
    const token = await security('sec-dept');
    return {
      async send(departments) {
        const input = { assignee: 'rn-dept', assignedRole: 'nurse', scopeDepartments: departments, reason: 'covers the ward' };
        const r = await h.gql<{ assignRole: { status: string; changeRequest: { after: unknown } } }>(token, ASSIGN, { input });
        const done = r.body.data?.assignRole;
        return { ext: r.body.errors?.[0]?.extensions, status: done?.status ?? null, after: done?.changeRequest.after };
      },
      stored: async () =>
        (await h.gql<{ changeRequests: unknown[] }>(token, '{ changeRequests(mine: true, first: 200) { id } }')).body.data!.changeRequests
          .length,
    };
  },
};

const BAD_DEPARTMENTS: Record<string, unknown[]> = {
  'path-like': ['../x'],
  'path with a slash': ['cardiology/../oncology'],
  'url-encoded path': ['%2e%2e'],
  empty: [''],
  whitespace: ['   '],
  'surrounding whitespace': [' cardiology'],
  'a newline': ['cardiology\n'],
  'inner space': ['primary care'],
  // Neither the policy nor the configuration lists a tenant's departments (they live in its EHR): an unknown name is
  // refused when it is not a department code at all; a well-formed code nobody uses cannot be told apart.
  'unknown (not a code)': ['Cardiology'],
  'unknown (an EHR reference)': ['Organization/dept-cardiology'],
  duplicate: ['cardiology', 'cardiology'],
  'too long': ['x'.repeat(41)],
  'too many': Array.from({ length: 21 }, (_, i) => `dept-${i}`),
  'one bad among good': ['cardiology', '..'],
};

describe('departments of an access scope', () => {
  it('every mutation that takes departments is covered here (derived from the schema)', () => {
    expect(mutationsTakingDepartments()).toEqual(Object.keys(CASES).sort());
  });

  for (const mutation of Object.keys(CASES).sort()) {
    it(`${mutation}: a bad department is BAD_USER_INPUT INVALID_DEPARTMENT and nothing is stored`, async () => {
      const c = await CASES[mutation]!();
      const before = await c.stored();
      for (const [form, departments] of Object.entries(BAD_DEPARTMENTS)) {
        const r = await c.send(departments);
        expect(r.status, form).toBeNull();
        expect(r.ext, form).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_DEPARTMENT' });
        expect((r.ext?.problems as { path: string }[])[0]!.path, form).toMatch(/^scopeDepartments/);
      }
      expect(await c.stored()).toBe(before);
      // The same mutation with good departments goes through (the refusals above are about departments only); an empty
      // list is no scope at all (the token's departments), as leaving it out is.
      const good = await c.send(['oncology', 'primary-care']);
      expect(good.ext).toBeUndefined();
      expect(good.status).toBe('PENDING_APPROVAL');
      const none = await c.send([]);
      expect(none.status).toBe('PENDING_APPROVAL');
      const entries = (none.after as { entries: { departments: unknown }[] }).entries;
      expect(entries.at(-1)!.departments).toBeNull();
    });
  }
});

// A tester's finding: a cardiology clinician's request for the sensitive grant for primary-care was accepted (then used
// through break-glass). A grant the policy gives per department is for the requester's own departments: every grant x
// scope inside / outside / mixed, asked with requestAccess and with explain(resource.scopeDepartments), which agree.
describe('a grant asked for departments the requester does not belong to', () => {
  const policy = defaultPolicy();
  const SCOPES: Record<string, string[]> = {
    inside: ['cardiology'],
    outside: ['primary-care'],
    mixed: ['cardiology', 'primary-care'],
    'all outside': ['oncology', 'primary-care'],
  };
  const EXPLAIN_SCOPED =
    'query ($a: String!, $d: [String!]) { explain(action: $a, resource: { scopeDepartments: $d }) ' +
    '{ decision reason failedScope message } }';
  const cases = Object.keys(policy.grants).flatMap((grant) => Object.keys(SCOPES).map((scope) => [grant, scope] as const));
  it.each(cases)('%s, %s', async (grant, scope) => {
    const departments = SCOPES[scope]!;
    const outside = departments.filter((d) => d !== 'cardiology');
    const refused = policy.grants[grant]!.permissions.some((p) => p.scope === 'department') && outside.length > 0;
    const t = await h.token({ sub: `dr-scope-${grant}-${scope.replace(' ', '-')}`, roles: ['clinician'], departments: ['cardiology'] });
    const input = { requestedGrant: grant, scopeDepartments: departments, justification: 'clinic', durationMinutes: 120 };
    const r = await h.gql<{ requestAccess: { status: string } }>(t, REQUEST, { input });
    const a = `access:request:${grant}`;
    const why = (await h.gql<{ explain: Record<string, string> }>(t, EXPLAIN_SCOPED, { a, d: departments })).body.data!.explain;
    if (refused) {
      const ext = r.body.errors?.[0]?.extensions as Extensions;
      expect(ext).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'OUTSIDE_DEPARTMENTS' });
      const paths = outside.map((d) => `scopeDepartments[${departments.indexOf(d)}]`);
      expect((ext?.problems as { path: string }[]).map((p) => p.path)).toEqual(paths);
      for (const d of outside) expect(String(ext?.message ?? r.body.errors?.[0]?.message)).toContain(d);
      expect(why).toMatchObject({ decision: 'DENY', reason: 'OUTSIDE_DEPARTMENTS', failedScope: 'department' });
      expect((await h.gql(t, MINE)).body.data).toEqual({ myAccessRequests: [], myAccess: [] });
    } else {
      expect(r.body.data?.requestAccess.status, JSON.stringify(r.body)).toBe('PENDING_APPROVAL');
      expect(why.decision).toBe('NEEDS_APPROVAL');
    }
  });
});
