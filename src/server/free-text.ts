import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  defaultFieldResolver,
  getNullableType,
  isInputObjectType,
  isListType,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { BadUserInputError } from '../errors/errors.js';
import { freeTextProblem } from '../governance/free-text.js';

// Every argument and input field the SDL marks `@freeText` is checked here, once, with the one rule of what text may be
// shown to people (src/governance/free-text.ts), before its resolver runs: after the field's permission rule (this
// schema is wrapped by the permission layer: a caller refused the field gets FORBIDDEN), before the governance checks
// the resolver makes (editor, approver): a malformed reason is refused as input, whoever sends it, and nothing is done.

/** Checks one value of an input type: returns the first refused path below `path`, with its problem. */
type Check = (value: unknown, path: string) => { path: string; problem: string } | null;

const isFreeText = (schema: GraphQLSchema, node: GraphQLArgument | GraphQLInputField) => !!getDirective(schema, node, 'freeText')?.length;

/** A check for values of `type` when `marked`, or for the marked fields within it; null when nothing in it is marked. */
function checkFor(schema: GraphQLSchema, type: GraphQLInputType, marked: boolean, seen: Set<string>): Check | null {
  const inner = getNullableType(type);
  if (isListType(inner)) {
    const item = checkFor(schema, inner.ofType as GraphQLInputType, marked, seen);
    if (!item) return null;
    return (value, path) => {
      if (!Array.isArray(value)) return item(value, path);
      for (const [i, v] of value.entries()) {
        const hit = item(v, `${path}[${i}]`);
        if (hit) return hit;
      }
      return null;
    };
  }
  if (marked) {
    return (value, path) => {
      const problem = typeof value === 'string' ? freeTextProblem(value) : null;
      return problem ? { path, problem } : null;
    };
  }
  if (!isInputObjectType(inner) || seen.has(inner.name)) return null;
  const fields = Object.values(inner.getFields())
    .map((f) => ({ name: f.name, check: checkFor(schema, f.type, isFreeText(schema, f), new Set([...seen, inner.name])) }))
    .filter((f): f is { name: string; check: Check } => f.check !== null);
  if (fields.length === 0) return null;
  return (value, path) => {
    if (value === null || typeof value !== 'object') return null;
    for (const f of fields) {
      const hit = f.check((value as Record<string, unknown>)[f.name], path ? `${path}.${f.name}` : f.name);
      if (hit) return hit;
    }
    return null;
  };
}

/**
 * The schema with every field that takes `@freeText` input checked before it resolves: BAD_USER_INPUT naming the
 * argument (or the input field below an input-object argument, as the other input errors name it) and nothing done.
 */
export function applyFreeTextCheck(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field) => {
      const checks = (field.args ? Object.entries(field.args) : [])
        .map(([name, arg]) => {
          const marked = isFreeText(schema, arg as GraphQLArgument);
          // An input-object argument's fields are named on their own (`reason`), a plain argument by its name.
          const check = checkFor(schema, arg.type, marked, new Set());
          return check ? { name, root: marked || isListType(getNullableType(arg.type)) ? name : '', check } : null;
        })
        .filter((c) => c !== null);
      if (checks.length === 0) return field;
      const resolve = field.resolve ?? defaultFieldResolver;
      return {
        ...field,
        resolve: (source, args: Record<string, unknown>, context, info) => {
          for (const c of checks) {
            const hit = c.check(args[c.name], c.root);
            if (hit) throw new BadUserInputError(`${hit.path} ${hit.problem}.`, hit.path);
          }
          return resolve(source, args, context, info);
        },
      };
    },
  });
}
