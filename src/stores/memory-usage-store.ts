import type { UsageStore } from './usage-store.js';

// The embedded default's last-use times.

export class MemoryUsageStore implements UsageStore {
  private readonly uses = new Map<string, Map<string, string>>();

  async record(tenant: string, entryId: string, atIso: string): Promise<void> {
    let u = this.uses.get(tenant);
    if (!u) this.uses.set(tenant, (u = new Map()));
    if ((u.get(entryId) ?? '') < atIso) u.set(entryId, atIso);
  }

  async lastUses(tenant: string): Promise<Record<string, string>> {
    return Object.fromEntries(this.uses.get(tenant) ?? []);
  }
}
