import type { Environment } from '../gql/graphql';
import { useQuery } from '../useQuery';
import { ExplainQuery } from './page-operations';

// What the API says the viewer may do, asked with `explain` (the same decision the action itself makes): a page
// offers an action only when the answer is ALLOW or NEEDS_APPROVAL, and otherwise shows the API's reason.

export interface Permission {
  readonly loading: boolean;
  /** ALLOW or NEEDS_APPROVAL. */
  readonly allowed: boolean;
  /** The API's message when it is not allowed. */
  readonly reason: string | null;
}

export function usePermission(action: string, environment: Environment, token: string, skip = false): Permission {
  const q = useQuery(ExplainQuery, { action, environment }, token, skip || action === '');
  const e = q.result?.data?.explain;
  if (q.loading || !q.result) return { loading: true, allowed: false, reason: null };
  if (!e)
    return { loading: false, allowed: false, reason: q.result.errors[0]?.message ?? 'The gateway did not say whether you may do this.' };
  const allowed = e.decision !== 'DENY';
  return { loading: false, allowed, reason: allowed ? null : e.message };
}

/** The reason an action is not offered, tied to its button by id (aria-describedby). */
export function Cannot({ id, permission }: { id: string; permission: Permission }) {
  if (permission.loading || permission.allowed || !permission.reason) return null;
  return <p className="cannot" id={id} data-testid={id}>{permission.reason}</p>;
}
