import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors/usage-error.js';

// node:util parseArgs in strict mode (unknown options and stray positionals are errors), with its errors turned into
// UsageError so every subcommand reports bad arguments the same way.
type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<const O extends Options>(args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
