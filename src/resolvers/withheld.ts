import { GraphQLError, responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { decideRow, rowAllowed, rowRuleName } from '../../rules/field-decision.js';
import type { RowFacts } from '../../rules/row-facts.js';
import type { GatewayContext } from '../context/context.js';
import { forbidden } from '../errors/forbidden.js';

// Rows the caller may not see are withheld whole: a list field drops them (not their id, not `sensitive: true`, not
// their dates) and says once, at the list's path, that rows were withheld: one FORBIDDEN carrying the denial of the
// kernel (failedScope `grant` and the ready requestAccess for a sensitive row), no per-row detail. Which rows is the
// kernel's decision (rules/field-decision.ts decideRow), the same one every field of such a row would get.
// The errors ride beside the data: src/server/withheld-rows-plugin.ts adds them to the response.

const REPORTS = new WeakMap<object, GraphQLError[]>();

/** The errors this request reported for withheld rows (read by the plugin; empty when none). */
export function withheldErrors(ctx: object): readonly GraphQLError[] {
  return REPORTS.get(ctx) ?? [];
}

function report(ctx: GatewayContext, info: GraphQLResolveInfo, error: GraphQLError): void {
  const located = new GraphQLError(`Some records were withheld. ${error.message}`, {
    path: responsePathAsArray(info.path),
    extensions: { ...error.extensions, withheld: true },
  });
  const list = REPORTS.get(ctx) ?? [];
  list.push(located);
  REPORTS.set(ctx, list);
}

/** The rows of a list field the caller may see; reports once when some were withheld. */
export function visibleRows<T extends { readonly guard: RowFacts }>(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  typeName: string,
  rows: readonly T[],
): T[] {
  // Rows of one patient share their guard objects (plain, sensitive): one decision per guard, and the list itself
  // when nothing is withheld (lists are asked again at every level of a deep query).
  let lastGuard: RowFacts | null = null;
  let lastAllowed = true;
  let withheld: GraphQLError | null = null;
  let kept: T[] | null = null;
  rows.forEach((row, i) => {
    if (row.guard !== lastGuard) {
      lastGuard = row.guard;
      lastAllowed = rowAllowed(ctx.access, typeName, row.guard);
      // Withheld rows are a denial in the decision metrics too: one per run of rows sharing a guard (a patient's).
      if (!lastAllowed) ctx.decisions?.decided(rowRuleName(typeName) ?? typeName, 'deny');
      // The decision with its denial text only for the first row withheld (it names what to ask for).
      if (!lastAllowed && !withheld) {
        const d = decideRow(ctx.access, typeName, row.guard);
        if (d.decision.effect === 'DENY') withheld = forbidden(d.decision.denial);
      }
    }
    if (!lastAllowed) kept ??= rows.slice(0, i);
    else if (kept) kept.push(row);
  });
  if (withheld) report(ctx, info, withheld);
  return kept ?? (rows as T[]);
}

/**
 * The rows of a list the caller narrowed by what its rows are about (`observations(code:)`): withheld as visibleRows
 * withholds them, but the notice is about the caller, not the patient: it is given whenever the caller may not see
 * this patient's sensitive rows, whether or not any matched. A tester asked for an HIV viral-load code and read the
 * answer from the notice alone (present for a patient who has one, absent for one who has none); now both answer
 * alike, and a clinician is still told that sensitive results, if any, are not shown to them.
 */
export function visibleRowsOfSearch<T extends { readonly guard: RowFacts }>(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  typeName: string,
  patient: RowFacts,
  rows: readonly T[],
): T[] {
  const plain = decideRow(ctx.access, typeName, { ...patient, sensitive: false }).decision;
  const sensitive = decideRow(ctx.access, typeName, { ...patient, sensitive: true }).decision;
  if (plain.effect === 'DENY' || sensitive.effect === 'ALLOW') return visibleRows(ctx, info, typeName, rows);
  const kept = rows.filter((row) => rowAllowed(ctx.access, typeName, row.guard));
  if (kept.length < rows.length) ctx.decisions?.decided(rowRuleName(typeName) ?? typeName, 'deny');
  report(ctx, info, forbidden(sensitive.denial));
  return kept;
}

/**
 * One row reached by id (`node`): itself or null. A row withheld for its sensitivity answers exactly as an unknown id
 * does (null, no error), so a by-id lookup is no existence oracle for sensitive records; a row its caller could not
 * read even if it were plain (another department) is reported as its plain twin would be, never naming the grant.
 */
export function visibleRow<T extends { readonly guard: RowFacts }>(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  typeName: string,
  row: T | null,
): T | null {
  if (!row) return null;
  if (!row.guard.sensitive) return visibleRows(ctx, info, typeName, [row])[0] ?? null;
  if (visibleRows(ctx, info, typeName, [{ ...row, guard: { ...row.guard, sensitive: false } }]).length === 0) return null;
  return decideRow(ctx.access, typeName, row.guard).decision.effect === 'ALLOW' ? row : null;
}
