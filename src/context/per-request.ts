// A value computed once per request and key, asked by sibling fields (a change's before, after and diff; its
// viewerCanApprove and viewerCanReject), dropped with the request: the cache hangs off the request's context object.

/** A memo of `compute()` per request context and key; the context is only a WeakMap key, so nothing outlives it. */
export function perRequest<K, V>(): (ctx: object, key: K, compute: () => V) => V {
  const memo = new WeakMap<object, Map<K, V>>();
  return (ctx, key, compute) => {
    let cache = memo.get(ctx);
    if (!cache) memo.set(ctx, (cache = new Map()));
    if (!cache.has(key)) cache.set(key, compute());
    return cache.get(key)!;
  };
}
