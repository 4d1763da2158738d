import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { loadSyntheaFixtures, seedBundles, syntheticPatients } from '../connectors/ehr/seed.js';

// The benchmark's FHIR data: the 16 Synthea patients trimmed to what the benchmark queries read (a few conditions,
// the latest observations, medications), then cloned to `count` distinct patients, all in tenant acme.

const KEEP: Partial<Record<Resource['resourceType'], number>> = {
  Patient: 1,
  Condition: 3,
  Observation: 6,
  MedicationRequest: 2,
  Organization: 1,
  Practitioner: 1,
};

function trim(bundle: Bundle): Bundle {
  const seen = new Map<string, number>();
  const entry = (bundle.entry ?? []).filter((e) => {
    const type = e.resource?.resourceType;
    if (!type) return false;
    const n = (seen.get(type) ?? 0) + 1;
    seen.set(type, n);
    return n <= (KEEP[type] ?? 0);
  });
  return { ...bundle, entry };
}

async function benchSeed(count: number): Promise<Record<string, Bundle[]>> {
  const light = (await loadSyntheaFixtures()).map(trim);
  return { acme: seedBundles(syntheticPatients(light, count)) };
}

/**
 * The seed, made once per benchmark run: the first caller writes it to `dir`, the gateway processes read it (2.5 s of
 * CPU per process saved, seven processes on two cores at start-up).
 */
export async function sharedBenchSeed(dir: string | undefined, count: number): Promise<Record<string, Bundle[]>> {
  if (!dir) return benchSeed(count);
  const file = join(dir, `bench-seed-${count}.json`);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, Bundle[]>;
  } catch {
    const seed = await benchSeed(count);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(seed));
    await rename(tmp, file);
    return seed;
  }
}
