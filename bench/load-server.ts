import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parseConfig } from '../src/config/config.js';
import { createLogger } from '../src/server/logger.js';
import { startClearance } from '../src/server/start-clearance.js';

// The gateway process of `npm run load` (bench/load.ts): the real start path with the environment it is given
// (embedded FHIR server, Redis store and rate limiter), request logs written to a file as in production.
// Prints one JSON line with its URL and state dir, then serves until SIGTERM (graceful shutdown).

const stateDir = mkdtempSync(join(tmpdir(), 'clearance-load-'));
const config = parseConfig({ ...process.env, PORT: '0', CLEARANCE_STATE_DIR: stateDir }, []);
const logFile = join(stateDir, 'requests.log');
const logger = createLogger(config.logLevel, pino.destination({ dest: logFile, sync: false }));
const running = await startClearance(config, { logger });
process.stdout.write(`${JSON.stringify({ url: running.url, stateDir, logFile, pid: process.pid })}\n`);
process.once('SIGTERM', () => {
  running.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
