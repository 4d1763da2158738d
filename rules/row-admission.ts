import { MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
// graphql-js's own field collection (fragments, type conditions, @skip/@include with the request's variables): the
// fields it collects are exactly the fields execution resolves on the row.
import { collectSubfields } from 'graphql/execution/collectFields.js';
import { ruleName } from './check-field.js';
import type { FieldRule } from './field-access.js';
import { compileFieldPlan, type FieldOutcome, type FieldPlan, type Rules } from './field-decision.js';
import type { DenialError, GuardContext } from './guard-context.js';
import { ruleId } from './permission-cache.js';
import { rowFactsOf } from './row-facts.js';

// Rows are admitted where they enter the response. A row type's fields mostly share one row rule (every field of a
// Condition is `read clinical`, sensitive-aware; Patient's id, name, gender, birthDate and department are `read
// demographics`): for one row they all get the same decision, the one the type's first field gets, which is also
// the one a list asks to withhold a row (field-decision.ts decideRow). So that decision is made once per row, by
// the field that returns the row (Query.patient, PatientEdge.node, Patient.conditions, Encounter.subject, Node):
// - allowed: the row is returned, and the PHI read of each of its fields the operation selects under that rule is
//   recorded for the row, as the field would have recorded it (graphql-js's collectSubfields: fragments, type
//   conditions, @skip/@include); those fields then resolve with no check of their own, so compiled execution
//   (graphql-jit) reads them as plain properties;
// - denied: the row is not returned (null) and one FORBIDDEN at the field that returned it carries the kernel's
//   denial (instead of one per selected field);
// - a row without row facts is denied (fails closed).
// A field whose rule cannot deny a row its row rule admits (the same data class and sensitivity plus a mask: Patient's
// mrn and ssn) is admitted too: its own outcome (masked or unmasked) is decided per row class there, its read
// recorded under that outcome's class, and its resolver masks by the kernel's decision as before. Fields under any
// other rule (contact details, the lists of the record) keep their own check. Both permission engines admit rows
// here, so the shield tree and the fast guard still compare field by field on everything else
// (test/rules/fast-guard-differential.test.ts); test/rules/row-admission.test.ts proves every field that can return an
// admitted row admits it.

type Resolver = GraphQLFieldResolver<unknown, GuardContext>;

/** A rule decided at admission: its plan, its name (metrics) and its answer's index (permission-cache.ts). */
interface AdmittedRule {
  readonly plan: FieldPlan;
  readonly name: string;
  readonly id: number;
}

/** How rows of one type are admitted: the type's row rule, the masked rules it implies, and the fields under them. */
interface TypeAdmission {
  readonly typeName: string;
  /** The rule of the type's first field: it decides the row. */
  readonly row: AdmittedRule;
  /** Rules that cannot deny a row the row rule admits (a mask on the same data class): their outcomes come after. */
  readonly masked: readonly AdmittedRule[];
  /** Admitted fields: their plans (their PHI-read slots) and whose outcome they take (0: the row rule; i: masked[i - 1]). */
  readonly fields: ReadonlyMap<string, { readonly plan: FieldPlan; readonly rule: number }>;
}

/** True for a rule that allows every row `row` allows, only masking the value (never a denial of its own). */
const onlyMasks = (rule: FieldRule, row: Extract<FieldRule, { kind: 'read' }>): boolean =>
  rule.kind === 'read' && rule.row && rule.mask !== undefined && rule.dataClass === row.dataClass &&
  Boolean(rule.sensitiveAware) === Boolean(row.sensitiveAware);

/** The row types and their admitted fields: types whose first field has a row rule without a mask. */
export function rowAdmissions(rules: Rules): ReadonlyMap<string, TypeAdmission> {
  const admissions = new Map<string, TypeAdmission>();
  for (const [typeName, fields] of Object.entries(rules)) {
    const first = Object.entries(fields)[0];
    if (!first) continue;
    const [firstField, rule] = first;
    if (rule.kind !== 'read' || !rule.row || rule.mask) continue;
    const name = ruleName(rule);
    const admitted = new Map<string, { plan: FieldPlan; rule: number }>();
    const masked: AdmittedRule[] = [];
    for (const [fieldName, r] of Object.entries(fields)) {
      const plan = compileFieldPlan(typeName, fieldName, r);
      if (plan.name === name) {
        admitted.set(fieldName, { plan, rule: 0 });
      } else if (onlyMasks(r, rule)) {
        let i = masked.findIndex((m) => m.name === plan.name);
        if (i < 0) i = masked.push({ plan, name: plan.name, id: ruleId(plan.name) }) - 1;
        admitted.set(fieldName, { plan, rule: i + 1 });
      }
    }
    const row = { plan: admitted.get(firstField)!.plan, name, id: ruleId(name) };
    admissions.set(typeName, { typeName, row, masked, fields: admitted });
  }
  return admissions;
}

/** True for a field that needs no check of its own: its row was admitted by the field that returned it. */
export function isAdmittedField(admissions: ReadonlyMap<string, TypeAdmission>, typeName: string, fieldName: string): boolean {
  return admissions.get(typeName)?.fields.has(fieldName) ?? false;
}

/** graphql-js's default resolver for one known field name (a wrapper calls it directly instead of through info). */
export const propertyOf = (fieldName: string): Resolver => (parent, args, ctx, info) => {
  const value = (parent as Record<string, unknown>)[fieldName];
  return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).call(parent, args, ctx, info) : value;
};

