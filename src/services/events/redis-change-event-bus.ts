import type { Redis } from 'ioredis';
import { CHANGE_EVENT_KINDS, type ChangeEvent } from '../../governance/change-event.js';
import type { ChangeEventBus, ChangeEventListener } from './change-event-bus.js';

// Change events between replicas over Redis pub/sub: one channel per tenant (`clearance:events:{tenant}`), one
// connection to publish and one in subscriber mode (Redis allows nothing else on it), each tenant's channel
// subscribed once per process however many local listeners it has. A message that does not parse as an event is
// dropped: the channel is not a way in.

const channelOf = (tenant: string) => `clearance:events:{${tenant}}`;
const KINDS = new Set<string>(CHANGE_EVENT_KINDS);

function parseEvent(raw: string): ChangeEvent | null {
  try {
    const e = JSON.parse(raw) as Partial<ChangeEvent>;
    const ok =
      typeof e.eventId === 'string' &&
      typeof e.tenant === 'string' &&
      typeof e.changeId === 'string' &&
      typeof e.kind === 'string' &&
      KINDS.has(e.kind) &&
      typeof e.category === 'string' &&
      typeof e.approvals === 'number' &&
      typeof e.at === 'string';
    return ok ? (e as ChangeEvent) : null;
  } catch {
    return null;
  }
}

export class RedisChangeEventBus implements ChangeEventBus {
  private readonly listeners = new Map<string, Set<ChangeEventListener>>();

  /** `subscriber` is a connection of its own: in subscriber mode Redis allows nothing else on it. */
  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
  ) {
    subscriber.on('message', (channel: string, raw: string) => {
      const event = parseEvent(raw);
      if (!event || channelOf(event.tenant) !== channel) return;
      for (const l of [...(this.listeners.get(event.tenant) ?? [])]) l(event);
    });
  }

  async publish(event: ChangeEvent): Promise<void> {
    await this.publisher.publish(channelOf(event.tenant), JSON.stringify(event));
  }

  async subscribe(tenant: string, listener: ChangeEventListener): Promise<() => void> {
    const { listeners, subscriber } = this;
    let set = listeners.get(tenant);
    if (!set) {
      listeners.set(tenant, (set = new Set()));
      await subscriber.subscribe(channelOf(tenant));
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size > 0 || listeners.get(tenant) !== set) return;
      listeners.delete(tenant);
      subscriber.unsubscribe(channelOf(tenant)).catch(() => {});
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}
