import type { Coding, Meta } from '@medplum/fhirtypes';

/** meta.tag on every resource the seed adds (not in the Synthea source), so nobody mistakes it for source data. */
export const SEED_TAG: Coding = {
  system: 'urn:clearance:seed',
  code: 'added-by-seed',
  display: 'Added by the Clearance seed; not in the Synthea source',
};

export function seedMeta(extra: Omit<Meta, 'tag'> = {}): Meta {
  return { ...extra, tag: [SEED_TAG] };
}
