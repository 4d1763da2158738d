import type { MedicationRequest, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { toMedicationRequestRow, toPatientRow } from '../../../connectors/ehr/fhir-mapping.js';
import {
  hasSensitiveLabel,
  isSensitive,
  securityLabel,
  sensitivityOfCoding,
  sensitivityOfShownText,
  sensitivityOfText,
  type SensitivityCode,
} from '../../../connectors/ehr/sensitivity.js';
import { normalizeForMatching } from '../../../connectors/ehr/sensitivity/normalize.js';
import {
  routeInbound,
  type EmergencyRule,
  type OfficeHours,
  type RoutingRule,
} from '../../../connectors/messaging/inbound-routing.js';
import type { TriageLexicon } from '../../../connectors/messaging/triage-lexicon.js';
import { findSetting } from '../../../src/governance/setting-catalog.js';
import {
  ACT_CODE_LABELS,
  ICD10_SYSTEMS,
  RESTRICTED_CONFIDENTIALITY,
  VALUE_SETS,
} from '../../../connectors/ehr/sensitivity/value-sets.js';

// The classification walks the governed value sets: every listed code of every category classifies to its category
// (enumerated from the data, so an added code is covered), every sensitive label counts, and near misses do not.


/** The default routing settings and a weekday afternoon, for the callers' checks (inbound routing). */
const ROUTING = {
  rules: {
    routing: findSetting('messaging.routingRules')!.defaultValue as unknown as RoutingRule[],
    emergency: findSetting('messaging.emergencyEscalationRules')!.defaultValue as unknown as EmergencyRule[],
    officeHours: findSetting('messaging.officeHours')!.defaultValue as unknown as OfficeHours,
    lexicon: findSetting('messaging.triageLexicon')!.defaultValue as unknown as TriageLexicon,
  },
  at: new Date('2026-03-10T14:00:00Z'),
};

/** A primary-care patient and an AI agent's medication proposal for them (its drug and reason as free text). */
const patient = toPatientRow('acme', {
  resourceType: 'Patient',
  id: 'p-2',
  managingOrganization: { reference: 'Organization/dept-primary-care' },
} as Patient);
const proposal = (drug: string, reason: string): MedicationRequest => ({
  resourceType: 'MedicationRequest',
  id: 'mr-2',
  status: 'draft',
  intent: 'proposal',
  subject: { reference: 'Patient/p-2' },
  medicationCodeableConcept: { text: drug },
  reasonCode: [{ text: reason }],
});

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
    // The same systems by their HL7 OIDs (a tester's label from CDA, urn:oid:2.16.840.1.113883.5.4, was ignored).
    for (const code of Object.keys(ACT_CODE_LABELS))
      expect(hasSensitiveLabel({ security: [{ system: 'urn:oid:2.16.840.1.113883.5.4', code }] }), code).toBe(true);
    for (const code of RESTRICTED_CONFIDENTIALITY)
      expect(hasSensitiveLabel({ security: [{ system: 'urn:oid:2.16.840.1.113883.5.25', code }] }), code).toBe(true);
    expect(hasSensitiveLabel({ security: [{ system: 'urn:oid:2.16.840.1.113883.5.25', code: 'N' }] })).toBe(false);
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
    // A CD4 count and an unqualified viral load are HIV monitoring; a viral load of another virus is not.
    for (const t of ['CD4 count', 'viral load 40 copies/mL']) expect(sensitivityOfText(t), t).toBe('HIV');
    for (const t of ['Shiv injury', 'HIV3 panel', 'Viral load hepatitis C', 'HCV viral load']) expect(sensitivityOfText(t), t).toBeNull();
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

// Free text names the sensitive classes in more ways than a display does (issue: notes written with writeBackNote and
// read by callers without the grant). Each class is enumerated, not sampled: every HIV medicine by brand and generic
// name, HIV spelled with separators, every ICD-10 prefix of the value sets written as a code in text, alcohol and drug
// use phrases; and the near misses of each class stay plain.
describe('free text: the classes, and their near misses', () => {
  const HIV_GENERICS = [
    'emtricitabine', 'tenofovir', 'tenofovir alafenamide', 'tenofovir disoproxil fumarate', 'bictegravir', 'dolutegravir',
    'cabotegravir', 'raltegravir', 'elvitegravir', 'darunavir', 'atazanavir', 'lopinavir', 'rilpivirine', 'efavirenz',
    'zidovudine', 'lamivudine', 'abacavir', 'nevirapine', 'doravirine', 'etravirine', 'lenacapavir', 'maraviroc', 'fostemsavir',
    'ibalizumab', 'enfuvirtide', 'cobicistat',
  ];
  const HIV_BRANDS = [
    'Truvada', 'Descovy', 'Biktarvy', 'Genvoya', 'Stribild', 'Triumeq', 'Dovato', 'Juluca', 'Odefsey', 'Complera', 'Atripla',
    'Symtuza', 'Cabenuva', 'Apretude', 'Sunlenca', 'Delstrigo', 'Prezcobix', 'Isentress', 'Tivicay', 'Edurant', 'Prezista', 'Viread',
    'Epivir', 'Kaletra', 'Rukobia', 'Vocabria',
  ];
  const icd10InText = VALUE_SETS.flatMap((set) =>
    set.icd10Prefixes.flatMap((prefix) => {
      const child = prefix.includes('.') ? `${prefix}1` : `${prefix}.9`;
      return [
        [`Dx: ${prefix}`, set.category],
        [`Assessment: ${child}, follow up in 4 weeks`, set.category],
        [`dx ${child.replace('.', '')}`, set.category], // undotted, as some systems write it
        [`(${child.toLowerCase()})`, set.category],
      ] as const;
    }),
  );
  const SENSITIVE: readonly (readonly [string, SensitivityCode])[] = [
    // The tester's notes.
    ['Patient started on Truvada PrEP', 'HIV'],
    ['H.I.V. status discussed', 'HIV'],
    ['Referred to AA meetings for drinking', 'ETH'],
    ['Dx: F32.9', 'PSY'],
    // Withheld before, still withheld.
    ['Reports suicidal ideation', 'PSY'],
    ['Continue Suboxone 8/2 mg', 'ETH'],
    ['HIV follow-up', 'HIV'],
    ['PHQ-9 score 17', 'PSY'],
    // HIV medicines, generic and brand, in a sentence and in any case.
    ...HIV_GENERICS.map((d) => [`Continue ${d} daily`, 'HIV'] as const),
    ...HIV_BRANDS.map((d) => [`Refilled ${d} 1 tab PO daily`, 'HIV'] as const),
    ...HIV_BRANDS.map((d) => [`${d.toUpperCase()} refill`, 'HIV'] as const),
    ['Discussed PrEP adherence', 'HIV'],
    ['Candidate for pre-exposure prophylaxis', 'HIV'],
    ['Tenofovir for chronic hepatitis B', 'HIV'], // erring on withholding: tenofovir names HIV treatment too
    // HIV with separators.
    ['h.i.v test negative', 'HIV'],
    ['H I V counselling', 'HIV'],
    ['H-I-V screen', 'HIV'],
    ['H. I. V. positive partner', 'HIV'],
    // ICD-10 codes in free text, from the value sets' prefixes.
    ...icd10InText,
    ['Problem list: F10.20, I10', 'ETH'],
    ['Dx: B20', 'HIV'],
    ['Z21 asymptomatic', 'HIV'],
    ['F329', 'PSY'],
    ['T40.1X1A', 'ETH'],
    // Alcohol use.
    ['Attends AA meetings weekly', 'ETH'],
    ['Goes to AA twice a week', 'ETH'],
    ['Alcoholics Anonymous sponsor called', 'ETH'],
    ['Counselled for drinking', 'ETH'],
    ['Admits to a drinking problem', 'ETH'],
    ['Binge drinking on weekends', 'ETH'],
    ['heavy drinking since divorce', 'ETH'],
    ['Has been drinking heavily', 'ETH'],
    ['Relapsed on alcohol in March', 'ETH'],
    ['Started drinking again', 'ETH'],
    ['Alcohol withdrawal, CIWA protocol', 'ETH'],
    ['History of alcoholic cirrhosis', 'ETH'],
    ['Maintaining sobriety for 2 years', 'ETH'],
    // Drug use.
    ['NA meetings daily', 'ETH'],
    ['Narcotics Anonymous', 'ETH'],
    ['Uses heroin intranasally', 'ETH'],
    ['UDS positive for cocaine', 'ETH'],
    ['Smoking meth', 'ETH'],
    ['fentanyl misuse', 'ETH'],
    ['Buys street fentanyl', 'ETH'],
    ['fentanyl-laced pills', 'ETH'],
    ['I relapsed on heroin last week', 'ETH'],
    ['relapse on opioids after discharge', 'ETH'],
    ['History of IV drug use', 'ETH'],
    ['IVDU, hepatitis C', 'ETH'],
    ['Referred to the methadone clinic', 'ETH'],
    ['Admitted to detox', 'ETH'],
    ['Completed inpatient detox', 'ETH'],
    ['Detox from alcohol planned', 'ETH'],
    ['Referred to drug rehab', 'ETH'],
    ['Alcohol rehab program', 'ETH'],
    ['rehab for heroin addiction', 'ETH'],
    ['Started Vivitrol injections', 'ETH'],
  ];
  const PLAIN = [
    'drinking water',
    'Encouraged drinking fluids',
    'Eating and drinking again after surgery',
    'Started drinking more water',
    'Stopped drinking soda',
    'Sippy cup for drinking',
    'Well water safe for drinking',
    'AAA screening ultrasound',
    'AA battery replaced in glucometer',
    'Uses AAA batteries',
    'NA', 'N/A', 'Sodium (Na) 139',
    'Vitamin B2', 'Vitamin B12 level', 'B2 bomber', 'Room 320',
    'XF32', '3B20', '12F10 valve', 'ref 1F32-22', 'urn:uuid:6a2d3e3e-f294-4fef-9041-91841e5b250a',
    'I10 essential hypertension', 'E11.9 type 2 diabetes', 'J45.909', 'Z00.00 routine exam', 'F17.210 nicotine dependence',
    'B97.3 retrovirus',
    'Vemlidy 25 mg for hepatitis B', // tenofovir alafenamide's hepatitis B-only brand (its generic name would count)
    'Bowel prep for colonoscopy', 'Prep for surgery tomorrow', 'PREP sheet', 'Rabies PrEP series complete',
    'Rabies pre-exposure prophylaxis',
    'Fentanyl 50 mcg IV during the procedure', 'Fentanyl patch 25 mcg/h',
    'Cardiac rehab 3x weekly', 'Discharged to rehab after stroke', 'Physical rehab for knee', 'Detox tea', 'Juice detox diet',
    'Relapsed multiple sclerosis', 'Relapse of lymphoma', 'Relapsing-remitting MS',
    'Hemoglobin A1c', 'Shiv injury', 'HIV3 panel', 'his IV site is clean', 'h.i. follow up',
    'Ritonavir-boosted nirmatrelvir', 'Naloxone kit given with oxycodone', 'Hearing aids',
    'Hemodialysis via AV fistula', 'Alcohol swab applied', 'Non-alcoholic fatty liver disease',
  ];

  it.each(SENSITIVE.map(([text, category]) => [text, category]))('%s -> %s', (text, category) => {
    expect(sensitivityOfText(text)).toBe(category);
    expect(isSensitive(undefined, [], [text])).toBe(true);
  });

  it.each(PLAIN.map((t) => [t]))('%s -> not sensitive', (text) => {
    expect(sensitivityOfText(text)).toBeNull();
  });

  it('every listed ICD-10 prefix answers the same in a coding and written in text', () => {
    for (const set of VALUE_SETS)
      for (const prefix of set.icd10Prefixes) {
        expect(sensitivityOfCoding({ system: ICD10_SYSTEMS[0], code: prefix })).toBe(set.category);
        expect(sensitivityOfText(`Dx: ${prefix}`), prefix).toBe(set.category);
      }
  });
});

// What a tester still read as plain: the same words disguised (encoded, invisible characters, look-alike letters,
// accents, line breaks), the missed terms and abbreviations, and the classes of sexually transmitted infection,
// sexual and domestic violence and induced abortion. Each class has its table of sensitive texts and its table of
// plain look-alikes.
describe('normalised text: the same words however they are typed', () => {
  const DISGUISED: readonly (readonly [string, SensitivityCode])[] = [
    // HTML character references.
    ['&#72;IV positive', 'HIV'],
    ['&#x48;&#x49;&#x56; follow-up', 'HIV'],
    ['Tru&shy;vada refill', 'HIV'],
    ['Alcoh&oacute;licos An&oacute;nimos', 'ETH'],
    ['Drug &amp; alcohol rehab', 'ETH'],
    ['&amp;#72;IV', 'HIV'], // encoded twice
    // Zero-width characters and soft hyphens inside a word.
    ['H\u200BI\u200BV', 'HIV'],
    ['Tru\u200Cva\u200Dda', 'HIV'],
    ['Bik\u2060tarvy', 'HIV'],
    ['\uFEFFHIV', 'HIV'],
    ['hero\u00ADin use', 'ETH'],
    ['schizo\u00ADphrenia', 'PSY'],
    // Unicode compatibility forms (full-width letters, ligatures).
    ['\uFF28\uFF29\uFF36 test', 'HIV'],
    ['schizoa\uFB00ective', 'PSY'], // the "ff" ligature
    // Diacritics.
    ['Trúvada', 'HIV'],
    ['Dëscovy', 'HIV'],
    ['heroína', 'ETH'],
    ['dépression majeure, major depressíon', 'PSY'],
    // Cyrillic and Greek look-alike letters.
    ['\u041D\u0406V', 'HIV'], // Cyrillic Н, І
    ['\u0397\u0399V positive', 'HIV'], // Greek Η, Ι
    ['Truv\u0430d\u0430', 'HIV'], // Cyrillic а
    ['\u0410\u0406D\u0405', 'HIV'], // Cyrillic А, І, Ѕ
    ['h\u0435r\u043Ein', 'ETH'], // Cyrillic е, о
    ['\u0420\u0422SD', 'PSY'], // Cyrillic Р, Т
    ['\u0392ipolar disorder', 'PSY'], // Greek Β
    ['\u0421ocaine', 'ETH'], // Cyrillic С
    ['\u039CDD', 'PSY'], // Greek Μ
    // White space: line breaks, tabs, runs of spaces, no-break spaces.
    ['human immunodeficiency\nvirus', 'HIV'],
    ['human\r\nimmunodeficiency   virus', 'HIV'],
    ['alcohol\tuse disorder', 'ETH'],
    ['major\u00A0depressive disorder', 'PSY'],
    ['Alcoholics\n  Anonymous', 'ETH'],
  ];
  it.each(DISGUISED.map(([t, c]) => [JSON.stringify(t), t, c]))('%s -> %s', (_shown, text, category) => {
    expect(sensitivityOfText(text)).toBe(category);
  });

  it('normalises once, and remembers by the text as given', () => {
    expect(normalizeForMatching('A\u200B&#66;\u00ADC  \n d\u00E9j\u00E0 \u0412')).toBe('ABC deja B');
    expect(normalizeForMatching('&bogus; &#xFFFFFFF; &#99999999;')).toBe('&bogus; &#xFFFFFFF; &#99999999;');
    // The plain and the disguised text are separate entries: each answered for itself, first and again.
    for (let i = 0; i < 2; i++) {
      expect(sensitivityOfText('Truvada')).toBe('HIV');
      expect(sensitivityOfText('Tru\u200Bvada')).toBe('HIV');
      expect(sensitivityOfText('Truv\u200Bada tea')).toBe('HIV');
    }
  });

  const PLAIN_DISGUISED = [
    '&#72;ello', 'Wat&shy;er intake', 'caf&eacute; visit', 'Ren\u00E9e called', 'Z\u00FCrich trip', 'na\u00EFve',
    'H\u200Bi there', '\u041C\u0410\u0420', 'Tea &amp; toast', 'line one\nline two',
  ];
  it.each(PLAIN_DISGUISED.map((t) => [JSON.stringify(t), t]))('%s -> not sensitive', (_shown, text) => {
    expect(sensitivityOfText(text)).toBeNull();
  });
});

describe('missed terms and abbreviations, and their look-alikes', () => {
  const SENSITIVE: readonly (readonly [string, SensitivityCode])[] = [
    // HIV.
    ['Human Immuno-deficiency Virus', 'HIV'],
    ['human immuno deficiency virus', 'HIV'],
    ['Prueba de VIH positiva', 'HIV'],
    ['vih-1 carga viral', 'HIV'],
    ['Diagnóstico de SIDA', 'HIV'],
    ['el paciente tiene sida', 'HIV'],
    ['terapia antirretroviral', 'HIV'],
    ['PLWH clinic intake', 'HIV'],
    ['PLHIV support group', 'HIV'],
    ['On HAART since 2015', 'HIV'],
    ['cART adherence reviewed', 'HIV'],
    ['CD4 count 350', 'HIV'],
    ['CD4+ T-cell count low', 'HIV'],
    ['CD4 cell count pending', 'HIV'],
    ['Viral load undetectable', 'HIV'],
    ['viral loads every 6 months', 'HIV'],
    ['Bictarvy 1 tab daily', 'HIV'],
    ['Truvaada refill', 'HIV'],
    ['truvda', 'HIV'],
    // Substance use.
    ['Alcohólicos Anónimos los martes', 'ETH'],
    ['Narcóticos Anónimos', 'ETH'],
    ['heroína', 'ETH'],
    ['consumo de heroína', 'ETH'],
    ['cocaína en orina', 'ETH'],
    ['abuso de alcohol', 'ETH'],
    ['alcoholismo', 'ETH'],
    ['OUD on buprenorphine', 'ETH'],
    ['Hx OUD', 'ETH'],
    ['AUD, in early remission', 'ETH'],
    ['SUD treatment referral', 'ETH'],
    ['ETOH abuse', 'ETH'],
    ['EtOH use disorder', 'ETH'],
    ['etoh withdrawal', 'ETH'],
    ['Attends A.A. meetings', 'ETH'],
    ['N.A. meetings twice weekly', 'ETH'],
    ['Goes to A.A.', 'ETH'],
    ['Referred to de-tox', 'ETH'],
    ['De-tox program next week', 'ETH'],
    ['smokes crack daily', 'ETH'],
    ['crack pipe found', 'ETH'],
    ["OD'd last month", 'ETH'],
    ['OD\u2019d on fentanyl', 'ETH'],
    ['OD on heroin in 2022', 'ETH'],
    ['overdosed on heroin', 'ETH'],
    ['Overdosed on pills', 'ETH'],
    ['Recovering alcoholic', 'ETH'],
    // Mental health.
    ['MDD, recurrent, moderate', 'PSY'],
    ['SI with plan', 'PSY'],
    ['+SI w/ plan, no intent', 'PSY'],
    ['SI w/plan', 'PSY'],
    ['depresión mayor', 'PSY'],
    ['ideación suicida', 'PSY'],
    ['trastorno depresivo mayor', 'PSY'],
  ];
  it.each(SENSITIVE.map(([t, c]) => [t, c]))('%s -> %s', (text, category) => {
    expect(sensitivityOfText(text)).toBe(category);
  });

  const PLAIN = [
    // "ART" and "MAT" alone, lower-case prep, relapse alone, Narcan alone, alcoholic beverages.
    'ART', 'Art therapy group', 'Modern art class', 'MAT', 'Yoga mat', 'MAT sign-off', 'prep', 'meal prep', 'prep the room',
    'Relapse', 'Cancer relapse', 'relapse of leukemia', 'Narcan', 'Narcan kit given', 'Naloxone/Narcan at bedside',
    'No alcoholic beverages before the procedure', 'Had an alcoholic beverage at dinner', 'an alcoholic drink with dinner',
    // Look-alikes of the abbreviations.
    'CART therapy', 'CAR-T cells', 'shopping cart', 'Heart rate', 'haart', 'cart', 'AUD 50 invoice', 'Paid 50 AUD',
    'AUD/USD', 'Audiology referral', 'sud', 'Sudden onset headache', 'loud noises', 'OD', 'OD: 20/20 vision', 'OS/OD',
    'Drops OD twice daily', 'SI joint pain', 'SI units', 'SI', 'Plan: SI joint injection', 'MDDS', 'Mdd',
    // Cracks and overdoses that are not substance use.
    'Crack in tooth', 'Cracked skin on heels', 'Heel crack', 'crack in the cast',
    // Detox and viral loads that are not.
    'Detox tea', 'De-tox juice cleanse', 'HBV viral load', 'Hepatitis B viral load', 'CMV viral load', 'Viral load (HCV)',
    'EBV viral load', 'COVID viral load study', 'CD4/CD8 ratio', 'CD4 antigen', 'CD8 count',
    // Misspellings not listed, and words close to the new ones.
    'Truvia sweetener', 'Bicarb', 'vihuela', 'Sidamo coffee', 'Sida cordifolia', 'herointroduction', 'A.A.A. repair',
    'N.A. (not applicable)', 'Coca-Cola',
  ];
  it.each(PLAIN.map((t) => [t]))('%s -> not sensitive', (text) => {
    expect(sensitivityOfText(text)).toBeNull();
  });
});

describe('sexually transmitted infections (STD), sexual and domestic violence (SDV), induced abortion (SEX)', () => {
  it('each category has its label display, and its label makes a record sensitive', () => {
    for (const code of ['STD', 'SDV', 'SEX'] as const) {
      expect(ACT_CODE_LABELS[code]).toBe(code);
      expect(securityLabel(code).display).toMatch(/information sensitivity$/);
    }
    expect(securityLabel('STD').display).toBe('sexually transmitted disease information sensitivity');
    expect(securityLabel('SDV').display).toBe('sexual assault, abuse, or domestic violence information sensitivity');
    expect(securityLabel('SEX').display).toBe('sexuality and reproductive health information sensitivity');
  });

  const SENSITIVE: readonly (readonly [string, SensitivityCode])[] = [
    ['Chlamydia trachomatis NAAT positive', 'STD'],
    ['Treated for chlamydia', 'STD'],
    ['Chlamydial cervicitis', 'STD'],
    ['Chlamydia antigen test', 'STD'],
    ['Syphilis infection test', 'STD'],
    ['Secondary syphilis', 'STD'],
    ['RPR reactive, VDRL pending', 'STD'],
    ['Gonorrhea infection test', 'STD'],
    ['Neisseria gonorrhoeae', 'STD'],
    ['gonococcal urethritis', 'STD'],
    ['Trichomoniasis', 'STD'],
    ['Trichomonas vaginalis on wet mount', 'STD'],
    ['Genital herpes outbreak', 'STD'],
    ['genital HSV', 'STD'],
    ['Herpes genitalis', 'STD'],
    ['Sexually transmitted infection screening', 'STD'],
    ['History of venereal disease', 'STD'],
    ['STI screen ordered', 'STD'],
    ['tested for STDs', 'STD'],
    ['Exposure to STI', 'STD'],
    ['sífilis', 'STD'],
    ['Dx: A56.01', 'STD'],
    ['Z20.2', 'STD'],
    ['Sexual assault', 'SDV'],
    ['Victim of sexual abuse as a child', 'SDV'],
    ['Domestic violence', 'SDV'],
    ['Reports domestic abuse', 'SDV'],
    ['Intimate partner violence', 'SDV'],
    ['intimate-partner violence, safety plan made', 'SDV'],
    ['Was raped in 2019', 'SDV'],
    ['SANE exam completed', 'SDV'],
    ['Child abuse report filed', 'SDV'],
    ['Hit by her husband', 'SDV'],
    ['Strangled by my boyfriend', 'SDV'],
    ['Human trafficking survivor', 'SDV'],
    ['violencia doméstica', 'SDV'],
    ['Dx: T74.11XA', 'SDV'],
    ['Z04.41', 'SDV'],
    ['Elective abortion', 'SEX'],
    ['Physical exam following abortion', 'SEX'],
    ['Medication abortion at 7 weeks', 'SEX'],
    ['Termination of pregnancy', 'SEX'],
    ['Requested the abortion pill', 'SEX'],
    ['Interrupción voluntaria del embarazo', 'SEX'],
    ['Z33.2', 'SEX'],
    ['O04.5', 'SEX'],
  ];
  it.each(SENSITIVE.map(([t, c]) => [t, c]))('%s -> %s', (text, category) => {
    expect(sensitivityOfText(text)).toBe(category);
    expect(isSensitive(undefined, [], [text])).toBe(true);
  });

  it('SNOMED CT codes of the STI value set classify by code', () => {
    for (const code of ['15628003', '76272004', '105629000', '33839006'])
      expect(sensitivityOfCoding({ system: 'http://snomed.info/sct', code }), code).toBe('STD');
  });

  const PLAIN = [
    'Chlamydia pneumoniae IgM', 'Chlamydia psittaci exposure (parrot)', 'Herpes zoster', 'Oral herpes (cold sore)',
    'Herpes labialis', 'HSV keratitis', 'STD paperwork for short-term disability', 'STD form for employer',
    'soft tissue injury (STI) of ankle', 'STI of the wrist', 'Standard deviation (STD) 1.2', 'Trichotillomania',
    'Domestic travel planned', 'Family history reviewed', 'Partner present at visit', 'Domestic violence screening negative',
    'Screening for domestic violence', 'IPV', 'IPV vaccine given', 'Sexual history reviewed', 'Sexually active',
    'Grapes', 'Rapeseed oil', 'Drug abuse-deterrent formulation', 'Abortive therapy for migraine',
    'Procedure aborted due to hypotension', 'Aborted sudden cardiac death', 'Spontaneous abortion at 8 weeks',
    'Missed abortion', 'Threatened abortion, bed rest', 'Aborto espontáneo', 'Termination of employment',
  ];
  it.each(PLAIN.map((t) => [t]))('%s -> not sensitive', (text) => {
    expect(sensitivityOfText(text)).toBeNull();
  });
});

// A medication proposal (MedicationRequest) is sensitive by any of its free texts, not only its drug and reason:
// "1 tab daily, HIV positive" on Metformin was shown to a clinician without the grant.
describe('toMedicationRequestRow: every free text of the request', () => {
  const patient = toPatientRow('acme', {
    resourceType: 'Patient',
    id: 'p-1',
    managingOrganization: { reference: 'Organization/dept-primary-care' },
  } as Patient);
  const metformin = (extra: Partial<MedicationRequest>): MedicationRequest => ({
    resourceType: 'MedicationRequest',
    id: 'mr-1',
    status: 'draft',
    intent: 'proposal',
    subject: { reference: 'Patient/p-1' },
    medicationCodeableConcept: {
      coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '860975', display: 'Metformin 500 MG Oral Tablet' }],
      text: 'Metformin 500 MG Oral Tablet',
    },
    ...extra,
  });
  const SENSITIVE: readonly (readonly [string, Partial<MedicationRequest>])[] = [
    ['dosageInstruction.text', { dosageInstruction: [{ text: '1 tab daily, HIV positive' }] }],
    ['second dosage text', { dosageInstruction: [{ text: '1 tab daily' }, { text: 'hold if using heroin' }] }],
    ['dosageInstruction.patientInstruction', { dosageInstruction: [{ patientInstruction: 'Take with your Biktarvy' }] }],
    ['dosageInstruction.additionalInstruction', { dosageInstruction: [{ additionalInstruction: [{ text: 'after AA meetings' }] }] }],
    ['dosageInstruction.asNeededCodeableConcept', { dosageInstruction: [{ asNeededCodeableConcept: { text: 'suicidal thoughts' } }] }],
    ['note', { note: [{ text: 'Patient has MDD' }] }],
    ['statusReason', { statusReason: { text: 'On hold: alcohol withdrawal' } }],
    ['reasonCode.text', { reasonCode: [{ text: 'Prediabetes; PLWH' }] }],
    ['disguised dosage text', { dosageInstruction: [{ text: '1 tab daily, H\u200BI\u200BV positive' }] }],
    ['STI in dosage text', { dosageInstruction: [{ text: 'after syphilis treatment' }] }],
  ];
  it.each(SENSITIVE.map(([name, extra]) => [name, extra]))('%s naming a sensitive class: sensitive', (_name, extra) => {
    expect(toMedicationRequestRow(metformin(extra), patient).guard.sensitive).toBe(true);
  });
  it('the same request with plain texts is not', () => {
    const plain = metformin({
      dosageInstruction: [
        { text: '1 tab daily with food', patientInstruction: 'Take with breakfast', additionalInstruction: [{ text: 'With meals' }] },
      ],
      note: [{ text: 'A1c 7.2, recheck in 3 months' }],
      reasonCode: [{ text: 'Type 2 diabetes' }],
    });
    expect(toMedicationRequestRow(plain, patient).guard.sensitive).toBe(false);
  });
});

