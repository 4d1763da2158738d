import { describe, expect, it } from 'vitest';
import { scopesAllow } from '../../rules/smart-scopes.js';

// The scope syntax itself is spec/smart-scopes.ts (test/spec/smart-scopes.test.ts); here, what scopes allow.

describe('SMART scopes', () => {
  it('requires every resource of a data class to be covered', () => {
    expect(scopesAllow(['user/MedicationRequest.rs'], ['MedicationRequest', 'AllergyIntolerance'], 'r')).toBe(false);
    expect(scopesAllow(['user/MedicationRequest.rs', 'user/AllergyIntolerance.r'], ['MedicationRequest', 'AllergyIntolerance'], 'r')).toBe(
      true,
    );
    expect(scopesAllow(['user/Observation.c'], ['Observation'], 'r')).toBe(false);
    expect(scopesAllow(null, ['Observation'], 'r')).toBe(true);
    // patient/ scopes cannot be tied to a patient here (no SMART launch context): they grant nothing.
    expect(scopesAllow(['patient/Observation.rs'], ['Observation'], 'r')).toBe(false);
  });
});
