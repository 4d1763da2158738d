import type { SearchRequest, WithId } from '@medplum/core';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { subsetElements } from '../mapping/fhir-elements.js';
import { SortingMemoryRepository } from './sorting-memory-repository.js';

// medplum 4.5 parses `_elements` into SearchRequest.fields, but its MemoryRepository returns whole resources. Real
// FHIR servers (HAPI, Medplum's own Postgres server) honour it, and the EHR reader asks for it when a patient list
// selects only a few fields, so the embedded server does too (https://hl7.org/fhir/R4/search.html#elements).
export class ElementsMemoryRepository extends SortingMemoryRepository {
  override async search<T extends Resource>(searchRequest: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    const { fields } = searchRequest;
    const bundle = await super.search(fields ? { ...searchRequest, fields: undefined } : searchRequest);
    if (!fields?.length || !bundle.entry) return bundle;
    return {
      ...bundle,
      entry: bundle.entry.map((entry) => (entry.resource ? { ...entry, resource: subsetElements(entry.resource, fields) } : entry)),
    };
  }
}