const ADMITTING = new WeakSet<object>();
/** True for a resolver that admits the rows it returns (test/rules/row-admission.test.ts walks the schema with it). */
export const admitsRows = (resolve: unknown): boolean => typeof resolve === 'function' && ADMITTING.has(resolve);

const isPromise = (v: unknown): v is PromiseLike<unknown> => typeof (v as PromiseLike<unknown> | null)?.then === 'function';

/** A field's named type as object types: itself, the possible types of an interface or union, or none (a scalar). */
function objectTypesOf(schema: GraphQLSchema, type: GraphQLOutputType): readonly GraphQLObjectType[] {
  const named = getNamedType(type);
  return isAbstractType(named) ? schema.getPossibleTypes(named) : isObjectType(named) ? [named] : [];
}

const ROOTS = (schema: GraphQLSchema) => new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);

/**
 * Plain object types that only ever hold a resolver's own value: reached by no interface or union, and returned only
 * by fields with a resolver or by resolver-less fields of other such types (a connection and its edges). A row
 * under one of them (PatientConnection.edges.node) is admitted by the resolver that built the structure, for all its
 * rows in one pass, instead of by a resolver call per row. Computed as the least fixpoint: a cycle never qualifies.
 */
function valueOnlyTypes(schema: GraphQLSchema, admissions: ReadonlyMap<string, TypeAdmission>): ReadonlySet<string> {
  const roots = ROOTS(schema);
  const objects = Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'));
  const inAbstract = new Set(
    Object.values(schema.getTypeMap()).flatMap((t) => (isAbstractType(t) ? schema.getPossibleTypes(t).map((p) => p.name) : [])),
  );
  const returning = new Map<string, { parent: GraphQLObjectType; resolved: boolean }[]>();
  for (const parent of objects) {
    for (const field of Object.values(parent.getFields())) {
      const named = getNamedType(field.type);
      if (!isObjectType(named)) continue;
      const list = returning.get(named.name) ?? [];
      list.push({ parent, resolved: field.resolve !== undefined || roots.has(parent) });
      returning.set(named.name, list);
    }
  }
  const only = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of objects) {
      if (only.has(t.name) || roots.has(t) || admissions.has(t.name) || inAbstract.has(t.name)) continue;
      const by = returning.get(t.name) ?? [];
      if (by.length > 0 && by.every((r) => r.resolved || only.has(r.parent.name))) {
        only.add(t.name);
        changed = true;
      }
    }
  }
  return only;
}

/** A way from a resolver's value to rows: the resolver-less fields to follow (none: the value is the rows). */
interface RowPath {
  readonly fields: readonly string[];
  /** The path's key in the slot caches (its fields and row type). */
  readonly key: string;
  /** The last field's named type: the admitted row type. */
  readonly rowType: GraphQLObjectType;
}

/**
 * Wraps every field that can return rows of an admitted type so that it admits each row it returns: fields whose
 * value can be such a row (the row type, a list of it, an interface or union one of whose types it is), and
 * resolvers whose value holds such rows under resolver-less fields of value-only types (a connection's
 * edges.node): those inner fields then need no wrapper of their own.
 */
