// The contract every `clearance <subcommand>` implements. Adding a subcommand is one file exporting a CliCommand,
// plus its entry in commands.ts.

export interface CliIo {
  /** The environment the command reads config from (process.env in the real CLI, a plain object in tests). */
  readonly env: Record<string, string | undefined>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export interface CliCommand {
  readonly name: string;
  /** One line for `clearance --help`. */
  readonly summary: string;
  /** Full text for `clearance <name> --help`. */
  readonly usage: string;
  /** Resolves to the process exit code. Throws UsageError for bad arguments (exit 2). */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
