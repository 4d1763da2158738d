import { describe, expect, it } from 'vitest';
import { parseSmartScope as connectorParse } from '../../../connectors/ehr/smart-scopes.js';
import { parseSmartScope as kernelParse } from '../../../rules/smart-scopes.js';

// Connectors import nothing of rules, so the connector side (configured scopes against a CapabilityStatement, the
// embedded authorization server) and the policy kernel (token scopes) each state the SMART scope syntax
// (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html). A scope one side reads and the other does
// not would let a connector be configured with a scope the kernel ignores: the two must read every scope alike.

const norm = (s: ReturnType<typeof kernelParse>) => (s ? { ...s, interactions: [...s.interactions].sort().join('') } : null);

describe('SMART scope syntax, connector side and kernel side', () => {
  it('read every context, resource and permission string alike', () => {
    const contexts = ['patient', 'user', 'system', 'launch', 'admin', 'User', ''];
    const resources = ['*', 'Patient', 'MedicationRequest', 'patient', 'Pa1', 'P', '', '**'];
    const letters = ['c', 'r', 'u', 'd', 's'];
    const subsets = Array.from({ length: 32 }, (_, n) => letters.filter((_l, i) => n & (1 << i)).join(''));
    const perms = ['*', 'read', 'write', '', 'x', 'READ', ...subsets];
    perms.push('rc', 'sr', 'cruds*', 'rr');
    let read = 0;
    for (const c of contexts) {
      for (const r of resources) {
        for (const p of perms) {
          const scope = `${c}/${r}.${p}`;
          expect(norm(connectorParse(scope)), scope).toEqual(norm(kernelParse(scope)));
          if (kernelParse(scope)) read++;
        }
      }
    }
    for (const scope of ['openid', 'launch/patient', 'fhirUser', 'user/Patient.rs ', ' user/Patient.rs', 'user/Patient.rs?x=1']) {
      expect(norm(connectorParse(scope)), scope).toEqual(norm(kernelParse(scope)));
    }
    expect(read).toBeGreaterThan(100);
  });
});
