import type { Coding, Resource } from '@medplum/fhirtypes';

// `_elements` (https://hl7.org/fhir/R4/search.html#elements): a search that asks for a few top-level elements gets
// only those, plus the mandatory ones, and each resource is marked SUBSETTED so that nobody takes it for the whole
// record (https://hl7.org/fhir/R4/resource.html#tag). Shared by the embedded FHIR server and the in-memory
// transport, which must answer alike. `meta` is always kept whole: it carries the security labels a row's guard needs.

const SUBSETTED: Readonly<Coding> = Object.freeze({
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'SUBSETTED',
});

const ALWAYS = new Set(['resourceType', 'id', 'meta']);

/** The value of an `_elements` parameter: comma-separated element names, trimmed, empty ones dropped. */
export function parseElements(value: string): string[] {
  return value.split(',').map((e) => e.trim()).filter(Boolean);
}

/** The resource with only the named top-level elements (and the mandatory ones), tagged SUBSETTED. */
export function subsetElements<T extends Resource>(resource: T, elements: readonly string[]): T {
  const source = resource as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // By the names asked for, not by the resource's keys: a Synthea Patient has dozens of elements, a list asks for few.
  for (const key of ALWAYS) if (source[key] !== undefined) out[key] = source[key];
  for (const key of elements) if (source[key] !== undefined && Object.hasOwn(source, key)) out[key] = source[key];
  const tags = resource.meta?.tag ?? [];
  const tagged = tags.some((t) => t.system === SUBSETTED.system && t.code === SUBSETTED.code) ? tags : [...tags, { ...SUBSETTED }];
  out.meta = { ...resource.meta, tag: tagged };
  return out as T;
}