// What a tester still found plain: a detox or an addiction without a named substance, psychiatric care and
// mental-health conditions in plain words, psychiatric medicines by name, and HIV PrEP typed "PREP" or "Pr.E.P". They
// reached the front desk and billing (patient messages) and clinicians without the grant (medication proposal reasons).
// Each class is enumerated with its variants (case, spacing, punctuation), and so are its near misses.
describe('detox, addiction, psychiatric care and medicines, PrEP as typed: the classes and their near misses', () => {
  /** The text as typed otherwise: shouted, in lower case, with runs of spaces or a line break, quoted and punctuated. */
  const variants = (text: string): string[] => [
    ...new Set([text, text.toUpperCase(), text.toLowerCase(), text.replace(/ /g, '   '), text.replace(/ /g, '\n'), `"${text}"?!`, `(${text}).`]),
  ];

  const SUBSTANCE_USE = [
    'Can you resend the invoice for my detox stay',
    'invoice for my de-tox stay',
    'invoice for my de tox stay',
    'admitted for detox last week',
    'Admitted for de-tox',
    'went to detox in March',
    'just got out of detox',
    'the bill for detox',
    'Detox admission 3/2',
    'medically supervised detox',
    'detoxing from heroin',
    'meth addiction',
    'meth addiction relapse',
    'meth use',
    'heroin addiction',
    'addiction treatment',
    'addiction medicine referral',
    'history of addiction',
    'addicted to pills',
    'addicted to painkillers',
    'recovering addict',
    'benzo withdrawal',
    'pill addiction',
    'opioid addiction treatment program',
    'marijuana dependence',
  ];
  const MENTAL_HEALTH = [
    'psych ward',
    'psych-ward',
    'psych eval tomorrow',
    'admitted to inpatient psych',
    'psychiatric hospital',
    'psychiatric hospital discharge',
    'psychiatric evaluation',
    'Psychiatric admission in 2019',
    'therapy with the psychiatrist',
    'Psychiatry follow-up',
    'on a 5150 hold',
    'weekly psychotherapy',
    'sees a psychologist',
    'mental health crisis',
    'behavioral health referral',
    'anorexia treatment',
    'diagnosed with anorexia',
    'binge eating disorder',
    'anxiety treatment',
    'anxiety meds',
    'I have anxiety',
    'treated for generalized anxiety',
    'panic attacks',
    'OCD therapy',
    'OCD symptoms worse',
    'diagnosed with OCD',
    'obsessive-compulsive disorder',
    'borderline personality disorder',
    'manic episode',
    'hypomania',
    'dissociative identity disorder',
    'gambling addiction',
    'gender dysphoria',
    'Tourette syndrome',
    'Baker Acted last year',
  ];
  // Psychiatric medicines by class, generic and brand (value-sets.ts PSY_MEDICINES says what is left out and why).
  const PSY_MEDICINE_NAMES = [
    // SSRIs, SNRIs and other antidepressants.
    'Zoloft', 'sertraline', 'Prozac', 'fluoxetine', 'Celexa', 'citalopram', 'Lexapro', 'escitalopram', 'Paxil', 'paroxetine',
    'fluvoxamine', 'Trintellix', 'vortioxetine', 'Viibryd', 'Effexor XR', 'venlafaxine', 'Pristiq', 'desvenlafaxine', 'Cymbalta',
    'duloxetine', 'Wellbutrin XL', 'bupropion', 'Remeron', 'mirtazapine', 'Spravato', 'esketamine', 'phenelzine', 'Emsam',
    'clomipramine',
    // Antipsychotics.
    'Seroquel', 'quetiapine', 'Abilify', 'aripiprazole', 'Zyprexa', 'olanzapine', 'Risperdal', 'risperidone', 'Invega',
    'paliperidone', 'Geodon', 'ziprasidone', 'Latuda', 'lurasidone', 'Clozaril', 'clozapine', 'Haldol', 'haloperidol', 'Rexulti',
    'Vraylar', 'cariprazine', 'Caplyta', 'chlorpromazine', 'fluphenazine',
    // Mood stabilisers and anxiolytics whose use is psychiatric.
    'lithium', 'lithium carbonate', 'Lithobid', 'buspirone',
    // ADHD medicines (ADHD is PSY: ICD-10 F90).
    'Adderall', 'Adderall XR', 'amphetamine salts', 'Vyvanse', 'lisdexamfetamine', 'Ritalin', 'methylphenidate', 'Concerta',
    'Focalin', 'Strattera', 'atomoxetine', 'Qelbree', 'Intuniv',
  ];
  const PSY_MEDICINES = PSY_MEDICINE_NAMES.flatMap((m) => [`Continue ${m} daily`, `${m} 50 mg`, `${m}50mg`, `Refill my ${m}?`]);
  const LITHIUM = ['Lithium 300 mg BID', 'lithium level 0.8', 'on lithium for years', 'Lithium toxicity'];
  const PREP = [
    'PREP REFILL PLEASE',
    "I'M ON PREP",
    'can I get a refill of my PREP',
    'PREP clinic appointment',
    'PREP labs due',
    'on PREP since May',
    'eligible for PREP',
    'injectable PREP',
    'Pr.E.P',
    'on Pr.E.P. since May',
    'P.r.E.P',
    'Pr. E. P. refill',
    'P.R.E.P.',
  ];
  const SENSITIVE: readonly (readonly [string, SensitivityCode])[] = [
    ...SUBSTANCE_USE.map((t) => [t, 'ETH'] as const),
    ...MENTAL_HEALTH.map((t) => [t, 'PSY'] as const),
    ...PSY_MEDICINES.map((t) => [t, 'PSY'] as const),
    ...LITHIUM.map((t) => [t, 'PSY'] as const),
    ...PREP.map((t) => [t, 'HIV'] as const),
  ];
  it.each(SENSITIVE.flatMap(([t, c]) => variants(t).map((v) => [JSON.stringify(v), v, c] as const)))('%s -> %s', (_s, text, category) => {
    expect(sensitivityOfText(text)).toBe(category);
    expect(isSensitive(undefined, [{ text }])).toBe(true);
  });

  const PLAIN = [
    // Detox that is a diet or a habit, rehab that is not for a substance, addictions that are not substance use.
    'detox tea', 'Juice detox diet', 'digital detox', 'sugar detox', 'liver detox program', '7-day juice detox', 'detox bath',
    'foot detox pads', 'detox from social media', 'Hepatic detoxification pathways', 'cardiac rehab', 'pulmonary rehab program',
    'nicotine addiction', 'smoking addiction treatment', 'phone addiction', 'social media addiction', 'addicted to coffee',
    'addicted to this show', 'a chocolate addict', 'news addict',
    // Words close to the drugs: other medicines, and lithium that is not the medicine.
    'Methotrexate weekly', 'Methylprednisolone dose pack', 'Metformin 500 mg', 'Paxlovid', 'Celebrex 200 mg', 'Zyrtec',
    'Zyban to quit smoking', 'lamotrigine 100 mg for epilepsy', 'Depakote for seizures', 'trazodone 50 mg at bedtime',
    'gabapentin 300 mg', 'guanfacine 1 mg for blood pressure', 'clonidine patch', 'modafinil for narcolepsy',
    'lithium battery', 'Lithium-ion battery in the pump', 'lithium heparin tube', 'Replace the lithium cell',
    // Psychology that is not care, psychiatric headings, worry that is not a disorder, OCD that is a knee.
    'psychology class', 'Psych 101', 'psyched for the game', 'neuropsychological testing', 'Psychiatric: normal mood and affect',
    'anxious about the bill', 'anxiety about the MRI', 'I have anxiety about the bill', 'some anxiety before surgery',
    'anorexia and weight loss', 'Cancer-related anorexia', 'OCD lesion of the talus', 'knee OCD', 'osteochondritis dissecans (OCD)',
    'mental health screening', 'Trip to Romania', 'anxiety', 'anorexia', 'OCD', 'psych', 'Room 5150',
    // Preparations that are not PrEP.
    'meal prep', 'MEAL PREP SUNDAY', 'prep for colonoscopy', 'PREP FOR COLONOSCOPY', "I'M ON PREP FOR MY COLONOSCOPY", 'PREP',
    'PREP sheet', 'BOWEL PREP', 'bowel prep refill', 'SKIN PREP WITH CHLORHEXIDINE', 'SAT prep class', 'prep kit',
    'on prep day', 'Surgical prep solution', 'Prep for surgery tomorrow', 'Finished my prep, clear liquids only',
    'the prep prescription for my colonoscopy', 'Rabies Pr.E.P series',
  ];
  it.each(PLAIN.flatMap((t) => variants(t).map((v) => [JSON.stringify(v), v] as const)))('%s -> not sensitive', (_s, text) => {
    expect(sensitivityOfText(text)).toBeNull();
  });

  it('psychiatric medicines by RxNorm ingredient code, and by the display of a product code', () => {
    const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';
    for (const code of ['36437', '4493', '2556', '321988', '51272', '89013', '35636', '2626', '5093'])
      expect(sensitivityOfCoding({ system: RX, code }), code).toBe('PSY');
    expect(sensitivityOfCoding({ system: RX, code: '1', display: 'quetiapine 25 MG Oral Tablet [Seroquel]' })).toBe('PSY');
    expect(sensitivityOfCoding({ system: RX, code: '2', display: 'Lithium Carbonate 300 MG Oral Capsule' })).toBe('PSY');
    expect(sensitivityOfCoding({ system: RX, code: '3', display: 'lamotrigine 100 MG Oral Tablet' })).toBeNull();
  });
});

