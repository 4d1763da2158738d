import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMORY_AUDIT_WINDOW } from '../../src/stores/memory-audit-log.js';
import { startHarness, type Harness } from '../support/harness.js';
import { actors, ok, UPDATE_SETTING, type ChangeResult } from './governance-operations.js';

// Issue 17: the embedded default's memory is bounded whatever the gateway is asked. A gateway that only takes
// governed changes (no PHI read, so the audit service itself never appends) still keeps the newest
// MEMORY_AUDIT_WINDOW records: every commit carrying audit records keeps the window (src/services/audit/audit-window.ts),
// and the kept chain verifies. Counted through the API, never timed.

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { RATE_LIMIT_MUTATIONS_PER_PRINCIPAL: '0', RATE_LIMIT_PER_PRINCIPAL: '0', RATE_LIMIT_PER_TENANT: '0' } });
}, 60_000);
afterAll(() => h.stop());

const VERIFY = '{ auditVerify { ok retainedWindow firstSeq headSeq } }';

describe('audit window under governed changes only', () => {
  it('keeps at most the window after more governed changes than it holds', async () => {
    const t = await actors(h, { ops: { roles: ['ops-manager'] }, sec: { roles: ['security-admin'], mfa: true } });
    // Each applied STAGING template change appends one record (its events): well past the window.
    for (let i = 0; i < MEMORY_AUDIT_WINDOW * 1.3; i++) {
      const value = { 'appointment-reminder': { locale: 'en', channel: 'sms', body: `Reminder ${i}: see you on {{date}}.` } };
      const r = ok(await h.gql<{ updateSetting: ChangeResult }>(t.ops, UPDATE_SETTING, {
        input: { key: 'messaging.templates', environment: 'STAGING', value, reason: 'window' },
      }));
      expect(r.updateSetting.status).toBe('APPLIED');
    }
    const v = ok(await h.gql<{ auditVerify: { ok: boolean; retainedWindow: number; firstSeq: number; headSeq: number } }>(t.sec, VERIFY))
      .auditVerify;
    expect(v.ok).toBe(true);
    expect(v.retainedWindow).toBe(MEMORY_AUDIT_WINDOW);
    expect(v.headSeq).toBeGreaterThan(MEMORY_AUDIT_WINDOW);
    expect(v.headSeq - v.firstSeq + 1).toBeLessThanOrEqual(MEMORY_AUDIT_WINDOW);
  }, 120_000);
});
