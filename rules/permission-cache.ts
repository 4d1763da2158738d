import type { FieldOutcome } from './field-decision.js';
import type { RowFacts as RowGuard } from './row-facts.js';

// One request's memory of what the fast guard (rules/fast-guard.ts) has already allowed, by rule id: rules that do
// not depend on the row are decided once per request; row rules once per row (their outcome: plain, sensitive, masked...). graphql-js resolves the fields of one
// object one after another, so keeping only the current row's answers hits for every field after the first, and
// forgetting a row costs nothing. A denial is decided again, for a fresh error at its path.

export class PermissionCache {
  /** Rules that do not depend on the row: allowed for this request. */
  readonly request: (boolean | undefined)[] = [];
  private row: RowGuard | null = null;
  private readonly rowAnswers: (FieldOutcome | undefined)[] = [];

  /** The answers for this row's rules, emptied when another row comes in. */
  forRow(guard: RowGuard): (FieldOutcome | undefined)[] {
    if (guard !== this.row) {
      this.row = guard;
      this.rowAnswers.length = 0;
    }
    return this.rowAnswers;
  }
}
