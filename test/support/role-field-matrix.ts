// The seed's matrix (rbac-in-medical-crms: doctor, nurse, billing, front desk, admin, marketing) written out by
// hand for every Patient field and every default role, as the specification the policy document must meet.
//   Y  returned as is      M  returned masked (last four)      N  null with a FORBIDDEN error
// `in` is a patient of the caller's department, `out` a patient of another department of the same tenant.
// Roles with no patient access at all are listed in NO_PATIENT_ACCESS: Query.patient itself is FORBIDDEN.

export const PATIENT_FIELDS = [
  'id', 'name', 'gender', 'birthDate', 'department', 'address', 'telecom', 'mrn', 'ssn',
  'conditions', 'observations', 'medications', 'allergies', 'immunizations', 'encounters', 'carePlans', 'notes',
  'coverage', 'claims', 'explanationOfBenefits',
] as const;
export type PatientField = (typeof PATIENT_FIELDS)[number];
export type Cell = 'Y' | 'M' | 'N';

//                                 id name gend birth dept addr tele mrn ssn | cond obs  meds allg imm  enc  plan note | cov  clm  eob
const row = (s: string): Cell[] => s.replace(/\|/g, '').trim().split(/\s+/) as Cell[];

export const MATRIX: Record<string, { kind: 'user' | 'agent'; in: Cell[]; out: Cell[] }> = {
  clinician: {
    kind: 'user',
    in: row('Y Y Y Y Y Y Y M M | Y Y Y Y Y Y Y Y | N N N'),
    out: row('Y Y Y Y Y Y Y M M | N N N N N N N N | N N N'),
  },
  nurse: {
    kind: 'user',
    in: row('Y Y Y Y Y Y Y M M | N Y Y Y N Y N N | N N N'),
    out: row('Y Y Y Y Y Y Y M M | N N N N N N N N | N N N'),
  },
  'billing-manager': {
    kind: 'user',
    in: row('Y Y Y Y Y Y Y Y Y | N N N N N N N N | Y Y Y'),
    out: row('Y Y Y Y Y Y Y Y Y | N N N N N N N N | Y Y Y'),
  },
  'front-desk': {
    kind: 'user',
    in: row('Y Y Y Y Y Y Y M M | N N N N N N N N | N N N'),
    out: row('Y Y Y Y Y Y Y M M | N N N N N N N N | N N N'),
  },
  'care-coordinator': {
    kind: 'user',
    in: row('Y Y Y Y Y Y Y M M | N N N N N N N N | N N N'),
    out: row('Y Y Y Y Y Y Y M M | N N N N N N N N | N N N'),
  },
  'ops-manager': {
    kind: 'user',
    in: row('Y Y Y Y Y Y Y M M | N N N N N N N N | N N N'),
    out: row('Y Y Y Y Y Y Y M M | N N N N N N N N | N N N'),
  },
  'ai-agent': {
    kind: 'agent',
    in: row('Y Y Y Y Y N N M M | Y Y Y Y Y Y Y Y | N N N'),
    out: row('Y Y Y Y Y N N M M | N N N N N N N N | N N N'),
  },
};

/** Administrators, compliance, support and marketing: no patient record at all (marketing: aggregates only). */
export const NO_PATIENT_ACCESS = [
  'system-admin', 'security-admin', 'integration-engineer', 'clinical-admin', 'auditor', 'support', 'marketing-analyst',
] as const;

export function expectedCell(role: string, field: PatientField, where: 'in' | 'out'): Cell {
  const spec = MATRIX[role];
  if (!spec) return 'N';
  return spec[where][PATIENT_FIELDS.indexOf(field)]!;
}
