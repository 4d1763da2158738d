import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/governance/json.js';
import { fingerprintOf, IdempotentOnce, scopeKeyFor } from '../../src/services/idempotency/idempotent-once.js';
import { memoryStores } from '../../src/stores/create-store.js';

// The one implementation of client idempotency keys: scope by caller and operation, fingerprint by canonical JSON.

const actor = { tenant: 'acme', sub: 'dr-grey' };
const once = (idem: IdempotentOnce, operation: 'writeBackNote' | 'recordObservation', request: JsonValue, result: string) =>
  idem.once(actor, {
    operation,
    key: 'k-1',
    request,
    nothingDone: 'nothing was written',
    run: async () => result,
    replay: async (r) => `replay:${r}`,
  });

describe('IdempotentOnce', () => {
  it('scopes a key by caller and operation', () => {
    expect(scopeKeyFor('a', 'writeBackNote', 'k')).not.toBe(scopeKeyFor('b', 'writeBackNote', 'k'));
    expect(scopeKeyFor('a', 'writeBackNote', 'k')).not.toBe(scopeKeyFor('a', 'recordObservation', 'k'));
  });

  it('fingerprints canonical JSON: key order does not matter, a "__proto__" key does', () => {
    expect(fingerprintOf({ a: 1, b: 2 })).toBe(fingerprintOf({ b: 2, a: 1 }));
    const withProto = JSON.parse('{"v": {"__proto__": {"x": 1}}}') as JsonValue;
    expect(fingerprintOf(withProto)).not.toBe(fingerprintOf({ v: {} }));
  });

  it('replays the same request, refuses another with IDEMPOTENCY_KEY_REUSED, keeps operations apart', async () => {
    const idem = new IdempotentOnce(memoryStores().idempotency);
    expect(await once(idem, 'writeBackNote', { patientId: 'A' }, 'first')).toBe('first');
    expect(await once(idem, 'writeBackNote', { patientId: 'A' }, 'second')).toBe('replay:first');
    await expect(once(idem, 'writeBackNote', { patientId: 'B' }, 'other')).rejects.toMatchObject({
      extensions: { code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' },
    });
    expect(await once(idem, 'recordObservation', { patientId: 'B' }, 'obs')).toBe('obs');
  });
});
