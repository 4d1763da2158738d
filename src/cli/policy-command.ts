import { readFileSync } from 'node:fs';
import { compilePrincipalPolicy } from '../../rules/decide.js';
import { explainDecision } from '../../rules/explanation.js';
import { fieldCoverageProblems } from '../../rules/field-coverage.js';
import { fieldRules } from '../../rules/field-access.js';
import { PolicyDocumentError, defaultPolicy, parsePolicyDocument, type PolicyDocument } from '../../rules/policy-document.js';
import type { PrincipalKind } from '../auth/principal.js';
import { accessRequestPath } from '../governance/approval-path.js';
import { DEFAULT_APPROVAL_RULES } from '../governance/approval-rules.js';
import { explainGoverned } from '../governance/explain-governed.js';
import { ENVIRONMENTS, type Environment } from '../governance/environment.js';
import { functionsFromPolicy } from '../governance/functions.js';
import { buildUnguardedSchema } from '../server/build-schema.js';
import { UsageError } from '../errors/usage-error.js';
import { commandUsage, EXIT_FAILURE, EXIT_OK, type CliCommand } from './cli-command.js';
import { parseCommandArgs } from './parse-command-args.js';

// `clearance policy check` validates a policy document and that every schema field has a rule (the same check as
// test/rules/field-coverage.test.ts); `clearance policy explain` answers what a role may do, offline, with the
// same decision functions as the gateway's `explain`. For integration engineers and compliance.

const USAGE = commandUsage({
  synopsis: [
    'policy check [--file POLICY.json]',
    'policy explain --role ROLE [--role ROLE2]... --action ACTION [--dept D]... [--kind user|agent|service] [--env STAGING|PRODUCTION] ' +
      '[--file POLICY.json]',
  ],
  about: `check     validates the policy document (default: rules/default-policy.json) and that every field of the schema has
          a permission rule naming a data class of the document. Exit 1 with every problem listed.
explain   what a principal with these roles may do: ALLOW, DENY or NEEDS_APPROVAL, the rule, the owner and the
          approval path. Actions: read:<dataClass>, setting:update:<key>, stop:<target>, resume:<target>,
          role:assign:<role>, access:request:<role>, policy:update, break-glass.`,
});

const KINDS: readonly PrincipalKind[] = ['user', 'agent', 'service'];

/** The policy document a command checks against: a file's, else the default (also `operations check --policy`). */
export function loadPolicy(file: string | undefined): PolicyDocument {
  return file ? parsePolicyDocument(JSON.parse(readFileSync(file, 'utf8'))) : defaultPolicy();
}

export const policyCommand: CliCommand = {
  name: 'policy',
  summary: 'check the policy document and field rules; explain what a role may do',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      io.stdout(`${USAGE}\n`);
      return sub === undefined ? 2 : EXIT_OK;
    }
    const values = parseCommandArgs(rest, {
      file: { type: 'string' },
      role: { type: 'string', multiple: true },
      action: { type: 'string' },
      dept: { type: 'string', multiple: true },
      kind: { type: 'string' },
      env: { type: 'string' },
    });
    let policy: PolicyDocument;
    try {
      policy = loadPolicy(values.file);
    } catch (e) {
      if (!(e instanceof PolicyDocumentError) && !(e instanceof SyntaxError)) throw e;
      io.stderr(`${e.message}\n`);
      return EXIT_FAILURE;
    }
    if (sub === 'check') {
      const problems = fieldCoverageProblems(buildUnguardedSchema(), fieldRules, policy);
      if (problems.length) {
        io.stderr(`Policy ${policy.version}: ${problems.length} problem(s):\n${problems.map((p) => `- ${p}`).join('\n')}\n`);
        return EXIT_FAILURE;
      }
      io.stdout(`Policy ${policy.version} is valid; every field of the schema has a rule.\n`);
      return EXIT_OK;
    }
    if (sub !== 'explain') throw new UsageError(`unknown subcommand "${sub}"`);
    if (!values.role?.length || !values.action) throw new UsageError('--role and --action are required');
    const kind = (values.kind ?? 'user') as PrincipalKind;
    if (!KINDS.includes(kind)) throw new UsageError('--kind must be user, agent or service');
    const environment = (values.env ?? 'PRODUCTION') as Environment;
    if (!ENVIRONMENTS.includes(environment)) throw new UsageError('--env must be STAGING or PRODUCTION');
    const principal = {
      sub: 'cli',
      tenant: 'cli',
      kind,
      roles: values.role,
      departments: values.dept ?? [],
      mfa: true,
      scopes: null,
      grants: [],
    };
    const at = new Date().toISOString();
    const read = /^read:(.+)$/.exec(values.action);
    const answer = read
      ? explainDecision(
          values.action,
          compilePrincipalPolicy(policy, principal, {
            approvalPathOf: (w) => accessRequestPath(DEFAULT_APPROVAL_RULES, policy, w, kind),
          }).decide({ action: 'read', dataClass: read[1]! }),
          policy.version,
          at,
        )
      : explainGoverned({
          action: values.action,
          principal,
          environment,
          rules: DEFAULT_APPROVAL_RULES,
          functionsOf: functionsFromPolicy(policy),
          policy,
          at,
        });
    if (!answer) throw new UsageError(`unknown action "${values.action}"`);
    io.stdout(`${JSON.stringify(answer, null, 2)}\n`);
    return EXIT_OK;
  },
};
