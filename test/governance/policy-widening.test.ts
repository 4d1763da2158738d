import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { POLICY_PARTS, widenedByPolicy } from '../../src/governance/policy-widening.js';
import { defaultPolicy, policyDocumentSchema } from '../../rules/policy-document.js';

// Which roles and grants a policy change widens (src/governance/policy-widening.ts): whoever holds one may not approve
// it (SELF_BENEFIT). The schema is walked: every part of the document has a meaning, and every part that names a role
// or bounds what roles get is widened in every way the default policy allows and narrowed, for every role.

type Permission = { dataClasses: string[]; actions: string[]; scope: string };
type Doc = ReturnType<typeof defaultPolicy> & {
  roles: Record<string, { function: string; permissions: Permission[]; principalKinds: string[] }>;
  grants: Record<string, { permissions: Permission[]; eligibleRoles: string[]; owner: string }>;
};
const base = () => JSON.parse(JSON.stringify(defaultPolicy())) as Doc;
const none = { roles: new Set(), grants: new Set(), everyone: false };
const policy = base();
const ROLES = Object.keys(policy.roles);

/** The parts of a zod schema: `*` for a record's keys, `[]` for an array's items, down to a part POLICY_PARTS names. */
function schemaParts(schema: z.ZodType, part = ''): string[] {
  if (Object.hasOwn(POLICY_PARTS, part)) return [part];
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  const join = (key: string) => (part ? `${part}.${key}` : key);
  switch (def.type) {
    case 'optional':
      return schemaParts(def.innerType as z.ZodType, part);
    case 'object':
      return Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([k, s]) => schemaParts(s, join(k)));
    case 'record':
      return schemaParts(def.valueType as z.ZodType, join('*'));
    case 'array':
      return schemaParts(def.element as z.ZodType, `${part}[]`);
    default:
      return [part];
  }
}

/** The concrete places of a part in a document: the path to the value (an array part: to the array). */
function places(doc: unknown, part: string): string[][] {
  const steps = part.replace(/\[\]$/, '').split('.');
  let found: [string[], unknown][] = [[[], doc]];
  for (const step of steps) {
    found = found.flatMap(([at, node]) => {
      const o = (node ?? {}) as Record<string, unknown>;
      return step === '*' ? Object.keys(o).map((k) => [[...at, k], o[k]] as [string[], unknown]) : [[[...at, step], o[step]]];
    });
  }
  return found.filter(([, v]) => v !== undefined).map(([at]) => at);
}
const get = (doc: unknown, at: string[]) => at.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], doc);
const set = (doc: unknown, at: string[], value: unknown) => {
  (get(doc, at.slice(0, -1)) as Record<string, unknown>)[at.at(-1)!] = value;
};
const changed = (at: string[], to: (old: unknown) => unknown) => {
  const after = base();
  set(after, at, to(get(after, at)));
  return widenedByPolicy(policy, after);
};
const partsMeaning = (...meanings: string[]) => Object.keys(POLICY_PARTS).filter((p) => meanings.includes(POLICY_PARTS[p]!));

describe('every part of the policy document has a meaning', () => {
  it('the schema\'s parts are exactly those POLICY_PARTS reads', () => {
    expect(schemaParts(policyDocumentSchema).sort()).toEqual(Object.keys(POLICY_PARTS).sort());
  });

  it('an unchanged policy widens nothing', () => {
    expect(widenedByPolicy(policy, base())).toEqual(none);
  });
});

describe('a role named anywhere: naming another role there widens that role only', () => {
  const cases = partsMeaning('owner', 'eligible-role').flatMap((part) =>
    places(policy, part).map((at) => [part, at.join('.'), at] as const),
  );
  it('covers owners and eligible roles of data classes, grants and break-glass', () => {
    expect(new Set(cases.map(([part]) => part))).toEqual(new Set(partsMeaning('owner', 'eligible-role')));
    expect(cases.map(([, path]) => path)).toEqual(
      expect.arrayContaining(['dataClasses.audit.owner', 'grants.identifiers.owner', 'breakGlass.eligibleRoles']),
    );
  });

  it.each(cases)('%s at %s', (part, _path, at) => {
    const list = part.endsWith('[]');
    const current = get(policy, at);
    const named = list ? (current as string[]) : [current as string];
    const grant = at[0] === 'grants' ? at[1]! : null;
    for (const role of ROLES.filter((r) => !named.includes(r))) {
      const w = changed(at, (old) => (list ? [...(old as string[]), role] : role));
      expect(w.roles, `${role} added at ${at.join('.')}`).toEqual(new Set([role]));
      // A grant whose eligible roles grow gives more to its holders too; an owner change gives the grant's holders nothing.
      expect(w.grants, `${role} at ${at.join('.')}`).toEqual(new Set(grant && list ? [grant] : []));
      expect(w.everyone).toBe(false);
    }
    // Narrowing: a role taken off a list widens nobody (an owner replaced: only the new owner, above).
    if (list) expect(changed(at, (old) => (old as string[]).slice(1))).toEqual(none);
  });
});

