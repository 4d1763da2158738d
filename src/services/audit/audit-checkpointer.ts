import type { Logger } from 'pino';
import type { AuditService } from './audit-service.js';

// Signs each tenant's head periodically, so a rewrite of the log by someone with store access but without the key
// is caught up to the last checkpoint (src/audit/verify-chain.ts, CHECKPOINT_MISMATCH). Only tenants whose head moved
// since this process last signed it get a new checkpoint; AuditService.checkpoint also skips a head that another
// replica already signed. The last pass runs on stop, so a clean shutdown leaves the tail pinned.

export interface AuditCheckpointerDeps {
  readonly audit: AuditService;
  readonly tenants: () => Promise<string[]>;
  readonly logger: Logger;
}

export const CHECKPOINT_INTERVAL_MS = 60_000;

/** The periodic checkpoint pass: `runAll` on demand, or every interval between `start` and `stop`. */
export class AuditCheckpointer {
  private readonly signed = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> = Promise.resolve(0);

  constructor(private readonly deps: AuditCheckpointerDeps) {}

  /** Checkpoints every tenant whose head moved; returns how many checkpoints it wrote. Passes never overlap. */
  runAll(): Promise<number> {
    const once = () => this.once();
    return (this.running = this.running.then(once, once).catch(() => 0));
  }

  start(intervalMs: number): void {
    this.timer ??= setInterval(() => void this.runAll(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.runAll();
  }

  private async once(): Promise<number> {
    let written = 0;
    for (const tenant of await this.deps.tenants()) {
      try {
        const { headSeq } = await this.deps.audit.meta(tenant);
        if (headSeq === 0 || this.signed.get(tenant) === headSeq) continue;
        const c = await this.deps.audit.checkpoint(tenant);
        if (c) this.signed.set(tenant, c.seq);
        written++;
      } catch {
        // Retried on the next pass; the tenant is named, the store error stays in the store's own reporting.
        this.deps.logger.warn({ tenant }, 'audit checkpoint failed; retrying on the next pass');
      }
    }
    return written;
  }
}
