// `npm run bench [-- --quick]`: the gateway as shipped against the same schema and resolvers with no permission
// layer, measured side by side in one run on the same FHIR server, plus graphql-shield as the reference engine and
// the gateway with its PHI-read audit off (to show what the audit costs). See README "Benchmark".
//
// Fairness: all gateways run at once (an idle one costs nothing), each is warmed up on every query before anything
// is measured, and each query is measured in interleaved rounds (unguarded, guarded, guarded, unguarded, ...) so a
// slow moment of the machine falls on both sides. The ratio is the median of the rounds' own ratios (each round's two
// runs are next to each other in time: measured on this 2-core VM, the same gateway's CPU time per request moves by
// a third from one minute to the next, with the neighbours); the other figures are medians of the rounds. Beside requests
// per second, each run reports the gateway's CPU time per request (process.cpuUsage of the gateway, over the run):
// on a shared VM whose neighbours steal time, that ratio moves far less from run to run than the throughput's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateDevKeys, mintToken } from '../src/auth/dev-keys.js';
import { approvalThroughput, startApprovalGateway } from './approvals.js';
import { Child, hammer, median, type Measured } from './harness.js';
import { sharedBenchSeed } from './bench-seed.js';
import type { InprocFigure } from './inproc.js';
import { queries, type BenchQuery } from './queries.js';

const quick = process.argv.includes('--quick');
// --quick must stay under a minute on the shared 2-core machine: shorter runs and warm-ups, no shield and audit-off
// gateways (their columns are not in the JSON line), the seed made once for all gateways.
// (--quick took 61-62 s with 0.5 s per measured run and 0.3 s warm-ups: trimmed to ~50 s.)
const seconds = quick ? 0.4 : 3;
const WARM_UP_SECONDS = quick ? 0.2 : 2;
/** --quick warms up by a number of requests (a list of 1000 rows answers 10 in a second, a chart 10 in 30 ms). */
const WARM_UP_REQUESTS = quick ? 20 : undefined;
const ROUNDS = quick ? 3 : 9;
const PATIENTS = 1000;

const stateDir = mkdtempSync(join(tmpdir(), 'clearance-bench-'));
const keys = await loadOrCreateDevKeys(stateDir);
const token = (roles: string[], extra: Record<string, unknown> = {}) =>
  mintToken(
    keys,
    { sub: `${roles[0]}-bench`, tenant: 'acme', roles, departments: ['cardiology', 'oncology', 'pediatrics', 'primary-care'], ...extra },
    { issuer: 'clearance-dev', audience: 'clearance' },
  );
const tokens = {
  clinician: await token(['clinician'], { grants: ['sensitive'] }),
  ops: await token(['ops-manager']),
  clinicalAdmin: await token(['clinical-admin'], { mfa: true }),
};

// Generous limits: the benchmark measures throughput, not the rate limiter or the query-cost guard.
const env = {
  CLEARANCE_STATE_DIR: stateDir, MAX_PAGE_SIZE: '1000', PORT: '0', LOG_LEVEL: 'warn', MAX_COST: '1000000',
  RATE_LIMIT_PER_PRINCIPAL: '0', RATE_LIMIT_PER_TENANT: '0', RATE_LIMIT_MUTATIONS_PER_PRINCIPAL: '0',
};

/** `rounds`: the two sides of the ratio get the median of several interleaved rounds; the others one run each. */
// `unguarded` is the shipped gateway without its permission layer: no guard, no PHI-read audit, metrics on as shipped,
// so guarded/unguarded is what permissions cost; what metrics and tracing cost is its own ratio (below).
// `apollo-default`: the same schema and resolvers in a default-configured Apollo Server 5 (startStandaloneServer, no
// tuning, no permission layer): what a team would build by hand. `guarded-dark` has no metrics (and no tracing);
// `guarded-traced` has metrics and exports every span over OTLP/HTTP: their ratio is what observability costs.
// `guarded` ships as the default: metrics on, tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT), operations compiled by
// graphql-jit; `guarded-graphql-js` is the same with EXECUTION_ENGINE=graphql-js (what compiled execution gains).
const VARIANTS = [
  { name: 'unguarded', engine: 'none', audit: 'off', obs: 'on', rounds: ROUNDS },
  { name: 'guarded', engine: 'fast', audit: 'on', obs: 'on', rounds: ROUNDS },
  { name: 'guarded-audit-off', engine: 'fast', audit: 'off', obs: 'on', rounds: quick ? 0 : 3 },
  { name: 'shield', engine: 'shield', audit: 'on', obs: 'on', rounds: quick ? 0 : 3 },
  { name: 'apollo-default', engine: 'apollo', audit: 'off', obs: 'off', rounds: quick ? 1 : 3 },
  { name: 'guarded-dark', engine: 'fast', audit: 'on', obs: 'off', rounds: quick ? 1 : 3 },
  { name: 'guarded-traced', engine: 'fast', audit: 'on', obs: 'tracing', rounds: quick ? 1 : 3 },
  // Not in --quick (its column is not in the JSON line): the minute goes to the in-process CPU ratio instead.
  { name: 'guarded-graphql-js', engine: 'fast', audit: 'on', obs: 'on', rounds: quick ? 0 : 3, execution: 'graphql-js' },
] as const;
type Variant = (typeof VARIANTS)[number]['name'];
/** The variants this run starts (a variant with 0 rounds is left out). */
const RUNNING = VARIANTS.filter((v) => v.rounds > 0);

