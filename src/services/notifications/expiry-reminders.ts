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

export interface ExpiryRemindersDeps {
  readonly store: GovernanceStore;
  readonly now: () => number;
  readonly windowMs?: number;
}

/** The reminder pass: `run` on demand, or every interval between `start` and `stop`. */
export class ExpiryReminders {
  private readonly windowMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> = Promise.resolve(0);

  constructor(private readonly deps: ExpiryRemindersDeps) {
    this.windowMs = deps.windowMs ?? DEFAULT_REMINDER_WINDOW_MS;
  }

  /** Queues the reminders due now, in every tenant; returns how many this call queued. */
  async run(): Promise<number> {
    const { store, now } = this.deps;
    let queued = 0;
    for (const tenant of await store.tenants()) {
      for (const change of await store.listChanges(tenant, { status: 'PENDING' }, 500)) {
        if (!reminderDue(change, now(), this.windowMs)) continue;
        const ref = { environment: change.environment, id: `reminder:${change.id}` };
        if (await store.getDoc(tenant, ref)) continue;
        const at = new Date(now()).toISOString();
        const marker = { ref, version: 1, value: { changeId: change.id }, changedBy: 'clearance', changeId: change.id, at, reason: null };
        const key = `${NOTIFICATION_KEY_PREFIX}REMINDER:${change.approvals.length}:${change.id}`;
        // Webhook and email entries apart, so a webhook retry never sends the email again (approver-email.ts).
        const done = await store.commit(tenant, [
          { type: 'put-doc', doc: marker },
          { type: 'outbox-add', idempotencyKey: key, changeId: change.id },
          { type: 'outbox-add', idempotencyKey: `${key}${EMAIL_KEY_SUFFIX}`, changeId: change.id },
        ]);
        if (done.ok) queued++;
      }
    }
    return queued;
  }

  start(intervalMs: number): void {
    const run = () => this.run();
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
