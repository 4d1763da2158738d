// `npm run bench:proposals [-- <requests>]`: the memory of open proposals (issue 17). Sends <requests> (default 20,000)
// queueing mutations (bench/queries.ts `mutation-queues`: clinical-admin proposes ai.model in PRODUCTION, high risk, a
// new value each time) through one gateway on the embedded store, and prints at checkpoints the requester's open
// changes in the store and the heap after a full GC. Each proposal replaces the requester's open one on the same
// target (src/governance/open-proposals.ts), so the open count stays 1 and the heap flat whatever the number of
// requests; finished changes are trimmed to a window per tenant (src/stores/memory-change-window.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateDevKeys, mintToken } from '../src/auth/dev-keys.js';
import { parseConfig } from '../src/config/config.js';
import { createLogger } from '../src/server/logger.js';
import { startClearance } from '../src/server/start-clearance.js';
import { queries } from './queries.js';

const total = Number(process.argv[2] ?? 20_000);
const CONNECTIONS = 8;
const stateDir = mkdtempSync(join(tmpdir(), 'clearance-proposals-'));
const config = parseConfig(
  {
    CLEARANCE_STATE_DIR: stateDir,
    PORT: '0',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_PRINCIPAL: '0',
    RATE_LIMIT_PER_TENANT: '0',
    RATE_LIMIT_MUTATIONS_PER_PRINCIPAL: '0',
  },
  [],
);
const running = await startClearance(config, { logger: createLogger('warn') });
const keys = await loadOrCreateDevKeys(stateDir);
const sub = 'clinical-admin-bench';
const claims = { sub, tenant: 'acme', roles: ['clinical-admin'], mfa: true };
const token = await mintToken(keys, claims, { issuer: config.auth.issuer, audience: config.auth.audience });
const body = queries('').find((q) => q.name === 'mutation-queues')!.body;

const gc = (globalThis as { gc?: () => void }).gc;
async function sample(sent: number, failed: number) {
  gc?.();
  const pending = await running.governance.store.listChanges('acme', { status: 'PENDING' }, 100_000);
  const mb = (n: number) => (n / 1048576).toFixed(1);
  const { heapUsed, rss } = process.memoryUsage();
  console.log(`${String(sent).padStart(7)} sent  ${String(failed).padStart(4)} failed  open (${sub}): ` +
    `${pending.filter((c) => c.requester.sub === sub).length}  heap ${mb(heapUsed)} MB  rss ${mb(rss)} MB`);
}

if (!gc) console.log('(run with node --expose-gc for heap figures after a full GC)');
let sent = 0;
let failed = 0;
const checkpoints = new Set([1_000, 2_000, 5_000, 10_000, 15_000, 20_000, total]);
async function worker() {
  while (sent < total) {
    const n = ++sent;
    const res = await fetch(`${running.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body.replace('[<id>]', `p${n}`),
    });
    const json = (await res.json()) as { data?: { updateSetting?: { status: string } }; errors?: unknown[] };
    if (json.errors || json.data?.updateSetting?.status !== 'PENDING_APPROVAL') failed++;
    if (checkpoints.has(n)) await sample(n, failed);
  }
}
await Promise.all(Array.from({ length: CONNECTIONS }, worker));
await running.stop();
