import { printSchema } from 'graphql';
import { buildUnguardedSchema } from '../server/build-schema.js';
import { UsageError } from '../errors/usage-error.js';
import { commandUsage, EXIT_OK, type CliCommand } from './cli-command.js';
import { parseCommandArgs } from './parse-command-args.js';

// `clearance schema print`: the SDL as the gateway serves it (the same printSchema of the same schema as
// GET /graphql/schema.graphql), for codegen, IDEs and `clearance operations check` in a frontend's CI.

const USAGE = commandUsage({
  synopsis: [
    'schema print',
  ],
  about: `print     writes the gateway's schema (SDL) to stdout: the types and fields a client can select.`,
});

/** The SDL of the served schema: permissions guard fields at run time, they do not change the types. */
function schemaSdl(): string {
  return `${printSchema(buildUnguardedSchema())}\n`;
}

export const schemaCommand: CliCommand = {
  name: 'schema',
  summary: 'print the GraphQL schema (SDL) as the gateway serves it',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      io.stdout(`${USAGE}\n`);
      return sub === undefined ? 2 : EXIT_OK;
    }
    if (sub !== 'print') throw new UsageError(`unknown subcommand "${sub}"`);
    parseCommandArgs(rest, {});
    io.stdout(schemaSdl());
    return EXIT_OK;
  },
};