// The callers: an inbound patient message is routed to nurse triage (never the front desk or billing) and labelled
// with the category; a medication proposal whose reason or drug names one is a sensitive row.
describe('the callers pick the new vocabulary up: inbound message routing and medication proposals', () => {
  const { rules, at } = ROUTING;

  it.each([
    ['Can you resend the invoice for my detox stay', 'ETH'],
    ['invoice for my de-tox stay', 'ETH'],
    ['Question about my bill: I was admitted for detox last week', 'ETH'],
    ['Billing question about the psychiatric hospital discharge', 'PSY'],
    ['Can I get a receipt for my psych ward stay?', 'PSY'],
    ['copy of the invoice for my anorexia treatment', 'PSY'],
    ['Is Zoloft covered by my insurance? question about the bill', 'PSY'],
    ['WHY IS MY PREP REFILL ON THE BILL', 'HIV'],
    ['Bill for the Pr.E.P visit', 'HIV'],
  ] as const)('%s -> nurse-triage, %s', (text, category) => {
    const d = routeInbound(text, rules, { at });
    expect(d.queue).not.toMatch(/front-desk|billing/);
    expect(d).toMatchObject({ queue: 'nurse-triage', sensitive: category });
  });

  it.each([
    ['Can I get a copy of the invoice for the detox tea I bought at the shop?'],
    ['Question about my bill for the meal prep class'],
    ['Can I move my appointment? The lithium battery in my scale died'],
  ] as const)('%s -> not sensitive', (text) => {
    expect(routeInbound(text, rules, { at }).sensitive).toBeNull();
  });

  it.each([
    ['Hydroxyzine 25 mg', 'anxiety treatment'],
    ['Hydroxyzine 25 mg', 'OCD therapy'],
    ['Ondansetron 4 mg', 'meth addiction relapse'],
    ['Thiamine 100 mg', 'admitted for detox last week'],
    ['Sertraline 50 mg', 'Follow-up'],
    ['Seroquel 25 mg', 'Sleep'],
    ['Lithium carbonate 300 mg', 'Maintenance'],
    ['Adderall XR 20 mg', 'Focus'],
    ['Metformin 500 mg', 'after psychiatric evaluation'],
    ['Emtricitabine/tenofovir', 'PREP refill'],
  ])('%s for "%s": a sensitive row', (drug, reason) => {
    expect(toMedicationRequestRow(proposal(drug, reason), patient).guard.sensitive).toBe(true);
  });
  it('a plain proposal is not', () => {
    expect(toMedicationRequestRow(proposal('Lamotrigine 100 mg', 'Epilepsy'), patient).guard.sensitive).toBe(false);
    expect(toMedicationRequestRow(proposal('PEG 3350 bowel PREP', 'PREP for colonoscopy'), patient).guard.sensitive).toBe(false);
  });
});

