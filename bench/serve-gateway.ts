// Child process of the benchmark: one gateway over the benchmark's patients, held in process by the real EHR reader
// with an in-memory FHIR transport (the benchmark measures the gateway, not a FHIR server). argv: engine
// (fast | shield | none | apollo), audit (on | off), patients, observability (on | off | tracing), execution engine
// (jit | graphql-js, EXECUTION_ENGINE; default the config's). Prints its URL as
// one JSON line; answers a line on stdin with the number of FHIR searches the reader has sent so far and the CPU
// time the process has used.
// `apollo`: the same schema and resolvers served the way a team would by hand: `new ApolloServer({ schema })` and
// `startStandaloneServer`, no tuning, no permission layer; its context is built as the gateway builds it.
// `tracing`: metrics on, and spans exported over OTLP/HTTP to a sink in this process (what tracing costs).
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createMemoryEhrConnector } from '../connectors/ehr/memory-ehr-connector.js';
import { parseConfig } from '../src/config/config.js';
import type { GatewayContext } from '../src/context/context.js';
import { buildUnguardedSchema } from '../src/server/build-schema.js';
import { createLogger } from '../src/server/logger.js';
import { startClearance } from '../src/server/start-clearance.js';
import { sharedBenchSeed } from './bench-seed.js';
import { answer, rssSample } from './harness.js';

const engine = (process.argv[2] ?? 'fast') as 'fast' | 'shield' | 'none' | 'apollo';
const audit = process.argv[3] !== 'off';
const patients = Number(process.argv[4] ?? 1000);
const observability = (process.argv[5] ?? 'on') as 'on' | 'off' | 'tracing';
const executionEngine = process.argv[6];
let searches = 0;
const seed = await sharedBenchSeed(process.env.CLEARANCE_STATE_DIR, patients);
const ehr = createMemoryEhrConnector(seed, { timeoutMs: 5_000, onRequest: () => void searches++ });
const env: Record<string, string | undefined> = { ...process.env, ...(executionEngine ? { EXECUTION_ENGINE: executionEngine } : {}) };
if (observability === 'tracing') {
  const sink = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  sink.unref();
  env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
}
const config = parseConfig(env, []);
const running = await startClearance(config, {
  logger: createLogger('warn'),
  permissionEngine: engine === 'apollo' ? 'none' : engine,
  phiAudit: audit && engine !== 'apollo',
  ehr,
  metrics: observability !== 'off' && engine !== 'apollo',
});
let url = running.url;
let apollo: ApolloServer<GatewayContext> | null = null;
if (engine === 'apollo') {
  apollo = new ApolloServer<GatewayContext>({ schema: buildUnguardedSchema() });
  const started = await startStandaloneServer(apollo, {
    listen: { port: 0, host: '127.0.0.1' },
    context: ({ req }) => running.contextFor(req.headers.authorization),
  });
  url = started.url.replace(/\/$/, '');
}
answer({ url });
// One answer per line asked (two asks can arrive in one chunk on a loaded machine).
createInterface({ input: process.stdin }).on('line', () => {
  const cpu = process.cpuUsage();
  answer({ requests: searches, cpuMs: (cpu.user + cpu.system) / 1000 });
});
setInterval(rssSample, 500).unref();
process.on('SIGTERM', () => void (apollo?.stop() ?? Promise.resolve()).then(() => running.stop()).then(() => process.exit(0)));
