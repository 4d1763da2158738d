import type { CodeableConcept, Coding, Meta } from '@medplum/fhirtypes';
import {
  ACT_CODE_LABELS,
  ICD10_SYSTEMS,
  RESTRICTED_CONFIDENTIALITY,
  RXNORM_SYSTEM,
  SNOMED_SYSTEM,
  VALUE_SETS,
  type SensitivityCode,
} from './sensitivity/value-sets.js';
import { normalizeForMatching, withJoinedWordsApart } from './sensitivity/normalize.js';

// Row sensitivity, decided at read time the way a security labeling service does
// (https://hl7.org/fhir/R4/security-labels.html, HL7 SLS): a record is sensitive when its own meta.security carries a
// sensitive-category or restricted label, and, because real EHR data mostly carries no labels, when its codes or
// text fall in one of the governed value sets (sensitivity/value-sets.ts). Pure: the mapping (fhir-mapping.ts)
// asks it per resource; what a row derives from (the Condition an Encounter is about) is added by the reader.

export type { SensitivityCode } from './sensitivity/value-sets.js';
export { SNOMED_SYSTEM } from './sensitivity/value-sets.js';

export const ACT_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
// The same code systems by their HL7 OIDs, as labels written from CDA or v2 carry them
// (https://terminology.hl7.org/CodeSystem-v3-ActCode.html, CodeSystem-v3-Confidentiality.html: "OID").
const ACT_CODE_SYSTEMS = new Set([ACT_CODE_SYSTEM, 'urn:oid:2.16.840.1.113883.5.4']);
const CONFIDENTIALITY_SYSTEMS = new Set([CONFIDENTIALITY_SYSTEM, 'urn:oid:2.16.840.1.113883.5.25']);

const SENSITIVITY_DISPLAY: Readonly<Record<SensitivityCode, string>> = {
  HIV: 'HIV/AIDS information sensitivity',
  ETH: 'substance abuse information sensitivity',
  PSY: 'psychiatry disorder information sensitivity',
  STD: 'sexually transmitted disease information sensitivity',
  SDV: 'sexual assault, abuse, or domestic violence information sensitivity',
  SEX: 'sexuality and reproductive health information sensitivity',
};

/** Systems whose codes the value sets list exactly: a code of these that is not listed is not sensitive by code. */
const CODE_SYSTEMS = new Set<string>([SNOMED_SYSTEM, ...ICD10_SYSTEMS, 'http://loinc.org']);

const exactCodes = new Map<string, SensitivityCode>();
for (const set of VALUE_SETS)
  for (const [system, codes] of Object.entries(set.codes)) for (const c of codes) exactCodes.set(`${system}|${c}`, set.category);

/** The category of one coding, by code; for RxNorm, local and unknown systems also by its display text. */
export function sensitivityOfCoding(coding: Coding | undefined): SensitivityCode | null {
  if (!coding) return null;
  const system = coding.system ?? '';
  const code = coding.code ?? '';
  if (code) {
    const exact = exactCodes.get(`${system}|${code}`);
    if (exact) return exact;
    if ((ICD10_SYSTEMS as readonly string[]).includes(system)) {
      const upper = code.toUpperCase();
      for (const set of VALUE_SETS) if (set.icd10Prefixes.some((p) => upper.startsWith(p))) return set.category;
      return null;
    }
  }
  // A listed system's code is authoritative; RxNorm product codes name their ingredients, so they go by name too.
  if (CODE_SYSTEMS.has(system) && system !== RXNORM_SYSTEM && code) return null;
  return sensitivityOfText(coding.display);
}

/**
 * Answers for texts already read. Displays and concept texts repeat across rows ("Body Height" on every height
 * observation): a list of 50 patients asked every term list of every value set hundreds of times per request. Pure
 * (the value sets are fixed), bounded: emptied when full.
 */
const TEXT_ANSWERS = new Map<string, SensitivityCode | null>();
const MAX_TEXT_ANSWERS = 10_000;
const MAX_REMEMBERED_TEXT = 200;

