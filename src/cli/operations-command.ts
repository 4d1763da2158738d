import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildUnguardedSchema } from '../server/build-schema.js';
import { UsageError } from '../errors/usage-error.js';
import { commandUsage, EXIT_FAILURE, EXIT_OK, type CliCommand } from './cli-command.js';
import { expandGlob } from './file-glob.js';
import { checkOperations, formatReport, type OperationFile } from './operations-report.js';
import { loadPolicy } from './policy-command.js';
import { parseArgs } from 'node:util';

// `clearance operations check 'src/**/*.graphql' [--role R]... [--json]`: a frontend team's CI step. Exit 1 when a
// document does not parse or validate against the schema (or, with --fail-on-deny, when a listed role would be
// denied a selected field); the report says per operation and role which fields the policy denies and why.

const USAGE = commandUsage({
  synopsis: [
    'operations check <pattern>... [--role ROLE]... [--dept DEPT]... [--json] [--fail-on-deny] [--policy POLICY.json]',
  ],
  about: `check     parses and validates every operation in the files matching the patterns (quote them: 'src/**/*.graphql')
          against the gateway's schema, then reports for each operation and each role (default: every role of the
          policy) the selected fields that role would be denied, with the rule and how to get access (the same
          answer as the explainField query). Row-scoped fields (department) are listed as "per row".
          Exit 1 on a parse or validation error, or with --fail-on-deny on any denied field; 2 on bad arguments.`,
});

export const operationsCommand: CliCommand = {
  name: 'operations',
  summary: "check a frontend's GraphQL operations against the schema and each role's permissions",
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      io.stdout(`${USAGE}\n`);
      return sub === undefined ? 2 : EXIT_OK;
    }
    if (sub !== 'check') throw new UsageError(`unknown subcommand "${sub}"`);
    let parsed;
    try {
      parsed = parseArgs({
        args: [...rest],
        strict: true,
        allowPositionals: true,
        options: {
          role: { type: 'string', multiple: true }, dept: { type: 'string', multiple: true }, json: { type: 'boolean' },
          'fail-on-deny': { type: 'boolean' }, policy: { type: 'string' }, cwd: { type: 'string' },
        },
      });
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
    const { values, positionals } = parsed;
    if (positionals.length === 0) throw new UsageError('name the operation files, e.g. \'src/**/*.graphql\'');
    const policy = loadPolicy(values.policy);
    const roles = values.role ?? Object.keys(policy.roles);
    const unknown = roles.filter((r) => !(r in policy.roles));
    if (unknown.length)
      throw new UsageError(`unknown role(s) ${unknown.join(', ')} (policy ${policy.version} has ${Object.keys(policy.roles).join(', ')})`);
    const cwd = resolve(values.cwd ?? process.cwd());
    const names = [...new Set((await Promise.all(positionals.map((p) => expandGlob(p, cwd)))).flat())];
    if (names.length === 0) {
      io.stderr(`clearance operations: no file matches ${positionals.join(' ')}\n`);
      return EXIT_FAILURE;
    }
    const files: OperationFile[] = [];
    for (const name of names) {
      const body = await readFile(resolve(cwd, name), 'utf8').catch(() => null);
      if (body === null) {
        io.stderr(`clearance operations: cannot read ${name}\n`);
        return EXIT_FAILURE;
      }
      files.push({ name, body });
    }
    const report = checkOperations(files, {
      schema: buildUnguardedSchema(),
      policy,
      roles,
      departments: values.dept ?? [],
      at: new Date().toISOString(),
    });
    io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    const denied = report.operations.some((o) => o.roles.some((r) => r.denied.length > 0));
    return report.errors.length > 0 || (values['fail-on-deny'] && denied) ? EXIT_FAILURE : EXIT_OK;
  },
};
