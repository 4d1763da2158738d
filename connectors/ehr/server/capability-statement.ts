import type { CapabilityStatement, CapabilityStatementRestResource, ResourceType } from '@medplum/fhirtypes';
import { searchableResourceTypes } from './medplum-definitions.js';

// What `GET [base]/metadata` answers (https://hl7.org/fhir/R4/http.html#capabilities). It lists only what the
// embedded server really does: medplum's MemoryRepository has no _include/_revinclude, chained search or paging
// links, so no searchInclude/searchRevInclude are advertised.

const TYPE_INTERACTIONS: NonNullable<CapabilityStatementRestResource['interaction']> = [
  { code: 'read' },
  { code: 'vread' },
  { code: 'update' },
  { code: 'delete' },
  { code: 'create' },
  { code: 'search-type' },
  { code: 'history-instance' },
];

export function capabilityStatement(baseUrl: string, date: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    kind: 'instance',
    software: { name: 'Clearance embedded FHIR server (@medplum/fhir-router MemoryRepository)' },
    implementation: { description: 'In-memory FHIR R4 server for development and tests', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
        resource: searchableResourceTypes().map((type): CapabilityStatementRestResource => ({
          type: type as ResourceType,
          interaction: TYPE_INTERACTIONS,
          versioning: 'versioned-update',
          readHistory: true,
          updateCreate: true,
          conditionalCreate: true,
          conditionalUpdate: true,
          conditionalDelete: 'single',
        })),
      },
    ],
  };
}
