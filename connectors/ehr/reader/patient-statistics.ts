import type { SearchParams } from 'fhir-kit-client';
import type { PatientStatisticsRow, StatisticsBucketRow } from '../rows.js';
import type { TenantFhirClient } from './tenant-fhir-client.js';

// Anonymised patient counts. Each number is a count query (`_count=0&_total=accurate`), nine in all whatever the
// population size, so no patient record leaves the EHR to compute them. Small cells are suppressed: a count in
// 1..threshold-1 is reported as null/suppressed (primary suppression), and when a dimension has exactly one such
// cell the smallest other non-zero cell is suppressed too, because the total minus the others would reveal it
// (complementary suppression). Zero is shown: it discloses no individual.

export const GENDERS = ['male', 'female', 'other', 'unknown'] as const;

interface AgeBand {
  readonly label: string;
  /** Age range [min, max], in whole years; max null for open-ended. */
  readonly min: number;
  readonly max: number | null;
}

export const AGE_BANDS: readonly AgeBand[] = [
  { label: '0-17', min: 0, max: 17 },
  { label: '18-39', min: 18, max: 39 },
  { label: '40-64', min: 40, max: 64 },
  { label: '65+', min: 65, max: null },
];

function yearsBefore(today: Date, years: number): string {
  const date = new Date(Date.UTC(today.getUTCFullYear() - years, today.getUTCMonth(), today.getUTCDate()));
  return date.toISOString().slice(0, 10);
}

/**
 * Birthdate filters for an age band on `today`: age ≥ min ⇔ born on or before today−min years; age ≤ max ⇔ born
 * after today−(max+1) years. Ages are as of today, deceased patients included (Patient.deceased is not read).
 */
function birthDateFilters(band: AgeBand, today: Date): string[] {
  const filters: string[] = [];
  if (band.min > 0) filters.push(`le${yearsBefore(today, band.min)}`);
  if (band.max !== null) filters.push(`gt${yearsBefore(today, band.max + 1)}`);
  return filters;
}

interface RawBucket {
  readonly label: string;
  readonly count: number;
}

export function suppressBuckets(buckets: readonly RawBucket[], threshold: number): StatisticsBucketRow[] {
  const suppressed = new Set<number>();
  buckets.forEach((bucket, index) => {
    if (bucket.count > 0 && bucket.count < threshold) suppressed.add(index);
  });
  if (suppressed.size === 1) {
    let smallest: number | null = null;
    buckets.forEach((bucket, index) => {
      if (suppressed.has(index) || bucket.count === 0) return;
      if (smallest === null || bucket.count < (buckets[smallest]?.count ?? Infinity)) smallest = index;
    });
    if (smallest !== null) suppressed.add(smallest);
  }
  return buckets.map((bucket, index) =>
    suppressed.has(index)
      ? { label: bucket.label, count: null, suppressed: true }
      : { label: bucket.label, count: bucket.count, suppressed: false },
  );
}

function statisticsRow(total: number, genders: readonly RawBucket[], ages: readonly RawBucket[], threshold: number): PatientStatisticsRow {
  return {
    total: total > 0 && total < threshold ? null : total,
    byGender: suppressBuckets(genders, threshold),
    byAgeBand: suppressBuckets(ages, threshold),
    suppressionThreshold: threshold,
  };
}

export async function loadStatistics(client: TenantFhirClient, threshold: number, today: Date): Promise<PatientStatisticsRow> {
  const count = (params: SearchParams) => client.count('Patient', params);
  const [total, genders, ages] = await Promise.all([
    count({}),
    Promise.all(GENDERS.map(async (gender) => ({ label: gender, count: await count({ gender }) }))),
    Promise.all(AGE_BANDS.map(async (band) => ({ label: band.label, count: await count({ birthdate: birthDateFilters(band, today) }) }))),
  ]);
  return statisticsRow(total, genders, ages, threshold);
}
