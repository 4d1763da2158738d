// What the policy kernel knows about a row: whose tenant and patient it is, which departments hold the record, and
// whether it is sensitive. The EHR connector's RowGuard (connectors/ehr/rows.ts) has this shape; the kernel declares
// its own so that it imports nothing from connectors/ (test/rules/kernel-leaf.test.ts checks both stay in step).

export interface RowFacts {
  readonly tenant: string;
  readonly patientId: string;
  readonly departments: readonly string[];
  /** In a sensitive category (HIV, substance use, mental health), by label, code, text or what it derives from. */
  readonly sensitive: boolean;
}

/** The row facts of a parent object (`{ guard }`), or null when it has none (a wiring bug: callers fail closed). */
export function rowFactsOf(parent: unknown): RowFacts | null {
  return asRowFacts((parent as { guard?: unknown } | null)?.guard);
}

/** A guard as row facts, or null when it is not (no tenant or departments). */
export function asRowFacts(guard: unknown): RowFacts | null {
  const g = guard as RowFacts | null | undefined;
  return g && typeof g.tenant === 'string' && Array.isArray(g.departments) ? g : null;
}
