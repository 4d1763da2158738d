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
    for (const code of Object.keys(ACT_CODE_LABELS))
      expect(hasSensitiveLabel({ security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code }] }), code).toBe(true);
    for (const code of RESTRICTED_CONFIDENTIALITY)
      expect(hasSensitiveLabel({ security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code }] })).toBe(true);
    expect(hasSensitiveLabel({ security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N' }] })).toBe(
      false,
    );
    expect(hasSensitiveLabel({ security: [{ system: 'urn:other', code: 'HIV' }] })).toBe(false);
    // Object prototype names are not labels.
    expect(hasSensitiveLabel({ security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'constructor' }] })).toBe(
      false,
    );
  });

  it('local and unknown systems, RxNorm products and free text go by words', () => {
    expect(sensitivityOfCoding({ system: 'urn:local', code: 'X1', display: 'Major depressive disorder, recurrent' })).toBe('PSY');
    expect(sensitivityOfCoding({ code: 'X2', display: 'HIV-1 viral load' })).toBe('HIV');
    expect(
      sensitivityOfCoding({
        system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
        code: '1',
        display: 'buprenorphine 8 MG Sublingual Tablet',
      }),
    ).toBe('ETH');
    expect(sensitivityOfText('Discussed alcohol use disorder.')).toBe('ETH');
    expect(sensitivityOfText('Has AIDS.')).toBe('HIV');
  });

  it('HIV words next to digits and hyphens, and abbreviations with HIV context (issue 13: "Hiv1 viral ld")', () => {
    for (const t of [
      'Hiv1 viral ld',
      'hiv1 VL',
      'HIV-1 RNA',
      'hiv-2 ab',
      'HIV 1 viral load',
      'hiv2',
      'HIV1/2 Ag/Ab',
      'CD4 count (hiv 1 monitoring)',
    ]) {
      expect(sensitivityOfCoding({ system: 'urn:local:lab', code: 'X', display: t }), t).toBe('HIV');
      expect(sensitivityOfText(t), t).toBe('HIV');
    }
    for (const t of ['Shiv injury', 'HIV3 panel', 'CD4 count', 'Viral load hepatitis C']) expect(sensitivityOfText(t), t).toBeNull();
  });

  it('text-only concepts (no coding) and free-text reasons go through the word lists', () => {
    expect(isSensitive(undefined, [{ text: 'Sertraline 100mg for depression' }])).toBe(true);
    expect(isSensitive(undefined, [{ text: 'Trazodone 50mg' }, { text: 'Major depression' }])).toBe(true);
    expect(isSensitive(undefined, [{ text: 'Methadone 40mg daily dose' }])).toBe(true);
    expect(isSensitive(undefined, [{ coding: [{ display: 'Counselling about alcohol consumption' }] }])).toBe(true);
    expect(isSensitive(undefined, [{ text: 'Atorvastatin 20mg' }])).toBe(false);
  });

  it('screening instruments with a result are behavioural-health data (PSY, ETH), by LOINC and by name', () => {
    const LOINC = 'http://loinc.org';
    for (const code of ['44249-1', '44261-6', '55757-9', '55758-7', '69737-5', '70274-6'])
      expect(sensitivityOfCoding({ system: LOINC, code }), code).toBe('PSY');
    for (const code of ['72109-2', '75626-2', '82666-9', '82667-7']) expect(sensitivityOfCoding({ system: LOINC, code }), code).toBe('ETH');
    for (const t of ['PHQ-9 quick depression assessment panel', 'PHQ9 score', 'GAD-7 total', 'Generalized anxiety disorder 7 item'])
      expect(sensitivityOfText(t), t).toBe('PSY');
    for (const t of ['AUDIT-C score', 'DAST-10 total score']) expect(sensitivityOfText(t), t).toBe('ETH');
  });

  it('alcohol and substance counselling is ETH; opioid analgesics are not (only MOUD drugs are)', () => {
    expect(
      sensitivityOfCoding({ system: 'http://snomed.info/sct', code: '413473000', display: 'Counseling about alcohol consumption' }),
    ).toBe('ETH');
    for (const t of ['Counseling about alcohol consumption', 'Substance use counseling', 'Counselling for drug use'])
      expect(sensitivityOfText(t), t).toBe('ETH');
    for (const t of ['buprenorphine 8 MG', 'Methadone 10mg', 'naltrexone 50 MG']) expect(sensitivityOfText(t), t).toBe('ETH');
    for (const t of [
      'Oxycodone 10mg abuse-deterrent extended release tablet',
      'Opioid abuse-deterrent formulation',
      'Hydrocodone 5 MG / APAP 325 MG',
    ]) {
      expect(sensitivityOfText(t), t).toBeNull();
    }
  });

  it('near misses are not sensitive', () => {
    expect(sensitivityOfCoding({ system: 'http://snomed.info/sct', code: '59621000', display: 'Essential hypertension' })).toBeNull();
    // A listed system's code is authoritative: its display is not second-guessed.
    expect(sensitivityOfCoding({ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' })).toBeNull();
    expect(sensitivityOfCoding({ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'F17.210' })).toBeNull(); // nicotine
    for (const t of [
      'Fitted with hearing aids',
      'Ritonavir-boosted nirmatrelvir',
      'ST depression on ECG reviewed',
      'Alcohol swab applied',
      'Stress test normal',
      'Respiratory depression risk counselled',
      'Bone marrow depression',
      'ST segment depression',
      'Depression screening (procedure)',
    ]) {
      expect(sensitivityOfText(t), t).toBeNull();
    }
    expect(
      isSensitive(
        undefined,
        [{ coding: [{ system: 'http://snomed.info/sct', code: '444814009', display: 'Viral sinusitis' }] }],
        ['Patient doing well.'],
      ),
    ).toBe(false);
  });
});

// sensitivityOfText remembers its answers (displays repeat across rows); isSensitive stops at the first match. Both
// must answer as the plain walk over the value sets does, asked first or again, in any order, past the memory's size.
describe('remembered answers', () => {
  const plain = (value: string) => VALUE_SETS.find((set) => set.terms.some((t) => t.test(value)))?.category ?? null;
  const texts = [
    'HIV-1 viral load', 'hearing aids', 'Body Height', 'Opioid use disorder', 'Major depressive disorder', 'AIDS', 'aids',
    'Hemoglobin A1c', 'alcohol dependence', 'x'.repeat(500) + ' schizophrenia', 'x'.repeat(500),
  ];
  it('the same answer as the value sets, first and again, and after more distinct texts than it keeps', () => {
    for (let round = 0; round < 3; round++) {
      for (const t of texts) {
        expect(sensitivityOfText(t), `${round} ${t.slice(0, 40)}`).toBe(plain(t));
        expect(isSensitive(undefined, [{ text: t }])).toBe(plain(t) !== null);
        expect(isSensitive(undefined, [], [null, t])).toBe(plain(t) !== null);
      }
      // More distinct texts than the memory holds: it is emptied, never wrong.
      for (let i = 0; i < 12_000; i++) expect(sensitivityOfText(`note ${i}`)).toBeNull();
    }
  });
});
