import type { AuditEvent } from '../src/audit/audit-event.js';
import { AuditArchiver } from '../src/services/audit/audit-archiver.js';
import { AuditService } from '../src/services/audit/audit-service.js';
import { createLogger } from '../src/server/logger.js';
import { PostgresAuditArchive } from '../src/stores/postgres-audit-archive.js';
import { ARCHIVE_ROLE, migrateAuditArchive } from '../src/stores/postgres-audit-schema.js';
import { redisStores } from '../src/stores/create-store.js';
import { PostgresServer } from '../test/support/postgres-server.js';
import { RedisServer } from '../test/support/redis-server.js';

// Issue 20 at scale: appends N PHI-read records through the store's audit path (AuditService.write: one Redis Lua
// commit each, 64 in flight), archives continuously to PostgreSQL while writing (Redis keeps a hot window), then
// verifies the whole chain (archive and hot window as one log) while sampling heap and RSS. The test suite runs it at
// 10^5 (test/audit/audit-scale.test.ts); `npm run bench:audit` runs 10^6 and prints the figures the README reports.

export interface AuditScaleResult {
  readonly records: number;
  readonly writeSeconds: number;
  readonly verifySeconds: number;
  readonly verified: boolean;
  readonly archivedThrough: number;
  readonly hotRecords: number;
  /** Heap and RSS (MB) when verify starts, and the highest seen during it. */
  readonly heapAtStartMb: number;
  readonly heapPeakMb: number;
  readonly rssAtStartMb: number;
  readonly rssPeakMb: number;
  /** Bytes per record: Redis used_memory growth per hot record, PostgreSQL database size per archived record. */
  readonly redisBytesPerRecord: number;
  readonly postgresBytesPerRecord: number;
}

const mb = (n: number) => Math.round((n / 1_048_576) * 10) / 10;

function phiRead(i: number, at: number): AuditEvent {
  return {
    category: 'phi-read', at: new Date(at).toISOString(), tenant: 'hospital', action: 'phi.read', outcome: 'success',
    actor: { sub: `clin-${i % 500}`, roles: ['clinician'] }, patientId: `patient-${i % 20_000}`, dataClasses: ['notes', 'labs'],
    fields: ['Patient.name', 'Observation.value'], operation: 'PatientChart', breakGlass: false,
  };
}

export async function auditScale(n: number, hotRecords: number, log: (line: string) => void = () => {}): Promise<AuditScaleResult> {
  const [redis, postgres] = await Promise.all([RedisServer.start(), PostgresServer.start()]);
  await migrateAuditArchive(postgres.ownerUrl, 'bench');
  const archive = new PostgresAuditArchive(postgres.urlFor(ARCHIVE_ROLE, 'bench'));
  const client = redis.client();
  try {
    const audit = new AuditService({ stores: redisStores(client), hmacKey: 'bench-key', now: () => Date.now(), archive });
    const archiver = new AuditArchiver({
      audit, archive, tenants: async () => ['hospital'], hot: { maxRecords: hotRecords, maxAgeMs: 1e15 }, now: () => Date.now(),
      logger: createLogger('silent'),
    });
    const redisMemory = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))![1]);
    const redisBefore = await redisMemory();
    const t0 = performance.now();
    const start = Date.parse('2026-01-01T00:00:00Z');
    let next = 1;
    let writing = true;
    // Archiving runs alongside the writes, as the gateway's timer would.
    const archiving = (async () => {
      while (writing) {
        await archiver.runAll();
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next <= n) {
          const i = next++;
          await audit.write('hospital', [phiRead(i, start + i * 1_000)]);
          if (i % 100_000 === 0) log(`  ${i} records written (${Math.round((performance.now() - t0) / 1000)} s)`);
        }
      }),
    );
    writing = false;
    await archiving;
    await archiver.runAll();
    const writeSeconds = (performance.now() - t0) / 1000;
    const hot = await audit.hotMeta('hospital');
    const hotCount = hot.headSeq - hot.firstSeq + 1;
    const redisBytesPerRecord = Math.round(((await redisMemory()) - redisBefore) / hotCount);
    const a = await archive.meta('hospital');
    const size = await (async () => {
      const pg = (await import('pg')).default;
      const c = new pg.Client({ connectionString: postgres.ownerUrl });
      await c.connect();
      try {
        return Number((await c.query<{ s: string }>('SELECT pg_database_size(current_database()) AS s')).rows[0]!.s);
      } finally {
        await c.end();
      }
    })();

    (globalThis as { gc?: () => void }).gc?.();
    const heapAtStart = process.memoryUsage().heapUsed;
    const rssAtStart = process.memoryUsage().rss;
    let heapPeak = heapAtStart;
    let rssPeak = rssAtStart;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      heapPeak = Math.max(heapPeak, m.heapUsed);
      rssPeak = Math.max(rssPeak, m.rss);
    }, 20);
    const t1 = performance.now();
    const verify = await audit.verify('hospital');
    clearInterval(sampler);
    const verifySeconds = (performance.now() - t1) / 1000;
    if (!verify.ok) log(`  verify failed: ${verify.message}`);
    return {
      records: verify.ok ? verify.records : verify.recordsChecked,
      writeSeconds: Math.round(writeSeconds),
      verifySeconds: Math.round(verifySeconds),
      verified: verify.ok,
      archivedThrough: a.headSeq,
      hotRecords: hotCount,
      heapAtStartMb: mb(heapAtStart),
      heapPeakMb: mb(heapPeak),
      rssAtStartMb: mb(rssAtStart),
      rssPeakMb: mb(rssPeak),
      redisBytesPerRecord,
      // The whole database (tables, indexes, TOAST, catalog) over the archived records: an upper bound.
      postgresBytesPerRecord: Math.round(size / Math.max(1, a.headSeq)),
    };
  } finally {
    await archive.close();
    client.disconnect();
    await redis.stop();
    await postgres.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const hot = Number(process.argv[3] ?? 100_000);
  console.log(`audit scale: ${n} records, hot window ${hot} records`);
  const r = await auditScale(n, hot, (l) => console.log(l));
  console.log(JSON.stringify(r, null, 2));
  process.exit(r.verified ? 0 : 1);
}
