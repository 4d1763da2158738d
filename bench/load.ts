import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { loadOrCreateDevKeys, mintToken } from '../src/auth/dev-keys.js';
import { RedisServer } from '../test/support/redis-server.js';

// `npm run load`: a bounded load test on loopback, not part of the test suite. The gateway runs in its own process
// (embedded FHIR server, Redis store and rate limiter, request logs to a file); autocannon sends a mix of reads
// and mutations from 40 principals. First 15 s unthrottled measure the capacity, then 60 s run at that rate.
// Fails (exit 1) on any 5xx or any INTERNAL error. Prints requests/s, latency percentiles and the gateway's RSS.
// Rate limits are raised for the run (the limiter still counts every request in Redis): the run measures capacity.

const CALIBRATE_S = Number(process.env.LOAD_CALIBRATE_S ?? 15);
const DURATION_S = Number(process.env.LOAD_DURATION_S ?? 60);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 32);
const PATIENT = '0ac13d55-d566-450a-aea0-f6a71f1ad73b';

const rssMb = (pid: number) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);

async function startGateway(redisUrl: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./load-server.ts', import.meta.url).pathname], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      REDIS_URL: redisUrl,
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_PRINCIPAL: '10000000',
      RATE_LIMIT_PER_TENANT: '100000000',
      RATE_LIMIT_MUTATIONS_PER_PRINCIPAL: '10000000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
  });
  return { child, ...(JSON.parse(line) as { url: string; stateDir: string; logFile: string; pid: number }) };
}

async function workload(stateDir: string) {
  const keys = await loadOrCreateDevKeys(stateDir);
  const opts = { issuer: 'clearance-dev', audience: 'clearance' };
  const clinicians = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      mintToken(keys, { sub: `load-clin-${i}`, tenant: 'acme', roles: ['clinician'], departments: ['cardiology'] }, opts),
    ),
  );
  const admins = await Promise.all(
    Array.from({ length: 5 }, (_, i) => mintToken(keys, { sub: `load-sec-${i}`, tenant: 'acme', roles: ['security-admin'] }, opts)),
  );
  const billers = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      mintToken(keys, { sub: `load-bill-${i}`, tenant: i % 2 ? 'acme' : 'globex', roles: ['billing-manager'], mfa: true }, opts),
    ),
  );
  const body = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
  const reads = [
    body('query Chart($id: ID!) { patient(id: $id) { name department conditions { display } allergies { substance } } }', { id: PATIENT }),
    body('query List { patients(first: 10) { edges { node { id name department } } } }'),
    body('query Me { me { sub tenant roles } }'),
    body('query Settings { settingHistory(key: "billing.reminderCadenceDays", environment: STAGING) { version } }'),
  ];
  let n = 0;
  const mutation = () => body('mutation Cadence($input: UpdateSettingInput!) { updateSetting(input: $input) { status version } }', {
    input: { key: 'billing.reminderCadenceDays', environment: 'STAGING', value: [7, 14, 31 + (n++ % 60)], reason: 'load test' },
  });
  // 4 in 5 requests read, 1 in 5 writes a governed (LOW, applied at once, audited) setting change.
  const requests: autocannon.Request[] = [
    ...reads
      .slice(0, 3)
      .map((b, i) => ({
        method: 'POST' as const,
        body: b,
        headers: { authorization: `Bearer ${clinicians[(n + i) % clinicians.length]}` },
      })),
    { method: 'POST', body: reads[3], headers: { authorization: `Bearer ${admins[n % admins.length]}` } },
    {
      method: 'POST',
      setupRequest: (req) => ({
        ...req,
        body: mutation(),
        headers: { ...req.headers, authorization: `Bearer ${billers[n % billers.length]}` },
      }),
    },
  ];
  return { requests, check: { token: billers[1]!, body: mutation() } };
}

async function run(url: string, requests: autocannon.Request[], seconds: number, overallRate?: number) {
  let internal = 0;
  let graphqlErrors = 0;
  const codes: Record<string, number> = {};
  const result = await autocannon({
    url: `${url}/graphql`,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    requests: requests.map((r) => ({ ...r, onResponse: (_status: number, b: string) => {
      if (!b.includes('"errors"')) return;
      graphqlErrors += 1;
      for (const [, code] of b.matchAll(/"code":"([A-Z_]+)"/g)) codes[code!] = (codes[code!] ?? 0) + 1;
      internal += b.includes('"INTERNAL"') ? 1 : 0;
      if (process.env.LOAD_DEBUG && graphqlErrors < 3) console.error(b.slice(0, 400));
    } })),
    ...(overallRate ? { overallRate } : {}),
  });
  return { result, internal, graphqlErrors, codes };
}

const redis = await RedisServer.start();
const gw = await startGateway(redis.url);
try {
  const { requests, check } = await workload(gw.stateDir);
  const probe = await fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${check.token}` },
    body: check.body,
  });
  const probeText = await probe.text();
  if (!probeText.includes('APPLIED')) throw new Error(`the mutation of the mix does not apply: ${probe.status} ${probeText.slice(0, 300)}`);
  await run(gw.url, requests, 5); // warm-up (JIT, connection pools, DataLoader caches are per request anyway)
  const calibration = await run(gw.url, requests, CALIBRATE_S);
  const capacity = Math.floor(calibration.result.requests.average);
  console.log(
    `capacity (unthrottled, ${CONNECTIONS} connections, ${CALIBRATE_S} s): ${capacity} req/s, p99 ${calibration.result.latency.p99} ms`,
  );
  const rssStart = rssMb(gw.pid);
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(rssMb(gw.pid)), 5_000);
  const main = await run(gw.url, requests, DURATION_S, capacity);
  clearInterval(sampler);
  const rssEnd = rssMb(gw.pid);
  const r = main.result;
  const summary = {
    durationS: DURATION_S,
    targetRate: capacity,
    requestsPerSec: Math.round(r.requests.average),
    totalRequests: r.requests.total,
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    status: { '2xx': r['2xx'], '4xx': r['4xx'], '5xx': r['5xx'], non2xx: r.non2xx },
    errors: r.errors,
    timeouts: r.timeouts,
    internalErrors: main.internal,
    responsesWithGraphqlErrors: main.graphqlErrors,
    errorCodes: main.codes,
    rssMb: { start: rssStart, end: rssEnd, max: Math.max(rssStart, rssEnd, ...samples), samples },
  };
  console.log(JSON.stringify(summary, null, 2));
  if (r['5xx'] > 0 || main.internal > 0 || r.errors > 0) process.exitCode = 1;
} finally {
  gw.child.kill('SIGTERM');
  await new Promise((resolve) => gw.child.once('exit', resolve));
  await redis.stop();
}
