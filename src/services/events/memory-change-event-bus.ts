import type { ChangeEvent } from '../../governance/change-event.js';
import type { ChangeEventBus, ChangeEventListener } from './change-event-bus.js';

/** The in-process bus of the embedded default: one process, so publishing is calling the tenant's listeners. */
export function createMemoryChangeEventBus(): ChangeEventBus {
  const listeners = new Map<string, Set<ChangeEventListener>>();
  return {
    async publish(event: ChangeEvent) {
      // Delivered on a later tick, as over Redis: a listener never runs inside the publisher's commit path.
      const set = listeners.get(event.tenant);
      if (!set) return;
      for (const l of [...set]) queueMicrotask(() => l(event));
    },
    async subscribe(tenant, listener) {
      let set = listeners.get(tenant);
      if (!set) listeners.set(tenant, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(tenant);
      };
    },
    async close() {
      listeners.clear();
    },
  };
}
