import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// Issue 17 follow-up (attack round): Query.patients withholds the patients its caller may not see. A governed policy
// makes front-desk and clinician demographics department-scoped, so a cardiology user may see some patients of the
// list only. Under both engines and under trusted documents (graphql-jit compiles a document on its 2nd use: every
// query is sent 3 times): no field of a withheld patient in any shape, paging never skips nor repeats a visible
// patient, break-glass opens one patient, and the PHI-read audit lists exactly the patients and fields returned.

interface GqlError { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }
type Body = { data?: Record<string, unknown> | null; errors?: GqlError[] };
interface Seen { id: string; name: string; department: string }

const APPROVE = 'mutation ($id: ID!) { approveChange(id: $id) { status } }';
const PROPOSE =
  'mutation ($d: JSON!) { proposePolicy(document: $d, reason: "desk by department", ticket: "POL-9") { changeRequest { id } } }';
const EVENTS = `query ($filter: AuditEventFilter) { auditEvents(filter: $filter, first: 200) {
  edges { node { id patientId fields operation } } } }`;

async function departmentScopedDesk(h: Harness): Promise<void> {
  const doc = JSON.parse(readFileSync(new URL('../../rules/default-policy.json', import.meta.url), 'utf8')) as {
    version: string;
    roles: Record<string, { permissions: { dataClasses: string[]; actions: string[]; scope: string }[] }>;
  };
  doc.version = '2026-12-02.1';
  for (const role of ['front-desk', 'clinician']) {
    const r = doc.roles[role]!;
    for (const p of r.permissions) p.dataClasses = p.dataClasses.filter((c) => c !== 'demographics');
    r.permissions.push({ dataClasses: ['demographics'], actions: ['read'], scope: 'department' });
  }
  const sec = (sub: string) => h.token({ sub, roles: ['security-admin'], mfa: true } as never);
  const proposed = await h.gql<{ proposePolicy: { changeRequest: { id: string } } }>(await sec('sec-ivy'), PROPOSE, { d: doc });
  const id = proposed.body.data!.proposePolicy.changeRequest.id;
  expect((await h.gql(await sec('sec-sam'), APPROVE, { id })).body.data).toEqual({ approveChange: { status: 'PENDING' } });
  const eng = await h.token({ sub: 'eng-ben', roles: ['integration-engineer'], mfa: true } as never);
  expect((await h.gql(eng, APPROVE, { id })).body.data).toEqual({ approveChange: { status: 'APPLIED' } });
}

/** A trusted document (README, Trusted documents) named by hash below, its @skip decided per request's variables. */
const BY_HASH = 'query DeskByHash($v: Boolean!) { patients(first: 20) { edges { cursor node @skip(if: $v) { id name } } } }';
const HASH = createHash('sha256').update(BY_HASH).digest('hex');

