import type { PrincipalPolicy } from './decide.js';
import type { FieldOutcome } from './field-decision.js';
import { asRowFacts } from './row-facts.js';

// One request's memory of what the fast guard (rules/fast-guard.ts) has already allowed, by rule id: rules that do
// not depend on the row are decided once per request; row rules once per class of rows. A row rule's outcome (plain,
// sensitive, masked...) depends only on the row's decision class (tenant and departments, and patient under
// break-glass: PrincipalPolicy.rowClass in rules/decide.ts) and on whether the row is sensitive, so the rows of one
// class and sensitivity share one array of answers: a list of 1000 patients in four departments decides each field
// four times, not 1000. The current row's answers are kept at hand, since the fields of one object are resolved one
// after another. The answers live as long as the request. A denial is decided again, for a fresh error at its path.

const RULE_IDS = new Map<string, number>();
/** A small number per rule name, the index of its answer (rules with the same name decide alike for one principal). */
export function ruleId(name: string): number {
  let id = RULE_IDS.get(name);
  if (id === undefined) {
    id = RULE_IDS.size;
    RULE_IDS.set(name, id);
  }
  return id;
}

type Selections = WeakMap<readonly unknown[], Map<string, Map<number, readonly number[]>>>;
/** Slots of selections that do not depend on a request's variables (read slots are global numbers: read-slots.ts). */
const SHARED_SELECTIONS: Selections = new WeakMap();

export class PermissionCache {
  /** Rules that do not depend on the row: allowed for this request. */
  readonly request: (boolean | undefined)[] = [];
  private row: unknown = null;
  private rowAnswers: (FieldOutcome | undefined)[] | null = null;
  /** The PHI-read slots an admitted row records, per selection (field nodes), row type and outcomes (row-admission.ts). */
  private readonly selections: Selections = new WeakMap();
  /** Per row class: the answers for its plain rows and for its sensitive rows. */
  private readonly classes = new Map<object, [(FieldOutcome | undefined)[], (FieldOutcome | undefined)[]]>();

  /**
   * The answers for the rules of this row (shared by every row of its class and sensitivity); null for a guard that
   * is not row facts (a wiring bug: the caller takes the checked path, which denies).
   */
  forRow(guard: unknown, access: Pick<PrincipalPolicy, 'rowClass'>): (FieldOutcome | undefined)[] | null {
    if (guard !== this.row) {
      this.row = guard;
      const facts = asRowFacts(guard);
      if (facts === null) return (this.rowAnswers = null);
      const rowClass = access.rowClass(facts);
      let answers = this.classes.get(rowClass);
      if (!answers) {
        answers = [[], []];
        this.classes.set(rowClass, answers);
      }
      this.rowAnswers = answers[facts.sensitive ? 1 : 0];
    }
    return this.rowAnswers;
  }

  /**
   * The slots of a selection, computed once (`compute`) and then shared by every row it returns: per request, or, for
   * a selection no variable changes (`shared`), per field nodes for as long as they live (graphql-jit keeps a compiled
   * operation's field nodes, so every request of it finds the slots here; graphql-js makes new ones per execution).
   */
  selectionSlots(
    fieldNodes: readonly unknown[],
    shared: boolean,
    typeName: string,
    outcomes: number,
    compute: () => readonly number[],
  ): readonly number[] {
    const selections = shared ? SHARED_SELECTIONS : this.selections;
    let byType = selections.get(fieldNodes);
    if (!byType) {
      byType = new Map();
      selections.set(fieldNodes, byType);
    }
    let byOutcomes = byType.get(typeName);
    if (!byOutcomes) {
      byOutcomes = new Map();
      byType.set(typeName, byOutcomes);
    }
    let slots = byOutcomes.get(outcomes);
    if (!slots) {
      slots = compute();
      byOutcomes.set(outcomes, slots);
    }
    return slots;
  }
}
