import type { Logger } from 'pino';
import { ConnectorError } from '../../../connectors/common/connector-error.js';
import type { EscalationEvent } from './message-queue-service.js';

// Runs the escalation of unclaimed on-call emergencies for every tenant on a timer (and on demand in tests, with the
// gateway's injected clock deciding what is overdue: no test waits in real time). A tenant whose EHR is down is
// retried on the next pass; one failing tenant never stops the others.

export interface EscalationSweeperDeps {
  readonly escalate: (tenant: string) => Promise<EscalationEvent[]>;
  readonly tenants: () => Promise<string[]>;
  readonly logger: Logger;
}

export const ESCALATION_INTERVAL_MS = 30_000;

/** The escalation pass: `sweep` on demand, or every interval between `start` and `stop`. */
export class EscalationSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<EscalationEvent[]> = Promise.resolve([]);

  constructor(private readonly deps: EscalationSweeperDeps) {}

  /** One pass over every tenant; returns the escalations it made. Passes never overlap: the next waits for the one running. */
  sweep(): Promise<EscalationEvent[]> {
    const once = () => this.once();
    return (this.running = this.running.then(once, once));
  }

  start(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweep().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running.catch(() => undefined);
  }

  private async once(): Promise<EscalationEvent[]> {
    const events: EscalationEvent[] = [];
    for (const tenant of await this.deps.tenants()) {
      try {
        events.push(...(await this.deps.escalate(tenant)));
      } catch (e) {
        // Why, without what: a connector's kind and connector (its message can name a resource), else `unexpected`.
        const cause = e instanceof ConnectorError ? { connector: e.connector, kind: e.kind, status: e.status } : { kind: 'unexpected' };
        this.deps.logger.warn({ tenant, ...cause }, 'message escalation failed; retrying on the next pass');
      }
    }
    return events;
  }
}
