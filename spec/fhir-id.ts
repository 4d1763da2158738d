// The FHIR R4 `id` datatype (http://hl7.org/fhir/R4/datatypes.html#id): 1 to 64 of A-Z a-z 0-9 - and `.`. Stated once
// for every layer (spec/ is the bottom of the house, README "Layers"): governed changes check the ids they carry (a
// refund's invoice, a write-back's patient), and connectors, services and resolvers check ids before they reach a
// FHIR URL.
export const FHIR_ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;

export function isFhirId(id: string): boolean {
  return FHIR_ID_PATTERN.test(id);
}