describe('a numeric bound: raising it widens the roles it bounds; lowering it widens nobody', () => {
  const cases = partsMeaning('upper-bound').flatMap((part) => places(policy, part).map((at) => [at.join('.'), at] as const));
  it('covers break-glass minutes', () => {
    expect(cases.map(([path]) => path)).toContain('breakGlass.maxMinutes');
  });
  it.each(cases)('%s', (_path, at) => {
    const parent = get(policy, at.slice(0, -1)) as Record<string, unknown>;
    // The roles named beside the bound (break-glass: its eligible roles), else the role or grant whose entry it is in.
    const beside = Object.values(parent).flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => ROLES.includes(v as string));
    expect(beside.length).toBeGreaterThan(0);
    expect(changed(at, (n) => (n as number) + 1).roles).toEqual(new Set(beside));
    expect(changed(at, (n) => (n as number) * 24).roles).toEqual(new Set(beside));
    expect(changed(at, (n) => (n as number) - 1)).toEqual(none);
    // Added where there was none: as large as it gets.
    const without = base();
    delete (without as Record<string, unknown>)[at[0]!];
    expect(widenedByPolicy(without, policy).roles).toEqual(new Set(beside));
    expect(widenedByPolicy(policy, without)).toEqual(none);
  });
});

describe('a data class\'s FHIR resources: dropping one gives the class to more tokens (SMART scopes)', () => {
  const holders = (dataClass: string) => {
    const has = (ps: Permission[]) => ps.some((p) => p.dataClasses.includes(dataClass));
    return {
      roles: new Set(Object.entries(policy.roles).filter(([, r]) => has(r.permissions)).map(([n]) => n)),
      grants: new Set(Object.entries(policy.grants).filter(([, g]) => has(g.permissions)).map(([n]) => n)),
      everyone: false,
    };
  };
  const cases = partsMeaning('requirement').flatMap((part) => places(policy, part).map((at) => [at.join('.'), at] as const));
  it.each(cases)('%s', (_path, at) => {
    expect(changed(at, (l) => (l as string[]).slice(1))).toEqual(holders(at[1]!));
    expect(changed(at, (l) => [...(l as string[]), 'Basic'])).toEqual(none);
  });
});

describe('text and catalogues give nothing', () => {
  const cases = partsMeaning('text', 'catalogue').flatMap((part) => places(policy, part).map((at) => [at.join('.'), at] as const));
  it.each(cases)('%s', (_path, at) => {
    expect(changed(at, (v) => (Array.isArray(v) ? [...v, 'zz-new'] : `${String(v)} (edited)`))).toEqual(none);
  });

  it('a part outside the schema that changes widens everyone (never after validation; fails closed)', () => {
    const after = base();
    (after as unknown as Record<string, unknown>).limits = { anything: 1 };
    expect(widenedByPolicy(policy, after).everyone).toBe(true);
  });
});

describe('a role\'s or grant\'s own entry', () => {
  it.each(ROLES)('role %s: a class, action, tenant scope, kind or function widens it; a narrowing does not', (role) => {
    const reads = new Set(p0(role).filter((x) => x.actions.includes('read')).flatMap((x) => x.dataClasses));
    const unread = Object.keys(policy.dataClasses).find((c) => !reads.has(c))!;
    const ways: [string, (p: Doc) => void, boolean][] = [
      ['a class', (p) => p.roles[role]!.permissions.push({ dataClasses: [unread], actions: ['read'], scope: 'department' }), true],
      ['an action', (p) => p.roles[role]!.permissions.push({ dataClasses: ['configuration'], actions: ['write'], scope: 'tenant' }), true],
      ['tenant scope', (p) => p.roles[role]!.permissions.forEach((x) => (x.scope = 'tenant')), p0(role).some((x) => x.scope !== 'tenant')],
      ['a kind', (p) => p.roles[role]!.principalKinds.push('service'), !policy.roles[role]!.principalKinds.includes('service')],
      ['another function', (p) => (p.roles[role]!.function = 'security'), policy.roles[role]!.function !== 'security'],
      ['a narrowing', (p) => (p.roles[role]!.permissions = p.roles[role]!.permissions.slice(1)), false],
    ];
    for (const [way, change, widens] of ways) {
      const after = base();
      change(after);
      const w = widenedByPolicy(policy, after);
      expect(w.roles.has(role), `${role}: ${way}`).toBe(widens);
      expect([...w.roles].filter((r) => r !== role), `${role}: ${way}`).toEqual([]);
    }
  });

  it.each(Object.keys(policy.grants))('grant %s: a class or an eligible role widens it', (grant) => {
    const more = base();
    more.grants[grant]!.permissions.push({ dataClasses: ['financial'], actions: ['read'], scope: 'tenant' });
    expect(widenedByPolicy(policy, more).grants).toEqual(new Set([grant]));
    const eligible = base();
    eligible.grants[grant]!.eligibleRoles.push('support');
    expect(widenedByPolicy(policy, eligible)).toEqual({ roles: new Set(['support']), grants: new Set([grant]), everyone: false });
  });

  it('a new role widens it (nobody holds it yet, so nobody is refused for it)', () => {
    const after = base();
    const permissions = [{ dataClasses: ['identifiers'], actions: ['read'], scope: 'tenant' }];
    const desk = { function: 'security', description: 'x', permissions, principalKinds: ['user'] };
    (after.roles as Record<string, unknown>)['identity-desk'] = desk;
    expect(widenedByPolicy(policy, after).roles).toEqual(new Set(['identity-desk']));
  });
});

function p0(role: string) {
  return base().roles[role]!.permissions;
}
