import type { FieldOutcome } from './field-decision.js';
import type { RowFacts as RowGuard } from './row-facts.js';

// One request's memory of what the fast guard (rules/fast-guard.ts) has already allowed, by rule id: rules that do
// not depend on the row are decided once per request; row rules once per row guard (their outcome: plain, sensitive,
// masked...). The rows of one patient share their guard objects (a plain and a sensitive one for its conditions,
// observations...), so the child rows of a nested list are decided once per patient and sensitivity, whichever list
// they come from and however graphql-js interleaves them; the current guard's answers are kept at hand, since the
// fields of one object are resolved one after another. The answers live as long as the request (one small array per
// guard seen). A denial is decided again, for a fresh error at its path.

export class PermissionCache {
  /** Rules that do not depend on the row: allowed for this request. */
  readonly request: (boolean | undefined)[] = [];
  private row: RowGuard | null = null;
  private rowAnswers: (FieldOutcome | undefined)[] = [];
  private readonly rows = new Map<RowGuard, (FieldOutcome | undefined)[]>();

  /** The answers for this row guard's rules. */
  forRow(guard: RowGuard): (FieldOutcome | undefined)[] {
    if (guard !== this.row) {
      this.row = guard;
      let answers = this.rows.get(guard);
      if (!answers) {
        answers = [];
        this.rows.set(guard, answers);
      }
      this.rowAnswers = answers;
    }
    return this.rowAnswers;
  }
}
