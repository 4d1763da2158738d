import type { GraphQLResolveInfo } from 'graphql';
import { allow, deny, rule, shield } from 'graphql-shield';
import type { IMiddlewareGenerator } from 'graphql-middleware';
import type { IRule, IRules } from 'graphql-shield';
import { checkField, ruleName } from './check-field.js';
import type { FieldRule } from './field-access.js';
import { compileFieldPlan, NO_RULE_DENIAL, type Rules } from './field-decision.js';
import type { DenialError, GuardContext } from './guard-context.js';

// The graphql-shield tree, generated from rules/field-access.ts. One named rule per distinct FieldRule, so rules
// that do not depend on the parent row are cached per request ('contextual') and row rules run per row.
// Safety settings (graphql-shield's defaults allow and hide resolver errors as denials): deny by default, real
// resolver errors not turned into denials.

type TreeRule = IRule | typeof allow;

function toShieldRule(r: FieldRule, typeName: string, fieldName: string, toError: DenialError): TreeRule {
  if (r.kind === 'inherit') return allow;
  const row = r.kind === 'read' && r.row;
  // Row rules record the field's own PHI-read slot, so they are one rule per field (named by it); the others are
  // shared by name and cached per request.
  const plan = compileFieldPlan(typeName, fieldName, r);
  const name = row ? `${ruleName(r)}@${plan.key}` : ruleName(r);
  return rule(name, { cache: row ? 'no_cache' : 'contextual' })(
    (parent: unknown, _args: unknown, ctx: GuardContext, _info: GraphQLResolveInfo) => checkField(plan, ctx, parent, toError),
  );
}

function buildShieldTree(rules: Rules, toError: DenialError): IRules {
  const byName = new Map<string, TreeRule>();
  const tree: Record<string, Record<string, TreeRule>> = {};
  for (const [type, fields] of Object.entries(rules)) {
    tree[type] = {};
    for (const [field, fr] of Object.entries(fields)) {
      const shared = !(fr.kind === 'read' && fr.row);
      const name = shared ? ruleName(fr) : `${type}.${field}`;
      if (!byName.has(name)) byName.set(name, toShieldRule(fr, type, field, toError));
      tree[type][field] = byName.get(name)!;
    }
  }
  return tree as IRules;
}

export function createPermissions(rules: Rules, toError: DenialError): IMiddlewareGenerator<unknown, GuardContext, unknown> {
  return shield(buildShieldTree(rules, toError), {
    fallbackRule: deny,
    allowExternalErrors: true,
    fallbackError: () => toError(NO_RULE_DENIAL),
    debug: false,
  }) as IMiddlewareGenerator<unknown, GuardContext, unknown>;
}
