import { describe, expect, it } from 'vitest';
import { compilePrincipalPolicy, readOf } from '../../rules/decide.js';
import { defaultPolicy } from '../../rules/policy-document.js';
import type { Principal } from '../../src/auth/principal.js';
import { openBreakGlass } from '../../src/governance/access-changes.js';
import { withTestEntry } from '../support/governance-fixtures.js';
import { emptyAccessDoc, type AccessDoc } from '../../src/governance/access-entries.js';
import { storedAccessOf } from '../../src/governance/stored-access-of.js';

// rules/decide.ts with what the store says: which wins (token vs standing assignments), time-limited grants ending
// at their expiry to the millisecond, break-glass for one patient.

const policy = defaultPolicy();
const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const grey: Principal = {
  sub: 'dr-grey',
  tenant: 'acme',
  kind: 'user',
  roles: ['clinician'],
  departments: ['cardiology'],
  mfa: false,
  scopes: null,
  grants: [],
};
const row = (departments: string[], patientId = 'p-1') => ({ tenant: 'acme', departments, patientId });
const read = (dataClass: string) => ({ action: 'read' as const, dataClass });
const compile = (doc: AccessDoc | null, at: number, used?: string[]) =>
  compilePrincipalPolicy(policy, grey, {
    stored: storedAccessOf(doc, at),
    ...(used ? { onGrantUsed: (id: string) => void used.push(id) } : {}),
  });

const entry = (doc: AccessDoc, over: Partial<Parameters<typeof withTestEntry>[1]>) =>
  withTestEntry(doc, { id: 'g-1', name: 'clinician', now: T0, ...over });

