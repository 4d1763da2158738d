import { useCallback, useEffect, useState } from 'react';
import { gql, type GqlResult } from './api';
import type { TypedDocumentString } from './gql/graphql';

// A tiny query hook: runs the operation when its variables change, and again on reload(). No cache, no store.

export interface QueryState<R> {
  readonly loading: boolean;
  readonly result: GqlResult<R> | null;
  reload(): void;
}

export function useQuery<R, V>(document: TypedDocumentString<R, V>, variables: V, token: string, skip = false): QueryState<R> {
  const [result, setResult] = useState<GqlResult<R> | null>(null);
  const [loading, setLoading] = useState(!skip);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (skip) return;
    let live = true;
    setLoading(true);
    void gql(document, JSON.parse(key) as V, token).then((r) => {
      if (!live) return;
      setResult(r);
      setLoading(false);
    });
    return () => {
      live = false;
    };
  }, [document, key, token, tick, skip]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { loading, result, reload };
}
