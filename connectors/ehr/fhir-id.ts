// FHIR logical id syntax (https://hl7.org/fhir/R4/datatypes.html#id): what connectors, services and resolvers check ids
// against before they reach a FHIR URL. Governed changes check theirs with src/governance/fhir-id.ts (the same syntax:
// test/governance/fhir-id.test.ts).
export const FHIR_ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;

export function isFhirId(id: string): boolean {
  return FHIR_ID_PATTERN.test(id);
}
