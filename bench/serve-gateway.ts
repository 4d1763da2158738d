// Child process of the benchmark: one gateway over the benchmark's patients, held in process by the real EHR reader
// with an in-memory FHIR transport (the benchmark measures the gateway, not a FHIR server). argv: engine
// (fast | shield | none), audit (on | off), patients. Prints its URL as one JSON line; answers a line on stdin with
// the number of FHIR searches the reader has sent so far and the CPU time the process has used.
import { createMemoryEhrConnector } from '../connectors/ehr/memory-ehr-connector.js';
import { parseConfig } from '../src/config/config.js';
import { createLogger } from '../src/server/logger.js';
import { startClearance } from '../src/server/start-clearance.js';
import { benchSeed } from './bench-seed.js';

const engine = (process.argv[2] ?? 'fast') as 'fast' | 'shield' | 'none';
const audit = process.argv[3] !== 'off';
const patients = Number(process.argv[4] ?? 1000);
let searches = 0;
const ehr = createMemoryEhrConnector(await benchSeed(patients), { timeoutMs: 5_000, onRequest: () => void searches++ });
const config = parseConfig(process.env, []);
const running = await startClearance(config, { logger: createLogger('warn'), permissionEngine: engine, phiAudit: audit, ehr });
process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
process.stdin.on('data', () => {
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ requests: searches, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
});
setInterval(() => process.stdout.write(`${JSON.stringify({ rss: process.memoryUsage().rss })}\n`), 500).unref();
process.on('SIGTERM', () => void running.stop().then(() => process.exit(0)));
