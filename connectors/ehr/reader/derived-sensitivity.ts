import { guardFor } from '../fhir-mapping.js';
import type { PatientRow, RowGuard } from '../rows.js';

// What a row derives from makes it sensitive too (an Encounter whose reason is an HIV Condition, the note written at
// that Encounter): the security labeling service's "derived" rule. Pure; the reader hands in the patient's sensitive
// rows, loaded through the request's DataLoaders (so a query that also lists them pays nothing more).

interface Derivable {
  readonly guard: RowGuard;
  readonly derivedFrom?: readonly string[];
}

/** True when some row still needs to know which of the patient's records are sensitive. */
export function needsDerivation(rows: readonly Derivable[]): boolean {
  return rows.some((r) => !r.guard.sensitive && (r.derivedFrom?.length ?? 0) > 0);
}

/** `Type/id` of the sensitive rows among these (to pass to deriveSensitivity). */
export function sensitiveReferences(
  type: string,
  rows: readonly { readonly id: string; readonly guard: RowGuard }[],
  into = new Set<string>(),
): Set<string> {
  for (const r of rows) if (r.guard.sensitive) into.add(`${type}/${r.id}`);
  return into;
}

/** The rows, those that derive from a sensitive reference made sensitive (same objects when nothing changes). */
export function deriveSensitivity<T extends Derivable>(patient: PatientRow, rows: readonly T[], sensitive: ReadonlySet<string>): T[] {
  return rows.map((r) =>
    !r.guard.sensitive && r.derivedFrom?.some((ref) => sensitive.has(ref)) ? { ...r, guard: guardFor(patient, true) } : r,
  );
}
