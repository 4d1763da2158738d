// FHIR logical id syntax (https://hl7.org/fhir/R4/datatypes.html#id) for the ids a governed change carries (a
// refund's invoice, a write-back's patient). The connectors check ids against the same syntax before they reach a
// FHIR URL (connectors/ehr/fhir-id.ts); connectors import nothing of src and governance nothing of connectors, so each
// side states it and test/governance/fhir-id.test.ts holds the two to one language.
export const FHIR_ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;