// What a second tester still found plain (front desk and billing queues, an AI agent's medication proposal shown to a
// clinician without the grant): "on prep" followed by more words, withdrawal with the substance after it, mental
// health care by its places and treatments, Spanish terms, medicine names in the plural or broken by a hyphen or a
// space; and billing identifiers that looked like ICD-10 codes. Each with its variants, and its near misses.
describe('second tester: PrEP in a sentence, withdrawal from a substance, places and treatments of the mind, Spanish, broken names', () => {
  const variants = (text: string): string[] => [
    ...new Set([text, text.toUpperCase(), text.toLowerCase(), text.replace(/ /g, '   '), text.replace(/ /g, '\n'), `"${text}"?!`, `(${text}).`]),
  ];
  const SENSITIVE: readonly (readonly [string, SensitivityCode])[] = [
    // "on prep" and its other leads, followed by more words, unless the sentence names a procedure's prep.
    ["I'M ON PREP and need labs", 'HIV'],
    ["i'm on prep and need labs", 'HIV'],
    ['ON PREP and need labs', 'HIV'],
    ["I'M ON PREP and need labs done", 'HIV'],
    ["I'M ON PREP and need a refill", 'HIV'],
    ["I'M ON PREP.", 'HIV'],
    ["I'M ON PREP, need labs", 'HIV'],
    ["I've been on prep for 2 years", 'HIV'],
    ['can I get a refill of my PREP and my labs', 'HIV'],
    ["I'm on Prep and need labs", 'HIV'], // any case after "on", erring on withholding
    // Withdrawal with the substance after it; coming off a substance; dopesick.
    ['withdrawal from alcohol', 'ETH'],
    ['withdrawal from opioids', 'ETH'],
    ['going through withdrawal from opioids', 'ETH'],
    ['withdrawing from alcohol', 'ETH'],
    ['withdrawals from meth', 'ETH'],
    ['coming off meth', 'ETH'],
    ['coming off heroin', 'ETH'],
    ['coming off opioids', 'ETH'],
    ['coming off benzos', 'ETH'],
    ['coming off alcohol', 'ETH'],
    ['trying to get off fentanyl', 'ETH'],
    ['dopesick', 'ETH'],
    ['dope sick', 'ETH'],
    // Spanish substance use.
    ['desintoxicación', 'ETH'],
    ['centro de desintoxicación', 'ETH'],
    ['rehabilitación de drogas', 'ETH'],
    ['abstinencia de alcohol', 'ETH'],
    ['síndrome de abstinencia al alcohol', 'ETH'],
    // Mental health care and its places and treatments.
    ['invoice from the mental hospital', 'PSY'],
    ['mental institution', 'PSY'],
    ['involuntary commitment', 'PSY'],
    ['bill for my ECT', 'PSY'],
    ['ECT sessions twice a week', 'PSY'],
    ['electroconvulsive therapy', 'PSY'],
    ['TMS therapy', 'PSY'],
    ['transcranial magnetic stimulation', 'PSY'],
    ['psy-chiatrist', 'PSY'],
    ['appointment with the psy chiatrist', 'PSY'],
    ['psy-chiatric hospital', 'PSY'],
    ['Question about my psychiatric bill', 'PSY'],
    ['the psych invoice', 'PSY'],
    // Spanish mental health; "depresion" alone as "depression" alone is.
    ['hospital psiquiátrico', 'PSY'],
    ['psiquiatra', 'PSY'],
    ['cita con la psiquiatra', 'PSY'],
    ['tengo ansiedad', 'PSY'],
    ['tratamiento de ansiedad', 'PSY'],
    ['depresión', 'PSY'],
    ['depresión mayor', 'PSY'],
    // Medicine names in the plural or possessive, broken once by a hyphen or a space, the INN without its "e", and
    // the tester's misspellings listed exactly.
    ['Zolofts', 'PSY'],
    ["Zoloft's copay", 'PSY'],
    ['Seroquels', 'PSY'],
    ['Zolloft', 'PSY'],
    ['Seroqel', 'PSY'],
    ['Sertralin', 'PSY'],
    ['Quetiapin 25 mg', 'PSY'],
    ['Tru vada', 'HIV'],
    ['Tru-vada refill', 'HIV'],
    ['Truvadas', 'HIV'],
    ['Desc ovy', 'HIV'],
    ['Sub-oxone', 'ETH'],
    // False positives that stay, erring on withholding: a place named for psychiatry says where the patient goes, a
    // medicine name is a medicine name, "Hiv" as a name cannot be told from HIV in capitals, and an AA meeting room is
    // where AA meets.
    ['Psychiatry Building parking', 'PSY'],
    ['Prozac county', 'PSY'],
    ['Concerta hall', 'PSY'],
    ['Dr. Hiv Patel', 'HIV'],
    // A code is a code when it is not right after an identifier's name.
    ['invoice for my F32.9 visit', 'PSY'],
    ['Dx: F32.9 on the invoice', 'PSY'],
    ['Claim denied, dx B20', 'HIV'],
  ];
  it.each(SENSITIVE.flatMap(([t, c]) => variants(t).map((v) => [JSON.stringify(v), v, c] as const)))('%s -> %s', (_s, text, category) => {
    expect(sensitivityOfText(text)).toBe(category);
    expect(isSensitive(undefined, [{ text }])).toBe(true);
  });

  it('"AA" is the fellowship as written in capitals, its meeting room too (a lower-case "aa" is not)', () => {
    for (const t of ['AA meeting room rental', 'AA MEETING ROOM RENTAL', 'I GO TO AA MEETINGS', 'Attends AA meetings weekly'])
      expect(sensitivityOfText(t), t).toBe('ETH');
    expect(sensitivityOfText('aa meeting room rental')).toBeNull();
  });

  const PLAIN = [
    // Preparations: the sentence names the procedure, or the word after "prep" is a preparation's.
    "I'm on prep for my colonoscopy tomorrow", "I'M ON PREP FOR MY COLONOSCOPY", 'Colonoscopy tomorrow, I am on prep and starving',
    'on prep day', 'on prep duty at the restaurant', 'prep kit',
    // Withdrawals and coming off what is not a substance.
    'withdrawal from my savings account', 'withdrawing from the class', 'coming off my blood pressure meds', 'withdrawal of consent',
    'coming off the pill', 'getting off work early', 'withdrawal', 'coming off a cold',
    // Spanish near misses.
    'dieta de desintoxicación', 'té de desintoxicación', 'desintoxicación digital', 'tengo ansiedad por la factura', 'abstinencia',
    'depresión tropical', 'depresión respiratoria', 'psicología', 'rehabilitación de rodilla',
    // "ect" as "etc.", TMS alone, psychiatric alone (a heading), a hospital that is not a mental one.
    'labs, ect', 'TMS', 'psy-chiatric', 'Psychiatric: normal', 'invoice from the hospital',
    // A break inside a name needs parts of three letters or more ("Focalin", "Invega" are not "focal in", "in Vega").
    'weakness focal in the left arm', 'staying in Vega', 'Truvia sweetener', 'Tru value hardware',
    // Billing identifiers that look like ICD-10 codes.
    'invoice number F32.9', 'claim number F329', 'account F11 20 balance', 'invoice B20 wrong amount', 'invoice #F32.9',
    'claim no. F10.20 was paid', 'Reference: B20-771', 'order # Z21',
  ];
  it.each(PLAIN.flatMap((t) => variants(t).map((v) => [JSON.stringify(v), v] as const)))('%s -> not sensitive', (_s, text) => {
    expect(sensitivityOfText(text)).toBeNull();
  });

  const { rules, at } = ROUTING;
  it.each([
    ["I'M ON PREP and need labs done, is that on my bill?", 'HIV'],
    ['Question about the invoice from the mental hospital', 'PSY'],
    ['Bill for my ECT, please resend', 'PSY'],
    ['I was billed for my stay while going through withdrawal from opioids', 'ETH'],
    ['Factura del hospital psiquiátrico', 'PSY'],
  ] as const)('%s -> nurse-triage, %s', (text, category) => {
    expect(routeInbound(text, rules, { at })).toMatchObject({ queue: 'nurse-triage', sensitive: category });
  });
  it.each([
    ['Question about invoice number F32.9'],
    ['Claim number F329 shows the wrong amount'],
    ['Refund of my savings account withdrawal'],
  ])('%s -> not sensitive', (text) => {
    expect(routeInbound(text, rules, { at }).sensitive).toBeNull();
  });

  it.each([
    ['Sertralin 50 mg', 'Follow-up'],
    ['Zolofts', 'Refill'],
    ['Tru vada', 'Prevention'],
    ['Thiamine 100 mg', 'coming off alcohol'],
    ['Ondansetron 4 mg', 'dopesick'],
    ['Metformin 500 mg', 'before TMS therapy'],
  ])('%s for "%s": a sensitive row', (drug, reason) => {
    expect(toMedicationRequestRow(proposal(drug, reason), patient).guard.sensitive).toBe(true);
  });
});

