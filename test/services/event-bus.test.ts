import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeEventBus } from '../../src/services/events/change-event-bus.js';
import { createChangeEventBus } from '../../src/services/events/create-change-event-bus.js';
import { MemoryChangeEventBus } from '../../src/services/events/memory-change-event-bus.js';
import { RedisServer } from '../support/redis-server.js';
import { eventBusContract } from './event-bus-contract.js';

let server: RedisServer;
const buses: ChangeEventBus[] = [];
beforeAll(async () => {
  server = await RedisServer.start();
});
afterAll(async () => {
  await Promise.all(buses.map((b) => b.close()));
  await server.stop();
});

eventBusContract('in-process', async () => {
  const bus = new MemoryChangeEventBus();
  return [bus, bus];
});

eventBusContract('redis pub/sub', async () => {
  const pair = [await createChangeEventBus(server.url), await createChangeEventBus(server.url)] as [ChangeEventBus, ChangeEventBus];
  buses.push(...pair);
  return pair;
});

describe('redis pub/sub: hostile channel content', () => {
  it('drops a message on the channel that is not an event, and an event published on another tenant channel', async () => {
    const bus = await createChangeEventBus(server.url);
    buses.push(bus);
    const got: unknown[] = [];
    await bus.subscribe('acme', (e) => got.push(e));
    const raw = server.client();
    await raw.publish('clearance:events:{acme}', 'not json');
    await raw.publish('clearance:events:{acme}', JSON.stringify({ tenant: 'acme', kind: 'DROP_TABLES' }));
    await raw.publish(
      'clearance:events:{acme}',
      JSON.stringify({ eventId: 'e', tenant: 'other', changeId: 'c', kind: 'PROPOSED', category: 'audit', approvals: 0, at: 'x' }),
    );
    await raw.publish(
      'clearance:events:{acme}',
      JSON.stringify({ eventId: 'e', tenant: 'acme', changeId: 'ok', kind: 'PROPOSED', category: 'audit', approvals: 0, at: 'x' }),
    );
    for (let i = 0; i < 200 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    raw.disconnect();
    expect(got).toEqual([expect.objectContaining({ changeId: 'ok' })]);
  });
});
