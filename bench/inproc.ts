// The guarded and the unguarded gateway in ONE process, each over the full request path (node:http, Apollo's
// pipeline and plugins, context, execution, PHI-read audit), driven in interleaved rounds over loopback by a raw
// keep-alive client whose requests are bytes built once. What is compared is the process's CPU time per operation
// on each side: a neighbour on the VM that steals time slows both sides' wall clock, not their CPU time, and the
// rounds alternate so a slow moment falls on both. The client's own cost (a socket write, a read) is in both sides'
// figures alike, and small beside a request's.
// argv: patients, seconds per side and round, rounds, and for profiling (node --cpu-prof) a query name to run alone
// and a side to run alone (`guarded` | `unguarded`: the other side is started but sent nothing). Prints one answer
// line (harness ANSWER) with, per query, the CPU ms per operation of each side and `ratio` = unguarded CPU / guarded
// CPU (1 = the guard costs nothing), the median of the rounds' own ratios. Run alone: `npx tsx bench/inproc.ts` (prints a table too).
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryEhrConnector } from '../connectors/ehr/memory-ehr-connector.js';
import { loadOrCreateDevKeys, mintToken } from '../src/auth/dev-keys.js';
import { parseConfig } from '../src/config/config.js';
import { createLogger } from '../src/server/logger.js';
import { startClearance, type RunningClearance } from '../src/server/start-clearance.js';
import { sharedBenchSeed } from './bench-seed.js';
import { answer, median } from './harness.js';
import { queries } from './queries.js';

const patients = Number(process.argv[2] ?? 1000);
const seconds = Number(process.argv[3] ?? 0.3);
const rounds = Number(process.argv[4] ?? 4);
const onlyQuery = process.argv[5] || null;
const onlySide = process.argv[6] || null;
/** Requests in flight per side: enough to overlap the in-memory FHIR reads' promises, few enough to stay in order. */
const CONNECTIONS = 2;

const stateDir = process.env.CLEARANCE_STATE_DIR ?? mkdtempSync(join(tmpdir(), 'clearance-inproc-'));
const env: Record<string, string | undefined> = {
  ...process.env,
  CLEARANCE_STATE_DIR: stateDir,
  MAX_PAGE_SIZE: '1000',
  PORT: '0',
  LOG_LEVEL: 'warn',
  MAX_COST: '1000000',
  RATE_LIMIT_PER_PRINCIPAL: '0',
  RATE_LIMIT_PER_TENANT: '0',
  RATE_LIMIT_MUTATIONS_PER_PRINCIPAL: '0',
};
const keys = await loadOrCreateDevKeys(stateDir);
const departments = ['cardiology', 'oncology', 'pediatrics', 'primary-care'];
const token = (roles: string[], extra: Record<string, unknown> = {}) =>
  mintToken(
    keys,
    { sub: `${roles[0]}-bench`, tenant: 'acme', roles, departments, ...extra },
    { issuer: 'clearance-dev', audience: 'clearance' },
  );
const tokens = {
  clinician: await token(['clinician'], { grants: ['sensitive'] }),
  ops: await token(['ops-manager']),
  clinicalAdmin: await token(['clinical-admin'], { mfa: true }),
};
const seed = await sharedBenchSeed(stateDir, patients);

const start = (guarded: boolean): Promise<RunningClearance> =>
  startClearance(parseConfig(env, []), {
    logger: createLogger('warn'),
    permissionEngine: guarded ? 'fast' : 'none',
    phiAudit: guarded,
    // Metrics on both sides, as shipped: the ratio is what the permission layer (guard and PHI-read audit) costs.
    metrics: true,
    ehr: createMemoryEhrConnector(seed, { timeoutMs: 5_000 }),
  });
const sides = { unguarded: await start(false), guarded: await start(true) };

