import { describe, expect, it } from 'vitest';
import { LocalKms, newKekText, parseKek } from '../../src/services/connectors/key-encryption.js';
import { ConnectorSecretStore } from '../../src/services/connectors/secret-store.js';
import { memoryStores } from '../../src/stores/create-store.js';

// Envelope encryption of connector credentials: a data key per secret wrapped by a KEK with a key id; only the same
// KEK reveals; re-wrapping to a new KEK keeps every secret readable while the old KEK is still loaded, and after it
// is retired.

const kek1 = parseKek(newKekText('kek-1'));
const kek2 = parseKek(newKekText('kek-2'));

describe('ConnectorSecretStore', () => {
  it('stages a secret encrypted, reveals it only under the same KEK, and names it by fingerprint', async () => {
    const store = memoryStores().governance;
    const secrets = new ConnectorSecretStore(store, new LocalKms([kek1]), () => 0);
    const boundOrigin = 'https://ehr.example';
    const staged = { clientId: 'gw', secret: 'hunter2-hunter2', by: 'sam', boundOrigin };
    const ref = (await secrets.stageSecret('acme', 'STAGING', 'ehr', staged))!;
    expect(ref).toMatchObject({
      method: 'client_secret_basic',
      clientId: 'gw',
      fingerprint: expect.stringMatching(/^hmac:[0-9a-f]{32}$/),
      boundOrigin,
    });
    const docs = await store.listDocs('acme', 'STAGING', 'secret:');
    expect(JSON.stringify(docs)).not.toContain('hunter2');
    expect(JSON.stringify(docs)).toContain('"keyId":"kek-1"');
    expect(await secrets.reveal('acme', 'STAGING', 'ehr', ref)).toEqual({
      method: 'client_secret_basic',
      clientId: 'gw',
      secret: 'hunter2-hunter2',
      boundOrigin,
    });
    // The binding sealed with the value counts only where the governed reference says the same origin: a reference
    // rewritten to name another origin (or none) leaves the credential bound to nothing (the client then sends nothing).
    for (const other of ['https://attacker.example', null])
      expect(await secrets.reveal('acme', 'STAGING', 'ehr', { ...ref, boundOrigin: other })).toMatchObject({ boundOrigin: null });
    await expect(new ConnectorSecretStore(store, new LocalKms([kek2]), () => 0).reveal('acme', 'STAGING', 'ehr', ref)).rejects.toThrow();
    // Bound to its tenant, environment and connector: the same document under another name does not open.
    expect(await secrets.reveal('acme', 'PRODUCTION', 'ehr', ref)).toBeNull();
  });

  it('generates an ES384 and an RS384 key pair: private key sealed, public JWKS in clear', async () => {
    const store = memoryStores().governance;
    const secrets = new ConnectorSecretStore(store, new LocalKms([kek1]), () => 0);
    for (const alg of ['ES384', 'RS384'] as const) {
      const staged = (await secrets.stageKey('acme', 'STAGING', `ehr-${alg.toLowerCase()}`, { clientId: 'gw', alg, by: 'sam' }))!;
      const [key] = staged.jwks.keys;
      expect(key).toMatchObject({ alg, use: 'sig', kid: staged.ref.fingerprint.slice(4) });
      expect(key).not.toHaveProperty('d');
      const credential = await secrets.reveal('acme', 'STAGING', `ehr-${alg.toLowerCase()}`, staged.ref);
      expect(credential).toMatchObject({ method: 'private_key_jwt', alg, kid: key!.kid, privateJwk: { d: expect.any(String) } });
      const stored = JSON.stringify(await store.listDocs('acme', 'STAGING', 'secret:'));
      expect(stored).not.toContain((credential as { privateJwk: { d: string } }).privateJwk.d);
    }
  });

  it('re-wraps every secret to a new KEK; all stay readable during and after, then without the old KEK', async () => {
    const store = memoryStores().governance;
    const before = new ConnectorSecretStore(store, new LocalKms([kek1]), () => 0);
    const refs = [];
    for (const [tenant, env, id] of [['acme', 'STAGING', 'ehr'], ['acme', 'PRODUCTION', 'ehr'], ['globex', 'STAGING', 'athena']] as const) {
      refs.push({
        tenant,
        env,
        id,
        ref: (await before.stageSecret(tenant, env, id, { clientId: 'gw', secret: `secret-${tenant}-${env}-${id}`, by: 'sam' }))!,
      });
    }
    const key = (await before.stageKey('acme', 'STAGING', 'ehr', { clientId: 'gw', alg: 'ES384', by: 'sam' }))!;
    // Both loaded, the new one first: new writes use kek-2, old documents still open with kek-1 (no downtime).
    const during = new ConnectorSecretStore(store, new LocalKms([kek2, kek1]), () => 0);
    for (const r of refs)
      expect(await during.reveal(r.tenant, r.env, r.id, r.ref)).toMatchObject({ secret: `secret-${r.tenant}-${r.env}-${r.id}` });
    expect(await during.rewrapAll('acme', ['STAGING', 'PRODUCTION'])).toBe(3);
    expect(await during.rewrapAll('globex', ['STAGING', 'PRODUCTION'])).toBe(1);
    expect(await during.rewrapAll('acme', ['STAGING', 'PRODUCTION'])).toBe(0);
    const after = new ConnectorSecretStore(store, new LocalKms([kek2]), () => 0);
    for (const r of refs)
      expect(await after.reveal(r.tenant, r.env, r.id, r.ref)).toMatchObject({ secret: `secret-${r.tenant}-${r.env}-${r.id}` });
    expect(await after.reveal('acme', 'STAGING', 'ehr', key.ref)).toMatchObject({ method: 'private_key_jwt' });
  });
});
