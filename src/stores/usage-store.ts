// Last use of a grant or assignment (access reviews). Outside commits on purpose: a cheap, lossy hint (written at
// most once a minute per grant), never part of a decision. Contract: test/stores/usage-store-contract.ts.

export interface UsageStore {
  /** Records a use at `atIso` (the newest is kept; two replicas racing may lose a minute, which reviews do not need). */
  record(tenant: string, entryId: string, atIso: string): Promise<void>;
  /** Last-use times by entry id. */
  lastUses(tenant: string): Promise<Record<string, string>>;
}
