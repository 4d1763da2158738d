import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../rules/policy-document.js';
import type { Principal } from '../../src/auth/principal.js';
import { DEFAULT_APPROVAL_RULES } from '../../src/governance/approval-rules.js';
import { functionsFromPolicy } from '../../src/governance/functions.js';
import { memoryStores } from '../../src/stores/create-store.js';
import { updateSetting } from '../../src/services/governance/setting-proposals.js';
import { approveChange } from '../../src/services/governance/transition.js';
import { currentSetting, findChangeRequest, listChangeRequests, settingHistory } from '../../src/services/governance/reads.js';
import type { GovernanceDeps } from '../../src/services/governance/deps.js';
import { KeyedLock } from '../../src/services/governance/keyed-lock.js';

const who = (sub: string, roles: string[], mfa = false): Principal => ({
  sub,
  tenant: 'acme',
  kind: 'user',
  roles,
  departments: [],
  mfa,
  scopes: null,
  grants: [],
});

describe('headline scenario (service, in-memory store)', () => {
  it('write-back enable in production waits for the right approvers, then applies once', async () => {
    const store = memoryStores().governance;
    const effects: string[] = [];
    const svc: GovernanceDeps = {
      store,
      rules: DEFAULT_APPROVAL_RULES,
      functionsOf: functionsFromPolicy(defaultPolicy()),
      now: () => Date.now(),
      newId: () => randomUUID(),
      locks: new KeyedLock(),
      connectorEffects: async (e) => void effects.push(e.idempotencyKey),
    };
    const eng1 = who('eng-1', ['integration-engineer']);
    const r = await updateSetting(svc, eng1, {
      key: 'integration.ehr.writeBackEnabled',
      environment: 'PRODUCTION',
      value: true,
      reason: 'go-live',
      ticket: 'CHG-1',
    });
    expect(r.status).toBe('PENDING_APPROVAL');
    const id = r.change.id;
    await expect(approveChange(svc, eng1, id)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN', reason: 'SELF_APPROVAL' } });
    expect((await approveChange(svc, who('eng-2', ['integration-engineer'], true), id)).status).toBe('PENDING');
    await expect(approveChange(svc, who('sec-1', ['security-admin']), id)).rejects.toMatchObject({
      extensions: { reason: 'MFA_REQUIRED' },
    });
    const done = await approveChange(svc, who('sec-1', ['security-admin'], true), id);
    expect(done.status).toBe('APPLIED');
    expect(effects).toEqual([`${id}:apply`]);
    const s = await currentSetting(svc, 'acme', 'integration.ehr.writeBackEnabled', 'PRODUCTION');
    expect(s).toMatchObject({ value: true, version: 1 });
    const history = await settingHistory(svc, 'acme', 'integration.ehr.writeBackEnabled', 'PRODUCTION');
    expect(history.map((h) => h.version)).toEqual([1]);
  });
});

describe('expiry, with a controlled clock', () => {
  it('a pending change past its time to live is EXPIRED on read and cannot be approved', async () => {
    let now = Date.parse('2026-11-22T10:00:00Z');
    const svc: GovernanceDeps = {
      store: memoryStores().governance,
      rules: DEFAULT_APPROVAL_RULES,
      functionsOf: functionsFromPolicy(defaultPolicy()),
      now: () => now,
      newId: () => randomUUID(),
      locks: new KeyedLock(),
    };
    const r = await updateSetting(svc, who('bm', ['billing-manager']), {
      key: 'billing.refundThreshold',
      environment: 'PRODUCTION',
      value: { amount: 300, currency: 'USD' },
      reason: 'r',
    });
    const ttl = Date.parse(r.change.expiresAt) - now;
    expect(ttl).toBeGreaterThan(0);
    now += ttl - 1;
    expect((await findChangeRequest(svc, who('s', ['security-admin']), r.change.id))?.status).toBe('PENDING');
    now += 2;
    await expect(approveChange(svc, who('s', ['security-admin'], true), r.change.id)).rejects.toMatchObject({
      extensions: { reason: 'EXPIRED' },
    });
    expect((await findChangeRequest(svc, who('s', ['security-admin']), r.change.id))?.status).toBe('EXPIRED');
    expect((await listChangeRequests(svc, who('s', ['security-admin']), { status: 'EXPIRED' })).map((c) => c.id)).toEqual([r.change.id]);
    expect(await settingHistory(svc, 'acme', 'billing.refundThreshold', 'PRODUCTION')).toEqual([]);
  });
});
