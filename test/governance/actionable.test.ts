import { describe, expect, it } from 'vitest';
import type { AccessEntry } from '../../src/governance/access-entries.js';
import { canActOn, knownApprovers } from '../../src/governance/actionable.js';
import { approve } from '../../src/governance/transitions.js';
import { T0, approveOpts, clinicalAdmin, engineer, ok, pending, person, securityAdmin } from './support.js';

// Issue 13 item 10: canActOn, the one pure answer to "can this principal give the next counted approval or reject
// this change now", enumerated over the reasons it can say no, and the target's own right for clinical writes.

const config = { readsConfiguration: true, targetAllowed: null };
const medication = () =>
  pending({
    target: { type: 'ehr-write', draftId: 'med-1' },
    current: { value: null, version: 0 },
    newValue: { resourceType: 'MedicationRequest', patientId: 'p-1', promptTemplateVersion: null },
    requester: person('triage-bot', ['ai-agent'], { kind: 'agent' }),
  });

describe('canActOn', () => {
  it('an eligible approver can act; the requester, an outsider and an agent cannot', () => {
    const change = pending();
    expect(canActOn(change, engineer('eng-2', { mfa: true }), config, approveOpts())).toMatchObject({
      canAct: true,
      approve: true,
      reject: true,
    });
    expect(canActOn(change, engineer(), config, approveOpts())).toMatchObject({ canAct: false, reason: 'SELF_APPROVAL' });
    expect(canActOn(change, person('bill', ['billing-manager']), config, approveOpts())).toMatchObject({
      canAct: false,
      reason: 'NOT_AN_APPROVER',
    });
    expect(canActOn(change, person('bot', ['integration-engineer'], { kind: 'agent' }), config, approveOpts())).toMatchObject({
      canAct: false,
    });
  });

  it('without MFA an approver cannot approve a change that needs it, but may still reject it', () => {
    const change = pending();
    expect(canActOn(change, securityAdmin('sec-2', { mfa: false }), config, approveOpts())).toMatchObject({
      canAct: true,
      approve: false,
      reject: true,
    });
  });

  it('after an approval counted, nothing more to approve for that person; a moved target or an expired change is for nobody', () => {
    const change = pending();
    const once = ok(approve(change, engineer('eng-2', { mfa: true }), approveOpts()));
    expect(canActOn(once, engineer('eng-2', { mfa: true }), config, approveOpts())).toMatchObject({
      canAct: true,
      approve: false,
      reject: true,
    });
    expect(canActOn(change, securityAdmin('sec-2', { mfa: true }), config, approveOpts(5, 4))).toMatchObject({
      canAct: false,
      reason: 'STALE_BASE_VERSION',
    });
    expect(canActOn(change, securityAdmin('sec-2', { mfa: true }), config, approveOpts(60 * 24 * 30))).toMatchObject({
      canAct: false,
      reason: 'EXPIRED',
    });
  });

  it('a configuration change needs configuration read; a clinical write needs the right on its patient, whatever the role', () => {
    expect(
      canActOn(pending(), engineer('eng-2', { mfa: true }), { readsConfiguration: false, targetAllowed: null }, approveOpts()),
    ).toMatchObject({ canAct: false, reason: 'NO_CONFIGURATION_READ' });
    const med = medication();
    const opts = approveOpts(5, 0);
    expect(canActOn(med, person('dr-grey', ['clinician']), { readsConfiguration: false, targetAllowed: true }, opts)).toMatchObject({
      canAct: true,
      approve: true,
    });
    expect(canActOn(med, person('dr-onc', ['clinician']), { readsConfiguration: false, targetAllowed: false }, opts)).toMatchObject({
      canAct: false,
      reason: 'NO_RIGHT_ON_TARGET',
    });
    expect(canActOn(med, clinicalAdmin('dr-director'), { readsConfiguration: true, targetAllowed: false }, opts)).toMatchObject({
      canAct: false,
      reason: 'NO_RIGHT_ON_TARGET',
    });
  });
});

// A tester's finding: the approvers a notification names were found by every active role entry, whatever its
// environments, so a STAGING-only integration-engineer was emailed (and named in the webhook) as an approver of a
// PRODUCTION change that approveChange then refuses them (ROLE_NOT_IN_ENVIRONMENT).
describe('knownApprovers', () => {
  const entry = (name: string, environments: AccessEntry['environments'], over: Partial<AccessEntry> = {}): AccessEntry => ({
    id: `${name}-${environments.join('-')}`, kind: 'role', name, patientId: null, departments: null, environments, expiresAt: null,
    source: 'assignment', reason: 'rota', ticket: null, grantedAt: T0, revoked: null, reviews: [], ...over,
  });
  const docs = [
    { sub: 'eng-stg', entries: [entry('integration-engineer', ['STAGING'])] },
    { sub: 'eng-prd', entries: [entry('integration-engineer', ['PRODUCTION'])] },
    { sub: 'eng-both', entries: [entry('integration-engineer', ['STAGING', 'PRODUCTION'])] },
    {
      sub: 'eng-gone',
      entries: [entry('integration-engineer', ['STAGING', 'PRODUCTION'], { revoked: { by: 'sec', at: T0, reason: 'left' } })],
    },
  ];

  it('each role counts in the environments of its assignment: only those people can act on a change there', () => {
    const people = knownApprovers('acme', docs, T0);
    expect(people.map((p) => p.sub)).toEqual(['eng-stg', 'eng-prd', 'eng-both']);
    for (const environment of ['STAGING', 'PRODUCTION'] as const) {
      // A HIGH change in both environments (write-back enable): one approver other than the requester in STAGING.
      const change = pending({ environment });
      const acting = people.filter((p) => canActOn(change, p, config, approveOpts()).canAct).map((p) => p.sub);
      expect(acting, environment).toEqual(environment === 'STAGING' ? ['eng-stg', 'eng-both'] : ['eng-prd', 'eng-both']);
    }
  });
});
