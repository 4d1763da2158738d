import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';

// Synthea writes each patient as a transaction of `POST <Type>` entries whose fullUrl is `urn:uuid:<id>` and whose
// references point at those urn:uuids. A server that honours POST assigns new ids, so the Synthea ids (which the
// file names, tests and docs use) would be lost. Rewriting to `PUT <Type>/<id>` with `<Type>/<id>` references
// keeps them: FHIR allows update-as-create with a client-chosen id (https://hl7.org/fhir/R4/http.html#upsert), and
// medplum's MemoryRepository does it.
//
// The result is a `batch`, not a `transaction`: medplum refuses transactions with more than 50 updates, and a
// Synthea patient has hundreds of entries. Order does not matter once references are plain `<Type>/<id>`.

const URN_UUID = 'urn:uuid:';

interface Target {
  readonly reference: string;
  readonly display: string | undefined;
}

/** A display for references to Organizations and Practitioners, which SMART's Synthea files leave without one. */
function displayOf(resource: Resource): string | undefined {
  if (resource.resourceType === 'Organization') return resource.name;
  if (resource.resourceType === 'Practitioner') {
    const name = resource.name?.[0];
    if (!name) return undefined;
    return [...(name.prefix ?? []), ...(name.given ?? []), name.family].filter(Boolean).join(' ') || undefined;
  }
  return undefined;
}

function rewrite(value: unknown, targets: ReadonlyMap<string, Target>): void {
  if (Array.isArray(value)) {
    for (const item of value) rewrite(item, targets);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  const reference = record['reference'];
  if (typeof reference === 'string' && reference.startsWith(URN_UUID)) {
    const target = targets.get(reference);
    if (target) {
      record['reference'] = target.reference;
      // Seed-time denormalisation: readers then show "GOOD SAMARITAN MEDICAL CENTER" without an extra read.
      if (record['display'] === undefined && target.display !== undefined) record['display'] = target.display;
    }
  }
  for (const [key, child] of Object.entries(record)) {
    if (key !== 'reference' && typeof child === 'object' && child !== null) rewrite(child, targets);
  }
}

/** Converts one Synthea transaction bundle into a PUT batch with stable ids. The input is not modified. */
export function toPutBundle(bundle: Bundle): Bundle {
  const copy = structuredClone(bundle);
  const targets = new Map<string, Target>();
  for (const entry of copy.entry ?? []) {
    const resource = entry.resource;
    if (!resource || !entry.fullUrl?.startsWith(URN_UUID)) continue;
    const id = entry.fullUrl.slice(URN_UUID.length);
    resource.id = id;
    targets.set(entry.fullUrl, { reference: `${resource.resourceType}/${id}`, display: displayOf(resource) });
  }
  const entries: BundleEntry[] = [];
  for (const entry of copy.entry ?? []) {
    const resource = entry.resource;
    if (!resource?.id) continue;
    rewrite(resource, targets);
    entries.push({ resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` } });
  }
  return { resourceType: 'Bundle', type: 'batch', entry: entries };
}

/** Wraps resources as PUT entries of a batch (for resources the seed adds). */
export function putBatch(resources: readonly Resource[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'batch',
    entry: resources.map((resource) => ({ resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` } })),
  };
}
