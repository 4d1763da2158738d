import type { Coding, Meta } from '@medplum/fhirtypes';

// Sensitive-category security labels. The seed puts them on Conditions (and on notes that mention one); the mapping
// reads them back into RowGuard.sensitive. Labels, not codes, are what the gateway trusts at read time: a real EHR
// labels records itself (https://hl7.org/fhir/R4/security-labels.html#core), and the code list below is only how
// this project's seed decides which synthetic records get one.

export const ACT_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
export const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
export const SNOMED_SYSTEM = 'http://snomed.info/sct';

/** v3 ActCode InformationSensitivityPolicy codes used here (https://terminology.hl7.org/CodeSystem-v3-ActCode.html). */
export type SensitivityCode = 'HIV' | 'ETH' | 'PSY';

/**
 * Any of these ActCode labels makes a row sensitive, so records labelled by a real EHR with the finer codes (SUD for
 * substance use disorder, MH/BH for mental and behavioural health, STD, SDV) are honoured too.
 */
const SENSITIVE_ACT_CODES = new Set(['HIV', 'ETH', 'SUD', 'OPIOIDUD', 'PSY', 'MH', 'BH', 'PSYTHPN', 'STD', 'SDV']);

/** Restricted and very restricted confidentiality also count (https://hl7.org/fhir/R4/v3/Confidentiality/cs.html). */
const RESTRICTED_CONFIDENTIALITY = new Set(['R', 'V']);

/**
 * SNOMED CT codes the seed labels. Taken from Synthea's HIV, opioid-addiction, alcohol, depression, PTSD, ADHD and
 * self-harm modules plus the plain parent concepts; none of them occurs in the 16 bundles shipped here (checked),
 * which is why the seed also adds a few synthetic sensitive Conditions (seed-sensitive.ts).
 */
export const SENSITIVE_SNOMED: Readonly<Record<string, SensitivityCode>> = {
  // HIV/AIDS
  '86406008': 'HIV', // Human immunodeficiency virus infection
  '165816005': 'HIV', // HIV positive
  '62479008': 'HIV', // Acquired immune deficiency syndrome
  '91947003': 'HIV', // Asymptomatic HIV infection
  // Substance use (ETH: "substance abuse information sensitivity")
  '7200002': 'ETH', // Alcoholism
  '66590003': 'ETH', // Alcohol dependence
  '15167005': 'ETH', // Alcohol abuse
  '55680006': 'ETH', // Drug overdose
  '1149222004': 'ETH', // Overdose
  '6525002': 'ETH', // Dependent drug abuse
  '5602001': 'ETH', // Opioid abuse
  '361055000': 'ETH', // Misuses drugs
  // Mental health (PSY: "psychiatry disorder information sensitivity")
  '36923009': 'PSY', // Major depression, single episode
  '370143000': 'PSY', // Major depressive disorder
  '35489007': 'PSY', // Depressive disorder
  '191736004': 'PSY', // Recurrent major depressive episodes
  '47505003': 'PSY', // Posttraumatic stress disorder
  '197480006': 'PSY', // Anxiety disorder
  '73595000': 'PSY', // Stress (finding): Synthea records it from its mental-health screening
  '192127007': 'PSY', // Child attention deficit disorder
  '86849004': 'PSY', // Suicidal poisoning
  '287185009': 'PSY', // Attempted suicide by cutting or stabbing
  '287182007': 'PSY', // Attempted suicide by suffocation
};

export const SENSITIVITY_DISPLAY: Readonly<Record<SensitivityCode, string>> = {
  HIV: 'HIV/AIDS information sensitivity',
  ETH: 'substance abuse information sensitivity',
  PSY: 'psychiatry disorder information sensitivity',
};

/** The label for a SNOMED coding, or null when it is not in a sensitive category. */
export function sensitivityOfCoding(coding: Coding | undefined): SensitivityCode | null {
  if (!coding?.code) return null;
  if (coding.system && coding.system !== SNOMED_SYSTEM) return null;
  return SENSITIVE_SNOMED[coding.code] ?? null;
}

export function securityLabel(code: SensitivityCode): Coding {
  return { system: ACT_CODE_SYSTEM, code, display: SENSITIVITY_DISPLAY[code] };
}

/** True when the resource's meta.security carries a sensitive-category or restricted label. */
export function hasSensitiveLabel(meta: Meta | undefined): boolean {
  for (const label of meta?.security ?? []) {
    if (!label.code) continue;
    if (label.system === ACT_CODE_SYSTEM && SENSITIVE_ACT_CODES.has(label.code)) return true;
    if (label.system === CONFIDENTIALITY_SYSTEM && RESTRICTED_CONFIDENTIALITY.has(label.code)) return true;
  }
  return false;
}
