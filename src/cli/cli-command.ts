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

/** A command's help text, in the one layout every `clearance <name> --help` shares. */
interface UsageSpec {
  /** What follows `clearance ` on the usage line; several forms get one line each under `Usage:`. */
  readonly synopsis: string | readonly string[];
  /** The paragraphs after the usage line, as written. */
  readonly about: string;
  /** Option rows `[flag, text]`, listed under `Options:` and followed by `-h, --help`; none: no Options section. */
  readonly options?: readonly (readonly [string, string])[];
  /** Paragraphs after the options (an example). */
  readonly footer?: string;
}

const HELP_OPTION = ['-h, --help', 'show this help'] as const;

/** `Usage: ...`, the about text, then the options in one aligned column (at least 19 wide). */
export function commandUsage(spec: UsageSpec): string {
  const usage =
    typeof spec.synopsis === 'string'
      ? `Usage: clearance ${spec.synopsis}`
      : ['Usage:', ...spec.synopsis.map((s) => `  clearance ${s}`)].join('\n');
  if (!spec.options) return `${usage}\n\n${spec.about}`;
  const rows = [...spec.options, HELP_OPTION];
  const width = Math.max(19, ...rows.map(([flag]) => flag.length + 3));
  const options = rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`).join('\n');
  return `${usage}\n\n${spec.about}\n\nOptions:\n${options}${spec.footer === undefined ? '' : `\n\n${spec.footer}`}`;
}
