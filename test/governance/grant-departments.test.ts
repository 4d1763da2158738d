import { describe, expect, it } from 'vitest';
import { compilePrincipalPolicy, readOf } from '../../rules/decide.js';
import { defaultPolicy } from '../../rules/policy-document.js';
import { openBreakGlass } from '../../src/governance/access-changes.js';
import { withTestEntry } from '../support/governance-fixtures.js';
import { grantCheck } from '../../src/governance/access-approval.js';
import { emptyAccessDoc, type AccessDoc } from '../../src/governance/access-entries.js';
import type { ChangeRequest } from '../../src/governance/change-request.js';
import { storedAccessOf } from '../../src/governance/stored-access-of.js';
import { approve, proposeChange } from '../../src/governance/transitions.js';
import { T0, at, functionsOf, person, rules } from './support.js';

// A tester's finding: a cardiology clinician asked for the `sensitive` grant for primary-care, got it approved, broke
// the glass on a primary-care patient and read the HIV diagnosis. A grant the policy gives per department is for
// patients of one's own departments (the token's, and those of one's department-scoped role assignments): asking for
// another is refused (BAD_USER_INPUT OUTSIDE_DEPARTMENTS), approving one is refused (FORBIDDEN), and a grant stored
// before the check covers no department its holder does not belong to, break-glass or not. Every grant x scope
// (none, inside, outside, mixed) x the principal's departments.

const policy = defaultPolicy();
const DEPARTMENTS = ['cardiology', 'oncology', 'pediatrics', 'primary-care'];
const SUB = 'dr-grey';
const entry = (doc: AccessDoc, over: Partial<Parameters<typeof withTestEntry>[1]>) =>
  withTestEntry(doc, { id: 'e-1', name: 'nurse', now: T0, ...over });

interface Principal {
  readonly name: string;
  readonly token: string[];
  readonly doc: AccessDoc;
  /** Their active production role assignments with departments (the access document says the same). */
  readonly assigned: { readonly role: string; readonly departments: string[] }[];
}
/**
 * The departments the person belongs to for a grant: the token's (the token carries clinician, which every grant of
 * the policy is for) and those of assignments of roles the grant is for. A second finding: a front-desk assignment in
 * primary care made a cardiology clinician a member of primary care for the `sensitive` grant (clinicians only).
 */
const memberFor = (p: Principal, grant: string) => [
  ...new Set([...p.token, ...p.assigned.filter((a) => policy.grants[grant]!.eligibleRoles.includes(a.role)).flatMap((a) => a.departments)]),
];
const empty = emptyAccessDoc(SUB);
const PRINCIPALS: Principal[] = [
  { name: 'no departments', token: [], doc: empty, assigned: [] },
  { name: 'cardiology', token: ['cardiology'], doc: empty, assigned: [] },
  { name: 'cardiology and oncology', token: ['cardiology', 'oncology'], doc: empty, assigned: [] },
  {
    name: 'cardiology, assigned (nurse) in primary-care',
    token: ['cardiology'],
    doc: entry(empty, { departments: ['primary-care'] }),
    assigned: [{ role: 'nurse', departments: ['primary-care'] }],
  },
  {
    name: 'cardiology, assigned (front-desk) in primary-care',
    token: ['cardiology'],
    doc: entry(empty, { name: 'front-desk', departments: ['primary-care'] }),
    assigned: [{ role: 'front-desk', departments: ['primary-care'] }],
  },
  {
    name: 'cardiology, a requested clinician role in oncology',
    token: ['cardiology'],
    doc: entry(empty, { name: 'clinician', departments: ['oncology'], source: 'access-request', expiresAt: Date.parse(at(600)) }),
    assigned: [{ role: 'clinician', departments: ['oncology'] }],
  },
  {
    name: 'cardiology, assigned in pediatrics for STAGING only',
    token: ['cardiology'],
    doc: entry(empty, { departments: ['pediatrics'], environments: ['STAGING'] }),
    assigned: [],
  },
  {
    name: 'cardiology, a revoked assignment in pediatrics',
    token: ['cardiology'],
    doc: { ...entry(empty, { departments: ['pediatrics'] }), entries: [] },
    assigned: [],
  },
];

const scopesFor = (member: string[]): [string, string[] | null][] => {
  const outside = DEPARTMENTS.filter((d) => !member.includes(d));
  return [
    ['none', null],
    ...(member[0] ? [['inside', [member[0]]] as [string, string[]]] : []),
    ...(member.length > 1 ? [['all inside', member] as [string, string[]]] : []),
    ['outside', [outside[0]!]],
    ['all outside', outside],
    ...(member[0] ? [['mixed', [outside[0]!, member[0]]] as [string, string[]]] : []),
  ];
};

/** Per department the policy means "patients of one's departments"; tenant-wide may be narrowed to any. */
const perDepartment = (grant: string) => policy.grants[grant]!.permissions.some((p) => p.scope === 'department');

const CASES = Object.keys(policy.grants).flatMap((grant) =>
  PRINCIPALS.flatMap((p) => scopesFor(memberFor(p, grant)).map(([scope, departments]) => [grant, p.name, scope, p, departments] as const)),
);

