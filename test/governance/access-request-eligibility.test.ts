import { describe, expect, it } from 'vitest';
import { compilePrincipalPolicy } from '../../rules/decide.js';
import { grantEligibility } from '../../rules/grant-eligibility.js';
import { defaultPolicy, type PolicyDocument } from '../../rules/policy-document.js';
import { withEntry } from '../../src/governance/access-changes.js';
import { grantCheck } from '../../src/governance/access-approval.js';
import { emptyAccessDoc } from '../../src/governance/access-entries.js';
import type { ChangeRequest } from '../../src/governance/change-request.js';
import { approve, proposeChange } from '../../src/governance/transitions.js';
import { T0, at, functionsOf, ok, person, rules } from './support.js';

// A grant for a person who holds none of its eligible roles gives nothing (rules/decide.ts ignores it): requesting it
// is refused before anything is stored, and approving one is refused too, under the policy in force at the approval.

const policy = defaultPolicy();
const PRINCIPAL_KINDS = ['user', 'agent', 'service'] as const;

function request(requester = person('dr-grey', ['clinician']), under: PolicyDocument = policy) {
  const doc = emptyAccessDoc(requester.sub);
  const after = withEntry(doc, {
    id: 'chg-s',
    kind: 'grant',
    name: 'sensitive',
    departments: null,
    environments: ['PRODUCTION'],
    expiresAt: at(60),
    reason: 'need it',
    ticket: null,
    source: 'access-request',
    now: T0,
  });
  return proposeChange({
    id: 'chg-s',
    tenant: 'acme',
    environment: 'PRODUCTION',
    target: { type: 'access-request', sub: requester.sub },
    current: { value: doc as never, version: 0 },
    newValue: after,
    requester,
    functionsOf,
    reason: 'need it',
    now: T0,
    rules,
    policy: under,
    origin: { type: 'access-request' },
  });
}

const approveUnder = (under: PolicyDocument, change: ChangeRequest, approver = person('sec-2', ['security-admin'])) =>
  approve(change, approver, {
    now: at(5),
    currentVersion: 0,
    functionsOf,
    canGrant: (a, c) => grantCheck(under, functionsOf, a, c, at(5)),
  });

describe('grant eligibility of an access request', () => {
  it('a requester holding none of the eligible roles is refused at the proposal, naming them', () => {
    expect(request(person('bill-1', ['billing-manager']))).toMatchObject({
      ok: false,
      error: { code: 'BAD_USER_INPUT', reason: 'NOT_ELIGIBLE', message: expect.stringContaining('only for: clinician') },
    });
    expect(ok(request()).status).toBe('PENDING');
  });

  it('approving is refused when the requester is not eligible under the policy in force then, whoever approves', () => {
    const change = ok(request());
    const narrowed = structuredClone(policy) as PolicyDocument & { grants: Record<string, { eligibleRoles: string[] }> };
    narrowed.grants.sensitive!.eligibleRoles = ['nurse'];
    for (const approver of [person('sec-2', ['security-admin']), person('ca-2', ['clinical-admin'])]) {
      expect(approveUnder(narrowed, change, approver)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN', reason: 'NOT_ELIGIBLE', message: expect.stringContaining('dr-grey holds none') },
      });
    }
    // A request stored before the check (a billing manager's) is refused at its approval as well.
    const widened = structuredClone(policy) as typeof narrowed;
    widened.grants.sensitive!.eligibleRoles = ['clinician', 'billing-manager'];
    const old = ok(request(person('bill-1', ['billing-manager']), widened));
    expect(approveUnder(policy, old)).toMatchObject({ ok: false, error: { reason: 'NOT_ELIGIBLE' } });
    expect(ok(approveUnder(policy, change)).status).toBe('PENDING');
  });

  it('is the rule decisions apply: a stored grant counts exactly when the holder is eligible', () => {
    const roles = Object.keys(policy.roles);
    for (const kind of PRINCIPAL_KINDS) {
      for (const held of [[], ...roles.map((r) => [r]), roles.slice(0, 3), roles.slice(-3)]) {
        for (const grant of Object.keys(policy.grants)) {
          const token = { ...person('p-1', held), kind };
          const stored = { standing: null, temporaryRoles: [], breakGlass: [], temporaryGrants: [{ id: 'g', grant, departments: null }] };
          const compiled = compilePrincipalPolicy(policy, token, { stored });
          const counts = compiled.permissions.some((p) => p.via === 'access:g');
          expect(counts, `${kind} ${held.join(',')} ${grant}`).toBe(grantEligibility(policy, token, grant).ok);
        }
      }
    }
  });
});
