import { ParseError } from './errors/parse-error.js';
import { parseConfig } from './config/config.js';
import { createLogger } from './server/logger.js';
import { startClearance } from './server/start-clearance.js';

// Entry point: the only file of the server that reads process.env. `npm start` runs it.
async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env, process.argv.slice(2));
  } catch (e) {
    if (e instanceof ParseError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  const running = await startClearance(config, { logger });
  if (config.mode === 'embedded') {
    const inMemory = running.audit.storage === 'memory';
    // The CLI signs with the dev key of its own state directory: a token minted elsewhere is UNKNOWN_KEY here.
    const mint = `${config.stateDir === '.clearance' ? '' : `CLEARANCE_STATE_DIR=${config.stateDir} `}npx --no clearance token`;
    process.stdout.write(
      [
        '',
        `Clearance (embedded default) at ${running.url}/graphql`,
        `Approver console: ${running.url}/console/ (pick a role to sign in; dev tokens in embedded mode only)`,
        inMemory
          ? 'WARNING: embedded mode keeps state in memory (not durable) and signs tokens with a local dev key.'
          : 'WARNING: embedded mode signs tokens with a local dev key (state is in Redis: REDIS_URL).',
        ...(['127.0.0.1', 'localhost', '::1'].includes(config.host)
          ? []
          : [
            `WARNING: HOST=${config.host} puts this embedded gateway on the network. The console's dev tokens are minted for`,
            '  loopback clients only; anyone who can read the dev key in the state directory can sign any role.',
            '  For a shared gateway use production mode (NODE_ENV=production, your identity provider).',
          ]),
        ...(inMemory
          ? [
            `Audit log: in memory, no archive, the newest ${running.audit.window ?? 'all'} records per tenant kept (older ones dropped;`,
            '  production: REDIS_URL keeps every record, AUDIT_ARCHIVE_URL moves old ones to PostgreSQL).',
          ]
          : [`Audit log: ${running.audit.storage}, every record kept.`]),
        `Embedded FHIR R4 server with Synthea sample patients: tenants acme and globex at ` +
        `${running.fhir?.baseUrl('acme').replace(/\/acme$/, '/<tenant>')}`,
        'Mint a token (in another terminal):',
        `  ${mint} --role clinician --tenant acme --dept cardiology`,
        'Then:',
        `  curl -s ${running.url}/graphql -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
        `    -d '{"query":"{ me { sub roles permissions { dataClass scope } } }"}'`,
        '',
      ].join('\n'),
    );
  } else {
    logger.info({ url: running.url }, 'clearance started');
  }
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`clearance failed to start: ${(e as Error)?.message ?? String(e)}\n`);
  process.exit(1);
});
