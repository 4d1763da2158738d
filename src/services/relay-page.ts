import { BadUserInputError } from '../errors/errors.js';

// Relay connection paging over a list already in order (https://relay.dev/graphql/connections.htm, "Pagination
// algorithm"): `after`/`before` narrow by position, then `first` keeps the head, `last` the tail. Pure: the caller
// loads the list and turns positions into signed cursors.

export interface PageArgs {
  readonly first?: number | null;
  readonly after?: string | null;
  readonly last?: number | null;
  readonly before?: string | null;
}

export interface RelayPage<T> {
  readonly items: readonly T[];
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
}

function count(n: number | null | undefined, field: string, max: number): number | null {
  if (n === null || n === undefined) return null;
  if (!Number.isInteger(n) || n < 0 || n > max) throw new BadUserInputError(`${field} must be between 0 and ${max}`, field);
  return n;
}

/**
 * `isAfter(item)`: the item comes after the `after` cursor (null: no cursor); `isBefore` likewise. The list must be in
 * the connection's order. Without first and last, `defaultFirst` applies.
 */
export function relayPage<T>(
  all: readonly T[],
  args: PageArgs,
  position: { readonly isAfter: ((item: T) => boolean) | null; readonly isBefore: ((item: T) => boolean) | null },
  limits: { readonly defaultFirst: number; readonly max: number },
): RelayPage<T> {
  const first = count(args.first, 'first', limits.max);
  const last = count(args.last, 'last', limits.max);
  const start = position.isAfter ? all.findIndex(position.isAfter) : 0;
  const afterIdx = start === -1 ? all.length : start;
  const endIdx = position.isBefore ? all.findIndex((x) => !position.isBefore!(x)) : -1;
  const beforeIdx = endIdx === -1 ? all.length : endIdx;
  let lo = afterIdx;
  let hi = Math.max(afterIdx, beforeIdx);
  const take = first ?? (last === null ? limits.defaultFirst : null);
  if (take !== null && hi - lo > take) hi = lo + take;
  if (last !== null && hi - lo > last) lo = hi - last;
  return { items: all.slice(lo, hi), hasPreviousPage: lo > 0, hasNextPage: hi < all.length };
}
