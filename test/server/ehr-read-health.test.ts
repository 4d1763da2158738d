import { describe, expect, it } from 'vitest';
import { Resilience } from '../../connectors/common/resilient-call.js';
import { combineEhrHealth } from '../../src/server/ehr-read-health.js';

// One "ehr" entry in connectorHealth from the writes' report and the reads' Resilience (src/server/ehr-read-health.ts).

const writes = {
  connector: 'ehr',
  circuit: 'CLOSED' as const,
  calls: 2,
  errors: 1,
  errorRate: 0.5,
  p50LatencyMs: 40,
  lastError: 'CONFLICT',
  lastErrorAt: '2026-01-01T00:00:00.000Z',
};

describe('combineEhrHealth', () => {
  it('sums calls and errors, shows the worse circuit, the slower median and the latest error', () => {
    let now = 0;
    const reads = new Resilience({ connector: 'ehr', timeoutMs: 100, circuit: { failureThreshold: 1 }, now: () => now });
    reads.health.record(10, true);
    reads.health.record(90, true);
    reads.health.record(50, false, 'UNAVAILABLE', Date.parse('2026-01-02T00:00:00.000Z'));
    reads.breaker.onFailure();
    expect(combineEhrHealth(writes, reads)).toEqual({
      connector: 'ehr',
      circuit: 'OPEN',
      calls: 5,
      errors: 2,
      errorRate: 0.4,
      p50LatencyMs: 50,
      lastError: 'UNAVAILABLE',
      lastErrorAt: '2026-01-02T00:00:00.000Z',
    });
    now = 30_000;
    expect(combineEhrHealth({ ...writes, lastErrorAt: '2026-02-01T00:00:00.000Z' }, reads)).toMatchObject({
      circuit: 'HALF_OPEN',
      lastError: 'CONFLICT',
    });
  });

  it('is the writes’ report unchanged when there were no reads', () => {
    expect(combineEhrHealth(writes, new Resilience({ connector: 'ehr', timeoutMs: 100 }))).toEqual(writes);
  });
});