describe('which wins: token roles and stored assignments', () => {
  it('no stored assignment: the token decides', () => {
    expect(compile(null, T0).decide(read('clinical'), row(['cardiology'])).effect).toBe('ALLOW');
  });

  // Issue 13 item 9: an assignment adds, it never locks a person out. Every combination of (role in the token or
  // not) x (no stored assignment of it, active assignment in STAGING only / PRODUCTION only / both, revoked one),
  // asked per environment: PRODUCTION is also what data reads use.
  const ENVS = ['STAGING', 'PRODUCTION'] as const;
  type Stored = 'none' | 'STAGING' | 'PRODUCTION' | 'both' | 'revoked';
  const cases: [boolean, Stored, Record<(typeof ENVS)[number], boolean>][] = [
    [true, 'none', { STAGING: true, PRODUCTION: true }],
    [false, 'none', { STAGING: false, PRODUCTION: false }],
    [true, 'STAGING', { STAGING: true, PRODUCTION: false }],
    [false, 'STAGING', { STAGING: true, PRODUCTION: false }],
    [true, 'PRODUCTION', { STAGING: false, PRODUCTION: true }],
    [false, 'PRODUCTION', { STAGING: false, PRODUCTION: true }],
    [true, 'both', { STAGING: true, PRODUCTION: true }],
    [false, 'both', { STAGING: true, PRODUCTION: true }],
    [true, 'revoked', { STAGING: false, PRODUCTION: false }],
    [false, 'revoked', { STAGING: false, PRODUCTION: false }],
  ];
  it.each(
    cases,
  )('billing-manager in the token %s, stored %s: counts %j; the nurse role the store never assigned stays', (inToken, st, want) => {
    const token: Principal = { ...grey, sub: 'nina', roles: inToken ? ['nurse', 'billing-manager'] : ['nurse'] };
    let doc = emptyAccessDoc('nina');
    if (st !== 'none') {
      const environments = st === 'both' || st === 'revoked' ? (['STAGING', 'PRODUCTION'] as const) : ([st] as const);
      doc = entry(doc, { id: 'bm', name: 'billing-manager', environments: [...environments] });
      if (st === 'revoked')
        doc = {
          ...doc,
          entries: doc.entries.map((e) => ({ ...e, revoked: { by: 'sec', at: new Date(T0).toISOString(), reason: 'left billing' } })),
        };
    }
    const p = compilePrincipalPolicy(policy, token, { stored: storedAccessOf(doc, T0 + 1) });
    for (const env of ENVS) {
      const roles = p.principal.rolesByEnvironment?.[env] ?? p.principal.roles;
      expect(roles.includes('billing-manager'), `${env}`).toBe(want[env]);
      expect(roles.includes('nurse'), `${env}: nurse stays`).toBe(true);
    }
    expect(p.principal.roles.includes('billing-manager')).toBe(want.PRODUCTION);
    // Data reads are PRODUCTION's: the nurse still reads medications in her department, whatever billing holds.
    expect(p.decide(read('medications'), row(['cardiology'])).effect).toBe('ALLOW');
    const financial = p.decide(read('financial'), row(['cardiology']));
    expect(financial.effect).toBe(want.PRODUCTION ? 'ALLOW' : 'DENY');
    // A token that carries the role is told where the store confines it, not "none of your roles gives it".
    if (financial.effect === 'DENY') {
      const why = !inToken
        ? 'none of your roles gives it'
        : st === 'revoked'
          ? "your token's billing-manager role is no longer assigned to you in the gateway"
          : "your token's billing-manager role is assigned to you in the gateway for STAGING only";
      expect(financial.denial).toMatchObject({ failedScope: 'role' });
      expect(financial.denial.message).toContain(why);
      // A request for the role would be refused (the store decides it): no ready request, the assignment to change.
      if (inToken) {
        expect(financial.denial.requestAccess).toBeNull();
        expect(financial.denial.howToGet).toContain('Ask security to assign you billing-manager for PRODUCTION');
      }
    }
  });

  it('a department denial names the departments the permission covers, an assignment\'s included', () => {
    // A token with no department, billing-manager assigned for cardiology: an oncology row is outside "cardiology".
    const token: Principal = { ...grey, sub: 'bill', roles: [], departments: [] };
    const doc = entry(emptyAccessDoc('bill'), { name: 'billing-manager', departments: ['cardiology'] });
    const p = compilePrincipalPolicy(policy, token, { stored: storedAccessOf(doc, T0 + 1) });
    const d = p.decide(read('financial'), row(['oncology']));
    expect(d.effect === 'DENY' && d.denial.failedScope).toBe('department');
    expect(d.effect === 'DENY' && d.denial.howToGet).toContain('Only patients of your departments for it (cardiology)');
  });

  it('an assigned role covers the departments its assignment names; the token\'s other roles keep the token\'s', () => {
    const doc = entry(emptyAccessDoc('dr-grey'), { name: 'nurse', departments: ['oncology'] });
    const p = compile(doc, T0);
    expect(p.principal.roles).toEqual(['clinician', 'nurse']);
    expect(p.principal.departments).toEqual(['cardiology']);
    // clinician (from the token) for cardiology; nurse (from the store) for oncology, and only nurse's classes there.
    expect(p.decide(read('clinical'), row(['cardiology'])).effect).toBe('ALLOW');
    expect(p.decide(read('medications'), row(['oncology'])).effect).toBe('ALLOW');
    expect(p.decide(read('clinical'), row(['oncology'])).effect).toBe('DENY');
  });

  it('a revoked assignment ends the role at once, even for a token that still asserts it', () => {
    const assigned = entry(emptyAccessDoc('dr-grey'), { id: 'c-1', name: 'clinician' });
    expect(compile(assigned, T0).decide(read('clinical'), row(['cardiology'])).effect).toBe('ALLOW');
    const revoked = {
      ...assigned,
      entries: assigned.entries.map((e) => ({ ...e, revoked: { by: 'sec', at: new Date(T0).toISOString(), reason: 'left' } })),
    };
    const p = compile(revoked, T0 + 1);
    expect(p.principal.roles).toEqual([]);
    expect(p.decide(read('clinical'), row(['cardiology'])).effect).toBe('DENY');
  });

  it('a time-limited grant is added on top and ends at its expiry to the millisecond', () => {
    const doc = entry(emptyAccessDoc('dr-grey'), { source: 'access-request', departments: ['oncology'], expiresAt: T0 + 60_000 });
    const used: string[] = [];
    expect(compile(doc, T0 + 59_999, used).decide(read('clinical'), row(['oncology']))).toMatchObject({
      effect: 'ALLOW',
      via: 'access:g-1',
    });
    expect(used).toEqual(['g-1']);
    expect(compile(doc, T0 + 60_000).decide(read('clinical'), row(['oncology']))).toMatchObject({
      effect: 'DENY',
      denial: { failedScope: 'department' },
    });
    // Own departments still come from the token, not from the grant.
    expect(compile(doc, T0).decide(read('clinical'), row(['cardiology'])).effect).toBe('ALLOW');
  });
});

