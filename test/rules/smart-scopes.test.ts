import { describe, expect, it } from 'vitest';
import { parseSmartScope, scopesAllow } from '../../rules/smart-scopes.js';

describe('SMART scopes', () => {
  it.each([
    ['user/Observation.rs', 'user', 'Observation', 'rs'],
    ['system/*.cruds', 'system', '*', 'cruds'],
    ['user/Patient.read', 'user', 'Patient', 'rs'],
    ['user/Patient.*', 'user', 'Patient', 'cruds'],
    ['user/Condition.write', 'user', 'Condition', 'cud'],
  ])('parses %s', (scope, context, resource, perms) => {
    const s = parseSmartScope(scope);
    expect(s).toMatchObject({ context, resource });
    expect([...s!.interactions].sort().join('')).toBe([...perms].sort().join(''));
  });

  it.each(
    ['openid', 'user/observation.rs', 'user/Observation.', 'user/Observation.x', 'admin/*.*', 'launch/patient'],
  )('ignores %s', (s) => {
    expect(parseSmartScope(s)).toBeNull();
  });

  it('requires every resource of a data class to be covered', () => {
    expect(scopesAllow(['user/MedicationRequest.rs'], ['MedicationRequest', 'AllergyIntolerance'], 'r')).toBe(false);
    expect(scopesAllow(['user/MedicationRequest.rs', 'user/AllergyIntolerance.r'], ['MedicationRequest', 'AllergyIntolerance'], 'r')).toBe(
      true,
    );
    expect(scopesAllow(['user/Observation.c'], ['Observation'], 'r')).toBe(false);
    expect(scopesAllow(null, ['Observation'], 'r')).toBe(true);
  });
});
