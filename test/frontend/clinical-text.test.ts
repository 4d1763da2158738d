import { describe, expect, it } from 'vitest';
import { CLINICAL_REJECTION_REASONS as CONSOLE } from '../../console/src/clinical-text.js';
import { CLINICAL_REJECTION_REASONS as GATEWAY } from '../../src/governance/transitions.js';

// The console offers a clinical change's rejection reasons as a list: exactly the words the gateway takes.
describe('clinical rejection reasons', () => {
  it('the console offers exactly the reasons the gateway takes', () => {
    expect([...CONSOLE]).toEqual([...GATEWAY]);
  });
});
