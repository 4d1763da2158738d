import type { Attachment, CodeableConcept, Dosage, Observation, Quantity, Reference } from '@medplum/fhirtypes';

// Small readers of FHIR R4 datatypes (https://hl7.org/fhir/R4/datatypes.html) shared by the row mappers. All
// return null rather than undefined, because rows are GraphQL-shaped.

export function text(concept: CodeableConcept | undefined): string | null {
  return concept?.text ?? concept?.coding?.find((coding) => coding.display)?.display ?? null;
}

export function firstCode(concept: CodeableConcept | undefined): string | null {
  return concept?.coding?.find((coding) => coding.code)?.code ?? null;
}

/** The id in a relative reference of the given type: `Patient/abc` → `abc`; null for other types or forms. */
export function referenceId(reference: Reference | undefined, type: string): string | null {
  const value = reference?.reference;
  if (!value?.startsWith(`${type}/`)) return null;
  const id = value.slice(type.length + 1).split('/')[0];
  return id ? id : null;
}

export function orNull<T>(value: T | undefined): T | null {
  return value === undefined ? null : value;
}

function quantityValue(quantity: Quantity | undefined): string | null {
  return quantity?.value === undefined ? null : String(quantity.value);
}

const SYSTOLIC = '8480-6';
const DIASTOLIC = '8462-4';

/**
 * An Observation's value as text plus unit (https://hl7.org/fhir/R4/observation.html#value). Component panels
 * such as blood pressure (LOINC 55284-4, diastolic listed first by Synthea) become "systolic/diastolic".
 */
export function observationValue(observation: Observation): { value: string | null; unit: string | null } {
  if (observation.valueQuantity) {
    return {
      value: quantityValue(observation.valueQuantity),
      unit: observation.valueQuantity.unit ?? observation.valueQuantity.code ?? null,
    };
  }
  if (observation.valueCodeableConcept) return { value: text(observation.valueCodeableConcept), unit: null };
  if (observation.valueString !== undefined) return { value: observation.valueString, unit: null };
  if (observation.valueBoolean !== undefined) return { value: String(observation.valueBoolean), unit: null };
  if (observation.valueInteger !== undefined) return { value: String(observation.valueInteger), unit: null };
  const components = observation.component ?? [];
  if (components.length === 0) return { value: null, unit: null };
  const byCode = (code: string) => components.find((component) => firstCode(component.code) === code);
  const systolic = byCode(SYSTOLIC);
  const diastolic = byCode(DIASTOLIC);
  if (systolic?.valueQuantity && diastolic?.valueQuantity) {
    return {
      value: `${quantityValue(systolic.valueQuantity)}/${quantityValue(diastolic.valueQuantity)}`,
      unit: systolic.valueQuantity.unit ?? null,
    };
  }
  const parts = components.map((component) => {
    const value = component.valueQuantity
      ? quantityValue(component.valueQuantity)
      : (text(component.valueCodeableConcept) ?? component.valueString);
    const unit = component.valueQuantity?.unit;
    return `${text(component.code) ?? '?'}: ${value ?? '?'}${unit ? ` ${unit}` : ''}`;
  });
  return { value: parts.join('; '), unit: null };
}

/** "dose 1 tablet, 2 time(s) every 1 d, as needed" from a Dosage, or its own text. */
export function dosageText(dosage: Dosage | undefined): string | null {
  if (!dosage) return null;
  if (dosage.text) return dosage.text;
  const parts: string[] = [];
  const dose = dosage.doseAndRate?.[0]?.doseQuantity;
  if (dose?.value !== undefined) parts.push(`dose ${dose.value}${dose.unit ? ` ${dose.unit}` : ''}`);
  const repeat = dosage.timing?.repeat;
  if (repeat?.frequency !== undefined && repeat.period !== undefined) {
    parts.push(`${repeat.frequency} time(s) every ${repeat.period} ${repeat.periodUnit ?? ''}`.trim());
  }
  if (dosage.asNeededBoolean) parts.push('as needed');
  return parts.length > 0 ? parts.join(', ') : null;
}

/** Inline text of an attachment: base64 `data` decoded when it is text; null for binary or URL-only content. */
export function attachmentText(attachment: Attachment | undefined): string | null {
  if (!attachment?.data) return null;
  const contentType = attachment.contentType?.toLowerCase() ?? 'text/plain';
  if (!contentType.startsWith('text/')) return null;
  return Buffer.from(attachment.data, 'base64').toString('utf8');
}
