import { describe, expect, it } from 'vitest';
import { widenedByPolicy } from '../../src/governance/access-approval.js';
import { defaultPolicy } from '../../rules/policy-document.js';

// Which roles and grants a policy change widens (src/governance/access-approval.ts): whoever holds one may not approve
// it (SELF_BENEFIT). Every role and grant of the default policy, widened each way and narrowed.

type Permission = { dataClasses: string[]; actions: string[]; scope: string };
const base = () => JSON.parse(JSON.stringify(defaultPolicy())) as ReturnType<typeof defaultPolicy> & {
  roles: Record<string, { function: string; permissions: Permission[]; principalKinds: string[] }>;
  grants: Record<string, { permissions: Permission[]; eligibleRoles: string[] }>;
};

describe('widenedByPolicy', () => {
  const policy = base();
  it('an unchanged policy widens nothing', () => {
    expect(widenedByPolicy(policy, base())).toEqual({ roles: new Set(), grants: new Set() });
  });

  it.each(Object.keys(policy.roles))('role %s: a class, action, tenant scope, kind or function widens it; a narrowing does not', (role) => {
    const reads = new Set(p0(role).filter((x) => x.actions.includes('read')).flatMap((x) => x.dataClasses));
    const unread = Object.keys(policy.dataClasses).find((c) => !reads.has(c))!;
    const ways: [string, (p: ReturnType<typeof base>) => void, boolean][] = [
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
    expect(widenedByPolicy(policy, eligible).grants).toEqual(new Set([grant]));
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