export function applyRowAdmission(
  schema: GraphQLSchema,
  admissions: ReadonlyMap<string, TypeAdmission>,
  toError: DenialError,
): GraphQLSchema {
  const valueOnly = valueOnlyTypes(schema, admissions);
  const roots = ROOTS(schema);
  /** The row paths under a value-only type (depth-first; value-only types form no cycle). */
  const pathsUnder = (type: GraphQLObjectType): RowPath[] =>
    Object.values(type.getFields()).flatMap((f): RowPath[] => {
      if (f.resolve) return []; // a resolver of its own admits its own rows
      const named = getNamedType(f.type);
      if (!isObjectType(named)) return [];
      if (admissions.has(named.name)) return [{ fields: [f.name], key: `${f.name}:${named.name}`, rowType: named }];
      if (!valueOnly.has(named.name)) return [];
      return pathsUnder(named).map((p) => ({ ...p, fields: [f.name, ...p.fields], key: `${f.name}.${p.key}` }));
    });
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      if (typeName.startsWith('__')) return field;
      const parent = schema.getType(typeName);
      const direct = objectTypesOf(schema, field.type).some((t) => admissions.has(t.name));
      const named = getNamedType(field.type);
      // A resolver-less field of a value-only type returning a row type (not an interface or union: pathsUnder
      // follows object types only) is covered by the resolver that built the value.
      if (direct && !field.resolve && valueOnly.has(typeName) && isObjectType(named)) return field;
      const entry = field.resolve !== undefined || (parent !== undefined && roots.has(parent as GraphQLObjectType));
      const paths = !direct && entry && isObjectType(named) && valueOnly.has(named.name) ? pathsUnder(named) : [];
      if (!direct && paths.length === 0) return field;
      const resolve = (field.resolve as Resolver | undefined) ?? propertyOf(fieldName);
      // The rows' type when the field returns an object type (an interface or union resolves it per row). By name:
      // this schema's types are not the ones the operation runs on (mapSchema makes new ones; a fragment's type
      // condition only matches those).
      const rowType = isObjectType(named) ? named.name : null;
      const admit = (v: unknown, ctx: GuardContext, info: GraphQLResolveInfo) =>
        direct ? admitValue(v, rowType, ctx, info) : admitPaths(v, paths, ctx, info);
      const admitted: Resolver = (p, args, ctx, info) => {
        const value = resolve(p, args, ctx, info);
        return isPromise(value) ? Promise.resolve(value).then((v) => admit(v, ctx, info)) : admit(value, ctx, info);
      };
      ADMITTING.add(admitted);
      return { ...field, resolve: admitted };
    },
  });

  function admitValue(value: unknown, rowType: string | null, ctx: GuardContext, info: GraphQLResolveInfo): unknown {
    if (value === null || value === undefined || value instanceof Error) return value;
    const reads = new PendingReads(ctx, info);
    // A field of an object type: one type and admission for every row (an interface or union: found per row).
    const fixed = rowType === null ? null : (info.schema.getType(rowType) as GraphQLObjectType);
    const fixedAdmission = fixed && admissions.get(fixed.name);
    for (const row of Array.isArray(value) ? value : [value]) {
      if (row === null || row === undefined || row instanceof Error) continue;
      const type = fixed ?? concreteType(row, ctx, info);
      const admission = fixed ? fixedAdmission : type && admissions.get(type.name);
      if (!type || !admission) continue;
      reads.add(row, admitRow(row, admission, ctx), type.name, (key) => selectedSlots(info, type, admission, outcomesOf(key)));
    }
    reads.record();
    return value;
  }

  /**
   * Admits the rows under each path of a structure the resolver built. A row denied there fails the whole field
   * (fails closed): resolvers withhold the rows their caller may not see before they build the structure
   * (src/resolvers/withheld.ts), so this is a wiring bug, never an answer.
   */
  function admitPaths(value: unknown, paths: readonly RowPath[], ctx: GuardContext, info: GraphQLResolveInfo): unknown {
    if (value === null || value === undefined || value instanceof Error) return value;
    const reads = new PendingReads(ctx, info);
    const top = getNamedType(info.returnType) as GraphQLObjectType;
    for (const path of paths) {
      const admission = admissions.get(path.rowType.name)!;
      const slots = (key: number) => selectedSlotsAlong(info, top, path, admission, outcomesOf(key));
      // Rows nobody selected are not in the response: nothing to admit or record.
      if (reads.slots(path.key, PLAIN, slots) === NOT_SELECTED) continue;
      const visit = (v: unknown, depth: number): void => {
        if (v === null || v === undefined || v instanceof Error) return;
        if (Array.isArray(v)) {
          for (const item of v) visit(item, depth);
          return;
        }
        if (depth === path.fields.length) reads.add(v, admitRow(v, admission, ctx), path.key, slots);
        else visit((v as Record<string, unknown>)[path.fields[depth]!], depth + 1);
      };
      visit(value, 0);
    }
    reads.record();
    return value;
  }

  /** Decides one row (throws its denial): its outcomes (the row rule's, then each masked rule's) packed in one number. */
  function admitRow(row: unknown, admission: TypeAdmission, ctx: GuardContext): number {
    const guard = (row as { guard?: unknown }).guard;
    const answers = guard === undefined ? null : ctx.permissionCache.forRow(guard, ctx.access);
    const outcome = answers === null ? 'deny' : outcomeOf(admission.row, answers, row, ctx);
    if (outcome === 'deny') {
      // The full decision, for the denial's text (a row without row facts is decided as no row: denied).
      const d = admission.row.plan.decide(ctx.access, row);
      if (d.decision.effect === 'DENY') throw toError(d.decision.denial);
      throw new Error(`row admission: ${admission.typeName} decided ${outcome} and then allowed`);
    }
    let key = OUTCOME_INDEX[outcome];
    for (let i = 0; i < admission.masked.length; i++) {
      const o = outcomeOf(admission.masked[i]!, answers!, row, ctx);
      // Cannot happen (onlyMasks): a masked rule denies only what its row rule denies. Fails closed if it ever did.
      if (o === 'deny') throw new Error(`row admission: ${admission.masked[i]!.name} denied a row its row rule allowed`);
      key += OUTCOME_INDEX[o] * OUTCOMES.length ** (i + 1);
    }
    return key;
  }

  /** A rule's outcome for the row's class: the request's answer, decided on first ask (and counted once). */
  function outcomeOf(rule: AdmittedRule, answers: (FieldOutcome | undefined)[], row: unknown, ctx: GuardContext): FieldOutcome {
    let outcome = answers[rule.id];
    if (outcome === undefined) {
      outcome = answers[rule.id] = rule.plan.outcome(ctx.access, row);
      ctx.decisions?.decided(rule.name, outcome);
    }
    return outcome;
  }

  /** The object type an interface or union resolves the row to. */
  function concreteType(row: unknown, ctx: GuardContext, info: GraphQLResolveInfo): GraphQLObjectType | null {
    const named = getNamedType(info.returnType);
    if (!isAbstractType(named)) return null;
    const resolved = named.resolveType?.(row, ctx, info, named);
    const type = typeof resolved === 'string' ? info.schema.getType(resolved) : null;
    if (type && isObjectType(type)) return type;
    // Which rule decides a row must be known before it is returned: an interface or union whose type resolver does not
    // answer at once with a type name fails the field (closed) rather than guess.
    throw new Error(`row admission: the type of a ${named.name} row is not known synchronously`);
  }
}

