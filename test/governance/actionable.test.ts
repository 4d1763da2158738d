import { describe, expect, it } from 'vitest';
import { canActOn } from '../../src/governance/actionable.js';
import { approve } from '../../src/governance/transitions.js';
import { approveOpts, clinicalAdmin, engineer, ok, pending, person, securityAdmin } from './support.js';

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
