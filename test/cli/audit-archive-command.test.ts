import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditArchiver } from '../../src/services/audit/audit-archiver.js';
import { AuditService } from '../../src/services/audit/audit-service.js';
import type { CliIo } from '../../src/cli/cli-command.js';
import { runCli } from '../../src/cli/main.js';
import { createLogger } from '../../src/server/logger.js';
import type { AuditArchive } from '../../src/stores/audit-archive.js';
import { PostgresAuditArchive } from '../../src/stores/postgres-audit-archive.js';
import { redisStores } from '../../src/stores/create-store.js';
import { phiReadEvent } from '../support/audit-events.js';
import { PostgresServer } from '../support/postgres-server.js';
import { RedisServer } from '../support/redis-server.js';

// `clearance audit archive-migrate`, `verify` and `trim` with AUDIT_ARCHIVE_URL, in process against a real Redis and
// a real PostgreSQL: the migration creates the append-only role named by the URL, verify reads one log, and trim
// drops whole archived months past retention as the owner.

const KEY = 'cli-archive-hmac-key-0123456789abcdef';
const DAY = 86_400_000;
let redis: RedisServer;
let postgres: PostgresServer;
let client: Redis;
let archive: AuditArchive;
let audit: AuditService;
let stateDir: string;

const event = (at: number, i: number) => phiReadEvent('acme', at, i);

const archiveUrl = () => postgres.urlFor('audit_writer', 's3cret pw');
const env = (extra: Record<string, string> = {}) => ({
  CLEARANCE_STATE_DIR: stateDir,
  REDIS_URL: redis.url,
  AUDIT_HMAC_KEY: KEY,
  AUDIT_ARCHIVE_URL: archiveUrl(),
  AUDIT_ARCHIVE_OWNER_URL: postgres.ownerUrl,
  ...extra,
});

async function cli(args: string[], processEnv: Record<string, string> = env()) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { env: processEnv, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) };
  return { code: await runCli(args, io), stdout, stderr };
}

beforeAll(async () => {
  [redis, postgres] = await Promise.all([RedisServer.start(), PostgresServer.start()]);
  stateDir = await mkdtemp(join(tmpdir(), 'clearance-archive-cli-'));
  client = redis.client();
}, 60_000);
afterAll(async () => {
  await archive?.close();
  client?.disconnect();
  await redis?.stop();
  await postgres?.destroy();
});

describe('clearance audit with a PostgreSQL archive', () => {
  it('archive-migrate needs both URLs and creates the role of AUDIT_ARCHIVE_URL; verify and trim span the archive', async () => {
    const { AUDIT_ARCHIVE_OWNER_URL: _o, ...withoutOwner } = env();
    expect(await cli(['audit', 'archive-migrate'], withoutOwner)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('AUDIT_ARCHIVE_OWNER_URL and AUDIT_ARCHIVE_URL'),
    });
    const migrated = await cli(['audit', 'archive-migrate']);
    expect(migrated).toMatchObject({ code: 0, stdout: expect.stringContaining('role audit_writer may INSERT and SELECT only') });
    expect(migrated.stdout + migrated.stderr).not.toContain('s3cret');

    archive = new PostgresAuditArchive(archiveUrl());
    audit = new AuditService({ stores: redisStores(client), hmacKey: KEY, now: () => Date.now(), archive });
    // Ten records seven years old (one month), five from yesterday; all but the newest two archived, all exported.
    const old = Date.UTC(new Date().getUTCFullYear() - 7, 2, 10);
    for (let i = 1; i <= 10; i++) await audit.write('acme', [event(old + i, i)]);
    for (let i = 11; i <= 15; i++) await audit.write('acme', [event(Date.now() - DAY + i, i)]);
    const hot = { maxRecords: 2, maxAgeMs: 1e15 };
    const logger = createLogger('silent');
    await new AuditArchiver({ audit, archive, tenants: async () => ['acme'], hot, now: () => Date.now(), logger }).runAll();
    await audit.markExported('acme', 15);

    expect((await cli(['audit', 'verify', '--tenant', 'acme'])).stdout).toContain('15 records (records 1..15)');
    const { AUDIT_ARCHIVE_OWNER_URL: _p, ...noOwner } = env();
    expect(await cli(['audit', 'trim', '--tenant', 'acme'], noOwner)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('AUDIT_ARCHIVE_OWNER_URL is required'),
    });
    const trimmed = await cli(['audit', 'trim', '--tenant', 'acme']);
    expect(trimmed).toMatchObject({ code: 0, stdout: expect.stringContaining('dropped 1 archived months of acme') });
    expect(trimmed.stdout).toContain('10 records up to 10');
    expect((await cli(['audit', 'verify', '--tenant', 'acme'])).stdout).toContain('5 records (records 11..15)');
  });
});
