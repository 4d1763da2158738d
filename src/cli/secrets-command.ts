import { parseConfig } from '../config/config.js';
import { ENVIRONMENTS } from '../governance/environment.js';
import { newKekText } from '../services/connectors/key-encryption.js';
import { loadKms } from '../services/connectors/load-kms.js';
import { ConnectorSecretStore } from '../services/connectors/secret-store.js';
import { createStores } from '../stores/create-store.js';
import { UsageError } from '../errors/usage-error.js';
import { commandUsage, EXIT_OK, EXIT_USAGE, type CliCommand } from './cli-command.js';
import { parseCommandArgs } from './parse-command-args.js';

// `clearance secrets new-kek --id ID` prints a new key encryption key; `clearance secrets rewrap` re-wraps the data
// key of every connector secret of every tenant to the current KEK (src/services/connectors/key-encryption.ts).
// Rotation without downtime: deploy with SECRETS_KEK=<new> and SECRETS_KEK_PREVIOUS=<old> (every replica then
// writes under the new key and still reads the old), run rewrap, then drop SECRETS_KEK_PREVIOUS. Secrets are
// never printed.

const USAGE = commandUsage({
  synopsis: [
    'secrets new-kek --id ID',
    'secrets rewrap',
  ],
  about: `new-kek   prints a new KEK as ID:BASE64 for SECRETS_KEK (or a line of SECRETS_KEK_FILE). Keep it in your secret
          manager; it is shown once.
rewrap    re-wraps every connector secret in Redis (REDIS_URL) to the current KEK (SECRETS_KEK or the first line of
          SECRETS_KEK_FILE), unwrapping with any key in SECRETS_KEK_PREVIOUS. Safe to run while gateways serve.`,
});

export const secretsCommand: CliCommand = {
  name: 'secrets',
  summary: 'connector secret keys: print a new KEK, re-wrap every secret to the current KEK',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'new-kek') {
      const { id } = parseCommandArgs(rest, { id: { type: 'string' } });
      if (!id) throw new UsageError('--id is required');
      try {
        io.stdout(`${newKekText(id)}\n`);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      return EXIT_OK;
    }
    if (sub !== 'rewrap') throw new UsageError('expected new-kek or rewrap');
    parseCommandArgs(rest, {});
    const config = parseConfig(io.env, []);
    if (!config.redisUrl) {
      io.stderr('clearance secrets rewrap: REDIS_URL is not set (the embedded default keeps secrets in the gateway\'s memory).\n');
      return EXIT_USAGE;
    }
    const kms = await loadKms(config.secrets, config.stateDir);
    const stores = await createStores(config.redisUrl);
    const store = stores.governance;
    try {
      const secrets = new ConnectorSecretStore(store, kms, () => Date.now());
      let total = 0;
      for (const tenant of await store.tenants()) total += await secrets.rewrapAll(tenant, ENVIRONMENTS);
      io.stdout(`re-wrapped ${total} connector secrets to KEK ${kms.currentKeyId}\n`);
      return EXIT_OK;
    } finally {
      await stores.close();
    }
  },
};
