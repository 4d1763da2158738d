import type { GovernanceStore } from '../../src/stores/governance-store.js';
import { StoreUnavailableError } from '../../src/errors/errors.js';
import type { Stores } from '../../src/stores/stores.js';

/** Wraps the stores so a test can make every governance write fail, as a store that went away would. */
export function failingStores(inner: Stores): { stores: Stores; failWrites(on: boolean): void } {
  let failing = false;
  const commit: GovernanceStore['commit'] = async (tenant, ops) => {
    if (failing) throw new StoreUnavailableError('test');
    return inner.governance.commit(tenant, ops);
  };
  // A Proxy, not a spread: the stores are classes, their methods live on the prototype.
  const governance = new Proxy(inner.governance, {
    get(target, prop) {
      if (prop === 'commit') return commit;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { stores: Object.freeze({ ...inner, governance }), failWrites: (on) => void (failing = on) };
}
