import type { DocRef } from './governance-store.js';

// Key layout. `{tenant}` is the hash tag: all keys of one tenant live in one cluster slot, so a script may touch
// any of them together. Tenant ids are validated at token verification (lower-case kebab), so they cannot break out.
export function tenantKeys(tenant: string) {
  const p = `clr:{${tenant}}`;
  return {
    doc: (ref: DocRef) => `${p}:doc:${ref.environment}:${ref.id}`,
    docHistory: (ref: DocRef) => `${p}:dochist:${ref.environment}:${ref.id}`,
    docIndex: `${p}:docidx`,
    change: (id: string) => `${p}:chg:${id}`,
    changeIndex: `${p}:chgidx`,
    /** The open changes (OPEN_CHANGE_STATUSES), scored like changeIndex: kept by the commit script. */
    openChangeIndex: `${p}:chgopen`,
    /** The backfill of openChangeIndex over changes written before it existed: a cursor into changeIndex, then `done`. */
    openChangeIndexBuilt: `${p}:chgopen:built`,
    outbox: `${p}:outbox`,
    outboxDue: `${p}:outbox:due`,
    audit: `${p}:audit`,
    auditMeta: `${p}:audit:meta`,
    auditCheckpoints: `${p}:audit:cp`,
    usage: `${p}:usage`,
    /** A client's idempotency key; `scopeKey` is already a hash (caller and key), so it has no odd characters. */
    idempotency: (scopeKey: string) => `${p}:idem:${scopeKey}`,
    /** A lease (LeaseStore.acquire); `key` is built by the gateway from validated ids. */
    lease: (key: string) => `${p}:lease:${key}`,
    /** A windowed ledger: a sorted set of `<entryId>:<cents>` scored by time. */
    ledger: (name: string) => `${p}:ledger:${name}`,
  };
}

/** The set of tenants (its own slot: only read by sweeps, never inside a tenant's script). */
export const TENANTS_KEY = 'clr:tenants';
