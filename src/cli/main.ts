import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ParseError } from '../errors/parse-error.js';
import { UsageError } from '../errors/usage-error.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo } from './cli-command.js';
import { COMMANDS } from './commands.js';

// `clearance <command> [args]`: dispatches to the commands in commands.ts. Run through bin/clearance.mjs
// (`npx clearance ...`) or `npm run clearance -- ...`. This file and the commands are the only CLI code allowed to
// touch process.env, and only here: commands get it through CliIo.

function overview(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: clearance <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run "clearance <command> --help" for a command\'s options.',
  ].join('\n');
}

export async function runCli(
  argv: readonly string[],
  io: CliIo,
  commands: readonly CliCommand[] = COMMANDS,
): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    io.stderr(`${overview(commands)}\n`);
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${overview(commands)}\n`);
    return EXIT_OK;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`clearance: unknown command "${name}"\n\n${overview(commands)}\n`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`clearance ${command.name}: ${error.message}\n\n${command.usage}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof ParseError) {
      io.stderr(`clearance ${command.name}: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    io.stderr(`clearance ${command.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
}

/** The real process: argv, env and stdio. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  process.exitCode = await runCli(argv, {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}

/** True when this file is the process entry point (`tsx src/cli/main.ts`), not an import (bin, tests). */
function isEntryPoint(): boolean {
  try {
    const entry = process.argv[1];
    return entry !== undefined && realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) await main();
