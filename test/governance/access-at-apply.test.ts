import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../rules/policy-document.js';
import { withEntry, type EntryInput } from '../../src/governance/access-changes.js';
import { emptyAccessDoc, readAccessDoc } from '../../src/governance/access-entries.js';
import type { ChangeRequest } from '../../src/governance/change-request.js';
import { approve, proposeChange } from '../../src/governance/transitions.js';
import { T0, at, functionsOf, ok, person, rules } from './support.js';

// Tester finding M2, the pure decision (access-changes.ts accessChangeAtApply, asked by approve): every kind of entry
// an access change adds, approved later than proposed. A requested entry lasts its minutes from the apply; an
// assignment is granted at the apply and keeps its date; one whose date has passed is refused CONFLICT EXPIRED and
// the change ends EXPIRED with nothing applied, also for a change proposed before its time to live was capped.

const policy = defaultPolicy();
const sec = person('sec-1', ['security-admin']);
const approvers = [person('sec-2', ['security-admin']), person('bm-1', ['billing-manager'])];
const entry = (over: Partial<EntryInput>): EntryInput => ({
  id: 'chg-1', kind: 'role', name: 'billing-manager', departments: null, environments: ['PRODUCTION'], expiresAt: null,
  reason: 'cover', ticket: null, source: 'assignment', now: T0, ...over,
});

function proposed(requester = sec, add: EntryInput, type: 'assignment' | 'access-request'): ChangeRequest {
  return ok(
    proposeChange({
      id: 'chg-1', tenant: 'acme', environment: 'PRODUCTION', target: { type, sub: 'rn-1' },
      current: { value: emptyAccessDoc('rn-1') as never, version: 0 }, newValue: withEntry(emptyAccessDoc('rn-1'), add),
      requester, functionsOf, reason: 'r', now: T0, rules, policy, ttlMs: 30 * 24 * 60 * 60_000,
    }),
  );
}

const approveAll = (change: ChangeRequest, now: string) =>
  approvers.reduce<ReturnType<typeof approve>>(
    (r, a) => (r.ok ? approve(r.next, a, { now, currentVersion: 0, functionsOf }) : r),
    { ok: true, next: change, effects: [] },
  );

const nurse = person('rn-1', ['nurse'], { departments: ['cardiology'] });
const KINDS = {
  'a requested grant (1 minute)': {
    change: () => proposed(nurse, entry({ kind: 'grant', name: 'identifiers', source: 'access-request', expiresAt: Date.parse(at(1)) }),
      'access-request'),
    expect: (now: string) => ({ grantedAt: now, expiresAt: new Date(Date.parse(now) + 60_000).toISOString() }),
  },
  'a requested role (60 minutes)': {
    change: () => proposed(nurse, entry({ name: 'billing-manager', source: 'access-request', expiresAt: Date.parse(at(60)) }),
      'access-request'),
    expect: (now: string) => ({ grantedAt: now, expiresAt: new Date(Date.parse(now) + 60 * 60_000).toISOString() }),
  },
  'a dated assignment, approved before its date': {
    change: () => proposed(sec, entry({ expiresAt: Date.parse(at(24 * 60)) }), 'assignment'),
    expect: (now: string) => ({ grantedAt: now, expiresAt: at(24 * 60) }),
  },
  'a standing assignment': {
    change: () => proposed(sec, entry({}), 'assignment'),
    expect: (now: string) => ({ grantedAt: now, expiresAt: null }),
  },
  'a dated assignment, approved after its date': {
    change: () => proposed(sec, entry({ expiresAt: Date.parse(at(5)) }), 'assignment'),
    expect: () => 'EXPIRED' as const,
  },
};

describe('an access change applied later than proposed', () => {
  it.each(Object.keys(KINDS))('%s', (name) => {
    const kind = KINDS[name as keyof typeof KINDS];
    const now = at(10);
    const result = approveAll(kind.change(), now);
    const want = kind.expect(now);
    if (want === 'EXPIRED') {
      expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'EXPIRED' }, next: { status: 'EXPIRED' } });
      expect(result.effects?.some((e) => e.type === 'apply-doc')).toBe(false);
      return;
    }
    const applied = ok(result);
    expect(applied.status).toBe('APPLIED');
    expect(readAccessDoc('rn-1', applied.after).entries[0]).toMatchObject(want);
    const write = result.ok ? result.effects.find((e) => e.type === 'apply-doc') : undefined;
    expect(write && 'value' in write ? readAccessDoc('rn-1', write.value).entries[0] : null).toMatchObject(want);
  });
});
