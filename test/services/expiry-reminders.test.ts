import { describe, expect, it } from 'vitest';
import { CHANGE_STATUSES } from '../../src/governance/change-request.js';
import { reminderDue } from '../../src/services/notifications/expiry-reminders.js';
import { sampleChange } from '../stores/governance-store-contract.js';

// When a pending change is due its reminder: every status, and the edges of the window.
describe('reminderDue', () => {
  const expires = Date.parse('2026-11-25T10:00:00.000Z');
  const day = 24 * 60 * 60_000;
  it('only a PENDING change, only inside [expiry - window, expiry)', () => {
    for (const status of CHANGE_STATUSES) {
      const c = sampleChange('c', { status } as never);
      expect(reminderDue(c, expires - 60_000, day), status).toBe(status === 'PENDING');
    }
    const c = sampleChange('c');
    expect(reminderDue(c, expires - day - 1, day)).toBe(false);
    expect(reminderDue(c, expires - day, day)).toBe(true);
    expect(reminderDue(c, expires - 1, day)).toBe(true);
    expect(reminderDue(c, expires, day)).toBe(false);
  });
});
