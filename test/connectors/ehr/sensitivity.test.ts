import { describe, expect, it } from 'vitest';
import { hasSensitiveLabel, isSensitive, sensitivityOfCoding, sensitivityOfText } from '../../../connectors/ehr/sensitivity.js';
import { ACT_CODE_LABELS, ICD10_SYSTEMS, RESTRICTED_CONFIDENTIALITY, VALUE_SETS } from '../../../connectors/ehr/sensitivity/value-sets.js';

// The classification walks the governed value sets: every listed code of every category classifies to its category
// (enumerated from the data, so an added code is covered), every sensitive label counts, and near misses do not.

describe('value sets', () => {
  for (const set of VALUE_SETS) {
    it(`${set.category}: every listed code, every ICD-10 prefix (and a child code) classifies`, () => {
      for (const [system, codes] of Object.entries(set.codes)) {
        for (const code of codes) expect(sensitivityOfCoding({ system, code }), `${system}|${code}`).toBe(set.category);
      }
      for (const prefix of set.icd10Prefixes) {
        for (const system of ICD10_SYSTEMS) {
          expect(sensitivityOfCoding({ system, code: prefix })).toBe(set.category);
          expect(sensitivityOfCoding({ system, code: `${prefix}${prefix.includes('.') ? '1' : '.9'}` })).toBe(set.category);
        }
      }
    });
  }

  it('labels: every sensitive ActCode label and restricted confidentiality; others do not', () => {
    for (const code of Object.keys(ACT_CODE_LABELS)) expect(hasSensitiveLabel({ security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code }] }), code).toBe(true);
    for (const code of RESTRICTED_CONFIDENTIALITY) expect(hasSensitiveLabel({ security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code }] })).toBe(true);
    expect(hasSensitiveLabel({ security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N' }] })).toBe(false);
    expect(hasSensitiveLabel({ security: [{ system: 'urn:other', code: 'HIV' }] })).toBe(false);
    // Object prototype names are not labels.
    expect(hasSensitiveLabel({ security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'constructor' }] })).toBe(false);
  });

  it('local and unknown systems, RxNorm products and free text go by words', () => {
    expect(sensitivityOfCoding({ system: 'urn:local', code: 'X1', display: 'Major depressive disorder, recurrent' })).toBe('PSY');
    expect(sensitivityOfCoding({ code: 'X2', display: 'HIV-1 viral load' })).toBe('HIV');
    expect(sensitivityOfCoding({ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1', display: 'buprenorphine 8 MG Sublingual Tablet' })).toBe('ETH');
    expect(sensitivityOfText('Discussed alcohol use disorder.')).toBe('ETH');
    expect(sensitivityOfText('Has AIDS.')).toBe('HIV');
  });

  it('near misses are not sensitive', () => {
    expect(sensitivityOfCoding({ system: 'http://snomed.info/sct', code: '59621000', display: 'Essential hypertension' })).toBeNull();
    // A listed system's code is authoritative: its display is not second-guessed.
    expect(sensitivityOfCoding({ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' })).toBeNull();
    expect(sensitivityOfCoding({ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'F17.210' })).toBeNull(); // nicotine
    for (const t of ['Fitted with hearing aids', 'Ritonavir-boosted nirmatrelvir', 'ST depression on ECG reviewed', 'Alcohol swab applied', 'Stress test normal']) {
      expect(sensitivityOfText(t), t).toBeNull();
    }
    expect(isSensitive(undefined, [{ coding: [{ system: 'http://snomed.info/sct', code: '444814009', display: 'Viral sinusitis' }] }], ['Patient doing well.'])).toBe(false);
  });
});