/**
 * The first category whose terms the text names (a note, a concept's text, a display, a patient's message), or null:
 * the value sets' words (HIV medicines by generic and brand name, "H.I.V.", alcohol and drug use phrases, a detox or
 * an addiction, psychiatric care and psychiatric medicines by name, "PREP" next to a refill...) and an
 * ICD-10 code of a listed prefix written in the text ("Dx: F32.9"). The one text vocabulary of the gateway: notes and
 * inbound messages (connectors/messaging/inbound-routing.ts, queue-item.ts) are decided by it alike. The text is
 * normalised first, here and only here (sensitivity/normalize.ts: HTML references, NFKC, zero-width characters and
 * soft hyphens, Cyrillic/Greek look-alikes, diacritics, white space); answers are remembered by the text as given.
 */
export function sensitivityOfText(value: string | null | undefined): SensitivityCode | null {
  if (!value) return null;
  const known = TEXT_ANSWERS.get(value);
  if (known !== undefined) return known;
  const normalized = normalizeForMatching(value);
  // Then the same text with joined words taken apart (a tester's "HIVRNA", "heroin_use_disorder", "MethadoneClinic").
  const apart = withJoinedWordsApart(normalized);
  const readings = apart === normalized ? [normalized] : [normalized, apart];
  let found: SensitivityCode | null = null;
  for (const set of VALUE_SETS) {
    if (set.terms.some((t) => readings.some((r) => t.test(r)))) {
      found = set.category;
      break;
    }
  }
  // Short texts only (displays, titles): a note's body is seldom read twice and would crowd the others out.
  if (value.length <= MAX_REMEMBERED_TEXT) {
    if (TEXT_ANSWERS.size >= MAX_TEXT_ANSWERS) TEXT_ANSWERS.clear();
    TEXT_ANSWERS.set(value, found);
  }
  return found;
}

/**
 * Strings that cannot name anything: a UUID, a date or time, a number (a value set's word needs a letter beyond a-f,
 * an ICD-10 code a letter before its digits). Rows show one or more of them each, unique per row: asked of
 * sensitivityOfText, they would run every value set's patterns and crowd the texts worth remembering out of its answers.
 */
const WORDLESS = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2}(?:T[0-9:.]+(?:Z|[+-][0-9]{2}:[0-9]{2})?)?)?)?|-?[0-9]+(?:\.[0-9]+)?)$/i;

/**
 * sensitivityOfText for a string a mapped row shows (fhir-mapping.ts guarded): a remembered answer first, then a
 * wordless string is answered null without being remembered, anything else is read.
 */
export function sensitivityOfShownText(value: string): SensitivityCode | null {
  const known = TEXT_ANSWERS.get(value);
  if (known !== undefined) return known;
  return WORDLESS.test(value) ? null : sensitivityOfText(value);
}

export function securityLabel(code: SensitivityCode): Coding {
  return { system: ACT_CODE_SYSTEM, code, display: SENSITIVITY_DISPLAY[code] };
}

/** True when the resource's meta.security carries a sensitive-category or restricted label. */
export function hasSensitiveLabel(meta: Meta | undefined): boolean {
  for (const label of meta?.security ?? []) {
    if (!label.code) continue;
    if (ACT_CODE_SYSTEMS.has(label.system ?? '') && Object.hasOwn(ACT_CODE_LABELS, label.code)) return true;
    if (CONFIDENTIALITY_SYSTEMS.has(label.system ?? '') && RESTRICTED_CONFIDENTIALITY.includes(label.code)) return true;
  }
  return false;
}

/** A resource is sensitive by its labels, else by its coded content and text (the first match answers). */
export function isSensitive(
  meta: Meta | undefined,
  concepts: readonly (CodeableConcept | undefined)[],
  texts: readonly (string | null | undefined)[] = [],
): boolean {
  if (hasSensitiveLabel(meta)) return true;
  for (const concept of concepts) {
    if (!concept) continue;
    for (const coding of concept.coding ?? []) if (sensitivityOfCoding(coding)) return true;
    if (sensitivityOfText(concept.text)) return true;
  }
  for (const value of texts) if (sensitivityOfText(value)) return true;
  return false;
}
