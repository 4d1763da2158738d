import type { Bundle } from '@medplum/fhirtypes';
import { stableDigits, stableUuid } from './stable-hash.js';

// More patients than the 16 real ones, for tests that need 50+ (batching, paging, statistics). Clone i copies
// source bundle i mod N and replaces every UUID in it (ids, fullUrls, urn:uuid references, MRNs, claim ids) by a
// deterministic one derived from (i, old UUID), and every SSN by a deterministic fake one, so clones are distinct
// patients with consistent internal references. The result has Synthea's shape (POST + urn:uuid): seed it like the
// originals. Clones keep their source's names, dates and codes, and get a meta.tag saying they are clones.

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const SSN = /"999-\d{2}-\d{4}"/g;
const CLONE_TAG_SYSTEM = 'urn:clearance:synthetic-clone';

export function syntheticPatients(bundles: readonly Bundle[], count: number): Bundle[] {
  if (bundles.length === 0) throw new Error('syntheticPatients needs at least one source bundle');
  const sources = bundles.map((bundle) => JSON.stringify(bundle));
  const clones: Bundle[] = [];
  for (let i = 0; i < count; i++) {
    const source = sources[i % sources.length] as string;
    const text = source
      .replace(UUID, (uuid) => stableUuid(`clone:${i}:${uuid}`))
      .replace(SSN, () => {
        const digits = stableDigits(`ssn:${i}`, 6);
        return `"999-${digits.slice(0, 2)}-${digits.slice(2)}"`;
      });
    const clone = JSON.parse(text) as Bundle;
    for (const entry of clone.entry ?? []) {
      const resource = entry.resource;
      if (resource?.resourceType !== 'Patient') continue;
      const meta = (resource.meta ??= {});
      (meta.tag ??= []).push({ system: CLONE_TAG_SYSTEM, code: String(i), display: `Synthetic clone ${i}` });
    }
    clones.push(clone);
  }
  return clones;
}
