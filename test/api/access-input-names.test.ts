import { readFileSync } from 'node:fs';
import { Kind, parse, type InputObjectTypeDefinitionNode } from 'graphql';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// A tester's finding: refusals of requestAccess and assignRole named the stored access document's fields (`role`,
// `grant`, `value.sub`) or a field that was not sent (`requestedGrant` for a `permission:` request), not the input the
// caller sent; and proposePolicy dropped a changed `governance` section without a word ("nothing to change"). Every kind
// of refused input of both mutations names, as `field` and in `problems`, a field of the mutation's input type.

const sdl = parse(readFileSync(new URL('../../schema/access.graphql', import.meta.url), 'utf8'));
const fieldsOf = (name: string) =>
  (sdl.definitions.find((d): d is InputObjectTypeDefinitionNode => d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION && d.name.value === name)
    ?.fields ?? []).map((f) => f.name.value);
const base = (path: string) => path.replace(/\[\d+\]$/, '');

const REQUEST = 'mutation ($i: RequestAccessInput!) { requestAccess(input: $i) { status } }';
const ASSIGN = 'mutation ($i: AssignRoleInput!) { assignRole(input: $i) { status } }';
const REQUESTS: [string, Record<string, unknown>, string][] = [
  ['unknown role', { requestedRole: 'wizard' }, 'requestedRole'],
  ['unknown grant', { requestedGrant: 'everything' }, 'requestedGrant'],
  ['a role and a grant', { requestedRole: 'nurse', requestedGrant: 'sensitive' }, 'requestedRole'],
  ['neither', {}, 'requestedRole'],
  ['a role its kind cannot use', { requestedRole: 'ai-agent' }, 'requestedRole'],
  ['a permission only roles carry', { permission: 'read:financial' }, 'permission'],
  ['a permission whose grant it cannot hold', { permission: 'read:sensitive' }, 'permission'],
  ['a grant it cannot hold', { requestedGrant: 'sensitive' }, 'requestedGrant'],
  ['no minutes', { requestedRole: 'clinician', durationMinutes: 0 }, 'durationMinutes'],
  ['a blank justification', { requestedRole: 'clinician', justification: '  ' }, 'justification'],
  ['a malformed department', { requestedRole: 'clinician', scopeDepartments: ['Cardiology!'] }, 'scopeDepartments'],
];
const ASSIGNS: [string, Record<string, unknown>, string][] = [
  ['unknown role', { assignedRole: 'wizard' }, 'assignedRole'],
  ['no assignee', { assignee: '' }, 'assignee'],
  ['an assignee with a leading blank', { assignee: ' sec-names' }, 'assignee'],
  ['an assignee with a trailing blank', { assignee: 'sec-names ' }, 'assignee'],
  ['an assignee with a control character', { assignee: 'sec-names\u0007' }, 'assignee'],
  ['an assignee with a zero-width space at its end', { assignee: 'sec-names\u200b' }, 'assignee'],
  ['an assignee with a bidirectional override', { assignee: 'sec-\u202enames' }, 'assignee'],
  ['an assignee of 256 characters', { assignee: 'a'.repeat(256) }, 'assignee'],
  // Invisible or look-alike characters that are not control or format characters (a tester's list): outside ASCII.
  ...['\u3164', '\u115f', '\u2800', '\u034f', '\ufe0f', '\u2028', '\u0301', '\u00a0'].map(
    (c): [string, Record<string, unknown>, string] => [
      `an assignee with U+${c.codePointAt(0)!.toString(16)}`,
      { assignee: `sec-${c}names` },
      'assignee',
    ],
  ),
  ['an expiry in the past', { expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt'],
  ['a malformed department', { scopeDepartments: ['../x'] }, 'scopeDepartments'],
];

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

it.each(REQUESTS)('requestAccess, %s: names %s', async (_what, over, field) => {
  const nurse = await h.token({ sub: 'rn-names', roles: ['nurse'], departments: ['cardiology'] });
  const i = { justification: 'covering a shift', durationMinutes: 60, ...over };
  const e = (await h.gql(nurse, REQUEST, { i })).body.errors?.[0];
  const ext = e?.extensions as { code: string; field: string; problems?: { path: string }[] };
  expect(ext, e?.message).toMatchObject({ code: 'BAD_USER_INPUT' });
  expect(base(ext.field)).toBe(field);
  for (const p of ext.problems ?? []) expect(fieldsOf('RequestAccessInput'), p.path).toContain(base(p.path));
});

it.each(ASSIGNS)('assignRole, %s: names %s', async (_what, over, field) => {
  const sec = await h.token({ sub: 'sec-names', roles: ['security-admin'], mfa: true });
  const i = { assignee: 'dr-new', assignedRole: 'nurse', reason: 'new hire', ...over };
  const e = (await h.gql(sec, ASSIGN, { i })).body.errors?.[0];
  const ext = e?.extensions as { code: string; field: string; problems?: { path: string }[] };
  expect(ext, e?.message).toMatchObject({ code: 'BAD_USER_INPUT' });
  expect(base(ext.field)).toBe(field);
  for (const p of ext.problems ?? []) expect(fieldsOf('AssignRoleInput'), p.path).toContain(base(p.path));
});

// A tester's finding: explain(role:assign:...) said "you may propose it" for an assignee assignRole refuses. Every
// refused assignee of the list above is refused by explain too, naming resource.assignee; a valid one is not.
const EXPLAIN_ASSIGN = 'query ($a: String!) { explain(action: "role:assign:support", resource: { assignee: $a }) { decision } }';
const BAD_ASSIGNEES = ASSIGNS.filter(([, , field]) => field === 'assignee');
it.each(BAD_ASSIGNEES)('explain(role:assign), %s: refused as assignRole refuses', async (_w, over) => {
  const sec = await h.token({ sub: 'sec-explains', roles: ['security-admin'], mfa: true });
  const e = (await h.gql(sec, EXPLAIN_ASSIGN, { a: over.assignee })).body.errors?.[0];
  expect(e?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ path: 'resource.assignee' }] });
});
// revokeRole vets its assignee as assignRole does (it echoed an invisible or bidirectional one in "holds no ...").
const REVOKE = 'mutation ($a: String!) { revokeRole(assignee: $a, assignedRole: "nurse", reason: "left the team") { status } }';
it.each(BAD_ASSIGNEES)('revokeRole, %s: refused as assignRole refuses', async (_w, over) => {
  const sec = await h.token({ sub: 'sec-revokes', roles: ['security-admin'], mfa: true });
  const e = (await h.gql(sec, REVOKE, { a: over.assignee })).body.errors?.[0];
  expect(e?.extensions, e?.message).toMatchObject({ code: 'BAD_USER_INPUT', field: 'assignee' });
});
// completeReview echoed an invisible assignee in its NOT_FOUND, and accessOf answered [] for one no assignment can name.
const REVIEW = 'mutation ($a: String!) { completeReview(assignee: $a, grantId: "g1", decision: KEEP) { id } }';
const ACCESS_OF = 'query ($a: String!) { accessOf(assignee: $a) { id } }';
it.each(BAD_ASSIGNEES)('completeReview and accessOf, %s: refused as assignRole refuses', async (_w, over) => {
  const sec = await h.token({ sub: 'sec-reviews', roles: ['security-admin'], mfa: true });
  for (const doc of [REVIEW, ACCESS_OF]) {
    const e = (await h.gql(sec, doc, { a: over.assignee })).body.errors?.[0];
    expect(e?.extensions, `${doc}: ${e?.message}`).toMatchObject({ code: 'BAD_USER_INPUT', field: 'assignee' });
  }
});

