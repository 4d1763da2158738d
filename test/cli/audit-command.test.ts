import { execFile } from 'node:child_process';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Bundle } from '@medplum/fhirtypes';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditService } from '../../src/services/audit/audit-service.js';
import type { CliIo } from '../../src/cli/cli-command.js';
import { runCli } from '../../src/cli/main.js';
import { redisStores } from '../../src/stores/create-store.js';
import { tenantKeys } from '../../src/stores/redis-keys.js';
import { RedisServer } from '../support/redis-server.js';
import { phiReadEvent } from '../support/audit-events.js';

// `clearance audit ...` against a real Redis, as an operator runs it: verify as a real process (exit codes and the
// record it names after a hand edit), export and trim in process.

const REPO = resolve(import.meta.dirname, '../..');
const KEY = 'cli-audit-hmac-key-0123456789abcdef';
const DAY = 86_400_000;

let server: RedisServer;
let redis: Redis;
let audit: AuditService;
let stateDir: string;
let n = 0;

const event = phiReadEvent;

async function tenantWith(old: number, recent: number): Promise<string> {
  const tenant = `cli-${n++}`;
  for (let i = 0; i < old; i++) await audit.write(tenant, [event(tenant, Date.now() - 3000 * DAY + i, i)]);
  for (let i = 0; i < recent; i++) await audit.write(tenant, [event(tenant, Date.now() - DAY + i, old + i)]);
  await audit.checkpoint(tenant);
  return tenant;
}

const env = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  CLEARANCE_STATE_DIR: stateDir,
  REDIS_URL: server.url,
  AUDIT_HMAC_KEY: KEY,
  ...extra,
});

/** The real process: node bin/clearance.mjs. */
async function spawnCli(args: string[], processEnv: Record<string, string>) {
  return promisify(execFile)(process.execPath, [join(REPO, 'bin/clearance.mjs'), ...args], { cwd: REPO, env: processEnv })
    .then((r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }))
    .catch((e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));
}

async function inProcess(args: string[], processEnv: Record<string, string> = env()) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { env: processEnv, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) };
  return { code: await runCli(args, io), stdout, stderr };
}

beforeAll(async () => {
  server = await RedisServer.start();
  redis = server.client();
  audit = new AuditService({ stores: redisStores(server.client()), hmacKey: KEY, now: () => Date.now() });
  stateDir = await mkdtemp(join(tmpdir(), 'clearance-audit-cli-'));
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

describe('clearance audit verify (real process)', () => {
  it('exits 0 on an intact log and 1 naming the record after a hand edit (LSET)', async () => {
    const t = await tenantWith(0, 5);
    const ok = await spawnCli(['audit', 'verify', '--tenant', t], env());
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toContain(`audit log of ${t} verifies: 5 records (records 1..5), 1 signed checkpoints`);

    const raw = (await redis.lindex(tenantKeys(t).audit, 2))!;
    await redis.lset(tenantKeys(t).audit, 2, raw.replace('p2', 'p7'));
    const broken = await spawnCli(['audit', 'verify', '--tenant', t], env());
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/is BROKEN at record 3 \(BODY_ALTERED\): record 3 was altered/);
  });

  it('--from-checkpoint resumes after the signed mark of the last full verify; a forged mark is ignored', async () => {
    const t = await tenantWith(0, 5);
    expect((await inProcess(['audit', 'verify', '--tenant', t, '--from-checkpoint'])).stdout).toContain('5 records (records 1..5)');
    for (let i = 5; i < 8; i++) await audit.write(t, [event(t, Date.now(), i)]);
    await audit.checkpoint(t);
    const resumed = await inProcess(['audit', 'verify', '--tenant', t, '--from-checkpoint']);
    expect(resumed).toMatchObject({ code: 0 });
    expect(resumed.stdout).toContain('3 records (records 6..8, resumed after the signed checkpoint at 5)');
    // A mark moved forward by someone without the key is not trusted: the verify starts from the beginning.
    const mark = JSON.parse((await redis.hget(tenantKeys(t).auditMeta, 'verified'))!) as { seq: number };
    expect(mark.seq).toBe(8);
    await redis.hset(tenantKeys(t).auditMeta, 'verified', JSON.stringify({ ...mark, seq: 9 }));
    expect((await inProcess(['audit', 'verify', '--tenant', t, '--from-checkpoint'])).stdout).toContain('8 records (records 1..8)');
    // A resumed verify still catches a tamper after the mark.
    await audit.write(t, [event(t, Date.now(), 9)]);
    const raw = (await redis.lindex(tenantKeys(t).audit, 8))!;
    await redis.lset(tenantKeys(t).audit, 8, raw.replace('p9', 'p1'));
    expect(await inProcess(['audit', 'verify', '--tenant', t, '--from-checkpoint'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('BROKEN at record 9 (BODY_ALTERED)'),
    });
  });

  it('without REDIS_URL says why (the embedded store lives in the gateway) and exits 2', async () => {
    const { REDIS_URL: _url, ...rest } = env();
    const r = await spawnCli(['audit', 'verify', '--tenant', 'acme'], rest);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/REDIS_URL is not set.*gateway's memory.*auditVerify/s);
  });

  it('refuses a bad tenant id with usage, exit 2', async () => {
    const r = await inProcess(['audit', 'verify', '--tenant', 'Bad Tenant']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: clearance audit verify');
  });
});

describe('clearance audit export and trim', () => {
  it('exports FHIR to a file (mode 600) and NDJSON to stdout, and marks what is covered', async () => {
    const t = await tenantWith(2, 2);
    const out = join(stateDir, `${t}.json`);
    const fhir = await inProcess(['audit', 'export', '--tenant', t, '--format', 'fhir', '--out', out]);
    expect(fhir).toMatchObject({ code: 0, stdout: '' });
    expect(fhir.stderr).toContain('exported 4 events of 4 records');
    const bundle = JSON.parse(await readFile(out, 'utf8')) as Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundle.entry).toHaveLength(4);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(await audit.exportedUpTo(t)).toBe(4);

    const windowed = await inProcess(['audit', 'export', '--tenant', t, '--from', new Date(Date.now() - 2 * DAY).toISOString()]);
    expect(windowed.code).toBe(0);
    expect(windowed.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([3, 4]);
  });

  it('trim keeps unexported records (exit 1, says so), trims after export (exit 0), and the log still verifies', async () => {
    const t = await tenantWith(3, 1);
    const refused = await inProcess(['audit', 'trim', '--tenant', t]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/kept 3 records older than the cutoff because they are not exported/);
    expect(await audit.meta(t)).toMatchObject({ firstSeq: 1 });

    expect((await inProcess(['audit', 'export', '--tenant', t, '--out', join(stateDir, `${t}.ndjson`)])).code).toBe(0);
    const trimmed = await inProcess(['audit', 'trim', '--tenant', t]);
    expect(trimmed).toMatchObject({ code: 0, stderr: '' });
    expect(trimmed.stdout).toMatch(/trimmed 3 records .*retention 2190 days.*signed checkpoint at record 3/);
    const verify = await inProcess(['audit', 'verify', '--tenant', t]);
    expect(verify).toMatchObject({ code: 0 });
    expect(verify.stdout).toContain('1 records (records 4..4)');
  });

  it('lists the audit subcommands in the overview', async () => {
    const r = await inProcess(['audit', '--help']);
    expect(r.code).toBe(0);
    for (const sub of ['verify', 'export', 'trim', 'checkpoint']) expect(r.stdout).toContain(`  ${sub}`);
  });
});