const started = performance.now();
const phase = (what: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${what}\n`);
await sharedBenchSeed(stateDir, PATIENTS);
const hasRedis = spawnSync('which', ['redis-server']).status === 0;
const approvalGateway = hasRedis ? startApprovalGateway(env, stateDir) : null;
// The in-process CPU ratio's process (bench/inproc.ts) starts beside the gateways and measures once they are done.
const inprocArgs = [String(PATIENTS), quick ? '0.1' : '1', quick ? '3' : '6'];
const inprocStarting = Child.start('bench/inproc.ts', inprocArgs, { ...env, INPROC_WAIT: '1' })
  .then(async (c) => (await c.nextJson(), c));
const gateways = new Map<Variant, { child: Child; url: string }>(
  await Promise.all(
    RUNNING.map(async (v) => {
      const execution = 'execution' in v ? v.execution : 'jit';
      const child = await Child.start('bench/serve-gateway.ts', [v.engine, v.audit, String(PATIENTS), v.obs, execution], env);
      return [v.name, { child, url: ((await child.nextJson()) as { url: string }).url }] as const;
    }),
  ),
);
const inprocChild = await inprocStarting;
phase('gateways started');
// The shipped gateway's memory before anything ran, against the end of the run (the embedded store keeps a bounded
// window of audit records: RSS must not grow with the number of requests).
await new Promise((resolve) => setTimeout(resolve, 600));
const startRss = gateways.get('guarded')!.child.lastRss;
const post = (url: string, auth: string, body: string) =>
  fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` }, body });
const first = (await (
  await post(gateways.get('guarded')!.url, tokens.clinician, JSON.stringify({ query: '{ patients(first: 1) { edges { node { id } } } }' }))
).json()) as {
  data: { patients: { edges: { node: { id: string } }[] } };
};
const QUERIES = queries(first.data.patients.edges[0]!.node.id);
const runsOn = (q: BenchQuery, v: Variant) => gateways.has(v) && (!q.mutation || v === 'guarded' || v === 'unguarded');

// Warm-up: every gateway sees every query before any figure is taken (JIT, caches, the seed's first page).
for (const q of QUERIES) {
  for (const v of RUNNING) {
    const url = `${gateways.get(v.name)!.url}/graphql`;
    if (runsOn(q, v.name)) await hammer(url, tokens[q.as], q.body, WARM_UP_SECONDS, false, 10, WARM_UP_REQUESTS);
  }
}

phase('warmed up');
// FHIR searches per query, on the guarded gateway, one request alone.
const fhirRequests: Record<string, number> = {};
const guarded = gateways.get('guarded')!;
for (const q of QUERIES) {
  guarded.child.send('count');
  const before = ((await guarded.child.nextJson()) as { requests: number }).requests;
  await (await post(guarded.url, tokens[q.as], q.body.replace('[<id>]', 'probe'))).text();
  guarded.child.send('count');
  fhirRequests[q.name] = ((await guarded.child.nextJson()) as { requests: number }).requests - before;
}

