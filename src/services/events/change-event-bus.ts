import type { ChangeEvent } from '../../governance/change-event.js';

// Live change events across gateway replicas (issue 14): Redis pub/sub between replicas
// (src/services/events/redis-change-event-bus.ts), an in-process bus for the embedded default
// (memory-change-event-bus.ts). Both keep the same contract (test/services/event-bus-contract.ts): every subscriber
// of a tenant, on every replica, gets each published event once; other tenants' events never reach it.
// Delivery is at most once (pub/sub): a subscriber that was not connected misses events, which is why a client
// re-reads `changeRequests` after it (re)connects. Durable work (notifications) never rides on the bus alone.

export type ChangeEventListener = (event: ChangeEvent) => void;

export interface ChangeEventBus {
  publish(event: ChangeEvent): Promise<void>;
  /** Listens to one tenant's events; resolves once listening (an event published after that is delivered). */
  subscribe(tenant: string, listener: ChangeEventListener): Promise<() => void>;
  close(): Promise<void>;
}
