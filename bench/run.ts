// `npm run bench [-- --quick]`: the gateway as shipped against the same schema and resolvers with no permission
// layer, measured side by side in one run on the same FHIR server, plus graphql-shield as the reference engine and
// the gateway with its PHI-read audit off (to show what the audit costs). See README "Benchmark".
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateDevKeys, mintToken } from '../src/auth/dev-keys.js';
import { approvalThroughput } from './approvals.js';
import { Child, hammer, type Measured } from './harness.js';
import { queries } from './queries.js';

const quick = process.argv.includes('--quick');
const seconds = quick ? 1 : 10;
const PATIENTS = 1000;

const stateDir = mkdtempSync(join(tmpdir(), 'clearance-bench-'));
const keys = await loadOrCreateDevKeys(stateDir);
const token = (roles: string[], extra: Record<string, unknown> = {}) =>
  mintToken(keys, { sub: `${roles[0]}-bench`, tenant: 'acme', roles, departments: ['cardiology', 'oncology', 'pediatrics', 'primary-care'], ...extra }, { issuer: 'clearance-dev', audience: 'clearance' });
const tokens = { clinician: await token(['clinician'], { grants: ['sensitive'] }), ops: await token(['ops-manager']), clinicalAdmin: await token(['clinical-admin'], { mfa: true }) };

// Generous limits: the benchmark measures throughput, not the rate limiter or the query-cost guard.
const env = {
  CLEARANCE_STATE_DIR: stateDir, MAX_PAGE_SIZE: '1000', PORT: '0', LOG_LEVEL: 'warn', MAX_COST: '1000000',
  RATE_LIMIT_PER_PRINCIPAL: '0', RATE_LIMIT_PER_TENANT: '0', RATE_LIMIT_MUTATIONS_PER_PRINCIPAL: '0',
};
let QUERIES: ReturnType<typeof queries> = [];

const VARIANTS = [
  { name: 'unguarded', engine: 'none', audit: 'off' },
  { name: 'guarded', engine: 'fast', audit: 'on' },
  { name: 'guarded-audit-off', engine: 'fast', audit: 'off' },
  { name: 'shield', engine: 'shield', audit: 'on' },
] as const;

const results: Record<string, Record<string, Measured>> = {};
const fhirRequests: Record<string, number> = {};
const peakRss: Record<string, number> = {};
for (const v of VARIANTS) {
  const gw = await Child.start('bench/serve-gateway.ts', [v.engine, v.audit, String(PATIENTS)], env);
  const { url } = (await gw.nextJson()) as { url: string };
  if (QUERIES.length === 0) {
    const r = (await (await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.clinician}` }, body: JSON.stringify({ query: '{ patients(first: 1) { edges { node { id } } } }' }) })).json()) as { data: { patients: { edges: { node: { id: string } }[] } } };
    QUERIES = queries(r.data.patients.edges[0]!.node.id);
  }
  for (const q of QUERIES) {
    if (q.mutation && (v.name === 'shield' || v.name === 'guarded-audit-off')) continue;
    const body = q.body;
    const auth = tokens[q.as];
    if (v.name === 'guarded') {
      // One request alone first, to count the FHIR searches it costs (after the previous run's requests drained).
      await new Promise((r) => setTimeout(r, 500));
      gw.send('count');
      const before = ((await gw.nextJson()) as { requests: number }).requests;
      await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` }, body: body.replace('[<id>]', 'probe') });
      gw.send('count');
      fhirRequests[q.name] = ((await gw.nextJson()) as { requests: number }).requests - before;
    }
    (results[q.name] ??= {})[v.name] = await hammer(`${url}/graphql`, auth, body, seconds);
    process.stderr.write(`${v.name.padEnd(18)} ${q.name.padEnd(22)} ${results[q.name]![v.name]!.rps.toFixed(0).padStart(6)} req/s  p99 ${results[q.name]![v.name]!.p99Ms} ms  non-2xx ${results[q.name]![v.name]!.errors}\n`);
  }
  peakRss[v.name] = gw.peakRss;
  await gw.stop();
}

const approvals = spawnSync('which', ['redis-server']).status === 0 ? await approvalThroughput(env, stateDir, quick ? 2 : 10) : null;

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : null);
console.log(`\nClearance benchmark: ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${PATIENTS} patients, 10 connections, ${seconds} s per run`);
console.log('query                   unguarded rps  guarded rps  ratio  shield rps  audit-off rps  audit cost  guarded p50/p99 ms  FHIR req');
for (const q of QUERIES) {
  const r = results[q.name]!;
  const g = r.guarded!;
  const u = r.unguarded!;
  console.log(
    `${q.name.padEnd(24)}${u.rps.toFixed(0).padStart(13)}${g.rps.toFixed(0).padStart(13)}${String(ratio(g.rps, u.rps)).padStart(7)}${(r.shield ? r.shield.rps.toFixed(0) : '-').padStart(12)}${(r['guarded-audit-off'] ? r['guarded-audit-off'].rps.toFixed(0) : '-').padStart(15)}${(r['guarded-audit-off'] ? `${Math.round((1 - g.rps / r['guarded-audit-off'].rps) * 100)}%` : '-').padStart(12)}${`${g.p50Ms}/${g.p99Ms}`.padStart(20)}${String(fhirRequests[q.name] ?? '-').padStart(10)}`,
  );
}
console.log(`peak gateway RSS (MB): ${Object.entries(peakRss).map(([k, v]) => `${k} ${Math.round(v / 2 ** 20)}`).join(', ')}`);
console.log(approvals ? `governed changes applied per second on Redis: ${approvals.perSecond.toFixed(0)} (${approvals.applied} applied, exactly once: ${approvals.exactlyOnce})` : 'approvals: skipped (no redis-server on this machine)');
console.log(
  JSON.stringify({
    queries: QUERIES.map((q) => ({
      name: q.name,
      guardedRps: Math.round(results[q.name]!.guarded!.rps),
      unguardedRps: Math.round(results[q.name]!.unguarded!.rps),
      ratio: ratio(results[q.name]!.guarded!.rps, results[q.name]!.unguarded!.rps),
      p99Ms: results[q.name]!.guarded!.p99Ms,
      fhirRequests: fhirRequests[q.name] ?? null,
    })),
    approvalsPerSecond: approvals ? Math.round(approvals.perSecond) : null,
  }),
);
