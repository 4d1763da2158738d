import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/audit-event.js';
import { AuditService } from '../../src/services/audit/audit-service.js';
import { memoryStores } from '../../src/stores/create-store.js';
import { MEMORY_AUDIT_WINDOW } from '../../src/stores/memory-audit-log.js';

// Issue 17: the embedded default's memory is bounded. Its AuditService keeps a tenant's newest `window`
// records; older ones are dropped as a retention trim drops them, so the chain still verifies from the anchor left.

const event = (tenant: string, i: number): AuditEvent => ({
  category: 'phi-read',
  at: new Date(i * 1000).toISOString(),
  tenant,
  action: 'phi.read',
  outcome: 'success',
  actor: { sub: 'clin-1', roles: ['clinician'] },
  patientId: `p${i}`,
  dataClasses: ['notes'],
  fields: ['Patient.notes'],
  operation: 'Q',
  breakGlass: false,
});

describe('in-memory audit window', () => {
  it('keeps at most the window, whatever the number of appends, and the kept chain verifies', async () => {
    const stores = memoryStores();
    const audit = new AuditService({ stores, hmacKey: 'k'.repeat(32), now: Date.now, durable: false, window: 50 });
    for (const n of [1, 49, 50, 51, 57, 120, 1000]) {
      const tenant = `t${n}`;
      for (let i = 0; i < n; i++) await audit.write(tenant, [event(tenant, i)]);
      const meta = await stores.audit.meta(tenant);
      expect(meta.headSeq).toBe(n);
      const kept = meta.headSeq - meta.firstSeq + 1;
      expect(kept).toBeLessThanOrEqual(50);
      expect(kept).toBeGreaterThanOrEqual(Math.min(n, 45));
      expect((await stores.audit.records(tenant, meta.firstSeq, 1000)).length).toBe(kept);
      const v = await audit.verify(tenant);
      expect(v, JSON.stringify(v)).toMatchObject({ ok: true });
    }
    expect(audit.window).toBe(50);
  });

  it('the default window is 1,000 records per tenant (a record of a 1000-row list is tens of kB)', () => {
    expect(MEMORY_AUDIT_WINDOW).toBe(1_000);
  });
});
