import type { ChangeRequest } from '../../governance/change-request.js';
import type { GovernanceStore } from '../../stores/governance-store.js';
import { NOTIFICATION_KEY_PREFIX } from '../governance/outbox-worker.js';
import { EMAIL_KEY_SUFFIX } from './approver-email.js';

// A reminder before a pending change expires (issue 14): once per change, `reminderWindowMs` before its expiry, to
// the `change.reminder` route with who can still approve it. "Once" holds across replicas: the reminder is queued in
// the same commit that writes version 1 of a marker document (`reminder:<changeId>`), which only one writer can do.

const DEFAULT_REMINDER_WINDOW_MS = 24 * 60 * 60_000;

/** Whether a change is due its reminder at `nowMs`: pending, not yet expired, within the window. */
export function reminderDue(change: ChangeRequest, nowMs: number, windowMs: number): boolean {
  const expires = Date.parse(change.expiresAt);
  return change.status === 'PENDING' && nowMs < expires && nowMs >= expires - windowMs;
}

export interface ExpiryReminders {
  /** Queues the reminders due now, in every tenant; returns how many this call queued. */
  run(): Promise<number>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

export function createExpiryReminders(deps: { store: GovernanceStore; now: () => number; windowMs?: number }): ExpiryReminders {
  const windowMs = deps.windowMs ?? DEFAULT_REMINDER_WINDOW_MS;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> = Promise.resolve(0);

  async function run(): Promise<number> {
    let queued = 0;
    for (const tenant of await deps.store.tenants()) {
      for (const change of await deps.store.listChanges(tenant, { status: 'PENDING' }, 500)) {
        if (!reminderDue(change, deps.now(), windowMs)) continue;
        const ref = { environment: change.environment, id: `reminder:${change.id}` };
        if (await deps.store.getDoc(tenant, ref)) continue;
        const at = new Date(deps.now()).toISOString();
        const marker = { ref, version: 1, value: { changeId: change.id }, changedBy: 'clearance', changeId: change.id, at, reason: null };
        const key = `${NOTIFICATION_KEY_PREFIX}REMINDER:${change.approvals.length}:${change.id}`;
        // Webhook and email entries apart, so a webhook retry never sends the email again (approver-email.ts).
        const done = await deps.store.commit(tenant, [
          { type: 'put-doc', doc: marker },
          { type: 'outbox-add', idempotencyKey: key, changeId: change.id },
          { type: 'outbox-add', idempotencyKey: `${key}${EMAIL_KEY_SUFFIX}`, changeId: change.id },
        ]);
        if (done.ok) queued++;
      }
    }
    return queued;
  }

  return {
    run,
    start(intervalMs) {
      timer ??= setInterval(() => {
        running = running.then(run, run).catch(() => 0);
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
