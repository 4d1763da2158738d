import type { ChangeEvent } from '../../governance/change-event.js';
import type { ChangeEventBus, ChangeEventListener } from './change-event-bus.js';

/** The in-process bus of the embedded default: one process, so publishing is calling the tenant's listeners. */
export class MemoryChangeEventBus implements ChangeEventBus {
  private readonly listeners = new Map<string, Set<ChangeEventListener>>();

  async publish(event: ChangeEvent): Promise<void> {
    // Delivered on a later tick, as over Redis: a listener never runs inside the publisher's commit path.
    const set = this.listeners.get(event.tenant);
    if (!set) return;
    for (const l of [...set]) queueMicrotask(() => l(event));
  }

  async subscribe(tenant: string, listener: ChangeEventListener): Promise<() => void> {
    let set = this.listeners.get(tenant);
    if (!set) this.listeners.set(tenant, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(tenant);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
