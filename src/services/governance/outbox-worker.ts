import type { ChangeRequest } from '../../governance/change-request.js';
import { EffectRefusedError } from '../../errors/effect-refused-error.js';
import { applyEffectFor, refuse, type ApplyEffect, type TransitionResult } from '../../governance/transition-result.js';
import { markApplied, markFailed, supersede } from '../../governance/transitions.js';
import type { OutboxEntry } from '../../stores/governance-store.js';
import type { GovernanceDeps } from './deps.js';
import { transition } from './transition.js';

// Effects that reach outside the store (reconfiguring a connector) run here, after the approval committed an outbox
// entry in the same atomic step. An entry is claimed with a lease, so two replicas never run it at once and a crashed
// worker's entry comes back; the effect gets the change's idempotency key, so running it again does it once; the
// change becomes APPLIED (or SUPERSEDED, or FAILED after MAX_ATTEMPTS) in one commit that also removes the entry.


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

const MAX_ATTEMPTS = 5;
const BATCH = 50;
/** A pass handles at most this many batches per tenant (10,000 entries), so one pass stays bounded in time. */
const MAX_BATCHES_PER_PASS = 200;

/** How long a claimed entry stays with its worker before another may take it (a crashed worker's comes back). */
const LEASE_MS = 30_000;

/** Ends an outbox entry with a transition of its change (transition.ts), the entry removed in the same commit. */
function finish(
  deps: GovernanceDeps,
  tenant: string,
  changeId: string,
  key: string,
  decide: (c: ChangeRequest, v: number) => TransitionResult,
) {
  return transition(deps, tenant, changeId, decide, [{ type: 'outbox-done', idempotencyKey: key }]).catch((e: unknown) => {
    // NOT_APPROVED: another worker already finished it; only the entry is left to remove.
    if ((e as { extensions?: { reason?: string } }).extensions?.reason === 'NOT_APPROVED') {
      return deps.store.commit(tenant, [{ type: 'outbox-done', idempotencyKey: key }]);
    }
    throw e;
  });
}

async function runNotification(deps: GovernanceDeps, tenant: string, entry: OutboxEntry): Promise<void> {
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

/** Runs every due entry of a tenant once; returns how many changes it finished. */
export async function runOutboxTenant(deps: GovernanceDeps, tenant: string, pass = 1): Promise<number> {
  let done = 0;
  const batch = await deps.store.claimOutbox(tenant, deps.now(), LEASE_MS, BATCH);
  for (const entry of batch) {
    if (entry.idempotencyKey.startsWith(NOTIFICATION_KEY_PREFIX)) {
      await runNotification(deps, tenant, entry);
      continue;
    }
    const stored = await deps.store.getChange(tenant, entry.changeId);
    if (!stored || stored.change.status !== 'APPROVED') {
      await deps.store.commit(tenant, [{ type: 'outbox-done', idempotencyKey: entry.idempotencyKey }]);
      continue;
    }
    const end = (decide: (c: ChangeRequest, v: number) => TransitionResult) =>
      finish(deps, tenant, entry.changeId, entry.idempotencyKey, decide);
    try {
      await deps.connectorEffects?.(applyEffectFor(stored.change));
    } catch (e) {
      const message = e instanceof Error ? e.message : 'effect failed';
      if (e instanceof EffectRefusedError) {
        await end((c) => markFailed(c, { reason: `apply refused: ${message}`, now: deps.now() }));
      } else if (entry.attempts + 1 >= MAX_ATTEMPTS) {
        await end((c) => markFailed(c, { reason: `apply failed after ${MAX_ATTEMPTS} attempts: ${message}`, now: deps.now() }));
      } else {
        await deps.store.failOutbox(tenant, entry.idempotencyKey, message, deps.now() + 2 ** entry.attempts * 500);
      }
      continue;
    }
    await end((c, currentVersion) => {
      if (c.status !== 'APPROVED') return refuse('CONFLICT', 'NOT_APPROVED', `the change is ${c.status}`);
      if (currentVersion !== c.baseVersion) return supersede(c, currentVersion, deps.now());
      const applied = markApplied(c, { now: deps.now() });
      return applied.ok ? { ...applied, effects: [applyEffectFor(c), ...applied.effects] } : applied;
    });
    deps.onOutboxApplied?.(deps.now() - Date.parse(stored.change.updatedAt));
    done++;
  }
  // A full batch: more are due. One batch a pass drained 10 entries a second, while every proposal queues two (its
  // notifications): under load the outbox, and the changes it holds, grew without end (issue 17).
  if (batch.length === BATCH && pass < MAX_BATCHES_PER_PASS) return done + (await runOutboxTenant(deps, tenant, pass + 1));
  return done;
}

/** Runs every tenant's due entries (at start-up: finishes what a crash left). */
export async function runOutbox(deps: GovernanceDeps): Promise<number> {
  let total = 0;
  for (const tenant of await deps.store.tenants()) total += await runOutboxTenant(deps, tenant);
  return total;
}

/** The background sweep: runOutbox every interval, one run at a time, until stopped. */
export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> = Promise.resolve(0);

  constructor(private readonly deps: GovernanceDeps) {}

  start(intervalMs: number): void {
    const run = () => runOutbox(this.deps);
    this.timer ??= setInterval(() => {
      this.running = this.running.then(run, run).catch(() => 0);
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