/** One keep-alive connection sending a request and reading its whole answer (Content-Length or chunked). */
class RawClient {
  private buffered: Buffer = Buffer.alloc(0);
  private done: ((answer: string) => void) | null = null;
  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
      const answered = this.complete();
      if (answered !== null && this.done) {
        const d = this.done;
        this.done = null;
        d(answered);
      }
    });
  }

  static open(url: string): Promise<RawClient> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** The response's body once it is complete (the buffer then emptied), else null. */
  private complete(): string | null {
    const end = this.buffered.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const head = this.buffered.subarray(0, end).toString('latin1').toLowerCase();
    const length = /content-length: *(\d+)/.exec(head);
    if (length) {
      const total = end + 4 + Number(length[1]);
      if (this.buffered.length < total) return null;
      const body = this.buffered.subarray(end + 4, total).toString('utf8');
      this.buffered = this.buffered.subarray(total);
      return head.startsWith('http/1.1 200') ? body : `HTTP ${head.slice(9, 12)} ${body}`;
    }
    const last = this.buffered.indexOf('\r\n0\r\n\r\n', end);
    if (last < 0) return null;
    const body = this.buffered.subarray(end + 4, last).toString('utf8');
    this.buffered = this.buffered.subarray(last + 7);
    return head.startsWith('http/1.1 200') ? body : `HTTP ${head.slice(9, 12)} ${body}`;
  }

  send(request: Buffer): Promise<string> {
    return new Promise((resolve) => {
      this.done = resolve;
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

const requestBytes = (auth: string, body: string) =>
  Buffer.from(
    `POST /graphql HTTP/1.1\r\nhost: bench\r\ncontent-type: application/json\r\nauthorization: Bearer ${auth}\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );

// Under the benchmark (bench/run.ts), started with the other gateways and told to go on a line on stdin once they
// are done: its start-up overlaps theirs, and its measurement runs alone. The
// connections open after the go (an idle keep-alive connection is closed by the server after 5 s).
if (process.env.INPROC_WAIT) {
  answer({ ready: true });
  await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()));
}
type Side = keyof typeof sides;
const clients = Object.fromEntries(
  await Promise.all(
    (Object.keys(sides) as Side[]).map(
      async (s) => [s, await Promise.all(Array.from({ length: CONNECTIONS }, () => RawClient.open(sides[s].url)))] as const,
    ),
  ),
) as Record<Side, RawClient[]>;

const firstPatient = JSON.parse(
  await clients.guarded[0]!.send(
    requestBytes(tokens.clinician, JSON.stringify({ query: '{ patients(first: 1) { edges { node { id } } } }' })),
  ),
) as { data: { patients: { edges: { node: { id: string } }[] } } };
const QUERIES = queries(firstPatient.data.patients.edges[0]!.node.id);
let unique = 0;
/** A mutation's value must change on every request (a change to the same value is refused as NO_CHANGE). */
const bytesOf = (q: (typeof QUERIES)[number]) =>
  q.mutation
    ? () => requestBytes(tokens[q.as], q.body.replace('[<id>]', `inproc-${unique++}`))
    : (
        (b: Buffer) => () =>
          b
      )(requestBytes(tokens[q.as], q.body));

/** Requests on every connection of a side until `ms` have passed; CPU ms per request over the batch. */
async function batch(side: Side, next: () => Buffer, ms: number): Promise<{ cpuMs: number; requests: number; failed: string | null }> {
  if (onlySide && side !== onlySide) return { cpuMs: 1, requests: 0, failed: null };
  let requests = 0;
  let failed: string | null = null;
  const until = performance.now() + ms;
  const cpu = process.cpuUsage();
  await Promise.all(
    clients[side].map(async (c) => {
      while (performance.now() < until) {
        const got = await c.send(next());
        requests++;
        if (failed === null && (got.startsWith('HTTP ') || got.includes('"errors"'))) failed = got.slice(0, 300);
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000 / Math.max(1, requests), requests, failed };
}

export interface InprocFigure {
  readonly name: string;
  readonly unguardedCpuMs: number;
  readonly guardedCpuMs: number;
  readonly ratio: number;
  readonly failed: string | null;
}
const figures: InprocFigure[] = [];
for (const q of QUERIES) {
  if (onlyQuery && q.name !== onlyQuery) continue;
  const next = bytesOf(q);
  // Warm-up: both sides' JIT, compiled-query cache and caches see the query first.
  for (const s of ['unguarded', 'guarded'] as const) await batch(s, next, Math.max(100, seconds * 1000));
  const per: Record<Side, number[]> = { unguarded: [], guarded: [] };
  const ratios: number[] = [];
  let failed: string | null = null;
  for (let r = 0; r < rounds; r++) {
    const order: Side[] = r % 2 === 0 ? ['unguarded', 'guarded'] : ['guarded', 'unguarded'];
    for (const s of order) {
      const b = await batch(s, next, seconds * 1000);
      per[s].push(b.cpuMs);
      failed ??= b.failed && `${s}: ${b.failed}`;
    }
    ratios.push(per.unguarded[r]! / per.guarded[r]!);
  }
  const round2 = (x: number) => Math.round(x * 100) / 100;
  figures.push({
    name: q.name,
    unguardedCpuMs: round2(median(per.unguarded)),
    guardedCpuMs: round2(median(per.guarded)),
    ratio: round2(median(ratios)),
    failed,
  });
}
for (const cs of Object.values(clients)) for (const c of cs) c.close();
await sides.guarded.stop();
await sides.unguarded.stop();
if (process.stdout.isTTY || process.env.INPROC_TABLE) {
  for (const f of figures) {
    process.stderr.write(
      `${f.name.padEnd(26)} CPU ms/op unguarded ${f.unguardedCpuMs.toFixed(2)}  guarded ${f.guardedCpuMs.toFixed(2)}` +
        `  ratio ${f.ratio}${f.failed ? `  FAILED ${f.failed}` : ''}\n`,
    );
  }
}
answer({ inproc: figures });
process.exit(0);