describe('a grant or assignment that names departments covers those only', () => {
  // Every tenant-wide read a stored grant or role brings (and the principal holds no other way): approved for
  // oncology, it reads oncology's rows, not the tenant's (an `identifiers` grant for one department unmasked every
  // department's MRN); named for no department, the whole tenant as the policy says. A decision about no row is
  // unchanged.
  const outsider: Principal = { ...grey, departments: ['pediatrics'] };
  const base = compilePrincipalPolicy(policy, outsider);
  const sources = [
    { kind: 'grant' as const, name: 'identifiers', permissions: policy.grants.identifiers!.permissions },
    { kind: 'role' as const, name: 'billing-manager', permissions: policy.roles['billing-manager']!.permissions },
  ];
  for (const src of sources) {
    const classes = src.permissions
      .filter((p) => p.scope === 'tenant' && p.actions.includes('read'))
      .flatMap((p) => p.dataClasses)
      .filter((dc) => base.decide(read(dc), row(['cardiology'])).effect === 'DENY');
    it(`${src.kind} ${src.name}: ${classes.join(', ')}`, () => {
      expect(classes.length).toBeGreaterThan(0);
      for (const departments of [['oncology'], null]) {
        const doc = entry(emptyAccessDoc('dr-grey'), { kind: src.kind, name: src.name, source: 'access-request', departments });
        const p = compilePrincipalPolicy(policy, outsider, { stored: storedAccessOf(doc, T0) });
        for (const dc of classes) {
          expect(p.decide(read(dc), row(['oncology'])).effect, `${dc} oncology`).toBe('ALLOW');
          expect(p.decide(read(dc), row(['cardiology'])).effect, `${dc} cardiology`).toBe(departments ? 'DENY' : 'ALLOW');
          expect(p.decide(read(dc)).effect, `${dc} no row`).toBe('ALLOW');
          expect(p.readScope(readOf(dc)), dc).toEqual(departments ? { kind: 'rows', departments, patients: [] } : { kind: 'tenant' });
        }
      }
    });
  }
});

