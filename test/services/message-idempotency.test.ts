import { describe, expect, it } from 'vitest';
import { MessageIdempotency, requestHashOf } from '../../src/services/messaging/message-idempotency.js';
import { memoryStores } from '../../src/stores/create-store.js';
import type { IdempotencyStore } from '../../src/stores/idempotency-store.js';

// MessageIdempotency against the in-memory store (the store's own contract is test/stores/idempotency-store-contract.ts): what happens
// to the key when the send is in flight, fails before sending, or fails after the channel was called.

const actor = { tenant: 'acme', sub: 'desk-dee' };
const request = { patientId: 'p1', templateId: 't1', channel: null, variables: { a: '1', b: 2 } };
const noReplay = async () => undefined;

const setup = (store: IdempotencyStore = memoryStores().idempotency) => ({ store, idem: new MessageIdempotency(store) });

describe('MessageIdempotency', () => {
  it('hashes the request canonically: key order does not matter, values and omitted variables do', () => {
    expect(requestHashOf({ ...request, variables: { b: 2, a: '1' } })).toBe(requestHashOf(request));
    expect(requestHashOf({ ...request, variables: { a: '1', b: '2' } })).not.toBe(requestHashOf(request));
    expect(requestHashOf({ ...request, variables: undefined })).toBe(requestHashOf({ ...request, variables: {} }));
    expect(requestHashOf({ ...request, channel: 'sms' })).not.toBe(requestHashOf(request));
  });

  it('answers IDEMPOTENCY_KEY_IN_FLIGHT (retryable) while the first is unfinished, then replays its answer', async () => {
    const { idem } = setup();
    let finish: (v: string) => void = () => undefined;
    let sends = 0;
    const first = idem.once(actor, 'k', request, (attempt) => {
      sends += 1;
      attempt();
      return new Promise<string>((resolve) => (finish = resolve));
    }, noReplay);
    await new Promise((r) => setTimeout(r, 5));
    const second = idem.once(actor, 'k', request, async () => `sent-again-${++sends}`, noReplay);
    await expect(second).rejects.toMatchObject({ extensions: { code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_IN_FLIGHT', retryable: true } });
    finish('answer');
    expect(await first).toBe('answer');
    const replayed: string[] = [];
    expect(await idem.once(actor, 'k', request, async () => `sent-again-${++sends}`, async (r) => void replayed.push(r))).toBe('answer');
    expect(replayed).toEqual(['answer']);
    expect(sends).toBe(1);
  });

  it('frees the key after an error before the channel was called', async () => {
    const { idem } = setup();
    await expect(idem.once(actor, 'k', request, async () => Promise.reject(new Error('refused')), noReplay)).rejects.toThrow('refused');
    expect(await idem.once(actor, 'k', request, async () => 'ok', noReplay)).toBe('ok');
  });

  it('keeps an error after the channel was called as "outcome unknown": a retry sends nothing', async () => {
    const { idem } = setup();
    const failing = async (attempt: () => void) => {
      attempt();
      throw new Error('the Communication write failed');
    };
    await expect(idem.once(actor, 'k', request, failing, noReplay)).rejects.toThrow('Communication');
    let sent = false;
    await expect(idem.once(actor, 'k', request, async () => void (sent = true), noReplay)).rejects.toMatchObject({
      extensions: { code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_OUTCOME_UNKNOWN' },
    });
    expect(sent).toBe(false);
  });

  it('still answers when the store cannot record the answer, and the key stays in flight (never a second send)', async () => {
    const store = memoryStores().idempotency;
    const { idem } = setup({
      claim: (...a) => store.claim(...a), release: (...a) => store.release(...a), complete: () => Promise.reject(new Error('store down')),
    });
    expect(await idem.once(actor, 'k', request, async () => 'answer', noReplay)).toBe('answer');
    await expect(idem.once(actor, 'k', request, async () => 'again', noReplay)).rejects.toMatchObject({
      extensions: { reason: 'IDEMPOTENCY_KEY_IN_FLIGHT' },
    });
  });
});
