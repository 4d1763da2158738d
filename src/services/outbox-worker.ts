import type { ChangeRequest } from '../governance/change-request.js';
import { applyEffectFor, refuse, type ApplyEffect, type TransitionResult } from '../governance/transition-result.js';
import { markApplied, markFailed, supersede } from '../governance/transitions.js';
import type { CommitOp, GovernanceStore, OutboxEntry } from '../stores/governance-store.js';

// Effects that reach outside the store (reconfiguring a connector) run here, after the approval committed an outbox
// entry in the same atomic step. An entry is claimed with a lease, so two replicas never run it at once and a crashed
// worker's entry comes back; the effect gets the change's idempotency key, so running it again does it once; the
// change becomes APPLIED (or SUPERSEDED, or FAILED after MAX_ATTEMPTS) in one commit that also removes the entry.

/**
 * Thrown by an effect that can never succeed (a refund larger than what is now left on the invoice): the change
 * becomes FAILED at once, with an audit record and the `change.failed` notification, instead of after every retry.
 */
export class EffectRefusedError extends Error {}

/** Performs a change's external effect. Must be idempotent by `effect.idempotencyKey`. */
export type ConnectorEffectHandler = (effect: ApplyEffect) => Promise<void>;

/**
 * Notifications queued in the outbox (keys starting `notify:`, src/services/notifications): `deliver` throws to be
 * retried with backoff; `gaveUp` records the last failure once MAX_ATTEMPTS ran out.
 */
export interface NotificationHandler {
  deliver(tenant: string, entry: OutboxEntry): Promise<void>;
  gaveUp(tenant: string, entry: OutboxEntry, error: string): Promise<void>;
}

export const NOTIFICATION_KEY_PREFIX = 'notify:';

export type CommitTransition = (
  tenant: string,
  id: string,
  decide: (change: ChangeRequest, currentVersion: number) => TransitionResult,
  extraOps: readonly CommitOp[],
) => Promise<ChangeRequest>;

export interface OutboxWorkerDeps {
  readonly store: GovernanceStore;
  readonly now: () => number;
  readonly connectorEffects?: ConnectorEffectHandler | undefined;
  readonly commitTransition: CommitTransition;
  readonly leaseMs?: number;
  readonly notifications?: NotificationHandler | undefined;
  /** Told when an approved change's effect was applied: ms since its approval (the change's last update). */
  readonly onApplied?: ((lagMs: number) => void) | undefined;
}

export interface OutboxWorker {
  /** Runs every due entry of a tenant once; returns how many it finished. */
  runTenant(tenant: string): Promise<number>;
  /** Runs every tenant's due entries (at start-up: finishes what a crash left). */
  runAll(): Promise<number>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

export const MAX_ATTEMPTS = 5;
const BATCH = 50;
/** A pass handles at most this many batches per tenant (10,000 entries), so one pass stays bounded in time. */
const MAX_BATCHES_PER_PASS = 200;

export function createOutboxWorker(deps: OutboxWorkerDeps): OutboxWorker {
  const leaseMs = deps.leaseMs ?? 30_000;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> = Promise.resolve(0);

  const finish = (tenant: string, changeId: string, key: string, decide: (c: ChangeRequest, v: number) => TransitionResult) =>
    deps.commitTransition(tenant, changeId, decide, [{ type: 'outbox-done', idempotencyKey: key }]).catch((e: unknown) => {
      // NOT_APPROVED: another worker already finished it; only the entry is left to remove.
      if ((e as { extensions?: { reason?: string } }).extensions?.reason === 'NOT_APPROVED') {
        return deps.store.commit(tenant, [{ type: 'outbox-done', idempotencyKey: key }]);
      }
      throw e;
    });

  async function runNotification(tenant: string, entry: OutboxEntry): Promise<void> {
    const done = () => deps.store.commit(tenant, [{ type: 'outbox-done', idempotencyKey: entry.idempotencyKey }]);
    if (!deps.notifications) return void (await done());
    try {
      await deps.notifications.deliver(tenant, entry);
    } catch (e) {
      const message = e instanceof Error ? e.message : 'delivery failed';
      if (entry.attempts + 1 >= MAX_ATTEMPTS) {
        await deps.notifications.gaveUp(tenant, entry, message);
        await done();
      } else {
        await deps.store.failOutbox(tenant, entry.idempotencyKey, message, deps.now() + 2 ** entry.attempts * 500);
      }
      return;
    }
    await done();
  }

  async function runTenant(tenant: string, pass = 1): Promise<number> {
    let done = 0;
    const batch = await deps.store.claimOutbox(tenant, deps.now(), leaseMs, BATCH);
    for (const entry of batch) {
      if (entry.idempotencyKey.startsWith(NOTIFICATION_KEY_PREFIX)) {
        await runNotification(tenant, entry);
        continue;
      }
      const stored = await deps.store.getChange(tenant, entry.changeId);
      if (!stored || stored.change.status !== 'APPROVED') {
        await deps.store.commit(tenant, [{ type: 'outbox-done', idempotencyKey: entry.idempotencyKey }]);
        continue;
      }
      try {
        await deps.connectorEffects?.(applyEffectFor(stored.change));
      } catch (e) {
        const message = e instanceof Error ? e.message : 'effect failed';
        if (e instanceof EffectRefusedError) {
          await finish(tenant, entry.changeId, entry.idempotencyKey, (c) => markFailed(c, { reason: `apply refused: ${message}`, now: deps.now() }));
        } else if (entry.attempts + 1 >= MAX_ATTEMPTS) {
          await finish(tenant, entry.changeId, entry.idempotencyKey, (c) => markFailed(c, { reason: `apply failed after ${MAX_ATTEMPTS} attempts: ${message}`, now: deps.now() }));
        } else {
          await deps.store.failOutbox(tenant, entry.idempotencyKey, message, deps.now() + 2 ** entry.attempts * 500);
        }
        continue;
      }
      await finish(tenant, entry.changeId, entry.idempotencyKey, (c, currentVersion) => {
        if (c.status !== 'APPROVED') return refuse('CONFLICT', 'NOT_APPROVED', `the change is ${c.status}`);
        if (currentVersion !== c.baseVersion) return supersede(c, currentVersion, deps.now());
        const applied = markApplied(c, { now: deps.now() });
        return applied.ok ? { ...applied, effects: [applyEffectFor(c), ...applied.effects] } : applied;
      });
      deps.onApplied?.(deps.now() - Date.parse(stored.change.updatedAt));
      done++;
    }
    // A full batch: more are due. One batch a pass drained 10 entries a second, while every proposal queues two (its
    // notifications): under load the outbox, and the changes it holds, grew without end (issue 17).
    if (batch.length === BATCH && pass < MAX_BATCHES_PER_PASS) return done + (await runTenant(tenant, pass + 1));
    return done;
  }

  async function runAll(): Promise<number> {
    let total = 0;
    for (const tenant of await deps.store.tenants()) total += await runTenant(tenant);
    return total;
  }

  return {
    runTenant,
    runAll,
    start(intervalMs) {
      timer ??= setInterval(() => {
        running = running.then(runAll, runAll).catch(() => 0);
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