type Run = Measured & { cpuMsPerRequest: number };
const cpuOf = async (child: Child) => {
  child.send('cpu');
  return ((await child.nextJson()) as { cpuMs: number }).cpuMs;
};
const runs: Record<string, Partial<Record<Variant, Run[]>>> = {};
for (const q of QUERIES) {
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate the order each round, so neither side always runs right after the other's garbage.
    const order = round % 2 === 0 ? RUNNING : [...RUNNING].reverse();
    for (const v of order) {
      if (!runsOn(q, v.name) || round >= v.rounds) continue;
      const g = gateways.get(v.name)!;
      const before = await cpuOf(g.child);
      const hammered = await hammer(`${g.url}/graphql`, tokens[q.as], q.body, seconds);
      const m: Run = { ...hammered, cpuMsPerRequest: ((await cpuOf(g.child)) - before) / Math.max(1, hammered.requests) };
      ((runs[q.name] ??= {})[v.name] ??= []).push(m);
      process.stderr.write(
        `${v.name.padEnd(18)} ${q.name.padEnd(24)} round ${round + 1}  ${m.rps.toFixed(0).padStart(6)} req/s  p99 ${m.p99Ms} ms  non-2xx ` +
        `${m.errors}\n`,
      );
    }
  }
}
// The latency one user sees at 100 rows (the issue's p99 goal): one connection, no queueing behind nine others.
const list100 = QUERIES.find((q) => q.name === 'list-100')!;
const latency100 = await hammer(`${guarded.url}/graphql`, tokens[list100.as], list100.body, quick ? 1 : 5, false, 1);
phase('measured');
const loadEnded = performance.now();
// RSS right after the load: V8 keeps the old space it grew to under ten concurrent 1000-row answers until it sees the
// process idle (its memory reducer then collects and returns the pages, 25-40 s later on this machine). The end of
// the bench is read once the machine has been quiet for QUIET_MS after the approvals and in-process phases: those run
// in other processes but keep both cores busy, and a gateway read right after them (as until now) had never been let
// idle: 724 MB at the end of one run, where the same gateway alone went from 472 MB after the load to 211 MB after
// 40 s of quiet. What it still holds then is what it keeps, and a leak would be in it.
const afterLoadRss = gateways.get('guarded')!.child.lastRss;
const QUIET_MS = quick ? 0 : 60_000;
const peakRss: Record<string, number> = {};
for (const [name, g] of gateways) {
  peakRss[name] = g.child.peakRss;
  if (name !== 'guarded') await g.child.stop();
}

/** The median of a side's rounds (each figure its own median). */
const figure = (name: string, v: Variant): Run | null => {
  const ms = runs[name]?.[v];
  if (!ms?.length) return null;
  const med = (f: (m: Run) => number) => median(ms.map(f));
  return {
    requests: ms.reduce((s, m) => s + m.requests, 0),
    rps: med((m) => m.rps),
    p50Ms: med((m) => m.p50Ms),
    p99Ms: med((m) => m.p99Ms),
    cpuMsPerRequest: med((m) => m.cpuMsPerRequest),
    errors: ms.reduce((s, m) => s + m.errors, 0),
  };
};

const approvals = approvalGateway ? await approvalThroughput(env, stateDir, quick ? 1 : 10, await approvalGateway) : null;

