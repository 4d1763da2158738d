import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/audit-event.js';
import { AuditCheckpointer } from '../../src/services/audit/audit-checkpointer.js';
import { AuditService } from '../../src/services/audit/audit-service.js';
import { createLogger } from '../../src/server/logger.js';
import { memoryStores } from '../../src/stores/create-store.js';

// The periodic checkpointer signs the head of every tenant whose head moved, and only those.

const auth = (tenant: string): AuditEvent => ({
  category: 'auth',
  at: new Date().toISOString(),
  tenant,
  action: 'auth.failed',
  outcome: 'failure',
  actor: null,
  reason: 'EXPIRED',
});

describe('audit checkpointer', () => {
  it('signs moved heads only, and pins the tail on stop', async () => {
    const stores = memoryStores();
    const store = stores.governance;
    const audit = new AuditService({ stores, hmacKey: 'k', now: () => Date.now() });
    const cp = new AuditCheckpointer({ audit, tenants: () => store.tenants(), logger: createLogger('silent') });
    await audit.write('a', [auth('a')]);
    await audit.write('b', [auth('b')]);
    expect(await cp.runAll()).toBe(2);
    expect(await cp.runAll()).toBe(0);
    await audit.write('a', [auth('a')]);
    expect(await cp.runAll()).toBe(1);
    expect((await audit.checkpoints('a')).map((c) => c.seq)).toEqual([1, 2]);
    await audit.write('b', [auth('b')]);
    cp.start(60_000);
    await cp.stop();
    expect((await audit.checkpoints('b')).map((c) => c.seq)).toEqual([1, 2]);
    expect(await audit.verify('b')).toMatchObject({ ok: true, checkpointsVerified: 2 });
  });

  it('a failing tenant does not stop the others', async () => {
    const stores = memoryStores();
    const audit = new AuditService({ stores, hmacKey: 'k', now: () => Date.now() });
    await audit.write('ok', [auth('ok')]);
    const lines: string[] = [];
    const logger = createLogger('warn', { write: (l: string) => void lines.push(l) });
    const cp = new AuditCheckpointer({ audit, tenants: async () => ['broken', 'ok'], logger });
    const meta = audit.meta.bind(audit);
    audit.meta = async (t) => (t === 'broken' ? Promise.reject(new Error('store down')) : meta(t));
    expect(await cp.runAll()).toBe(1);
    expect(lines.join('')).toContain('audit checkpoint failed');
  });
});
