import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { Writable } from 'node:stream';
import { ConnectorError } from '../../connectors/common/connector-error.js';
import type { EscalationEvent } from '../../src/services/messaging/message-queue-service.js';
import { EscalationSweeper } from '../../src/services/messaging/escalation-sweeper.js';

const capture = () => {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write: (chunk: Buffer, _e, done) => {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ level: 'warn' }, stream) };
};
const event = (tenant: string): EscalationEvent => ({
  tenant, communicationId: 'c1', queue: 'on-call', level: 1, receivedAt: '2026-01-01T00:00:00.000Z', waitedMinutes: 20, paged: null,
});

describe('the escalation sweeper', () => {
  it('a failing tenant is logged with why (the connector and kind, never its message) and the others still escalate', async () => {
    const { lines, logger } = capture();
    const failures: Record<string, Error> = {
      down: new ConnectorError('fhir', 'UNAVAILABLE', 503, 'GET Communication?subject=Patient/secret-id failed'),
      broken: new TypeError('x is undefined'),
    };
    const sweeper = new EscalationSweeper({
      tenants: async () => ['down', 'ok', 'broken'],
      escalate: async (tenant) => {
        const failure = failures[tenant];
        if (failure) throw failure;
        return [event(tenant)];
      },
      logger,
    });
    expect((await sweeper.sweep()).map((e) => e.tenant)).toEqual(['ok']);
    await new Promise((resolve) => setImmediate(resolve));
    const warned = lines.map(({ tenant, connector, kind, status }) => ({ tenant, connector, kind, status }));
    expect(warned).toEqual([
      { tenant: 'down', connector: 'fhir', kind: 'UNAVAILABLE', status: 503 },
      { tenant: 'broken', connector: undefined, kind: 'unexpected', status: undefined },
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret-id');
    expect(JSON.stringify(lines)).not.toContain('x is undefined');
  });
});
