// Short leases that serialize work on one key across replicas (a patient's refunds, billing-service.ts). Apart from
// the governance store: a lease is taken before a commit and never written with one.
// Contract: test/stores/lease-store-contract.ts, run against MemoryLeaseStore and RedisLeaseStore.

export interface LeaseStore {
  /**
   * Takes the lease on `key` for `holder` when nobody holds it (atomically: of two concurrent callers one gets it);
   * it lapses `ttlMs` after it was taken, so a crashed holder cannot block the key for ever. True when taken.
   */
  acquire(tenant: string, key: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease back, only if `holder` still holds it (a lapsed lease taken by someone else stays theirs). */
  release(tenant: string, key: string, holder: string): Promise<void>;
}
