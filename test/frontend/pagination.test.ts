import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// Issue 14, item 7: Relay connections a frontend expects. changeRequestsConnection pages the same list as
// changeRequests (same filter) forward and backward with signed cursors; patients takes a department filter.

interface Conn {
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number | null;
}

const CONNECTION = `query($status: ChangeStatus, $category: SettingCategory, $first: Int, $after: String, $last: Int, $before: String) {
  changeRequestsConnection(status: $status, category: $category, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount
  }
}`;

describe('Relay pagination', () => {
  let h: Harness;
  let admin: string;
  let expected: string[];

  const page = async (vars: Record<string, unknown>, token = admin) => {
    const r = await h.gql<{ changeRequestsConnection: Conn }>(token, CONNECTION, vars);
    return r;
  };
  const ok = async (vars: Record<string, unknown>) => {
    const r = await page(vars);
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
    return r.body.data!.changeRequestsConnection;
  };

  beforeAll(async () => {
    h = await startHarness();
    admin = await h.token({ roles: ['security-admin'], mfa: true });
    // Seven pending access requests, by seven people.
    for (let i = 0; i < 7; i++) {
      const t = await h.token({ roles: ['nurse'], sub: `nurse-${i}` });
      const r = await h.gql(t, 'mutation($input: RequestAccessInput!) { requestAccess(input: $input) { status } }', {
        input: { requestedRole: 'auditor', justification: `audit week ${i}`, durationMinutes: 60 },
      });
      expect(r.body.errors).toBeUndefined();
    }
    const list = await h.gql<{ changeRequests: { id: string }[] }>(admin, '{ changeRequests(category: ACCESS, first: 200) { id } }');
    expected = list.body.data!.changeRequests.map((c) => c.id);
    expect(expected).toHaveLength(7);
  });
  afterAll(() => h?.stop());

  it('forward with first/after walks the whole list once, in the order of changeRequests, with totalCount', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const c: Conn = await ok({ category: 'ACCESS', first: 3, after });
      pages++;
      expect(c.totalCount).toBe(7);
      expect(c.pageInfo.hasPreviousPage).toBe(after !== null);
      expect(c.pageInfo.startCursor).toBe(c.edges[0]!.cursor);
      expect(c.pageInfo.endCursor).toBe(c.edges.at(-1)!.cursor);
      seen.push(...c.edges.map((e) => e.node.id));
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(expected);
  });

  it('backward with last/before walks it from the end', async () => {
    const seen: string[] = [];
    let before: string | null = null;
    for (;;) {
      const c: Conn = await ok({ category: 'ACCESS', last: 3, before });
      seen.unshift(...c.edges.map((e) => e.node.id));
      expect(c.pageInfo.hasNextPage).toBe(before !== null);
      if (!c.pageInfo.hasPreviousPage) break;
      before = c.pageInfo.startCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('after and before together give the window between them; the filter is the one of changeRequests', async () => {
    const all = await ok({ category: 'ACCESS', first: 7 });
    const between = await ok({ category: 'ACCESS', after: all.edges[1]!.cursor, before: all.edges[5]!.cursor });
    expect(between.edges.map((e) => e.node.id)).toEqual(expected.slice(2, 5));
    expect(await ok({ category: 'BILLING_AUTOMATION', first: 5 })).toMatchObject({
      edges: [],
      totalCount: 0,
      pageInfo: { hasNextPage: false, startCursor: null },
    });
    expect((await ok({ status: 'PENDING', first: 50 })).totalCount).toBe(7);
    expect((await ok({ status: 'APPLIED', first: 50 })).totalCount).toBe(0);
  });

  it('a forged, edited or foreign cursor is BAD_USER_INPUT', async () => {
    const c = await ok({ category: 'ACCESS', first: 2 });
    const real = c.pageInfo.endCursor!;
    const [body, mac] = real.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as string[];
    const forgedBody = Buffer.from(JSON.stringify([payload[0], expected[6]])).toString('base64url');
    const otherTenant = await h.token({ roles: ['security-admin'], tenant: 'globex', mfa: true });
    const cases: [string, string, string?][] = [
      ['edited payload', `${forgedBody}.${mac}`],
      ['bit flipped in the MAC', `${body}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`],
      ['no MAC', body],
      ['an old offset cursor', Buffer.from('offset:2').toString('base64url')],
      ['an audit cursor', Buffer.from('audit:1:0').toString('base64url')],
      ['garbage', '!!!'],
      ['empty', ''],
    ];
    for (const [name, cursor] of cases) {
      for (const arg of ['after', 'before']) {
        const r = await page({ category: 'ACCESS', first: 2, [arg]: cursor });
        expect(r.body.errors?.[0]?.extensions, `${name} as ${arg}`).toMatchObject({ code: 'BAD_USER_INPUT', field: arg });
      }
    }
    const foreign = await page({ first: 2, after: real }, otherTenant);
    expect(foreign.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    for (const [arg, value] of [['first', -1], ['first', 201], ['last', -1], ['last', 201]] as const) {
      const r = await page({ [arg]: value });
      expect(r.body.errors?.[0]?.extensions, `${arg}=${value}`).toMatchObject({ code: 'BAD_USER_INPUT', field: arg });
    }
  });

  it('changeRequestsConnection is guarded like changeRequests: no configuration read, FORBIDDEN', async () => {
    const t = await h.token({ roles: ['marketing-analyst'] });
    const r = await page({ first: 2 }, t);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(r.body.data?.changeRequestsConnection ?? null).toBeNull();
  });

  it('patients(department:): a clinician lists their own department with no FORBIDDEN; other departments do not show', async () => {
    const t = await h.token({ roles: ['clinician'], departments: ['cardiology'] });
    const q = `query($d: String) { patients(first: 50, department: $d) { edges { node { id name department conditions { id } } } ` +
      `pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
    type P = {
      patients: {
        edges: { node: { id: string; name: string | null; department: string | null; conditions: unknown } | null }[];
        pageInfo: Conn['pageInfo'];
      };
    };
    const own = await h.gql<P>(t, q, { d: 'cardiology' });
    expect(own.body.errors).toBeUndefined();
    const rows = own.body.data!.patients.edges.map((e) => e.node!);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.department === 'cardiology' && r.name && Array.isArray(r.conditions))).toBe(true);
    expect(own.body.data!.patients.pageInfo).toMatchObject({ hasPreviousPage: false, startCursor: expect.any(String) });
    // Without the filter the same clinician meets other departments' rows: their clinical fields are each a FORBIDDEN.
    const all = await h.gql<P>(t, q, {});
    expect(all.body.errors?.some((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
    const none = await h.gql<P>(t, q, { d: 'no-such-department' });
    expect(none.body.data!.patients.edges).toEqual([]);
    for (const bad of ['Cardiology', '', 'cardiology,oncology', '../x', 'a'.repeat(41)]) {
      const r = await h.gql<P>(t, q, { d: bad });
      expect(r.body.errors?.[0]?.extensions, bad).toMatchObject({ code: 'BAD_USER_INPUT', field: 'department' });
    }
  });
});