/**
 * The PHI reads of one value's admitted rows, recorded only once all of them are admitted (a denial throws first and
 * records none). The slots of a selection are found once per row type and outcomes (the cache behind them:
 * PermissionCache.selectionSlots) and kept at hand for the rows that follow.
 */
class PendingReads {
  /** The first row's patient and slots: a patient's own list (conditions, notes) needs nothing more. */
  private patient: string | null = null;
  private patientSlots: readonly number[] = NOT_SELECTED;
  /** Rows of other patients, or read otherwise: patient, slots, patient, slots... */
  private others: (string | readonly number[])[] | null = null;
  private lastType = '';
  private lastKey = -1;
  private lastSlots: readonly number[] = NOT_SELECTED;
  private readonly shared: boolean;

  constructor(private readonly ctx: GuardContext, private readonly info: GraphQLResolveInfo) {
    this.shared = variableFree(info);
  }

  slots(typeKey: string, key: number, compute: (key: number) => readonly number[]): readonly number[] {
    if (typeKey !== this.lastType || key !== this.lastKey) {
      this.lastSlots = this.ctx.permissionCache.selectionSlots(this.info.fieldNodes, this.shared, typeKey, key, () => compute(key));
      this.lastType = typeKey;
      this.lastKey = key;
    }
    return this.lastSlots;
  }

  add(row: unknown, key: number, typeKey: string, compute: (key: number) => readonly number[]): void {
    const patientId = rowFactsOf(row)!.patientId;
    const slots = this.slots(typeKey, key, compute);
    if (this.patient === null) {
      this.patient = patientId;
      this.patientSlots = slots;
    } else if (patientId !== this.patient || slots !== this.patientSlots) {
      (this.others ??= []).push(patientId, slots);
    }
  }

