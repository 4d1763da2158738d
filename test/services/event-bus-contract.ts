import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../src/governance/change-event.js';
import type { ChangeEventBus } from '../../src/services/events/change-event-bus.js';

// One contract, two implementations (in-process and Redis pub/sub): test/services/event-bus.test.ts runs both.
// `make` returns two buses that stand for two replicas of one deployment (the in-memory one: the same bus twice).

const event = (tenant: string, over: Partial<ChangeEvent> = {}): ChangeEvent => ({
  eventId: randomUUID(),
  tenant,
  changeId: 'c-1',
  kind: 'PROPOSED',
  category: 'billing-automation',
  approvals: 0,
  at: '2026-12-01T10:00:00.000Z',
  ...over,
});

const received = (bus: ChangeEventBus, tenant: string) => {
  const events: ChangeEvent[] = [];
  return { events, ready: bus.subscribe(tenant, (e) => events.push(e)) };
};

const until = async (check: () => boolean) => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

export function eventBusContract(name: string, make: () => Promise<[ChangeEventBus, ChangeEventBus]>) {
  describe(`${name}: ChangeEventBus contract`, () => {
    it('delivers each event once to every subscriber of the tenant, on either replica, in publish order', async () => {
      const [a, b] = await make();
      const tenant = `t-${randomUUID()}`;
      const onA = received(a, tenant);
      const onB = received(b, tenant);
      const twiceOnA = received(a, tenant);
      await Promise.all([onA.ready, onB.ready, twiceOnA.ready]);
      const sent = [event(tenant), event(tenant, { kind: 'APPROVED', approvals: 1 }), event(tenant, { kind: 'APPLIED', approvals: 2 })];
      for (const e of sent) await b.publish(e);
      await until(() => onA.events.length === 3 && onB.events.length === 3 && twiceOnA.events.length === 3);
      for (const r of [onA, onB, twiceOnA]) expect(r.events).toEqual(sent);
    });

    it("never hands a tenant another tenant's events", async () => {
      const [a, b] = await make();
      const [mine, theirs] = [`t-${randomUUID()}`, `t-${randomUUID()}`];
      const me = received(a, mine);
      const them = received(a, theirs);
      await Promise.all([me.ready, them.ready]);
      await b.publish(event(theirs));
      await b.publish(event(mine, { changeId: 'mine' }));
      await until(() => me.events.length === 1 && them.events.length === 1);
      await new Promise((r) => setTimeout(r, 50));
      expect(me.events.map((e) => e.changeId)).toEqual(['mine']);
      expect(them.events.map((e) => e.tenant)).toEqual([theirs]);
    });

    it('stops delivering to a listener once it unsubscribed, and keeps the others', async () => {
      const [a, b] = await make();
      const tenant = `t-${randomUUID()}`;
      const gone = received(a, tenant);
      const stays = received(a, tenant);
      const stop = await gone.ready;
      await stays.ready;
      stop();
      await b.publish(event(tenant));
      await until(() => stays.events.length === 1);
      await new Promise((r) => setTimeout(r, 50));
      expect(gone.events).toEqual([]);
      expect(stays.events).toHaveLength(1);
    });
  });
}