// Both engines with trusted documents in accept mode (the manifest's document by hash, every other document as sent):
// every case runs in both.
describe.each([{ engine: 'jit' }, { engine: 'graphql-js' }])('patients withheld (EXECUTION_ENGINE=$engine, trusted documents: accept)', ({
  engine,
}) => {
  const executionEngine = engine;
  let h: Harness;
  let desk: string;
  let all: Seen[];
  let visible: Seen[];
  let withheld: Seen[];

  /** Sends the query 3 times (jit compiles on the 2nd use); every answer must be the same. */
  async function thrice(token: string, query: string, variables?: Record<string, unknown>): Promise<Body> {
    const bodies: Body[] = [];
    for (let i = 0; i < 3; i++) bodies.push((await h.gql(token, query, variables)).body as Body);
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
    return bodies[0]!;
  }

  function noTraceOfWithheld(body: Body): void {
    const text = JSON.stringify(body);
    for (const w of withheld) {
      expect(text).not.toContain(w.id);
      expect(text).not.toContain(w.name);
    }
  }

  beforeAll(async () => {
    const manifest = join(mkdtempSync(join(tmpdir(), 'clearance-trusted-')), 'persisted-documents.json');
    writeFileSync(manifest, JSON.stringify({ [HASH]: BY_HASH }));
    const trustedEnv: Record<string, string> = { TRUSTED_DOCUMENTS_FILE: manifest, TRUSTED_DOCUMENTS: 'accept' };
    h = await startHarness({ env: { EXECUTION_ENGINE: executionEngine, ...trustedEnv } });
    const bill = await h.token({ sub: 'bill-lee', roles: ['billing-manager'] });
    const ALL = '{ patients(first: 20) { edges { node { id name department } } pageInfo { hasNextPage } } }';
    const r = await h.gql<{ patients: { edges: { node: Seen }[]; pageInfo: { hasNextPage: boolean } } }>(bill, ALL);
    expect(r.body.data!.patients.pageInfo.hasNextPage).toBe(false);
    all = r.body.data!.patients.edges.map((e) => e.node);
    visible = all.filter((p) => p.department === 'cardiology');
    withheld = all.filter((p) => p.department !== 'cardiology');
    expect(visible.length).toBeGreaterThan(1);
    expect(withheld.length).toBeGreaterThan(1);
    await departmentScopedDesk(h);
    desk = await h.token({ sub: `desk-${engine}`, roles: ['front-desk'], departments: ['cardiology'] });
  }, 60_000);
  afterAll(() => h.stop());

  // The list searches only the patients the caller may read (rules/field-decision.ts rowReadScope): the others are
  // not withheld from the answer, they are never in it, so nothing (not even a "withheld" notice) says they exist.
  it('lists only the caller\'s departments\' patients in every shape, with nothing said of the others', async () => {
    const shapes = [
      '{ patients(first: 20) { edges { cursor node { id name gender birthDate department } } pageInfo { hasNextPage } } }',
      '{ patients(first: 20) { a: edges { n: node { id } } b: edges { node { name } } } }',
      'fragment N on Node { id } fragment P on Patient { name } fragment E on PatientEdge { node { ...N ...P } } ' +
        '{ patients(first: 20) { edges { ...E } } }',
      'fragment C on PatientConnection { edges { node { id name } } } { patients(first: 20) { ...C } }',
      '{ patients(first: 20) { edges { node { ... on Patient { id name address { city } telecom { value } mrn } } } } }',
    ];
    for (const q of shapes) {
      const body = await thrice(desk, q);
      noTraceOfWithheld(body);
      expect(body.errors, q).toBeUndefined();
    }
    const full = await thrice(desk, shapes[0]!);
    const ids = (full.data!.patients as { edges: { node: Seen }[] }).edges.map((e) => e.node.id);
    expect(ids).toEqual(visible.map((p) => p.id));
  });

  it('no field of a withheld patient by id either (its contact fields are tenant-wide, the row is not)', async () => {
    for (const w of withheld) {
      const Q = 'query ($id: ID!, $g: ID!) { patient(id: $id) { address { city } telecom { value } mrn } ' +
        'node(id: $g) { ... on Patient { address { city } telecom { value } mrn } } }';
      const body = await thrice(desk, Q, { id: w.id, g: `Patient/${w.id}` });
      expect(body.data).toEqual({ patient: null, node: null });
      expect(body.errors?.map((e) => [e.path?.join('.'), e.extensions?.failedScope])).toEqual([
        ['patient', 'department'],
        ['node', 'department'],
      ]);
    }
  });

  it('two pages of the list in one query page through the visible patients only, each once, in order', async () => {
    const Q = '{ p1: patients(first: 3) { edges { node { id name } } pageInfo { endCursor } } ' +
      'p2: patients(first: 20, after: "b2Zmc2V0OjM") { edges { node { id name } } } }';
    const body = await thrice(desk, Q);
    noTraceOfWithheld(body);
    const ids = (k: string) => (body.data![k] as { edges: { node: Seen }[] }).edges.map((e) => e.node.id);
    expect([...ids('p1'), ...ids('p2')]).toEqual(visible.map((p) => p.id));
    expect(body.errors).toBeUndefined();
  });

  // graphql-armor counts a fragment spread as one more level unless told to flatten (src/server/query-limits.ts):
  // one cost for one selection however it is spelled, as client libraries spell it with fragments.
  it('the same selection costs the same inline and in fragments', async () => {
    const inline = await h.gql(desk, '{ patients(first: 50) { edges { node { id name } } } }');
    expect(inline.body.errors).toBeUndefined();
    const spread = await h.gql(desk, 'fragment E on PatientEdge { node { ...N } } fragment N on Node { id ... on Patient { name } } ' +
      '{ patients(first: 50) { edges { ...E } } }');
    expect(spread.body).toEqual(inline.body);
  });

  it('pages through every visible patient once, in order, at every page size', async () => {
    const PAGE = 'query ($n: Int, $after: String) { patients(first: $n, after: $after) { ' +
      'edges { cursor node { id name } } pageInfo { hasNextPage hasPreviousPage endCursor } } }';
    for (let n = 1; n <= all.length + 1; n++) {
      const seen: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages <= all.length + 1; pages++) {
        const body = await thrice(desk, PAGE, { n, after });
        noTraceOfWithheld(body);
        const page = body.data!.patients as {
          edges: { node: { id: string } }[];
          pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
        };
        expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
        seen.push(...page.edges.map((e) => e.node.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen, `first: ${n}`).toEqual(visible.map((p) => p.id));
    }
  });

  it('the name and department filters page the visible patients only', async () => {
    const SEARCH = 'query ($name: String, $d: String) { patients(first: 20, name: $name, department: $d) { edges { node { id } } } }';
    const ids = async (v: Record<string, unknown>) =>
      ((await thrice(desk, SEARCH, v)).data!.patients as { edges: { node: { id: string } }[] }).edges.map((e) => e.node.id);
    expect(await ids({ d: 'cardiology' })).toEqual(visible.map((p) => p.id));
    for (const p of visible) expect(await ids({ name: p.name.split(' ').at(-1) })).toContain(p.id);
    for (const p of withheld) expect(await ids({ name: p.name.split(' ').at(-1), d: p.department })).toEqual([]);
  });

  // The search asks FHIR only for the patients the caller may read (rules/field-decision.ts rowReadScope): a name that
  // matches only patients it may not read answers exactly as a name that matches nobody (no "withheld", no cursor
  // counting them), so no prefix spells out a hidden patient's name and no count says one exists.
  it('a name search that matches only withheld patients answers as one that matches nobody', async () => {
    const SEARCH = 'query ($name: String) { patients(first: 5, name: $name) { edges { cursor node { id } } ' +
      'pageInfo { hasNextPage startCursor endCursor } } }';
    const nobody = await thrice(desk, SEARCH, { name: 'Zzyzx' });
    expect(nobody).toEqual({ data: { patients: { edges: [], pageInfo: { hasNextPage: false, startCursor: null, endCursor: null } } } });
    const target = withheld.find((w) => !visible.some((v) => v.name.split(' ').at(-1) === w.name.split(' ').at(-1)))!;
    for (const prefix of [target.name.split(' ').at(-1)!, target.name.split(' ').at(-1)!.slice(0, 3)]) {
      const search = await thrice(desk, SEARCH, { name: prefix });
      if (visible.some((v) => v.name.includes(prefix))) continue;
      expect(search, prefix).toEqual(nobody);
    }
  });

  it('break-glass of one withheld patient adds that patient to the list, in its place, its reads flagged', async () => {
    const [target] = withheld;
    const dr = await h.token({ sub: `dr-${engine}`, roles: ['clinician'], departments: ['cardiology'] });
    const LIST = 'query BgList { patients(first: 20) { edges { node { id name } } } }';
    const before = await thrice(dr, LIST);
    expect((before.data!.patients as { edges: { node: Seen }[] }).edges.map((e) => e.node.id)).toEqual(visible.map((p) => p.id));
    const BG = 'mutation ($id: ID!) { breakGlass(patientId: $id, reason: "Unconscious patient in the ED, chart needed") { patientId } }';
    expect((await h.gql(dr, BG, { id: target!.id })).body.data).toEqual({ breakGlass: { patientId: target!.id } });
    const after = await thrice(dr, LIST);
    const opened = all.filter((p) => p.department === 'cardiology' || p.id === target!.id);
    expect((after.data!.patients as { edges: { node: Seen }[] }).edges.map((e) => e.node.id)).toEqual(opened.map((p) => p.id));
    const text = JSON.stringify(after);
    for (const w of withheld.filter((p) => p.id !== target!.id)) expect(text).not.toContain(w.id);
    const sec = await h.token({ sub: 'sec-sam', roles: ['security-admin'], mfa: true } as never);
    const Q = 'query ($f: AuditEventFilter) { auditEvents(filter: $f, first: 200) { edges { node { patientId breakGlass operation } } } }';
    const events = ((await h.gql(sec, Q, { f: { category: 'phi-read', actor: `dr-${engine}` } })).body as Body).data!.auditEvents as {
      edges: { node: { patientId: string; breakGlass: boolean; operation: string } }[];
    };
    const reads = events.edges.map((e) => e.node).filter((e) => e.operation === 'BgList');
    expect(new Set(reads.map((e) => e.patientId))).toEqual(new Set(opened.map((p) => p.id)));
    for (const e of reads) expect(e.breakGlass, e.patientId).toBe(e.patientId === target!.id);
  });

  it('a trusted document by hash: only the visible patients, its reads recorded per request\'s variables', async () => {
    const sec = await h.token({ sub: 'sec-sam', roles: ['security-admin'], mfa: true } as never);
    const count = async () => {
      const r = (await h.gql(sec, EVENTS, { filter: { category: 'phi-read', actor: `desk-${engine}` } })).body as Body;
      const edges = (r.data!.auditEvents as { edges: { node: { operation: string; patientId: string } }[] }).edges;
      return edges.filter((e) => e.node.operation === 'DeskByHash').length;
    };
    let seen = await count();
    for (const v of [false, true, false, true]) {
      for (let i = 0; i < 3; i++) {
        const res = await fetch(h.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${desk}` },
          body: JSON.stringify({ variables: { v }, extensions: { persistedQuery: { version: 1, sha256Hash: HASH } } }),
        });
        const body = (await res.json()) as Body;
        noTraceOfWithheld(body);
        expect(body.errors).toBeUndefined();
        const edges = (body.data!.patients as { edges: { node?: { id: string } }[] }).edges;
        expect(edges.map((e) => e.node?.id)).toEqual(visible.map((p) => (v ? undefined : p.id)));
        const now = await count();
        expect(now - seen, `v: ${v}`).toBe(v ? 0 : visible.length);
        seen = now;
      }
    }
  });

  it('records PHI reads for exactly the patients and fields returned, per shape and per variables of one document', async () => {
    const A = '{ patients(first: 20) { a: edges { n: node { id } } b: edges { node { name } } } }';
    const SKIP_NODE = 'query ($v: Boolean!) { patients(first: 20) { edges { cursor node @skip(if: $v) { id name } } } }';
    const INCLUDE_EDGES =
      'query ($v: Boolean!) { patients(first: 20) { edges @include(if: $v) { node { name } } pageInfo { endCursor } } }';
    const SPREADS = 'query ($v: Boolean!) { patients(first: 20) { ...C } } fragment C on PatientConnection { edges { ...E } } ' +
      'fragment E on PatientEdge { node { ...N ... on Patient @include(if: $v) { gender } } } fragment N on Node { id }';
    const TWO_NODES = 'query ($v: Boolean!) { patients(first: 20) { edges { x: node @skip(if: $v) { name } y: node { id } } } }';
    const ON_CONNECTION =
      'query ($v: Boolean!) { patients(first: 20) { pageInfo { hasNextPage } ... on PatientConnection @include(if: $v) { ' +
      'edges { node { birthDate } } } } }';
    const cases: [string, Record<string, unknown> | undefined, string[] | null][] = [
      [A, undefined, ['Patient.id', 'Patient.name']],
      ['{ patients(first: 20) { edges { cursor } pageInfo { endCursor } } }', undefined, null],
      ['{ patients(first: 20) { pageInfo { hasNextPage } } }', undefined, null],
      ['{ patients(first: 20) { edges { node { __typename } } } }', undefined, null],
      [SKIP_NODE, { v: true }, null],
      [SKIP_NODE, { v: false }, ['Patient.id', 'Patient.name']],
      [SKIP_NODE, { v: true }, null],
      [INCLUDE_EDGES, { v: false }, null],
      [INCLUDE_EDGES, { v: true }, ['Patient.name']],
      [INCLUDE_EDGES, { v: false }, null],
      [SPREADS, { v: false }, ['Patient.id']],
      [SPREADS, { v: true }, ['Patient.gender', 'Patient.id']],
      [SPREADS, { v: false }, ['Patient.id']],
      [TWO_NODES, { v: true }, ['Patient.id']],
      [TWO_NODES, { v: false }, ['Patient.id', 'Patient.name']],
      [TWO_NODES, { v: true }, ['Patient.id']],
      [ON_CONNECTION, { v: false }, null],
      [ON_CONNECTION, { v: true }, ['Patient.birthDate']],
    ];
    const sec = await h.token({ sub: 'sec-sam', roles: ['security-admin'], mfa: true } as never);
    type Event = { id: string; patientId: string; fields: string[] };
    const events = async () =>
      (((await h.gql(sec, EVENTS, { filter: { category: 'phi-read', actor: `desk-${engine}` } })).body as Body).data!.auditEvents as {
        edges: { node: Event }[];
      }).edges.map((e) => e.node);
    let known = new Set((await events()).map((e) => e.id));
    for (const [q, vars, fields] of cases) {
      const label = `${q} ${JSON.stringify(vars)}`;
      const body = await thrice(desk, q, vars);
      expect(body.errors, label).toBeUndefined();
      const now = await events();
      const fresh = now.filter((e) => !known.has(e.id));
      known = new Set(now.map((e) => e.id));
      if (fields === null) {
        expect(fresh, label).toEqual([]);
        continue;
      }
      expect([...new Set(fresh.map((e) => e.patientId))].sort(), label).toEqual(visible.map((p) => p.id).sort());
      for (const e of fresh) expect([...e.fields].sort(), label).toEqual(fields);
    }
  });
});
