import type { AuditLog } from './audit-log.js';
import type { GovernanceStore } from './governance-store.js';
import type { IdempotencyStore } from './idempotency-store.js';
import type { LeaseStore } from './lease-store.js';
import type { UsageStore } from './usage-store.js';

// The bundle the gateway is built on (create-store.ts builds it). One store per concern, each behind its own small
// interface with a memory and a Redis implementation; what must commit atomically stays in GovernanceStore.commit.

/** The gateway's stores, one per concern, all on one backend (one Redis connection, or the process's memory). */
export interface Stores {
  readonly governance: GovernanceStore;
  readonly audit: AuditLog;
  readonly idempotency: IdempotencyStore;
  readonly usage: UsageStore;
  readonly leases: LeaseStore;
  /** false for the in-memory stores (the gateway says so at start-up; auditVerify reports it). */
  readonly durable: boolean;
  /** The in-memory audit log's bounded window (newest N records per tenant); null: every record is kept. */
  readonly auditWindow: number | null;
  /** Readiness: the backend answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
