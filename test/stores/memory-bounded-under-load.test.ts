import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { defaultPolicy } from '../../rules/policy-document.js';
import { DEFAULT_APPROVAL_RULES } from '../../src/governance/approval-rules.js';
import { functionsFromPolicy } from '../../src/governance/functions.js';
import { NOTIFICATION_KEY_PREFIX, runOutbox } from '../../src/services/governance/outbox-worker.js';
import { MEMORY_CHANGE_WINDOW, MEMORY_DOC_HISTORY } from '../../src/stores/memory-change-window.js';
import { memoryStores } from '../../src/stores/create-store.js';
import { startHarness, type Harness } from '../support/harness.js';
import { KeyedLock } from '../../src/services/governance/keyed-lock.js';

// Issue 17: the embedded default's memory does not grow with the number of requests. Counted, never timed: after more
// applied setting changes than the window holds, the store keeps at most the window of finished changes (plus the
// sweep's slack), every version still applies in order, and the outbox (two notification entries per transition)
// drains in one pass instead of 50 entries per pass.

const stores = memoryStores();
const store = stores.governance;
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    stores,
    env: { RATE_LIMIT_PER_PRINCIPAL: '0', RATE_LIMIT_PER_TENANT: '0', RATE_LIMIT_MUTATIONS_PER_PRINCIPAL: '0' },
  });
}, 60_000);
afterAll(() => h.stop());

const UPDATE =
  'mutation ($v: JSON!) { updateSetting(input: { key: "messaging.templates", environment: STAGING, value: $v, reason: "load" }) { status ' +
  'version } }';
const template = (i: number) => ({
  'appointment-reminder': { locale: 'en', channel: 'sms', body: `Reminder ${i}: you have an appointment on {{date}}.` },
});

describe('the embedded store under many requests', () => {
  it('keeps a bounded window of finished change requests, whatever their number', async () => {
    const ops = await h.token({ roles: ['ops-manager'] });
    const total = Math.ceil(MEMORY_CHANGE_WINDOW * 1.6);
    const versions: number[] = [];
    // The outbox is run after each ten (besides its 5 s timer; claims are leased, so the two never run an entry twice):
    // a change with a notification still waiting is kept whatever its age, so the bound below is the window, the
    // sweep's slack and at most the ten in flight.
    // Ten at a time (the same setting: compare-and-set conflicts are retried by the client, as a frontend would).
    for (let i = 0; i < total; i += 10) {
      await Promise.all(
        Array.from({ length: 10 }, async (_, j) => {
          for (;;) {
            const r = await h.gql<{ updateSetting: { status: string; version: number } }>(ops, UPDATE, { v: template(i + j) });
            if (r.body.data?.updateSetting.status === 'APPLIED') return void versions.push(r.body.data.updateSetting.version);
            expect(r.body.errors?.[0]?.extensions?.code, JSON.stringify(r.body)).toBe('CONFLICT');
          }
        }),
      );
      await runOutbox(h.running.governance);
    }
    expect(versions.sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    const kept = await store.listChanges('acme', {}, 1e9);
    expect(kept.length).toBeGreaterThanOrEqual(MEMORY_CHANGE_WINDOW);
    expect(kept.length).toBeLessThanOrEqual(MEMORY_CHANGE_WINDOW + Math.ceil(MEMORY_CHANGE_WINDOW / 4) + 10);
    // The newest are the ones kept.
    expect(Math.max(...kept.map((c) => (c.status === 'APPLIED' ? c.appliedVersion : 0)))).toBe(total);
    // The setting's history keeps its newest MEMORY_DOC_HISTORY versions (and the sweep's slack), contiguous to the current.
    const history = (await store.history('acme', { environment: 'STAGING', id: 'setting:messaging.templates' })).map((v) => v.version);
    expect(history.length).toBeGreaterThanOrEqual(MEMORY_DOC_HISTORY);
    expect(history.length).toBeLessThanOrEqual(MEMORY_DOC_HISTORY + Math.ceil(MEMORY_DOC_HISTORY / 4));
    expect(history).toEqual(Array.from({ length: history.length }, (_, i) => total - history.length + 1 + i));
    expect(await runOutbox(h.running.governance)).toBe(0);
    expect(await store.claimOutbox('acme', Date.now(), 1, 1e9)).toEqual([]);
  }, 300_000);

  it('drains a backlog of the outbox in one pass', async () => {
    const s = memoryStores().governance;
    for (let i = 0; i < 1_234; i++)
      await s.commit('t', [{ type: 'outbox-add', idempotencyKey: `${NOTIFICATION_KEY_PREFIX}X:0:c${i}`, changeId: `c${i}` }]);
    const functionsOf = functionsFromPolicy(defaultPolicy());
    await runOutbox({ store: s, rules: DEFAULT_APPROVAL_RULES, functionsOf, now: Date.now, newId: randomUUID, locks: new KeyedLock() });
    expect(await s.claimOutbox('t', Date.now() + 3_600_000, 1, 1e9)).toEqual([]);
  });
});