// A tester's finding: words a code system, a form or a lab system ran together were not read ("HIVRNA",
// "heroin_use_disorder", "MethadoneClinic" reached clinicians without the grant). A second reading takes them apart;
// the first keeps what depends on case as written, and a word that only begins like one is never cut.
describe('joined words', () => {
  it('underscores, camel case and HIV run together with a lab word are read apart', () => {
    const cases: [string, string][] = [
      ['HIV_positive', 'HIV'], ['HIV_RNA_QUANT', 'HIV'], ['HIVRNA', 'HIV'], ['hiv1rna', 'HIV'], ['HIVAb reactive', 'HIV'],
      ['antiHIV', 'HIV'], ['HIVPositive', 'HIV'], ['heroin_use_disorder', 'ETH'], ['MethadoneClinic Eastside', 'ETH'],
    ];
    for (const [text, category] of cases) expect(sensitivityOfText(text), text).toBe(category);
  });

  it('near misses stay plain, and PrEP is still read as written', () => {
    const plain = ['Hives', 'HIVES', 'hives on arms', 'HIVE_TEST', 'archive', 'Blood_pressure', 'NoKnownAllergies', 'HbA1c', 'McDonald'];
    for (const text of plain) {
      expect(sensitivityOfText(text), text).toBeNull();
    }
    expect(sensitivityOfText('on PrEP refill')).toBe('HIV');
    expect(sensitivityOfText('bowel prep')).toBeNull();
  });
});

// What a mapped row shows is read too (fhir-mapping.ts guarded), through a remembered answer first; a string that
// cannot name anything (a UUID, a date, a number), unique per row, is answered without running the value sets.
describe('sensitivityOfShownText', () => {
  it('answers as sensitivityOfText, and a UUID, a date or a number is plain', () => {
    for (const text of ['HIV positive', 'Methadone clinic', 'B20', 'F32.9', 'hank-cond-hiv', 'Body Height', '120/80 mmHg']) {
      expect(sensitivityOfShownText(text), text).toBe(sensitivityOfText(text));
    }
    for (const text of ['fb7a83ef-5b80-4bb6-87cb-5783a6c9a798', '2011-07-24T15:32:17+00:00', '2020-01-01', '2020', '193.3', '-4']) {
      expect(sensitivityOfShownText(text), text).toBeNull();
    }
  });
});
