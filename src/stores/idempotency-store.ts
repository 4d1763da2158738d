// Clients' idempotency keys (sendPatientMessage's `idempotencyKey`): a key is claimed by one request, answered once,
// replayed after. Apart from the governance store: a key never commits together with a governed change.
// Contract: test/stores/idempotency-store-contract.ts, run against MemoryIdempotencyStore and RedisIdempotencyStore.

/**
 * What claiming a key found: `claimed` (the key was free and is now held, in flight, for this request), `in-flight`
 * (held by an unfinished request), `mismatch` (held for a different request) or `completed` with the stored answer
 * (opaque text; the caller encodes it).
 */
export type IdempotencyClaim =
  | { readonly state: 'claimed' | 'in-flight' | 'mismatch' }
  | { readonly state: 'completed'; readonly result: string };

export interface IdempotencyStore {
  /**
   * Claims `scopeKey` for a request whose hash is `requestHash`, atomically (two concurrent claims: one wins). The key
   * and whatever it stores expire `ttlMs` after the claim.
   */
  claim(tenant: string, scopeKey: string, requestHash: string, ttlMs: number): Promise<IdempotencyClaim>;
  /** Stores the answer of a claimed key (only while it is still held for `requestHash`); keeps its expiry. */
  complete(tenant: string, scopeKey: string, requestHash: string, result: string): Promise<void>;
  /** Frees a claimed key that has no stored answer (the request failed before doing anything), so a retry may run. */
  release(tenant: string, scopeKey: string, requestHash: string): Promise<void>;
}