describe('break-glass', () => {
  it('opens the one patient for the permissions already held, records it, and ends', () => {
    const doc = openBreakGlass(emptyAccessDoc('dr-grey'), policy, {
      id: 'bg-1',
      principal: grey,
      patientId: 'p-onc',
      reason: 'Unconscious in the ED',
      now: T0,
    });
    if ('code' in doc) throw new Error(doc.message);
    const p = compile(doc, T0 + 1_000);
    expect(p.decide(read('notes'), row(['oncology'], 'p-onc'))).toMatchObject({ effect: 'ALLOW', via: 'break-glass:bg-1' });
    expect(p.decide(read('notes'), row(['oncology'], 'p-other')).effect).toBe('DENY');
    expect(p.decide(read('financial'), row(['oncology'], 'p-onc')).effect).toBe('DENY');
    // In-department reads are not break-glass reads.
    expect(p.decide(read('notes'), row(['cardiology'], 'p-card')).effect).toBe('ALLOW');
    expect([...p.breakGlassUsed]).toEqual(['p-onc']);
    expect(compile(doc, T0 + 60 * 60_000).decide(read('notes'), row(['oncology'], 'p-onc')).effect).toBe('DENY');
  });

  // rules/decide.ts shares row decisions between rows of the same tenant and departments; under break-glass the
  // patient is part of what is shared, so the opened patient never opens (or closes) another of its department,
  // whichever is asked first, with the interned requests the guards use.
  it('is decided per patient even where rows of one department share their decisions', () => {
    const opening = { id: 'bg-1', principal: grey, patientId: 'p-onc', reason: 'Unconscious in the ED', now: T0 };
    const doc = openBreakGlass(emptyAccessDoc('dr-grey'), policy, opening);
    if ('code' in doc) throw new Error(doc.message);
    const notes = readOf('notes');
    for (const order of [['p-onc', 'p-a', 'p-b'], ['p-a', 'p-onc', 'p-b'], ['p-a', 'p-b', 'p-onc']]) {
      const p = compile(doc, T0 + 1_000);
      const effects = Object.fromEntries(order.map((id) => [id, p.decide(notes, row(['oncology'], id)).effect]));
      expect(effects, order.join(',')).toEqual({ 'p-onc': 'ALLOW', 'p-a': 'DENY', 'p-b': 'DENY' });
      expect([...p.breakGlassUsed]).toEqual(['p-onc']);
    }
    // Without break-glass, two patients of one department get the one decision (made once).
    const plain = compile(null, T0);
    expect(plain.decide(notes, row(['cardiology'], 'p-1'))).toBe(plain.decide(notes, row(['cardiology'], 'p-2')));
    expect(plain.decide(notes, row(['oncology'], 'p-3')).effect).toBe('DENY');
  });

  // The rows a search may ask for (src/resolvers/patients.ts asks FHIR only for these): the same coverage as decide,
  // written as data: every decision it allows falls inside it, and what it leaves out is denied.
  it('says which rows a request reaches: tenant, departments and opened patients, or none', () => {
    const opening = { id: 'bg-1', principal: grey, patientId: 'p-onc', reason: 'Unconscious in the ED', now: T0 };
    const doc = openBreakGlass(emptyAccessDoc('dr-grey'), policy, opening);
    if ('code' in doc) throw new Error(doc.message);
    const p = compile(doc, T0 + 1_000);
    expect(p.readScope(read('demographics'))).toEqual({ kind: 'tenant' });
    expect(p.readScope(read('notes'))).toEqual({ kind: 'rows', departments: [...grey.departments].sort(), patients: ['p-onc'] });
    expect(p.readScope(read('financial'))).toEqual({ kind: 'none' });
    const scope = p.readScope(read('notes'));
    if (scope.kind !== 'rows') throw new Error('rows expected');
    for (const d of ['cardiology', 'oncology', 'pediatrics', 'primary-care']) {
      for (const id of ['p-onc', 'p-x']) {
        const inScope = scope.departments.includes(d) || scope.patients.includes(id);
        expect(p.decide(read('notes'), row([d], id)).effect, `${d} ${id}`).toBe(inScope ? 'ALLOW' : 'DENY');
      }
    }
  });

  // Break-glass extends what a role gives, never a grant: a grant is approved for a scope (sensitive: patients of one's
  // departments; a stored grant: the departments it names). Every grant of the policy the clinician may hold, held
  // every way (in the token, stored for the tenant, stored for the clinician's department): the opened patient of
  // another department gets none of the grant's classes, while every department-scoped class of the role opens.
  it('never extends a grant to the opened patient (every grant, held every way); every role class opens', () => {
    const grants = Object.entries(policy.grants).filter(([, g]) => g.eligibleRoles.includes('clinician'));
    expect(grants.map(([name]) => name).sort()).toEqual(['identifiers', 'sensitive']);
    const roleClasses = policy.roles.clinician!.permissions
      .filter((p) => p.scope === 'department' && p.actions.includes('read'))
      .flatMap((p) => p.dataClasses);
    expect(roleClasses.length).toBeGreaterThan(3);
    for (const [name, grant] of grants) {
      const classes = grant.permissions.filter((p) => p.actions.includes('read')).flatMap((p) => p.dataClasses);
      const stored = (departments: string[] | null) =>
        entry(emptyAccessDoc('dr-grey'), { kind: 'grant', name, departments, expiresAt: T0 + 3_600_000, source: 'access-request' });
      const ways: [string, Principal, AccessDoc][] = [
        ['token', { ...grey, grants: [name] }, emptyAccessDoc('dr-grey')],
        ['stored, tenant', grey, stored(null)],
        ['stored, cardiology', grey, stored(['cardiology'])],
      ];
      for (const [way, principal, held] of ways) {
        const opening = { id: 'bg-1', principal, patientId: 'p-onc', reason: 'Unconscious in the ED', now: T0 };
        const doc = openBreakGlass(held, policy, opening);
        if ('code' in doc) throw new Error(doc.message);
        const p = compilePrincipalPolicy(policy, principal, { stored: storedAccessOf(doc, T0 + 1_000) });
        const without = compilePrincipalPolicy(policy, principal, { stored: storedAccessOf(held, T0 + 1_000) });
        const onc = row(['oncology'], 'p-onc');
        for (const dataClass of classes) {
          const at = `${name} ${way} ${dataClass}`;
          // The grant counts in its own scope (the clinician's department), so it was held; for the opened patient it
          // answers as it does without break-glass (a tenant-wide identifiers grant covers every patient anyway).
          expect(p.decide(read(dataClass), row(['cardiology'], 'p-card')).effect, `${at} in department`).toBe('ALLOW');
          const opened = p.decide(read(dataClass), onc);
          expect(opened.effect, `${at} opened`).toBe(without.decide(read(dataClass), onc).effect);
          expect(opened.effect === 'ALLOW' ? opened.via : 'denied', `${at} via`).not.toMatch(/^break-glass/);
          if (way === 'stored, cardiology' || name === 'sensitive') expect(opened.effect, at).toBe('DENY');
        }
        for (const dataClass of roleClasses) {
          expect(p.decide(read(dataClass), onc), `${name} ${way} ${dataClass}`).toMatchObject({
            effect: 'ALLOW',
            via: 'break-glass:bg-1',
          });
        }
      }
    }
  });

  it('is only for the roles the policy names, with a reason', () => {
    const nurse = { ...grey, roles: ['nurse'] };
    expect(
      openBreakGlass(emptyAccessDoc('x'), policy, { id: 'b', principal: nurse, patientId: 'p', reason: 'Patient collapsed', now: T0 }),
    ).toMatchObject({ reason: 'NOT_ELIGIBLE' });
    expect(openBreakGlass(emptyAccessDoc('x'), policy, { id: 'b', principal: grey, patientId: 'p', reason: 'x', now: T0 })).toMatchObject({
      reason: 'REASON_REQUIRED',
    });
  });
});

