import type { GraphQLResolveInfo } from 'graphql';
import { allow, deny, rule, shield } from 'graphql-shield';
import type { IMiddlewareGenerator } from 'graphql-middleware';
import type { IRule, IRules } from 'graphql-shield';
import type { GatewayContext } from '../src/context/context.js';
import { ForbiddenError } from '../src/errors/errors.js';
import { checkField, ruleName } from './check-field.js';
import type { FieldRule } from './field-access.js';

// The graphql-shield tree, generated from rules/field-access.ts. One named rule per distinct FieldRule, so rules
// that do not depend on the parent row are cached per request ('contextual') and row rules run per row.
// Safety settings from STACK.md: deny by default, real resolver errors not turned into denials.

type TreeRule = IRule | typeof allow;

function toShieldRule(r: FieldRule): TreeRule {
  if (r.kind === 'inherit') return allow;
  const row = r.kind === 'read' && r.row;
  return rule(ruleName(r), { cache: row ? 'no_cache' : 'contextual' })((parent: unknown, _args: unknown, ctx: GatewayContext, info: GraphQLResolveInfo) =>
    checkField(r, ctx, parent, info),
  );
}

export function buildShieldTree(rules: Readonly<Record<string, Readonly<Record<string, FieldRule>>>>): IRules {
  const byName = new Map<string, TreeRule>();
  const tree: Record<string, Record<string, TreeRule>> = {};
  for (const [type, fields] of Object.entries(rules)) {
    tree[type] = {};
    for (const [field, fr] of Object.entries(fields)) {
      const name = ruleName(fr);
      if (!byName.has(name)) byName.set(name, toShieldRule(fr));
      tree[type][field] = byName.get(name)!;
    }
  }
  return tree as IRules;
}

export const noRuleError = () =>
  new ForbiddenError('This field has no permission rule, so it is denied.', {
    permission: 'none',
    dataClass: 'unknown',
    failedScope: 'role',
    ownerRole: 'security-admin',
    ownerFunction: 'security',
    rolesWithPermission: [],
    grant: null,
    howToGet: 'Ask security-admin to add a rule for this field to the policy.',
    approvalPath: null,
    requestAccess: null,
    policyVersion: 'n/a',
  });

export function createPermissions(rules: Readonly<Record<string, Readonly<Record<string, FieldRule>>>>): IMiddlewareGenerator<unknown, GatewayContext, unknown> {
  return shield(buildShieldTree(rules), {
    fallbackRule: deny,
    allowExternalErrors: true,
    fallbackError: noRuleError,
    debug: false,
  }) as IMiddlewareGenerator<unknown, GatewayContext, unknown>;
}
