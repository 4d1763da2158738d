import type { Logger } from 'pino';
import type { EscalationEvent } from './message-queue-service.js';

// Runs the escalation of unclaimed on-call emergencies for every tenant on a timer (and on demand in tests, with the
// gateway's injected clock deciding what is overdue: no test waits in real time). A tenant whose EHR is down is
// retried on the next pass; one failing tenant never stops the others.

export interface EscalationSweeperDeps {
  readonly escalate: (tenant: string) => Promise<EscalationEvent[]>;
  readonly tenants: () => Promise<string[]>;
  readonly logger: Logger;
}

export interface EscalationSweeper {
  /** One pass over every tenant; returns the escalations it made. */
  sweep(): Promise<EscalationEvent[]>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

export const ESCALATION_INTERVAL_MS = 30_000;

export function createEscalationSweeper(deps: EscalationSweeperDeps): EscalationSweeper {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<EscalationEvent[]> = Promise.resolve([]);

  async function once(): Promise<EscalationEvent[]> {
    const events: EscalationEvent[] = [];
    for (const tenant of await deps.tenants()) {
      try {
        events.push(...(await deps.escalate(tenant)));
      } catch {
        deps.logger.warn({ tenant }, 'message escalation failed; retrying on the next pass');
      }
    }
    return events;
  }

  // Passes never overlap: the next waits for the one running.
  const sweep = () => (running = running.then(once, once));

  return {
    sweep,
    start(intervalMs) {
      if (timer) return;
      timer = setInterval(() => void sweep().catch(() => undefined), intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running.catch(() => undefined);
    },
  };
}