it('revokeRole of a valid assignee holding nothing answers NOT_FOUND naming them', async () => {
  const sec = await h.token({ sub: 'sec-revokes', roles: ['security-admin'], mfa: true });
  const e = (await h.gql(sec, REVOKE, { a: 'dr-nobody' })).body.errors?.[0];
  expect(e?.extensions).toMatchObject({ code: 'NOT_FOUND' });
  expect(e?.message).toContain('dr-nobody');
});

// A tester's finding: to a non-editor, assignRole answers FORBIDDEN (its field rule) whatever the assignee, and explain
// answered BAD_USER_INPUT on the assignee: both now refuse the nurse first.
it('explain(role:assign) by a non-editor with a bad assignee denies as assignRole refuses, before the assignee', async () => {
  const nurse = await h.token({ sub: 'rn-explains', roles: ['nurse'], departments: ['cardiology'] });
  const explained = await h.gql<{ explain: { decision: string } }>(nurse, EXPLAIN_ASSIGN, { a: 'dr-new\u200b' });
  expect(explained.body.errors).toBeUndefined();
  expect(explained.body.data?.explain.decision).toBe('DENY');
  const i = { assignee: 'dr-new\u200b', assignedRole: 'nurse', reason: 'new hire' };
  expect((await h.gql(nurse, ASSIGN, { i })).body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
});

it('explain(role:assign) with a valid assignee answers a decision', async () => {
  const sec = await h.token({ sub: 'sec-explains', roles: ['security-admin'], mfa: true });
  const r = await h.gql<{ explain: { decision: string } }>(sec, EXPLAIN_ASSIGN, { a: 'dr-new' });
  expect(r.body.errors).toBeUndefined();
  expect(r.body.data?.explain.decision).toBe('NEEDS_APPROVAL');
});

it('proposePolicy refuses a changed governance section, and accepts the document with it unchanged', async () => {
  const sec = await h.token({ sub: 'sec-gov', roles: ['security-admin'], mfa: true });
  const doc = JSON.parse(readFileSync(new URL('../../rules/default-policy.json', import.meta.url), 'utf8')) as {
    description: string;
    governance: { approvals: { editorRoles: { categories: { access: string[] } } } };
  };
  const PROPOSE = 'mutation ($d: JSON!) { proposePolicy(document: $d, reason: "clarify") { status } }';
  const changed = structuredClone(doc);
  changed.governance.approvals.editorRoles.categories.access.push('integration-engineer');
  const refused = (await h.gql(sec, PROPOSE, { d: changed })).body.errors?.[0]?.extensions;
  expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', field: 'document.governance' });
  const same = { ...structuredClone(doc), description: `${doc.description} (clarified)` };
  expect((await h.gql(sec, PROPOSE, { d: same })).body).toMatchObject({ data: { proposePolicy: { status: 'PENDING_APPROVAL' } } });
});