phase('approvals measured');
// Guarded and unguarded in one process, CPU time per operation over interleaved rounds (bench/inproc.ts): the ratio
// the neighbours on a shared VM cannot distort, since stolen time slows both sides' clocks but not their CPU time.
inprocChild.send('go');
const inproc = new Map(((await inprocChild.nextJson()) as { inproc: InprocFigure[] }).inproc.map((f) => [f.name, f]));
await inprocChild.stop();
phase('in-process CPU measured');
const quietFrom = performance.now();
await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
// Two samples 500 ms apart have been taken since (the child samples every 500 ms): the newest is the end.
await new Promise((resolve) => setTimeout(resolve, 1_100));
const endRss = gateways.get('guarded')!.child.lastRss;
const idleSeconds = Math.round((performance.now() - loadEnded) / 1000);
const quietSeconds = Math.round((performance.now() - quietFrom) / 1000);
await gateways.get('guarded')!.child.stop();
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : null);
/** The median over rounds of a/b (guarded/unguarded by default), each round's runs taken together. */
const pairedRatio = (name: string, of: (r: Run) => number, a: Variant = 'guarded', b: Variant = 'unguarded') => {
  const as = runs[name]?.[a] ?? [];
  const bs = runs[name]?.[b] ?? [];
  const n = Math.min(as.length, bs.length);
  return n === 0 ? null : ratio(median(as.slice(0, n).map((r, i) => of(r) / of(bs[i]!))), 1);
};
console.log(
  `\nClearance benchmark: ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ` +
  `${process.version}, ${PATIENTS} patients, 10 connections, ${seconds} s per run, guarded and unguarded in ${ROUNDS} interleaved rounds ` +
  `(ratios: median of the rounds' ratios)`,
);
console.log(
  'query                   unguarded rps  guarded rps  ratio  shield rps  audit-off rps  audit cost  apollo rps  vs apollo  obs cost  ' +
  'guarded p50/p99 ms  CPU ms/req u/g  CPU ratio  in-process  FHIR req  non-2xx',
);
const rows = QUERIES.map((q) => {
  const g = figure(q.name, 'guarded')!;
  const u = figure(q.name, 'unguarded')!;
  const s = figure(q.name, 'shield');
  const off = figure(q.name, 'guarded-audit-off');
  const apollo = figure(q.name, 'apollo-default');
  const vsApollo = apollo ? pairedRatio(q.name, (r) => r.rps, 'guarded', 'apollo-default') : null;
  const traced = pairedRatio(q.name, (r) => r.rps, 'guarded-traced', 'guarded-dark');
  const obsCost = traced === null ? null : Math.round((1 - traced) * 100);
  console.log(
    [
      q.name.padEnd(24),
      u.rps.toFixed(0).padStart(13),
      g.rps.toFixed(0).padStart(13),
      String(pairedRatio(q.name, (r) => r.rps)).padStart(7),
      (s ? s.rps.toFixed(0) : '-').padStart(12),
      (off ? off.rps.toFixed(0) : '-').padStart(15),
      (off ? `${Math.round((1 - pairedRatio(q.name, (r) => r.rps, 'guarded', 'guarded-audit-off')!) * 100)}%` : '-').padStart(12),
      (apollo ? apollo.rps.toFixed(0) : '-').padStart(12),
      String(vsApollo ?? '-').padStart(11),
      (obsCost === null ? '-' : `${obsCost}%`).padStart(10),
      `${g.p50Ms}/${g.p99Ms}`.padStart(20),
      `${u.cpuMsPerRequest.toFixed(2)}/${g.cpuMsPerRequest.toFixed(2)}`.padStart(16),
      String(pairedRatio(q.name, (r) => 1 / r.cpuMsPerRequest)).padStart(11),
      String(inproc.get(q.name)?.ratio ?? '-').padStart(12),
      String(fhirRequests[q.name] ?? '-').padStart(10),
      String(g.errors + u.errors).padStart(9),
    ].join(''),
  );
  return {
    name: q.name,
    guardedRps: Math.round(g.rps),
    unguardedRps: Math.round(u.rps),
    ratio: pairedRatio(q.name, (r) => r.rps),
    p99Ms: g.p99Ms,
    fhirRequests: fhirRequests[q.name] ?? null,
    cpuRatio: pairedRatio(q.name, (r) => 1 / r.cpuMsPerRequest),
    inprocRatio: inproc.get(q.name)?.ratio ?? null,
    apolloRps: apollo ? Math.round(apollo.rps) : null,
    vsApollo,
    observedRatio: traced,
  };
});
console.log(`peak gateway RSS (MB): ${Object.entries(peakRss).map(([k, v]) => `${k} ${Math.round(v / 2 ** 20)}`).join(', ')}`);
console.log(
  approvals
    ? `governed changes applied per second on Redis: ${approvals.perSecond.toFixed(0)} (${approvals.applied} applied, exactly once: ` +
      `${approvals.exactlyOnce})`
    : 'approvals: skipped (no redis-server on this machine)',
);
const rssGrowth = startRss > 0 ? Math.round((endRss / startRss) * 100) / 100 : null;
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
console.log(
  `guarded gateway RSS (MB): ${mb(startRss)} at start, ${mb(afterLoadRss)} right after the load, ${mb(endRss)} at the end ` +
  `(idle ${idleSeconds} s, the machine quiet for the last ${quietSeconds} s; x${rssGrowth})`,
);
console.log(`guarded list-100 over 1 connection: p50 ${latency100.p50Ms} ms, p99 ${latency100.p99Ms} ms (${latency100.requests} requests)`);
console.log(
  JSON.stringify({
    queries: rows,
    approvalsPerSecond: approvals ? Math.round(approvals.perSecond) : null,
    rss: { startMb: mb(startRss), afterLoadMb: mb(afterLoadRss), endMb: mb(endRss), idleSeconds, quietSeconds, growth: rssGrowth },
    latency100: { connections: 1, p50Ms: latency100.p50Ms, p99Ms: latency100.p99Ms },
  }),
);
