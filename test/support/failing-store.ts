import type { GovernanceStore } from '../../src/stores/governance-store.js';
import { StoreUnavailableError } from '../../src/errors/errors.js';

/** Wraps a store so a test can make every write fail, as a store that went away would. */
export function failingStore(inner: GovernanceStore): { store: GovernanceStore; failWrites(on: boolean): void } {
  let failing = false;
  const store: GovernanceStore = {
    ...inner,
    commit: async (tenant, ops) => {
      if (failing) throw new StoreUnavailableError('test');
      return inner.commit(tenant, ops);
    },
  };
  return { store, failWrites: (on) => void (failing = on) };
}
