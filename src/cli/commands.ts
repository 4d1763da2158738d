import { auditCommand } from './audit-command.js';
import type { CliCommand } from './cli-command.js';
import { operationsCommand } from './operations-command.js';
import { policyCommand } from './policy-command.js';
import { schemaCommand } from './schema-command.js';
import { secretsCommand } from './secrets-command.js';
import { tokenCommand } from './token-command.js';

// Every subcommand, in `clearance --help` order. To add one (audit, policy...): write <name>-command.ts exporting a
// CliCommand and list it here.
export const COMMANDS: readonly CliCommand[] = [
  tokenCommand,
  auditCommand,
  policyCommand,
  schemaCommand,
  operationsCommand,
  secretsCommand,
];
