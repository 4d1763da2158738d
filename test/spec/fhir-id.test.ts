import { describe, expect, it } from 'vitest';
import { FHIR_ID_PATTERN, isFhirId } from '../../spec/fhir-id.js';

// The FHIR R4 id datatype (http://hl7.org/fhir/R4/datatypes.html#id): 1 to 64 of A-Z a-z 0-9 - and `.`, nothing else.

const ALLOWED = /[A-Za-z0-9\-.]/;

describe('FHIR id syntax', () => {
  it('every ASCII character, alone, inside an id and at the length limits', () => {
    for (let c = 0; c < 128; c++) {
      const ch = String.fromCharCode(c);
      const ok = ALLOWED.test(ch);
      expect(isFhirId(ch), JSON.stringify(ch)).toBe(ok);
      expect(isFhirId(`a${ch}b`), JSON.stringify(ch)).toBe(ok);
      expect(isFhirId(`${'a'.repeat(63)}${ch}`), JSON.stringify(ch)).toBe(ok);
      expect(isFhirId(`${'a'.repeat(64)}${ch}`), JSON.stringify(ch)).toBe(false);
    }
  });

  it.each([
    ['', false],
    ['a'.repeat(64), true],
    ['a'.repeat(65), false],
    ['A-1.b', true],
    ['..', true],
    ['-', true],
    ['é', false],
    ['a\nb', false],
    ['a\n', false],
    ['a/b', false],
    ['Patient/1', false],
  ])('%j -> %s', (id, ok) => {
    expect(isFhirId(id)).toBe(ok);
    expect(FHIR_ID_PATTERN.test(id)).toBe(ok);
  });
});
