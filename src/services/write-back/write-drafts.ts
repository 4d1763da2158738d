import { isLoincCode } from '../../../connectors/ehr/write/write-resources.js';
import { BadUserInputError } from '../../errors/errors.js';
import { medicationDraftSchema, type MedicationDraftValue } from '../../governance/ehr-write-target.js';
import type { ObservationInput } from './write-back-service.js';

// What a caller asks to write, checked before anything is looked up or written: a clear BAD_USER_INPUT naming the
// field, nothing half-applied.

interface ObservationRequest {
  readonly code: string;
  readonly display: string;
  readonly value: number;
  readonly unit: string;
  readonly effective?: string | null;
}

export function observationDraftOf(input: ObservationRequest): ObservationInput {
  if (!isLoincCode(input.code)) throw new BadUserInputError('code must be a LOINC code such as 8867-4.', 'code');
  return { code: input.code, display: input.display, value: input.value, unit: input.unit, effective: input.effective ?? null };
}

export function medicationDraftOf(input: {
  medication: string;
  rxnorm?: string | null;
  dosage: string;
  reason?: string | null;
}): MedicationDraftValue {
  // An empty reason is no reason (the schema refuses an empty string).
  const reason = input.reason?.trim() ? input.reason : null;
  const { medication, dosage } = input;
  const parsed = medicationDraftSchema.safeParse({ medication, rxnorm: input.rxnorm ?? null, dosage, reason });
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new BadUserInputError(message, String(parsed.error.issues[0]?.path[0] ?? 'input'));
}
