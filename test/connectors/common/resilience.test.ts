import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../connectors/common/circuit-breaker.js';
import { ConnectorError } from '../../../connectors/common/connector-error.js';
import { Resilience } from '../../../connectors/common/resilient-call.js';
import { backoffDelay } from '../../../connectors/common/retry.js';

describe('CircuitBreaker', () => {
  it('opens after the threshold, half-opens after the cool-down with one trial, and closes on success', () => {
    let now = 0;
    const b = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 100, now: () => now });
    b.onFailure();
    expect(b.state).toBe('CLOSED');
    b.onFailure();
    expect(b.state).toBe('OPEN');
    expect(b.tryAcquire()).toBe(false);
    now = 100;
    expect(b.state).toBe('HALF_OPEN');
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false); // one trial at a time
    b.onFailure();
    expect(b.state).toBe('OPEN');
    now = 200;
    expect(b.tryAcquire()).toBe(true);
    b.onSuccess();
    expect(b.state).toBe('CLOSED');
  });
});

describe('Resilience', () => {
  const down = () => Promise.reject(Object.assign(new Error('x'), { response: { status: 503 } }));
  const refused = () => Promise.reject(Object.assign(new Error('x'), { response: { status: 400 } }));

  it('retries idempotent calls on outages only, never non-idempotent ones or refusals', async () => {
    const r = new Resilience({
      connector: 'ehr',
      timeoutMs: 100,
      retry: { attempts: 3, baseDelayMs: 1 },
      circuit: { failureThreshold: 50 },
    });
    let calls = 0;
    const count = (fn: () => Promise<never>) => () => { calls++; return fn(); };
    await expect(r.call('op', count(down), { idempotent: true })).rejects.toMatchObject({ kind: 'UNAVAILABLE' });
    expect(calls).toBe(3);
    calls = 0;
    await expect(r.call('op', count(down), { idempotent: false })).rejects.toBeInstanceOf(ConnectorError);
    expect(calls).toBe(1);
    calls = 0;
    await expect(r.call('op', count(refused), { idempotent: true })).rejects.toMatchObject({ kind: 'REJECTED' });
    expect(calls).toBe(1);
    expect(r.health.snapshot()).toMatchObject({ calls: 5, errors: 4 });
  });

  it('times out a hung call as TIMEOUT', async () => {
    const r = new Resilience({ connector: 'ehr', timeoutMs: 20, retry: { attempts: 1 } });
    const hang = (signal: AbortSignal) => new Promise<never>((_res, rej) => signal.addEventListener('abort', () => rej(signal.reason)));
    await expect(r.call('op', hang, { idempotent: true })).rejects.toMatchObject({ kind: 'TIMEOUT' });
  });

  it('backs off exponentially, capped', () => {
    const p = { attempts: 5, baseDelayMs: 100, maxDelayMs: 300 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(p, n))).toEqual([100, 200, 300, 300]);
  });
});