describe('denials carry the approval path and a ready requestAccess', () => {
  it('department: this role, for the row\'s departments, with the path the governance layer states', () => {
    const path = {
      environment: 'PRODUCTION',
      risk: 'HIGH',
      requiredApprovals: 2,
      approverFunctions: ['security', 'clinical'],
      distinctFunctions: true,
      ownerFunctionRequired: true,
      requiredFunction: null,
      mfaRequired: true,
      summary: 's',
    };
    const p = compilePrincipalPolicy(policy, grey, { approvalPathOf: () => path });
    const d = p.decide(read('clinical'), row(['oncology']));
    expect(d).toMatchObject({
      effect: 'DENY',
      denial: { approvalPath: path, requestAccess: { requestedRole: 'clinician', scopeDepartments: ['oncology'] } },
    });
    // Another tenant can never be requested.
    expect(p.decide(read('clinical'), { tenant: 'globex', departments: ['cardiology'] })).toMatchObject({
      denial: { failedScope: 'tenant', approvalPath: null, requestAccess: null },
    });
  });
});

// rules/decide.ts computes what a token and stored access hold once for every request that carries them; what
// happens in one request (grant usage, break-glass patients read, row decisions) must stay that request's.
describe('holdings shared between the requests of one token', () => {
  const grantFor = (expiresAt: number | null) =>
    entry(emptyAccessDoc('dr-grey'), { source: 'access-request', departments: ['oncology'], expiresAt });

  it('share the principal, frozen: no request can change the next one\'s', () => {
    const a = compile(null, T0);
    const b = compile(null, T0);
    expect(b.principal).toBe(a.principal);
    expect(Object.isFrozen(a.principal) && Object.isFrozen(a.principal.roles)).toBe(true);
    expect(() => (a.principal.roles as string[]).push('security-admin')).toThrow(TypeError);
    expect(b.decide(read('configuration')).effect).toBe(compilePrincipalPolicy(policy, grey).decide(read('configuration')).effect);
  });

  it('change with anything in the token or the stored access: a new grant, its expiry, another department', () => {
    const doc = grantFor(T0 + 60_000);
    expect(compile(null, T0).decide(read('clinical'), row(['oncology'])).effect).toBe('DENY');
    expect(compile(doc, T0).decide(read('clinical'), row(['oncology'])).effect).toBe('ALLOW');
    expect(compile(doc, T0 + 60_000).decide(read('clinical'), row(['oncology'])).effect).toBe('DENY');
    expect(compile(doc, T0).decide(read('clinical'), row(['oncology'])).effect).toBe('ALLOW');
    const moved = compilePrincipalPolicy(policy, { ...grey, departments: ['oncology'] });
    expect(moved.decide(read('clinical'), row(['oncology'])).effect).toBe('ALLOW');
    expect(compile(null, T0).decide(read('clinical'), row(['oncology'])).effect).toBe('DENY');
    const scoped = compilePrincipalPolicy(policy, { ...grey, scopes: ['patient/Patient.r'] });
    expect(scoped.decide(read('clinical'), row(['cardiology'])).effect).toBe('DENY');
    expect(compile(null, T0).decide(read('clinical'), row(['cardiology'])).effect).toBe('ALLOW');
  });

  it('record a grant\'s usage and the break-glass patients read in every request, not only the first', () => {
    const doc = grantFor(null);
    for (let i = 0; i < 3; i++) {
      const used: string[] = [];
      compile(doc, T0, used).decide(read('clinical'), row(['oncology']));
      expect(used, `request ${i}`).toEqual(['g-1']);
    }
    const opening = { id: 'bg-1', principal: grey, patientId: 'p-onc', reason: 'Unconscious in the ED', now: T0 };
    const opened = openBreakGlass(emptyAccessDoc('dr-grey'), policy, opening);
    if ('code' in opened) throw new Error(opened.message);
    const first = compile(opened, T0 + 1_000);
    first.decide(read('notes'), row(['oncology'], 'p-onc'));
    expect([...first.breakGlassUsed]).toEqual(['p-onc']);
    const second = compile(opened, T0 + 1_000);
    expect([...second.breakGlassUsed]).toEqual([]);
    second.decide(read('notes'), row(['oncology'], 'p-onc'));
    expect([...second.breakGlassUsed]).toEqual(['p-onc']);
  });
});
