import type { Logger } from '../../server/logger.js';
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

export interface AuditCheckpointer {
  /** Checkpoints every tenant whose head moved; returns how many checkpoints it wrote. */
  runAll(): Promise<number>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

export const CHECKPOINT_INTERVAL_MS = 60_000;

export function createAuditCheckpointer(deps: AuditCheckpointerDeps): AuditCheckpointer {
  const signed = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> = Promise.resolve(0);

  async function runAll(): Promise<number> {
    let written = 0;
    for (const tenant of await deps.tenants()) {
      try {
        const { headSeq } = await deps.audit.meta(tenant);
        if (headSeq === 0 || signed.get(tenant) === headSeq) continue;
        const c = await deps.audit.checkpoint(tenant);
        if (c) signed.set(tenant, c.seq);
        written++;
      } catch {
        // Retried on the next pass; the tenant is named, the store error stays in the store's own reporting.
        deps.logger.warn({ tenant }, 'audit checkpoint failed; retrying on the next pass');
      }
    }
    return written;
  }

  const pass = () => (running = running.then(runAll, runAll).catch(() => 0));

  return {
    runAll: () => pass(),
    start(intervalMs) {
      timer ??= setInterval(() => void pass(), intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await pass();
    },
  };
}
