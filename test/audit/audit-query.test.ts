import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/audit-event.js';
import { decodeAuditCursor, searchAuditEvents } from '../../src/services/audit/audit-query.js';
import { AuditService } from '../../src/services/audit/audit-service.js';
import { memoryStores } from '../../src/stores/create-store.js';

// Search scans a bounded stretch of the log per request: a selective filter over a long log returns a short page with
// a cursor to continue from, instead of reading the whole log in one request.

const read = (patientId: string): AuditEvent => ({
  category: 'phi-read', at: new Date().toISOString(), tenant: 't', action: 'phi.read', outcome: 'success', actor: { sub: 'c' },
  patientId, dataClasses: ['demographics'], fields: ['Patient.name'], operation: null, breakGlass: false,
});

describe('searchAuditEvents', () => {
  it('stops after its scan budget with hasNextPage, and the cursor leads to the match further back', async () => {
    const audit = new AuditService({ stores: memoryStores(), hmacKey: 'k', now: () => Date.now() });
    await audit.write('t', [read('needle')]);
    for (let i = 0; i < 6_000; i++) await audit.write('t', [read(`p${i}`)]);
    const first = await searchAuditEvents(audit, 't', { patientId: 'needle' }, 10);
    expect(first.events).toEqual([]);
    expect(first.hasNextPage).toBe(true);
    const second = await searchAuditEvents(audit, 't', { patientId: 'needle' }, 10, decodeAuditCursor(first.endCursor!));
    expect(second.events.map((e) => [e.seq, e.index, e.event.category === 'phi-read' && e.event.patientId])).toEqual([[1, 0, 'needle']]);
    expect(second.hasNextPage).toBe(false);
  });

  it('an empty log is an empty page', async () => {
    const audit = new AuditService({ stores: memoryStores(), hmacKey: 'k', now: () => Date.now() });
    expect(await searchAuditEvents(audit, 'none', {}, 5)).toEqual({ events: [], hasNextPage: false, endCursor: null });
  });
});