function requestOf(p: Principal, grant: string, departments: string[] | null, tokenDepartments = p.token) {
  const requester = person(SUB, ['clinician'], { departments: tokenDepartments });
  const after = entry(p.doc, {
    id: 'chg-g',
    kind: 'grant',
    name: grant,
    departments,
    source: 'access-request',
    expiresAt: Date.parse(at(60)),
    reason: 'need it',
  });
  return proposeChange({
    id: 'chg-g',
    tenant: 'acme',
    environment: 'PRODUCTION',
    target: { type: 'access-request', sub: SUB },
    current: { value: p.doc as never, version: 0 },
    newValue: after as never,
    requester,
    functionsOf,
    reason: 'need it',
    now: T0,
    rules,
    policy,
    origin: { type: 'access-request' },
  });
}

const approveBy = (change: ChangeRequest) =>
  approve(change, person('sec-2', ['security-admin']), {
    now: at(5),
    currentVersion: 0,
    functionsOf,
    canGrant: (a, c) => grantCheck(policy, functionsOf, a, c, at(5)),
  });

describe('the departments of a grant', () => {
  it('the cases cover every grant, both kinds of scope and every kind of scope', () => {
    expect(new Set(CASES.map(([g]) => g))).toEqual(new Set(Object.keys(policy.grants)));
    expect(new Set(CASES.map(([g]) => perDepartment(g)))).toEqual(new Set([true, false]));
    expect(new Set(CASES.map(([, , s]) => s))).toEqual(new Set(['none', 'inside', 'all inside', 'outside', 'all outside', 'mixed']));
  });

  it.each(CASES)('%s for %s, scope %s', (grant, _name, _scope, p, departments) => {
    const member = memberFor(p, grant);
    const outside = (departments ?? []).filter((d) => !member.includes(d));
    const refused = perDepartment(grant) && outside.length > 0;

    // requestAccess (the vet of the proposal): refused up front, naming each department outside.
    const proposed = requestOf(p, grant, departments);
    if (refused) {
      expect(proposed).toMatchObject({ ok: false, error: { code: 'BAD_USER_INPUT', reason: 'OUTSIDE_DEPARTMENTS' } });
      const error = !proposed.ok ? proposed.error : null;
      expect(error?.problems?.map((x) => x.path)).toEqual(outside.map((d) => `scopeDepartments[${departments!.indexOf(d)}]`));
      for (const d of outside) expect(error?.message).toContain(d);
    } else {
      expect(proposed.ok, !proposed.ok ? proposed.error.message : '').toBe(true);
    }

    // Its approval: a request stored before the check (made with a token of every department) is refused too.
    const stored = requestOf(p, grant, departments, DEPARTMENTS);
    if (!stored.ok) throw new Error(stored.error.message);
    const change = { ...stored.next, requester: { ...stored.next.requester, departments: p.token } };
    const approved = approveBy(change);
    if (refused) expect(approved).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'OUTSIDE_DEPARTMENTS' } });
    else expect(approved.ok, !approved.ok ? approved.error.message : '').toBe(true);

    // The kernel, with such a grant stored and the glass broken on a patient of every department: the grant covers
    // a department it was approved for only where the person belongs (per-department permissions), never through
    // break-glass.
    const principal = person(SUB, ['clinician'], { departments: p.token, mfa: false });
    const held = { id: 'g-1', kind: 'grant' as const, name: grant, departments, source: 'access-request' as const };
    let doc = entry(p.doc, { ...held, expiresAt: Date.parse(at(60)) });
    for (const d of DEPARTMENTS) {
      const opening = { id: `bg-${d}`, principal, patientId: `p-${d}`, reason: 'Unconscious in the ED', now: T0 };
      const opened = openBreakGlass(doc, policy, opening);
      if ('code' in opened) throw new Error(opened.message);
      doc = opened;
    }
    const access = compilePrincipalPolicy(policy, principal, { stored: storedAccessOf(doc, at(1)) });
    expect([...(access.memberDepartments[grant] ?? [])].sort()).toEqual([...member].sort());
    for (const permission of policy.grants[grant]!.permissions) {
      for (const dataClass of permission.dataClasses) {
        for (const d of DEPARTMENTS) {
          const covered =
            permission.scope === 'tenant'
              ? departments === null || departments.includes(d)
              : departments === null
                ? p.token.includes(d)
                : departments.includes(d) && member.includes(d);
          const decision = access.decide(readOf(dataClass), { tenant: 'acme', departments: [d], patientId: `p-${d}` });
          expect(decision.effect, `${dataClass} in ${d}`).toBe(covered ? 'ALLOW' : 'DENY');
          if (decision.effect === 'ALLOW') expect(decision.via).not.toMatch(/^break-glass/);
        }
      }
    }
  });

  it('a request stored before its requester\'s departments were kept counts their assignments only', () => {
    const p = PRINCIPALS.find((x) => x.name.startsWith('cardiology, a requested clinician role'))!;
    const stored = requestOf(p, 'sensitive', ['oncology', 'cardiology'], DEPARTMENTS);
    if (!stored.ok) throw new Error(stored.error.message);
    const { departments: _dropped, ...requester } = stored.next.requester;
    const old = { ...stored.next, requester };
    const refusal = { reason: 'OUTSIDE_DEPARTMENTS', message: expect.stringContaining('cardiology') };
    expect(approveBy(old)).toMatchObject({ ok: false, error: refusal });
    const onlyAssigned = requestOf(p, 'sensitive', ['oncology'], DEPARTMENTS);
    if (!onlyAssigned.ok) throw new Error(onlyAssigned.error.message);
    const { departments: _d, ...requester2 } = onlyAssigned.next.requester;
    expect(approveBy({ ...onlyAssigned.next, requester: requester2 }).ok).toBe(true);
  });
});
