import { describe, expect, it } from 'vitest';
import { auditAppend } from '../../src/audit/chain.js';
import { AuditService } from '../../src/services/audit/audit-service.js';
import { keepingAuditWindow } from '../../src/services/audit/audit-window.js';
import { memoryStores } from '../../src/stores/create-store.js';
import { MEMORY_AUDIT_WINDOW } from '../../src/stores/memory-audit-log.js';
import { phiReadEvent } from '../support/audit-events.js';

// Issue 17: the embedded default's memory is bounded. Its AuditService keeps a tenant's newest `window`
// records; older ones are dropped as a retention trim drops them, so the chain still verifies from the anchor left.

const event = (tenant: string, i: number) => phiReadEvent(tenant, i * 1000, i);

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
      // Each trim signs a checkpoint at its anchor; those of dropped records go with them (they grew per request).
      const checkpoints = await audit.checkpoints(tenant);
      expect(checkpoints.length, `${n} appends`).toBeLessThanOrEqual(1);
      for (const c of checkpoints) expect(c.seq).toBeGreaterThanOrEqual(meta.firstSeq - 1);
    }
    expect(audit.window).toBe(50);
  });

  // Most records are appended by commits outside the audit service (a governed change and its transitions carry
  // their `audit` ops): the store start-clearance hands to governance keeps the window after each of them.
  it('holds for records appended by other commits (governed changes), through keepingAuditWindow', async () => {
    const stores = memoryStores();
    const audit = new AuditService({ stores, hmacKey: 'k'.repeat(32), now: Date.now, durable: false, window: 50 });
    const store = keepingAuditWindow(stores.governance, audit);
    const bare = memoryStores();
    for (const [s, expectBound] of [[store, true], [bare.governance, false]] as const) {
      for (let i = 0; i < 200; i++) {
        const r = await s.commit('acme', [{ type: 'audit', record: auditAppend({ v: 1, tenant: 'acme', events: [event('acme', i)] }) }]);
        expect(r.ok).toBe(true);
      }
      const meta = await (s === store ? stores : bare).audit.meta('acme');
      expect(meta.headSeq).toBe(200);
      // Without the wrapper nothing trims: the bound comes from it (the test fails if start-clearance's wiring is the
      // only thing keeping it and the wrapper stops trimming).
      expect(meta.headSeq - meta.firstSeq + 1 <= 50).toBe(expectBound);
    }
    expect(await audit.verify('acme')).toMatchObject({ ok: true });
  });

  it('the default window is 1,000 records per tenant (a record of a 1000-row list is tens of kB)', () => {
    expect(MEMORY_AUDIT_WINDOW).toBe(1_000);
  });
});
