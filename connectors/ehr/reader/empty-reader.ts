import type { EhrReader } from '../ehr-reader.js';
import type { PatientStatisticsRow } from '../rows.js';
import { AGE_BANDS, GENDERS } from './patient-statistics.js';

// The reader of a tenant with no EHR configured (ehr-reader.ts: "unknown tenants get an empty reader"): no patient
// exists, every list is empty, and no request leaves the gateway. A tenant is authenticated before it gets here,
// so "no such tenant" is not an error the caller can fix; an empty world leaks nothing about other tenants.

function emptyStatistics(threshold: number): PatientStatisticsRow {
  const zero = (label: string) => ({ label, count: 0, suppressed: false });
  return { total: 0, byGender: GENDERS.map(zero), byAgeBand: AGE_BANDS.map((band) => zero(band.label)), suppressionThreshold: threshold };
}

export function emptyEhrReader(): EhrReader {
  const none = async () => [];
  return {
    patient: async () => null,
    searchPatients: async () => ({ rows: [], hasMore: false }),
    encounter: async () => null,
    conditions: none,
    observations: none,
    medications: none,
    allergies: none,
    immunizations: none,
    encounters: none,
    carePlans: none,
    notes: none,
    coverage: none,
    claims: none,
    explanationOfBenefits: none,
    invoices: none,
    statistics: async (threshold) => emptyStatistics(threshold),
  };
}
