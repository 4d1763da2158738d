import { describe, expect, it } from 'vitest';
import { changeTargetSchema, type ChangeTarget } from '../../src/governance/change-target.js';
import { targetKeyOf } from '../../src/governance/target-key.js';
import { targetDocIdOf } from '../../src/services/governance/effects-to-ops.js';

// ChangeRequest.targetKey: what names a change's target to a client, for every kind of target, and never the id a
// store keys the target's document by.

const EXAMPLES: Record<ChangeTarget['type'], { target: ChangeTarget; key: string }> = {
  setting: { target: { type: 'setting', key: 'billing.refundThreshold' }, key: 'billing.refundThreshold' },
  settings: {
    target: {
      type: 'settings',
      entries: [{ key: 'integration.a.baseUrl', baseVersion: 0 }, { key: 'integration.a.scopes', baseVersion: 2 }],
    },
    key: 'integration.a.baseUrl,integration.a.scopes',
  },
  'emergency-resume': { target: { type: 'emergency-resume', target: 'connector:ehr' }, key: 'connector:ehr' },
  'ehr-write': { target: { type: 'ehr-write', draftId: 'med-0f3a' }, key: 'med-0f3a' },
  refund: { target: { type: 'refund', refundId: 'refund-9c1' }, key: 'refund-9c1' },
  assignment: { target: { type: 'assignment', sub: 'dr-lee' }, key: 'dr-lee' },
  'access-request': { target: { type: 'access-request', sub: 'nurse-kim' }, key: 'nurse-kim' },
  policy: { target: { type: 'policy' }, key: 'policy' },
};

describe('targetKeyOf', () => {
  it('has an example for every kind of change target', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(changeTargetSchema.options.map((o) => o.shape.type.value).sort());
  });

  it.each(Object.entries(EXAMPLES))('%s: the key a client names it by, not the store document id', (_type, { target, key }) => {
    expect(targetKeyOf(target)).toBe(key);
    if (target.type !== 'emergency-resume' && target.type !== 'policy') expect(targetKeyOf(target)).not.toBe(targetDocIdOf(target));
    expect(targetKeyOf(target)).not.toMatch(/^(setting|settings|stop|ehr-write|refund|assignment):/);
  });
});
