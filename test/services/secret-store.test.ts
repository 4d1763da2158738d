import { describe, expect, it } from 'vitest';
import { ConnectorSecretStore } from '../../src/services/connectors/secret-store.js';
import { createMemoryGovernanceStore } from '../../src/stores/memory-governance-store.js';

describe('ConnectorSecretStore', () => {
  it('stores a secret encrypted, reveals it only under the same key, and versions it', async () => {
    const store = createMemoryGovernanceStore();
    const secrets = new ConnectorSecretStore(store, 'k'.repeat(64), () => 0);
    expect(await secrets.put('acme', 'STAGING', 'ehr', { clientId: 'gw', secret: 'hunter2-hunter2', by: 'sam' })).toBe(true);
    expect(JSON.stringify(await store.getDoc('acme', { environment: 'STAGING', id: 'secret:ehr' }))).not.toContain('hunter2');
    expect(await secrets.reveal('acme', 'STAGING', 'ehr')).toEqual({ clientId: 'gw', secret: 'hunter2-hunter2' });
    expect(await secrets.meta('acme', 'STAGING', 'ehr')).toMatchObject({ configured: true, clientId: 'gw', version: 1, updatedBy: 'sam' });
    await expect(new ConnectorSecretStore(store, 'x'.repeat(64), () => 0).reveal('acme', 'STAGING', 'ehr')).rejects.toThrow();
    expect(await secrets.meta('acme', 'PRODUCTION', 'ehr')).toMatchObject({ configured: false, version: 0 });
  });
});
