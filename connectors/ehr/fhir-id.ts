// FHIR logical id syntax (https://hl7.org/fhir/R4/datatypes.html#id): the one definition every layer checks ids
// against before they reach a FHIR URL or a governed change.
export const FHIR_ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;

export function isFhirId(id: string): boolean {
  return FHIR_ID_PATTERN.test(id);
}
