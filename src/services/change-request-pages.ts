import type { Principal } from '../auth/principal.js';
import { BadUserInputError } from '../errors/errors.js';
import type { ChangeRequest } from '../governance/change-request.js';
import type { ChangeFilter } from '../stores/governance-store.js';
import type { FactsFor } from './governance/reads.js';
import { relayPage, type PageArgs } from './relay-page.js';
import type { SignedCursors } from './signed-cursor.js';
import type { GovernanceDeps } from './governance/deps.js';
import { listChangeRequests } from './governance/reads.js';

// `changeRequestsConnection` (issue 14): the same list as `changeRequests` (one service function, the same filter
// object, so a filter added there applies here too), paged the Relay way with signed cursors. Order: newest first,
// by (createdAt, id), so a cursor keeps its place when changes are added or leave the filter.

/** Matches scanned per request; past it, totalCount is unknown (null) and paging stops there. */
const CHANGE_SCAN = 1_000;
const MAX_PAGE = 200;
const KIND = 'changeRequests';

export interface ChangeRequestPage {
  readonly edges: { readonly cursor: string; readonly node: ChangeRequest }[];
  readonly pageInfo: {
    readonly hasNextPage: boolean;
    readonly hasPreviousPage: boolean;
    readonly startCursor: string | null;
    readonly endCursor: string | null;
  };
  readonly totalCount: number | null;
}

type Key = readonly [createdAt: string, id: string];

/** Newest first: a positive answer puts `a` after `b` in the list. */
function compare(a: Key, b: Key): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? 1 : -1;
  return a[1] === b[1] ? 0 : a[1] < b[1] ? 1 : -1;
}

const keyOf = (c: ChangeRequest): Key => [c.createdAt, c.id];

function decodeKey(cursors: SignedCursors, tenant: string, cursor: string | null | undefined, field: string): Key | null {
  if (cursor === null || cursor === undefined) return null;
  const payload = cursors.decode(KIND, tenant, cursor, field);
  if (payload.length !== 2 || typeof payload[0] !== 'string' || typeof payload[1] !== 'string') {
    throw new BadUserInputError(`${field} is not a cursor returned by this field`, field);
  }
  return [payload[0], payload[1]];
}

export async function changeRequestsPage(
  governance: GovernanceDeps,
  cursors: SignedCursors,
  principal: Principal,
  filter: ChangeFilter,
  args: PageArgs,
  facts?: FactsFor,
): Promise<ChangeRequestPage> {
  const after = decodeKey(cursors, principal.tenant, args.after, 'after');
  const before = decodeKey(cursors, principal.tenant, args.before, 'before');
  const found = await listChangeRequests(governance, principal, filter, CHANGE_SCAN + 1, facts);
  const all = found.slice(0, CHANGE_SCAN).sort((a, b) => compare(keyOf(a), keyOf(b)));
  const page = relayPage(
    all,
    args,
    { isAfter: after ? (c) => compare(keyOf(c), after) > 0 : null, isBefore: before ? (c) => compare(keyOf(c), before) < 0 : null },
    { defaultFirst: 50, max: MAX_PAGE },
  );
  const edges = page.items.map((node) => ({ cursor: cursors.encode(KIND, principal.tenant, keyOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: found.length > CHANGE_SCAN ? null : all.length,
  };
}