  record(): void {
    if (this.patient === null) return;
    this.ctx.phiReads.recordAll(this.patient, this.patientSlots);
    const others = this.others;
    if (!others) return;
    for (let i = 0; i < others.length; i += 2) this.ctx.phiReads.recordAll(others[i] as string, others[i + 1] as readonly number[]);
  }
}

const OUTCOMES: readonly FieldOutcome[] = ['plain', 'sensitive', 'masked', 'unmasked', 'deny'];
const OUTCOME_INDEX = Object.fromEntries(OUTCOMES.map((o, i) => [o, i])) as Record<FieldOutcome, number>;
const PLAIN = OUTCOME_INDEX.plain;
/** The outcomes packed in a key by admitRow: the row rule's, then each masked rule's (trailing ones `plain`). */
const outcomesOf = (key: number): FieldOutcome[] => {
  const outcomes: FieldOutcome[] = [];
  for (let k = key; outcomes.length === 0 || k > 0; k = Math.floor(k / OUTCOMES.length)) outcomes.push(OUTCOMES[k % OUTCOMES.length]!);
  return outcomes;
};

const VARIABLE_FREE = new WeakMap<object, boolean>();
let lastOperation: object | null = null;
let lastFree = false;
/**
 * True when no field of the operation is selected by a variable (no @skip or @include in it or its fragments): then
 * what a selection reads is the same in every request of the operation, and its slots can outlive the request.
 */
function variableFree(info: GraphQLResolveInfo): boolean {
  // The fields of one operation ask one after another: the last answer first.
  if (info.operation === lastOperation) return lastFree;
  let free = VARIABLE_FREE.get(info.operation);
  if (free === undefined) {
    free = true;
    const seen = new Set<string>();
    const visit = (set: SelectionSetNode | undefined): void => {
      for (const sel of set?.selections ?? []) {
        if (sel.directives?.some((d) => d.name.value === 'skip' || d.name.value === 'include')) free = false;
        if (sel.kind !== Kind.FRAGMENT_SPREAD) visit(sel.selectionSet);
        else if (!seen.has(sel.name.value)) {
          seen.add(sel.name.value);
          visit(info.fragments[sel.name.value]?.selectionSet);
        }
      }
    };
    visit(info.operation.selectionSet);
    VARIABLE_FREE.set(info.operation, free);
  }
  lastOperation = info.operation;
  lastFree = free;
  return free;
}

/** The PHI-read slots of the admitted fields the operation selects on the row, for the row's outcomes. */
function selectedSlots(
  info: GraphQLResolveInfo,
  type: GraphQLObjectType,
  admission: TypeAdmission,
  outcomes: readonly FieldOutcome[],
): number[] {
  const slots = new Set<number>();
  const selected = collectSubfields(info.schema, info.fragments, info.variableValues, type, info.fieldNodes as FieldNode[]);
  for (const nodes of selected.values()) {
    const field = admission.fields.get(nodes[0]!.name.value);
    const slot = field?.plan.slotOf(outcomes[field.rule] ?? 'plain');
    if (slot !== null && slot !== undefined) slots.add(slot);
  }
  return [...slots];
}

/** The answer for a path the operation does not select (no row of it is in the response). */
const NOT_SELECTED: readonly number[] = Object.freeze([]);

/** The slots of the fields selected on the rows at the end of a path, following the selection down its fields. */
function selectedSlotsAlong(
  info: GraphQLResolveInfo,
  top: GraphQLObjectType,
  path: RowPath,
  admission: TypeAdmission,
  outcomes: readonly FieldOutcome[],
): readonly number[] {
  let nodes: readonly FieldNode[] = info.fieldNodes;
  let type = top;
  for (const name of path.fields) {
    const selected = collectSubfields(info.schema, info.fragments, info.variableValues, type, nodes as FieldNode[]);
    // Every response key that is this field (aliases): their selections together.
    nodes = [...selected.values()].filter((n) => n[0]!.name.value === name).flat();
    if (nodes.length === 0) return NOT_SELECTED;
    type = getNamedType(type.getFields()[name]!.type) as GraphQLObjectType;
  }
  return selectedSlots({ ...info, fieldNodes: nodes }, type, admission, outcomes);
}
