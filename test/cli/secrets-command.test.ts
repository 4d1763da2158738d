import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-command.js';
import { runCli } from '../../src/cli/main.js';
import { LocalKms, newKekText, parseKek } from '../../src/services/connectors/key-encryption.js';
import { ConnectorSecretStore, type CredentialRef } from '../../src/services/connectors/secret-store.js';
import { redisStores } from '../../src/stores/create-store.js';
import { RedisServer } from '../support/redis-server.js';

// `clearance secrets rewrap` against a real Redis, as an operator rotates the KEK: secrets written under the old KEK
// are readable by a gateway holding both keys while the command runs, and by one holding only the new key after.

let server: RedisServer;
let redis: Redis;
let stateDir: string;
const OLD = newKekText('kek-old');
const NEW = newKekText('kek-new');

async function cli(args: string[], extra: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    env: { CLEARANCE_STATE_DIR: stateDir, REDIS_URL: server.url, ...extra },
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
  };
  return { code: await runCli(args, io), stdout, stderr };
}

beforeAll(async () => {
  server = await RedisServer.start();
  redis = server.client();
  stateDir = await mkdtemp(join(tmpdir(), 'clearance-secrets-cli-'));
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

describe('clearance secrets', () => {
  it('prints a new KEK that config accepts, and refuses a bad id', async () => {
    const r = await cli(['secrets', 'new-kek', '--id', 'kek-2027'], {});
    expect(r.code).toBe(0);
    expect(parseKek(r.stdout.trim()).id).toBe('kek-2027');
    expect((await cli(['secrets', 'new-kek', '--id', 'bad id!'], {})).code).toBe(2);
  });

  it('re-wraps every secret of every tenant to the new KEK without making any unreadable', async () => {
    const store = redisStores(server.client()).governance;
    const old = new ConnectorSecretStore(store, new LocalKms([parseKek(OLD)]), () => Date.now());
    const refs: { tenant: string; id: string; ref: CredentialRef; secret: string }[] = [];
    for (const tenant of ['acme', 'globex']) {
      for (const id of ['ehr', 'athena-east']) {
        const secret = `secret-${tenant}-${id}-value`;
        refs.push({ tenant, id, secret, ref: (await old.stageSecret(tenant, 'PRODUCTION', id, { clientId: 'gw', secret, by: 'sam' }))! });
      }
    }
    const key = (await old.stageKey('acme', 'STAGING', 'ehr', { clientId: 'gw', alg: 'ES384', by: 'sam' }))!;
    // Replicas redeployed with both keys, the new one first: they read old documents and write new ones.
    const during = new ConnectorSecretStore(store, new LocalKms([parseKek(NEW), parseKek(OLD)]), () => Date.now());
    const r = await cli(['secrets', 'rewrap'], { SECRETS_KEK: NEW, SECRETS_KEK_PREVIOUS: OLD });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('re-wrapped 5 connector secrets to KEK kek-new\n');
    for (const s of refs) expect(await during.reveal(s.tenant, 'PRODUCTION', s.id, s.ref)).toMatchObject({ secret: s.secret });
    // The old KEK retired: everything still opens.
    const after = new ConnectorSecretStore(store, new LocalKms([parseKek(NEW)]), () => Date.now());
    for (const s of refs) expect(await after.reveal(s.tenant, 'PRODUCTION', s.id, s.ref)).toMatchObject({ secret: s.secret });
    expect(await after.reveal('acme', 'STAGING', 'ehr', key.ref)).toMatchObject({ method: 'private_key_jwt' });
    expect(r.stdout + r.stderr).not.toMatch(/secret-|kek-old:|kek-new:/);
    expect((await cli(['secrets', 'rewrap'], { SECRETS_KEK: NEW })).stdout).toBe('re-wrapped 0 connector secrets to KEK kek-new\n');
  });

  it('needs Redis, and a well-formed KEK', async () => {
    expect((await cli(['secrets', 'rewrap'], { REDIS_URL: '' })).code).toBe(2);
    const bad = await cli(['secrets', 'rewrap'], { SECRETS_KEK: 'kek-x:tooshort' }).catch((e: Error) => ({
      code: -1,
      stdout: '',
      stderr: e.message,
    }));
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).not.toContain('tooshort');
  });
});
