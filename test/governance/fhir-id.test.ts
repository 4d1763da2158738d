import { describe, expect, it } from 'vitest';
import { FHIR_ID_PATTERN as connectorPattern, isFhirId } from '../../connectors/ehr/fhir-id.js';
import { FHIR_ID_PATTERN as governancePattern } from '../../src/governance/fhir-id.js';

// Connectors import nothing of src and governance nothing of connectors, so both state the FHIR id syntax
// (https://hl7.org/fhir/R4/datatypes.html#id): the two must accept exactly the same ids.

describe('FHIR id syntax, connector side and governance side', () => {
  it('agree on every ASCII character, alone, inside an id and at the length limits', () => {
    const candidates: string[] = ['', 'a'.repeat(64), 'a'.repeat(65), 'A-1.b', '..', '-'];
    for (let c = 0; c < 128; c++) {
      const ch = String.fromCharCode(c);
      candidates.push(ch, `a${ch}b`, `${'a'.repeat(63)}${ch}`, `${'a'.repeat(64)}${ch}`);
    }
    for (const id of [...candidates, 'é', 'a\nb', 'a/b', 'Patient/1']) {
      expect(governancePattern.test(id), JSON.stringify(id)).toBe(connectorPattern.test(id));
      expect(governancePattern.test(id)).toBe(isFhirId(id));
    }
    expect(governancePattern.source).toBe(connectorPattern.source);
  });
});
